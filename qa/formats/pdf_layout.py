"""Where a PDF's paragraphs start, read from where its lines are drawn.

pypdf gives a page's text one printed line at a time, with no blank line between paragraphs, so line lengths
alone decide where a paragraph ends (qa/structure.py), and a sentence that ends at the end of a full line reads
as a paragraph's end. Layouts mark paragraphs in one of two ways: space above the first line, or its first line
drawn further right. Each document is asked which one it uses, on the first lines of its paragraphs that line
lengths alone make certain (a full line after a short one that ends a sentence); a blank line is then put before
each line so marked, as a text file has them.
"""

from __future__ import annotations

import bisect
import itertools
import math
import re
import statistics
from collections import Counter
from dataclasses import dataclass, replace

from qa.lines import FULL_LINE, LIST_ITEM, ends_sentence, full_line_length

# A line this many times the document's usual line pitch below the line above it has space above it. Word's
# tightest common paragraph spacing (6 pt after 12 pt lines) gives 1.43 times; a line's own pitch varies by a
# few percent (superscripts, mixed fonts). Set before measuring.
PARAGRAPH_SPACING = 1.25
# A line that starts this share of the line pitch further right than the line above it is indented: a first-line
# indent is one or two em (Chinese: two characters), about a pitch or more. Set before measuring.
INDENT = 0.5
# A document marks its paragraphs one way when at least this share of its certain first lines are marked so; a
# layout that marks them otherwise marks hardly any. Space around headings alone does not count: a blank line
# before each heading would run the paragraphs between them together.
MARKED_SHARE = 0.5
MARGIN_SHARE = 0.1  # of a document's lines that start at its left margin, at least. Set before measuring.
MIN_CERTAIN_STARTS = 3


@dataclass(frozen=True)
class PlacedLine:
    text: str
    x: float | None = None  # where it starts, in points from the page's left edge (None: not known)
    y: float | None = None  # ... and from its foot
    size: float | None = None  # the height of its first piece's type, in points


def placed_lines(page) -> list[PlacedLine]:
    """The page's lines as pypdf extracts them, each with where its first piece of text is drawn (not known
    for a line without text, nor anywhere when the pieces pypdf reports do not make up its text)."""
    pieces: list[tuple[str, list, list, float]] = []
    text = page.extract_text(visitor_text=lambda piece, cm, tm, font, size: pieces.append((piece, cm, tm, size))) or ""
    lines = text.split("\n")
    if "".join(piece for piece, _, _, _ in pieces) != text:
        return [PlacedLine(line) for line in lines]
    positions: dict[int, tuple[float, float, float]] = {}
    line_starts = list(itertools.accumulate((len(line) + 1 for line in lines[:-1]), initial=0))
    offset = 0
    for piece, cm, tm, size in pieces:
        if piece.strip():
            line = bisect.bisect_right(line_starts, offset + len(piece) - len(piece.lstrip())) - 1
            # The text matrix's origin, through the page's transformation matrix; the type's height scaled by both.
            height = (size or 0.0) * math.hypot(tm[2], tm[3]) * math.hypot(cm[2], cm[3])
            positions.setdefault(line, (tm[4] * cm[0] + tm[5] * cm[2] + cm[4], tm[4] * cm[1] + tm[5] * cm[3] + cm[5], height))
        offset += len(piece)
    return [PlacedLine(line, *positions.get(number, (None, None, None))) for number, line in enumerate(lines)]


TITLE_SIZE = 1.3  # a title's type against the usual: 15 and 16 points over 9.5 and 10.5 in a probe's papers
TITLE_MAX_LINES = 3


@dataclass(frozen=True)
class LineStart:
    """How a line with text starts against the line with text above it on its page."""

    spaced: bool  # with space above it
    indented: bool  # further right, or opening with spaces where the line above does not
    above_short: bool  # the line above stops short of a full line
    above_ends_sentence: bool
    full: bool  # it is a full line itself

    @property
    def certain_paragraph_start(self) -> bool:
        return self.above_short and self.above_ends_sentence and self.full

    @property
    def indented_paragraph_start(self) -> bool:
        return self.indented and (self.above_ends_sentence or self.above_short)


def line_starts(pages: list[list[PlacedLine]]) -> list[list[LineStart | None]]:
    """Per page and line, how it starts (None for a line without text)."""
    short = FULL_LINE * full_line_length([line.text for page in pages for line in page])
    drops = [
        above.y - line.y
        for page in pages
        for above, line in itertools.pairwise([line for line in page if line.text.strip()])
        if above.y is not None and line.y is not None and above.y > line.y
    ]
    # The line pitch, the most common drop: in a paper of short paragraphs the gaps between them are many, and
    # the median (until 2026-12-08) measured 18.5 points where a probe's lines were 14 apart and its paragraphs 21.
    pitch = 0.0
    if drops:
        usual = Counter(round(drop * 2) for drop in drops).most_common(1)[0][0]  # in half points
        pitch = statistics.median(drop for drop in drops if round(drop * 2) == usual)
    # The left margin, the leftmost place where many lines start: a paragraph's first line drawn right of it is
    # indented even under another such line (one-line paragraphs one under another, as a report's figures run),
    # where most lines may start indented. Not a list item: a list set in from the margin is one block.
    starts_x = Counter(round(line.x) for page in pages for line in page if line.text.strip() and line.x is not None)
    common = [x for x, count in starts_x.items() if count >= MARGIN_SHARE * sum(starts_x.values())]
    margin = min(common) if common else None
    result = []
    for page in pages:
        above = PlacedLine("")
        starts: list[LineStart | None] = []
        for line in page:
            if not line.text.strip():
                starts.append(None)
                continue
            placed = pitch > 0 and None not in (above.x, above.y, line.x, line.y)
            starts.append(
                LineStart(
                    spaced=placed and above.y - line.y > PARAGRAPH_SPACING * pitch,
                    # Further right as drawn, or as written: Chinese paragraphs often open with two ideographic
                    # spaces, drawn where the line starts.
                    indented=placed and above.y > line.y and line.x - above.x > INDENT * pitch
                    or placed and margin is not None and line.x - margin > INDENT * pitch
                    and not LIST_ITEM.match(line.text)
                    or line.text[:1].isspace() and not above.text[:1].isspace(),
                    above_short=bool(above.text.strip()) and len(above.text.strip()) < short,
                    above_ends_sentence=ends_sentence(above.text),
                    full=len(line.text.strip()) >= short,
                )
            )
            above = line
        result.append(starts)
    return result


def paragraph_breaks(pages: list[list[PlacedLine]]) -> list[list[bool]]:
    """Per page and line, whether the layout marks it as a paragraph's first line, in the way this document
    marks them: space above (a heading's too), or, where paragraphs are indented, a line further right than the
    line above when that one ends a sentence or is short."""
    starts = line_starts(pages)
    certain = [start for page in starts for start in page if start and start.certain_paragraph_start]
    if len(certain) >= MIN_CERTAIN_STARTS:
        if sum(start.spaced for start in certain) >= MARKED_SHARE * len(certain):
            return [[bool(start and start.spaced) for start in page] for page in starts]
        if sum(start.indented for start in certain) >= MARKED_SHARE * len(certain):
            return [[bool(start and (start.spaced or start.indented_paragraph_start)) for start in page] for page in starts]
    return [[False] * len(page) for page in pages]


def with_paragraph_breaks(pages: list[list[PlacedLine]]) -> list[str]:
    """Each page's text, with a blank line before each line that the layout marks as a paragraph's first."""
    return [
        "\n".join("\n" + line.text if first else line.text for line, first in zip(page, page_breaks))
        for page, page_breaks in zip(pages, paragraph_breaks(pages))
    ]


def title_lines(pages: list[list[PlacedLine]]) -> list[int]:
    """Where the document's title is on its first page: the first run of lines there in the largest type (at most
    TITLE_MAX_LINES), when that type is at least TITLE_SIZE times the document's usual one (its lines' median). A
    journal's running header, not the title, opens the text of a new-user probe's paper ("Norvanian Journal of
    Entomology 71: 44–52 (2025)"), and its title, in 15-point type over 10.5-point text, ran over two lines."""
    sizes = [line.size for page in pages for line in page if line.size and line.text.strip()]
    first = [n for n, line in enumerate(pages[0]) if line.size and line.text.strip()] if pages else []
    if not sizes or not first:
        return []
    largest = max(pages[0][n].size for n in first)
    if largest < TITLE_SIZE * statistics.median(sizes):
        return []
    in_title = lambda n: abs(pages[0][n].size - largest) <= 0.5  # noqa: E731
    return list(itertools.takewhile(in_title, itertools.dropwhile(lambda n: not in_title(n), first)))[:TITLE_MAX_LINES]


def title_of(pages: list[list[PlacedLine]]) -> str:
    """The document's title as its first page sets it (`title_lines`), or ""."""
    return " ".join(" ".join(pages[0][n].text.split()) for n in title_lines(pages))


def with_title_joined(pages: list[list[PlacedLine]]) -> list[list[PlacedLine]]:
    """The pages with the title's lines as one line: set apart by the space around them, a probe's three-line
    titles were three headings, the last of which ("Orsa") headed the whole paper."""
    lines = title_lines(pages)
    if len(lines) < 2:
        return pages
    joined = replace(pages[0][lines[0]], text=title_of(pages))
    first = [joined if n == lines[0] else line for n, line in enumerate(pages[0]) if n not in lines[1:]]
    return [first, *pages[1:]]


# A footnote: a line at a page's foot in type this much smaller than the document's usual, opening with its mark
# ("1 The previous white paper…", "* Provisional figures.", "①本白皮书所称…", "注：…"), with the small lines after it. Set on a probe's white
# paper (7.5-point notes under 11-point text) and papers (8.5-point references, which open with no mark).
FOOTNOTE_SIZE = 0.8
FOOTNOTE_MARK = re.compile(r"\s*(?:(?:\d{1,2}|[*†‡])\s+[^\W\d_]|[\u2460-\u2473]\s*\S|注\s*\d{0,2}\s*[：:])")


def without_footnotes(pages: list[list[PlacedLine]]) -> tuple[list[list[PlacedLine]], list[list[str]]]:
    """The pages without the footnotes at their feet, and each page's footnotes as lines of text: where pypdf
    reads them, at the page's end, a sentence that runs on to the next page had them pasted into its middle."""
    sizes = [line.size for page in pages for line in page if line.size and line.text.strip()]
    if not sizes:
        return pages, [[] for _ in pages]
    small = FOOTNOTE_SIZE * statistics.median(sizes)
    bodies, notes = [], []
    for page in pages:
        placed = [n for n, line in enumerate(page) if line.text.strip()]
        if not placed or any(page[n].y is None or not page[n].size for n in placed):
            bodies.append(page)
            notes.append([])
            continue
        placed.sort(key=lambda n: -page[n].y)
        foot = list(itertools.takewhile(lambda n: page[n].size < small, reversed(placed)))[::-1]
        # the first small line that opens with a mark begins the footnotes: the small lines above it are not
        marked = next((k for k, n in enumerate(foot) if FOOTNOTE_MARK.match(page[n].text)), None)
        foot = foot[marked:] if marked is not None and len(foot) < len(placed) else []
        bodies.append([line for n, line in enumerate(page) if n not in foot])
        notes.append([page[n].text.strip() for n in foot])
    return bodies, notes


def with_footnotes_placed(texts: list[str], notes: list[list[str]], apart: str = "\n\n") -> list[str]:
    """Each page's text with its footnotes as paragraphs of their own, `apart` from the text around them: after
    the page's text, or, when its last sentence runs on to the next page, after the next page's first line that
    ends a sentence."""
    texts = list(texts)
    for number, page_notes in enumerate(notes):
        if not page_notes:
            continue
        block = "\n".join(page_notes)
        following = texts[number + 1].split("\n") if number + 1 < len(texts) else []
        ends = next((n for n, line in enumerate(following) if ends_sentence(line)), None)
        if ends_sentence(texts[number].rstrip()) or ends is None:
            texts[number] = f"{texts[number].rstrip()}{apart}{block}"
        else:
            texts[number + 1] = apart.join(["\n".join(following[: ends + 1]), block, "\n".join(following[ends + 1 :])])
    return texts
