"""Plain text (and Markdown's, before qa/formats/markdown.py reads its markup): read as UTF-8 (a BOM is accepted), as UTF-16 when a BOM says so (Windows Notepad's
"Unicode"), or as GB18030 Chinese; line breaks made "\n", the text kept as written otherwise."""

from __future__ import annotations

from qa.errors import UnreadableDocumentError
from qa.formats import ExtractedText


def read(raw: bytes) -> ExtractedText:
    return ExtractedText(decode_text(raw))


def decode_text(raw: bytes) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return normal_line_breaks(raw.decode("utf-16"))
        except UnicodeDecodeError as error:
            raise UnreadableDocumentError(f"it starts as UTF-16 but is not (bad bytes at offset {error.start})") from None
    if b"\x00" in raw:
        raise UnreadableDocumentError("it contains NUL bytes, so it is not a text file")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        text = decode_chinese_legacy(raw)
        if text is None:
            raise UnreadableDocumentError(
                f"it is not valid UTF-8 (bad byte at offset {error.start}): save it as UTF-8"
            ) from None
    return normal_line_breaks(text)


def normal_line_breaks(text: str) -> str:
    # Windows line endings would shift every offset after them; one newline per line break keeps
    # start/end meaningful for anyone who reads the text back through the API.
    return text.replace("\r\n", "\n").replace("\r", "\n")


def decode_chinese_legacy(raw: bytes) -> str | None:
    """Chinese text saved as GBK/GB18030, as many Chinese editors still do; None if it is not that."""
    try:
        text = raw.decode("gb18030")
    except UnicodeDecodeError:
        return None
    # gb18030 accepts almost any byte sequence, so demand that the result mostly reads as Chinese.
    cjk = sum("\u4e00" <= char <= "\u9fff" for char in text)
    return text if cjk >= 0.3 * len(text.strip()) > 0 else None
