"""HTML for the chat page: answers and sources, with every piece of user and corpus text escaped."""

from __future__ import annotations

import re
from html import escape, unescape

from qa import templates
from qa.answerers import Answer
from qa.search import Passage
from qa.lines import flowing


def escape_markdown(answer_text: str) -> str:
    """Text for a Markdown component (chat bubbles, status lines): `<script>` or `*` show as typed."""
    escaped = escape(answer_text, quote=False)
    return "".join(f"\\{char}" if char in "\\`*_{}[]()#+-!|~>" else char for char in escaped)


def unescape_markdown(shown_text: str) -> str:
    """The text `escape_markdown` was given back (a chat's own messages); typed text comes back as it is, but
    for a backslash before one of the escaped marks."""
    return unescape(re.sub(r"\\([\\`*_{}\[\]()#+\-!|~>])", r"\1", shown_text))



def passage_header(numbers: list[int], passage: Passage, question: str) -> str:
    label = "".join(f'<span class="qa-n">[{n}]</span> ' for n in numbers)
    page = f", {templates.page_label(passage.page, question)}" if passage.page is not None else ""
    section = f' <span class="qa-section">— {escape(passage.section)}</span>' if passage.section else ""
    return f'<div class="qa-head">{label}<b class="qa-source">{escape(passage.source)}{page}</b>{section}</div>'



def shown(text: str) -> str:
    """Corpus text as HTML: escaped, its line breaks as one space (none inside Chinese, where a browser would
    show the space a wrapped PDF line leaves)."""
    return escape(flowing(text))


def sources_html(answer: Answer) -> str:
    """Each cited passage once, its quoted sentences highlighted, or the closest passages after a refusal."""
    if answer.abstained:
        related = answer.related
        if not related:
            return ""
        cards = "".join(
            f'<div class="qa-card qa-related">{passage_header([], p, answer.question)}<p>{shown(p.text)}</p></div>' for p in related
        )
        return f'<h3 class="qa-heading">{escape(templates.related_heading(answer.question))}</h3>{cards}'
    by_chunk = {p.chunk_id: p for p in answer.passages}
    cited: dict[str, list] = {}  # each passage once, with every quote from it marked (in the order first cited)
    for citation in answer.citations:
        cited.setdefault(citation.chunk_id, []).append(citation)
    cards = []
    for chunk_id, citations in cited.items():
        passage = by_chunk[chunk_id]
        body, shown_to = "", 0
        for citation in sorted(citations, key=lambda c: c.start):
            quote_start, quote_end = max(citation.start - passage.start, shown_to), citation.end - passage.start
            if quote_end <= quote_start:
                continue  # inside a quote already marked
            quote = shown(passage.text[quote_start:quote_end])
            body += shown(passage.text[shown_to:quote_start]) + f'<mark class="qa-quote">{quote}</mark>'
            shown_to = quote_end
        body += shown(passage.text[shown_to:])
        numbers = [citation.n for citation in citations]
        anchors = "".join(f'<span id="source-{n}"></span>' for n in numbers[1:])  # for links to a later number
        header = passage_header(numbers, passage, answer.question)
        cards.append(f'<div class="qa-card" id="source-{numbers[0]}">{anchors}{header}<p>{body}</p></div>')
    return f'<h3 class="qa-heading">{escape(templates.sources_heading(answer.question))}</h3>' + "".join(cards)
