"""HTML: the article text only (menus, footers and ads left out) by trafilatura, headings kept as `#` lines.

trafilatura writes the article as Markdown; it is read as the Markdown reader reads any (qa/formats/markdown.py),
so a quote reads as the page does ("ACCT_2024_07", not "ACCT\\_2024\\_07"; no `**` or `|---|`), with headings,
lists and table rows still marked for the chunker."""

from __future__ import annotations

from qa.errors import UnreadableDocumentError
from qa.formats import ExtractedText
from qa.formats.markdown import plain_text


def read(raw: bytes) -> ExtractedText:
    import trafilatura

    # trafilatura finds the encoding itself (UTF-8, GBK, ...) from the bytes and the page's meta tags. Favouring
    # recall: by default a page whose text sits directly in <body> (no <main> or <article>, as a hand-written
    # manual's) lost every heading and bulleted list, the safety rules of a probe's kettle manual among them; the
    # development pages and the tests' pages with menus, cookie banners and footers read the same either way.
    text = trafilatura.extract(
        raw,
        output_format="markdown",
        include_comments=False,
        include_tables=True,
        include_links=False,
        favor_recall=True,
    )
    if not text or not text.strip():
        raise UnreadableDocumentError("no article text was found in this HTML page")
    return ExtractedText(plain_text(text.replace("\r\n", "\n")))
