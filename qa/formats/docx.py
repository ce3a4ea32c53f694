"""Word .docx: paragraphs and tables (a `| a | b |` line per row) in document order by python-docx; Heading styles
become `#` lines."""

from __future__ import annotations

import io
import re
import zipfile

from qa.errors import UnreadableDocumentError
from qa.formats import ExtractedText

HEADING_STYLE = re.compile(r"^(?:Heading|标题)\s*(\d)$", re.IGNORECASE)


def paragraph_line(paragraph, style_names: dict[str, str]) -> str:
    text = paragraph.text.strip()
    if not text:
        return ""
    # The paragraph's style id looked up in a table made once: python-docx's `paragraph.style` searches every
    # style of the document for each paragraph, and a 35 KB file of 52,000 paragraphs took a minute to read.
    style = style_names.get(paragraph._p.style or "", "")
    if match := HEADING_STYLE.match(style):
        return "#" * int(match.group(1)) + " " + text
    if style == "Title":
        return "# " + text
    return text


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
    blocks = []
    for item in document.iter_inner_content():
        if isinstance(item, Table):
            # One block, a line per row written as Markdown and the HTML reader write rows ("| Adult | 45 euros |"),
            # so that rows are not headings, a table is read as one passage, and a row is quoted under its header.
            blocks.append("\n".join(table_row(row) for row in item.rows))
        else:
            blocks.append(paragraph_line(item, style_names))
    text = "\n\n".join(block for block in blocks if block)
    if not text:
        raise UnreadableDocumentError("the document holds no text")
    return ExtractedText(text)
