"""HTML: the article text only (menus, footers and ads left out) by trafilatura, headings kept as `#` lines."""

from __future__ import annotations

import re

from qa.errors import UnreadableDocumentError
from qa.formats import ExtractedText

# trafilatura's Markdown marks emphasis, code and a few inline tags, and escapes the page's own punctuation.
# Quotes must read as the page does ("ACCT_2024_07", not "ACCT\_2024\_07"), so only the `#` of headings, the
# `- ` and `1.` of lists and the `|` of tables are kept. Marks are unescaped characters; the page's are escaped.
EMPHASIS = re.compile(r"(?<!\\)(\*\*|\*|`)(?=\S)(.+?)(?<=\S)(?<!\\)\1")
INLINE_TAG = re.compile(r"</?(?:sup|sub|u|s|del|ins|mark|small|kbd|code|em|strong|b|i)>", re.IGNORECASE)
ESCAPED = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~<])")


def as_read(markdown: str) -> str:
    """The text as the page shows it, with headings, lists and tables still marked."""
    plain = EMPHASIS.sub(lambda match: match.group(2), markdown)
    return ESCAPED.sub(r"\1", INLINE_TAG.sub("", plain))


def read(raw: bytes) -> ExtractedText:
    import trafilatura

    # trafilatura finds the encoding itself (UTF-8, GBK, ...) from the bytes and the page's meta tags.
    text = trafilatura.extract(
        raw, output_format="markdown", include_comments=False, include_tables=True, include_links=False
    )
    if not text or not text.strip():
        raise UnreadableDocumentError("no article text was found in this HTML page")
    return ExtractedText(as_read(text.replace("\r\n", "\n")))
