"""PDF: the text of each page by pypdf, pages separated by a blank line, with where each page starts."""

from __future__ import annotations

import io

from qa.errors import UnreadableDocumentError
from qa.formats import ExtractedText


def read(raw: bytes) -> ExtractedText:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(raw))
        if reader.is_encrypted and not reader.decrypt(""):
            raise UnreadableDocumentError("the PDF is password-protected")
        pages = [(page.extract_text() or "").strip() for page in reader.pages]
    except (PdfReadError, ValueError, KeyError, TypeError) as error:
        raise UnreadableDocumentError(f"it is not a readable PDF ({error})") from None
    if not any(pages):
        raise UnreadableDocumentError("the PDF holds no text (a scan needs OCR first)")
    starts, offset = [], 0
    for page in pages:
        starts.append(offset)
        offset += len(page) + 2
    return ExtractedText("\n\n".join(pages), tuple(starts))
