"""Word .docx: paragraphs and tables (a line per row) in document order by python-docx; Heading styles become `#` lines."""

from __future__ import annotations

import io
import re
import zipfile

from qa.errors import UnreadableDocumentError
from qa.formats import ExtractedText

HEADING_STYLE = re.compile(r"^(?:Heading|标题)\s*(\d)$", re.IGNORECASE)


def paragraph_line(paragraph) -> str:
    text = paragraph.text.strip()
    style = paragraph.style.name if paragraph.style is not None else ""
    if text and (match := HEADING_STYLE.match(style)):
        return "#" * int(match.group(1)) + " " + text
    if text and style == "Title":
        return "# " + text
    return text


def read(raw: bytes) -> ExtractedText:
    import docx
    from docx.table import Table

    try:
        document = docx.Document(io.BytesIO(raw))
    except (zipfile.BadZipFile, KeyError, ValueError) as error:
        raise UnreadableDocumentError(f"it is not a readable .docx file ({error})") from None
    blocks = []
    for item in document.iter_inner_content():
        if isinstance(item, Table):
            # One block, a line per row: rows are not headings, and a table is read as one passage.
            blocks.append("\n".join(" | ".join(cell.text.strip() for cell in row.cells) for row in item.rows))
        else:
            blocks.append(paragraph_line(item))
    text = "\n\n".join(block for block in blocks if block)
    if not text:
        raise UnreadableDocumentError("the document holds no text")
    return ExtractedText(text)
