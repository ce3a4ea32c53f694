"""Word .docx: paragraphs and tables (a `| a | b |` line per row) in document order by python-docx; the Title and
Heading styles become `#` lines (a heading one level under the title), list items their "- " or "1. " marker."""

from __future__ import annotations

import io
import re
import zipfile

from qa.errors import UnreadableDocumentError
from qa.formats import ExtractedText

HEADING_STYLE = re.compile(r"^(?:Heading|标题)\s*(\d)$", re.IGNORECASE)
# Word's list styles: the bullet or number is drawn from the style, not written in the paragraph's text.
LIST_STYLE = re.compile(r"^List (Bullet|Number)(?: \d)?$", re.IGNORECASE)


class ListMarkers:
    """The marker Word draws before a list item, written into the text as Markdown writes it ("- ", "1. "), so
    that a list reads as one (a lead-in "… on the following matters:" is quoted with its items) and an item
    is not taken for a paragraph of its own: a probe's report lost every bullet and number. A numbered list
    counts from 1 again after any paragraph that is not one of its items."""

    def __init__(self, document) -> None:
        self.count = 0  # items of the numbered list being read
        self.formats: dict[tuple[str, str], str] = {}  # (numId, level) -> Word's number format ("bullet", "decimal"...)
        try:
            numbering = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
        abstract = {
            node.get(f"{w}abstractNumId"): {
                level.get(f"{w}ilvl"): (level.find(f"{w}numFmt").get(f"{w}val") if level.find(f"{w}numFmt") is not None else "")
                for level in node.iter(f"{w}lvl")
            }
            for node in numbering.iter(f"{w}abstractNum")
        }
        for num in numbering.iter(f"{w}num"):
            reference = num.find(f"{w}abstractNumId")
            if reference is not None:
                for level, number_format in abstract.get(reference.get(f"{w}val"), {}).items():
                    self.formats[(num.get(f"{w}numId"), level)] = number_format

    def end_list(self) -> None:
        """A heading, a table or a paragraph that is no item ends the numbered list being read."""
        self.count = 0

    def marker(self, paragraph, style: str) -> str:
        numbered = self.kind(paragraph, style)
        if numbered is None:
            self.end_list()
            return ""
        if not numbered:
            return "- "
        self.count += 1
        return f"{self.count}. "

    def kind(self, paragraph, style: str) -> bool | None:
        """True for a numbered item, False for a bulleted one, None for no list item."""
        properties = paragraph._p.pPr
        number = properties.numPr if properties is not None else None
        if number is not None and number.numId is not None and number.numId.val:
            level = number.ilvl.val if number.ilvl is not None else 0
            number_format = self.formats.get((str(number.numId.val), str(level)), "bullet")
            return number_format not in ("bullet", "none", "")
        if match := LIST_STYLE.match(style):
            return match.group(1).lower() == "number"
        return None


def paragraph_line(paragraph, style_names: dict[str, str], markers: ListMarkers, titled: bool = False) -> tuple[str, bool]:
    """The paragraph as a line of text, and whether it is an item of a Word list. In a document `titled` by
    Word's Title style, Heading 1 is a level below the title: a probe's contract had its title beside its
    clauses' headings, and a question naming the contract was looked for under the title alone."""
    text = paragraph.text.strip()
    # The paragraph's style id looked up in a table made once: python-docx's `paragraph.style` searches every
    # style of the document for each paragraph, and a 35 KB file of 52,000 paragraphs took a minute to read.
    style = style_names.get(paragraph._p.style or "", "")
    if not text:
        return "", False
    if match := HEADING_STYLE.match(style):
        markers.end_list()
        return "#" * (int(match.group(1)) + titled) + " " + text, False
    if style == "Title":
        return "# " + text, False
    marker = markers.marker(paragraph, style)
    return marker + text, bool(marker)


def table_row(row) -> str:
    """A row as one line, each cell's text on it (a cell's own line breaks as spaces)."""
    return "| " + " | ".join(" ".join(cell.text.split()) for cell in row.cells) + " |"


def read(raw: bytes) -> ExtractedText:
    import docx
    from docx.table import Table

    try:
        document = docx.Document(io.BytesIO(raw))
    except (zipfile.BadZipFile, KeyError, ValueError) as error:
        raise UnreadableDocumentError(f"it is not a readable .docx file ({error})") from None
    style_names = {style.style_id: style.name for style in document.styles if style.style_id}
    markers = ListMarkers(document)
    titled = any(style_names.get(paragraph._p.style or "") == "Title" for paragraph in document.paragraphs)
    blocks: list[str] = []
    previous_item = False
    for item in document.iter_inner_content():
        if isinstance(item, Table):
            # One block, a line per row written as Markdown and the HTML reader write rows ("| Adult | 45 euros |"),
            # so that rows are not headings, a table is read as one passage, and a row is quoted under its header.
            blocks.append("\n".join(table_row(row) for row in item.rows))
            markers.end_list()
            previous_item = False
            continue
        line, listed = paragraph_line(item, style_names, markers, titled)
        if not line:
            continue
        # A list's items one to a line, as Markdown writes a list: as paragraphs of their own, a procedure's list
        # in Word never paired with the same list in its next edition's Markdown (a new-user probe's two versions).
        if listed and previous_item:
            blocks[-1] += "\n" + line
        else:
            blocks.append(line)
        previous_item = listed
    text = "\n\n".join(blocks)
    if not text:
        raise UnreadableDocumentError("the document holds no text")
    return ExtractedText(text)
