"""HTML for the chat page: answers and sources, with every piece of user and corpus text escaped."""

from __future__ import annotations

from html import escape

from qa import templates
from qa.answerers import Answer
from qa.search import Passage
from qa.lines import flowing


def escape_markdown(answer_text: str) -> str:
    """Text for a Markdown component (chat bubbles, status lines): `<script>` or `*` show as typed."""
    escaped = escape(answer_text, quote=False)
    return "".join(f"\\{char}" if char in "\\`*_{}[]()#+-!|~>" else char for char in escaped)



def passage_header(n: int | None, passage: Passage) -> str:
    label = f'<span class="qa-n">[{n}]</span> ' if n is not None else ""
    page = f", page {passage.page}" if passage.page is not None else ""
    section = f' <span class="qa-section">— {escape(passage.section)}</span>' if passage.section else ""
    return f'<div class="qa-head">{label}<b class="qa-source">{escape(passage.source)}{page}</b>{section}</div>'



def shown(text: str) -> str:
    """Corpus text as HTML: escaped, its line breaks as one space (none inside Chinese, where a browser would
    show the space a wrapped PDF line leaves)."""
    return escape(flowing(text))


def sources_html(answer: Answer) -> str:
    """Each cited passage with its quoted sentence highlighted, or the closest passages after a refusal."""
    if answer.abstained:
        related = answer.related
        if not related:
            return ""
        cards = "".join(
            f'<div class="qa-card qa-related">{passage_header(None, p)}<p>{shown(p.text)}</p></div>' for p in related
        )
        return f'<h3 class="qa-heading">{escape(templates.RELATED_HEADING)}</h3>{cards}'
    by_chunk = {p.chunk_id: p for p in answer.passages}
    cards = []
    for citation in answer.citations:
        passage = by_chunk[citation.chunk_id]
        quote_start, quote_end = citation.start - passage.start, citation.end - passage.start
        body = (
            shown(passage.text[:quote_start])
            + f'<mark class="qa-quote">{shown(passage.text[quote_start:quote_end])}</mark>'
            + shown(passage.text[quote_end:])
        )
        cards.append(f'<div class="qa-card" id="source-{citation.n}">{passage_header(citation.n, passage)}<p>{body}</p></div>')
    return f'<h3 class="qa-heading">{escape(templates.SOURCES_HEADING)}</h3>' + "".join(cards)
