"""HTML: the article text only (menus, footers and ads left out) by trafilatura, headings kept as `#` lines."""

from __future__ import annotations

from qa.errors import UnreadableDocumentError
from qa.formats import ExtractedText


def read(raw: bytes) -> ExtractedText:
    import trafilatura

    # trafilatura finds the encoding itself (UTF-8, GBK, ...) from the bytes and the page's meta tags.
    text = trafilatura.extract(
        raw, output_format="markdown", include_comments=False, include_tables=True, include_links=False
    )
    if not text or not text.strip():
        raise UnreadableDocumentError("no article text was found in this HTML page")
    return ExtractedText(text.replace("\r\n", "\n"))
