"""Chunks: a document's paragraphs (qa/structure.py) packed sentence by sentence under their heading paths, with
exact offsets."""

from __future__ import annotations

import bisect
import hashlib
import re
from dataclasses import asdict, dataclass
from functools import cached_property

from qa.lines import TABLE_ROW, TABLE_RULE, Span, row_read_under_header
from qa.sentences import approx_tokens, clause_spans, sentence_spans, strip_span
from qa.structure import INLINE_ARTICLE, WORKS_CITED, Block, blocks, is_contents


@dataclass(frozen=True)
class Chunk:
    """A passage of one document: `text == document.text[start:end]`; `section` is its heading path."""

    chunk_id: str
    source: str
    start: int
    end: int
    text: str
    section: str
    page: int | None = None  # 1-based page of the chunk's start, for paged formats
    title: str = ""  # the document's title (its metadata's, or its first heading)

    @property
    def heading_path(self) -> str:
        """The section's heading path led by the document's title, which a plain-text title heads only the
        first paragraph of: a neighbouring province's report says "全省" under "一、大气环境", and only its
        title says which province."""
        if not self.title or self.section.startswith(self.title):
            return self.section
        return " > ".join(part for part in (self.title, self.section) if part)

    @property
    def embed_text(self) -> str:
        """What the embedder sees: the title and heading path give a chunk the topic it belongs to (a news
        paragraph says "It" of the park its headline names)."""
        context = [self.title] if self.title and not self.section.startswith(self.title) else []
        return "\n".join([*context, *([self.section] if self.section else []), self.text])

    @cached_property
    def clause_spans(self) -> list[Span]:
        """The chunk's clauses as spans of its text, each embedded on its own so that a question about one
        fact of a long chunk meets that fact; none when the chunk is a single clause (its own vector says it all)."""
        spans = clause_spans(self.text)
        return spans if len(spans) > 1 else []

    @property
    def clauses(self) -> list[str]:
        return [self.text[start:end] for start, end in self.clause_spans]

    @property
    def clause_readings(self) -> list[str | None]:
        """For each clause, the text embedded in its place, or None for the clause's own words: a table's row
        is embedded as its caption and cells named by the header (`qa.lines.row_read_under_header`)."""
        return [row_read_under_header(self.text, start, end) for start, end in self.clause_spans]

    def to_dict(self) -> dict:
        return asdict(self)


def split_long_sentence(text: str, span: Span, max_tokens: int) -> list[Span]:
    """Cut a sentence longer than a chunk at word (or CJK character) boundaries."""
    token_pattern = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]|[^\s\u3400-\u9fff\uf900-\ufaff]+")
    tokens = list(token_pattern.finditer(text, span[0], span[1]))
    return [
        (tokens[i].start(), tokens[min(i + max_tokens, len(tokens)) - 1].end())
        for i in range(0, len(tokens), max_tokens)
    ]


def pack_sentences(text: str, sentences: list[Span], max_tokens: int, overlap: int) -> list[Span]:
    """Greedy windows of whole sentences up to max_tokens, each starting `overlap` sentences back."""
    pieces = [
        piece
        for span in sentences
        for piece in (
            [span] if approx_tokens(text[span[0] : span[1]]) <= max_tokens else split_long_sentence(text, span, max_tokens)
        )
    ]
    sizes = [approx_tokens(text[a:b]) for a, b in pieces]
    windows, first = [], 0
    while first < len(pieces):
        last, total = first, sizes[first]
        while last + 1 < len(pieces) and total + sizes[last + 1] <= max_tokens:
            last += 1
            total += sizes[last]
        windows.append((pieces[first][0], pieces[last][1]))
        if last + 1 == len(pieces):
            break
        first = max(first + 1, last + 1 - overlap)
    return windows


# A table up to this many tokens is one chunk, however long, so that each of its rows is read, embedded and quoted
# under its header row: a probe's manual split its programme table into three chunks, and the rows of the last
# two, read under their first row as a header, were neither found ("How long does the Denim programme run?")
# nor quoted ("What causes error F03?" was refused as naming nothing near). A row's clause keeps its own vector.
TABLE_MAX_TOKENS = 1200


def is_table(paragraph: str) -> bool:
    """Whether a paragraph is a table: rows (and rules) only, under a caption line or none."""
    rows = [bool(TABLE_ROW.match(line) or TABLE_RULE.match(line)) for line in paragraph.split("\n") if line.strip()]
    return sum(rows) >= 2 and all(rows[1:])


def paragraph_chunks(text: str, paragraph: Block, max_tokens: int, overlap: int) -> list[Span]:
    whole = strip_span(text, paragraph.start, paragraph.end)
    if whole is None:
        return []
    # Sentence splitting is the slowest step of a build; a paragraph that fits needs none.
    size = approx_tokens(text[whole[0] : whole[1]])
    if size <= max_tokens or (size <= TABLE_MAX_TOKENS and is_table(text[whole[0] : whole[1]])):
        return [whole]
    return pack_sentences(text, sentence_spans(text, *whole), max_tokens, overlap)


def chunk_id(source: str, section: str, text: str) -> str:
    return hashlib.sha1(f"{source}\n{section}\n{text}".encode()).hexdigest()[:16]


def page_at(page_starts: tuple[int, ...], offset: int) -> int | None:
    """1-based page holding the offset, or None for a text without pages."""
    return bisect.bisect_right(page_starts, offset) if page_starts else None


def document_title(text: str, document_blocks: list[Block], metadata_title: str = "") -> str:
    """The metadata's title, else the document's first heading when it comes before any paragraph."""
    if metadata_title.strip():
        return " ".join(metadata_title.split())
    first = document_blocks[0] if document_blocks else None
    return first.heading_text if first is not None and first.heading_level is not None else ""


def chunk_document(
    source: str,
    text: str,
    max_tokens: int,
    overlap: int,
    page_starts: tuple[int, ...] = (),
    metadata_title: str = "",
) -> list[Chunk]:
    """Every chunk of one document, in reading order; no chunk crosses a paragraph or a section."""
    chunks: list[Chunk] = []
    seen: dict[str, int] = {}
    headings: list[tuple[int, str]] = []
    document_blocks = blocks(text, page_starts, metadata_title)
    title = document_title(text, document_blocks, metadata_title)
    article = None  # the article a paragraph opened ("第九条　……"), which the paragraphs after it belong to
    works_cited: list[Chunk] = []
    for block in document_blocks:
        if block.heading_level is not None:
            headings = [h for h in headings if h[0] < block.heading_level] + [(block.heading_level, block.heading_text)]
            article = None
            continue
        cited = any(WORKS_CITED.match(heading.strip()) for _, heading in headings)
        kept = works_cited if cited or block.marked_by == "contents" or is_contents(text[block.start : block.end]) else chunks
        if opened := INLINE_ARTICLE.match(text, block.start, block.end):
            article = opened.group("article")
        section = " > ".join([*(title for _, title in headings), *([article] if article else [])])
        for start, end in paragraph_chunks(text, block, max_tokens, overlap):
            chunk_text = text[start:end]
            base_id = chunk_id(source, section, chunk_text)
            seen[base_id] = seen.get(base_id, 0) + 1
            identifier = base_id if seen[base_id] == 1 else f"{base_id}-{seen[base_id]}"
            kept.append(Chunk(identifier, source, start, end, chunk_text, section, page_at(page_starts, start), title))
    return chunks or works_cited  # a reading list alone is what its document says
