"""Plain text (and Markdown's, before qa/formats/markdown.py reads its markup): read as UTF-8 (a BOM is accepted), as UTF-16 when a BOM says so (Windows Notepad's
"Unicode"), or as GB18030 or Big5 Chinese; line breaks made "\n", the text kept as written otherwise."""

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
        if text is None and control_share(raw) > BINARY_CONTROL_SHARE:
            raise UnreadableDocumentError("it is not text: it holds control bytes that text does not (binary data?)") from None
        if text is None:
            raise UnreadableDocumentError(
                f"it is not valid UTF-8 (bad byte at offset {error.start}): save it as UTF-8"
            ) from None
    return normal_line_breaks(text)


# Share of control bytes (other than tab, line breaks and form feed) above which bytes that are not UTF-8 are
# binary data rather than text in another encoding: random bytes hold about 11 %, a Latin-1 or Windows-1252
# text none. Valid UTF-8 is never judged by it (a log may colour its lines with escape codes).
BINARY_CONTROL_SHARE = 0.05
CONTROL_BYTES = frozenset(range(0x20)) - set(b"\t\n\r\x0b\x0c") | {0x7F}


def control_share(raw: bytes) -> float:
    return sum(byte in CONTROL_BYTES for byte in raw) / len(raw) if raw else 0.0


def normal_line_breaks(text: str) -> str:
    # Windows line endings would shift every offset after them; one newline per line break keeps
    # start/end meaningful for anyone who reads the text back through the API.
    return text.replace("\r\n", "\n").replace("\r", "\n")


def decode_chinese_legacy(raw: bytes) -> str | None:
    """Chinese text saved as GB18030/GBK, as many mainland editors still do, or as Big5 (Windows' code page
    950), as in Taiwan and Hong Kong; None if it is neither."""
    try:
        text = raw.decode("gb18030")
        if mostly_chinese(text) and common_character_share(text) >= GB_COMMON_SHARE:
            return text
    except UnicodeDecodeError:
        pass
    try:
        text = raw.decode("cp950")
    except UnicodeDecodeError:
        return None
    return text if mostly_chinese(text) else None


def mostly_chinese(text: str) -> bool:
    # gb18030 and Big5 give characters for many byte sequences, so demand that the result mostly reads as Chinese.
    cjk = sum("\u4e00" <= char <= "\u9fff" for char in text)
    return cjk >= 0.3 * len(text.strip()) > 0


# Share of the Chinese characters that GB2312 counts as common (its first level, lead bytes 0xB0-0xD7) below
# which a GB18030 reading is not Chinese text. The eight Chinese development documents read 0.996 to 1.0; a
# Big5 text read as GB18030 0.32 (it is then read as Big5); random bytes 0.18, read as 8,700 characters of
# nonsense until 2026-12-07 (a probe).
GB_COMMON_SHARE = 0.9


def common_character_share(text: str) -> float:
    chinese = [char for char in text if "\u4e00" <= char <= "\u9fff"]
    common = 0
    for char in chinese:
        try:
            common += 0xB0 <= char.encode("gb2312")[0] <= 0xD7
        except UnicodeEncodeError:
            pass
    return common / len(chinese) if chinese else 0.0
