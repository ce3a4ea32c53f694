"""PDF: the text of each page by pypdf, without the lines printed on every page (a running header or footer, a
page number), pages separated by a blank line, with where each page starts, a blank line before each
paragraph that the layout marks (qa/formats/pdf_layout.py), each word hyphenated at a line's end whole,
ligatures ("\ufb01") as their letters, and no control characters."""

from __future__ import annotations

import io
import logging
import re
import unicodedata
from collections import Counter

from qa.errors import UnreadableDocumentError
from qa.formats import ExtractedText
from qa.formats.pdf_layout import (
    PlacedLine, placed_lines, title_of, with_footnotes_placed, with_paragraph_breaks, with_title_joined, without_footnotes,
)
from qa.formats.pdf_tables import with_table_rows
from qa.lines import rejoined_words

# pypdf logs what it repairs in a damaged file ("EOF marker not found") without naming the file; a file it cannot
# read is named by the reader's own message, with the reason.
logging.getLogger("pypdf").setLevel(logging.ERROR)

EDGE_LINES = 2  # lines at a page's top and at its foot that may be a running header or footer
# Typeset text draws "fi", "fl", "ffi"... as one glyph, which many PDFs map back to a ligature character
# (U+FB00-FB06): no question's "fish" would meet the text's "\ufb01sh". Each is written as its letters.
LIGATURES = {code: unicodedata.normalize("NFKC", chr(code)) for code in range(0xFB00, 0xFB07)}
# A glyph a PDF maps to no character comes back as a control character (a bullet as "\x7f"), which no reader
# of the answer can see and no question holds: it is dropped, as with the ligatures in the same pass.
CONTROL_CHARACTERS = dict.fromkeys([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0)])
READABLE = {**LIGATURES, **CONTROL_CHARACTERS}
# A word broken at a line's end by a typesetter's own hyphen (U+2010, or a soft hyphen drawn), which pypdf may
# give with a space before it: a browser's "Save as PDF" gave a new-user probe's paper "eleva ‐⏎tional" and "cri
# ‐⏎terion" in its quotes. Read as a plain hyphen at the line's end, the word is written whole as any other.
# A font with no table from its glyphs to characters gives pypdf a NUL for each glyph: a browser printing Chinese
# with no Chinese font installed gave a probe's report 82 % NULs, and the digits and punctuation left once they
# were dropped were indexed and quoted as its answers. The PDFs of the development corpora hold none.
UNMAPPED_GLYPHS_MAX = 0.2
TYPESET_HYPHEN_AT_LINE_END = re.compile(r"(?<=[^\W\d_])[ \t]?[\u2010\u00ad][ \t]*(?=\n|$)")


def without_furniture(pages: list[list[PlacedLine]]) -> list[list[PlacedLine]]:
    """The pages without their running header, footer and page number: a line among the EDGE_LINES highest or
    lowest of a page that reads the same, numbers aside, at the top or foot of at least half of the pages (three
    at least, or both pages after the first of a three-page document, whose first page prints its title instead
    of the header). Highest and lowest as drawn, whatever order pypdf reads them in (a page's number is often
    drawn first); in its order where a page's places are not known. Two pages are enough when both print it: a
    probe's two-page bulletin had "Page 1 of 2" as the heading of its whole text. The first page's top is read
    too, but its largest type is kept: its title is the document's."""
    if len(pages) < 2:
        return pages
    edges = []
    for number, page in enumerate(pages):
        content = [n for n, line in enumerate(page) if line.text.strip()]
        if all(page[n].y is not None for n in content):
            content.sort(key=lambda n: -page[n].y)
        top = content[:EDGE_LINES]
        if not number:
            largest = max((page[n].size or 0.0 for n in content), default=0.0)
            top = [n for n in top if page[n].size and page[n].size < largest]
        edge = content[-EDGE_LINES:] + top
        edges.append({n: re.sub(r"\d+", "#", " ".join(page[n].text.split())) for n in edge})
    pages_with = Counter(form for edge in edges for form in set(edge.values()))
    repeated = {form for form, count in pages_with.items() if count >= max(2, min(3, len(pages) - 1), len(pages) / 2)}
    return [[line for n, line in enumerate(page) if edge.get(n) not in repeated] for page, edge in zip(pages, edges)]


def title_set_apart(first_page: str, title: str) -> str:
    """The first page with its title a paragraph of its own: a Chinese paper's title, set in large type right over
    its authors' line, was read as one paragraph with it, and headed nothing."""
    if not title:
        return first_page
    return re.sub(rf"(?m)^([ \t]*{re.escape(title)}[ \t]*)\n(?=[ \t]*\S)", r"\1\n\n", first_page, count=1)


def check_glyphs_mapped(pages: list[list[PlacedLine]]) -> None:
    """Raises when more than UNMAPPED_GLYPHS_MAX of the PDF's visible characters are glyphs its fonts map to no
    character: what is left is not its text."""
    visible = [character for page in pages for line in page for character in line.text if not character.isspace()]
    unmapped = sum(character == "\x00" for character in visible)
    if visible and unmapped > UNMAPPED_GLYPHS_MAX * len(visible):
        raise UnreadableDocumentError(
            f"its text cannot be read: {unmapped / len(visible):.0%} of its characters are glyphs its fonts map to no "
            "letter (make the PDF again with its fonts embedded, or run OCR on it)"
        )


def read(raw: bytes) -> ExtractedText:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(raw))
        if reader.is_encrypted and not reader.decrypt(""):
            raise UnreadableDocumentError("the PDF is password-protected")
        placed = [with_table_rows(page) for page in without_furniture([placed_lines(page) for page in reader.pages])]
        check_glyphs_mapped(placed)
        placed = with_title_joined(placed)
        title = title_of(placed)
        bodies, notes = without_footnotes(placed)
        texts = with_paragraph_breaks(bodies)
        # A text whose layout marks no paragraph is read a line at a time (qa/structure.py): a blank line put in
        # for a footnote or the title would have it read by blank lines instead, its items run together.
        marked = any("\n\n" in text for text in texts)
        texts = with_footnotes_placed(texts, notes, "\n\n" if marked else "\n")
        texts[0] = title_set_apart(texts[0], title) if marked else texts[0]
        pages = rejoined_words([TYPESET_HYPHEN_AT_LINE_END.sub("-", page.strip()).translate(READABLE) for page in texts])
    except (PdfReadError, ValueError, KeyError, TypeError) as error:
        raise UnreadableDocumentError(f"it is not a readable PDF ({error})") from None
    if not any(pages):
        raise UnreadableDocumentError("the PDF holds no text (a scan needs OCR first)")
    starts, offset = [], 0
    for page in pages:
        starts.append(offset)
        offset += len(page) + 2
    return ExtractedText("\n\n".join(pages), tuple(starts), title)
