"""Document formats: each module reads one kind of file into plain text; `reader_for` picks one by suffix.

A reader takes the file's bytes and returns its text (headings as Markdown `#` lines, so the chunker sees
them) and, for paged formats, where each page starts in that text. Offsets of passages and citations
index this text, the same one `qa.load_corpus()` returns.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class ExtractedText:
    text: str
    page_starts: tuple[int, ...] = field(default=())  # offset where page 1, 2, ... begins; empty if not paged
    title: str = ""  # what the file shows as its title where its text may not open with it (a PDF's largest type)
    date: str = ""  # the date the file shows it was issued, where its text may not hold it (a web page's date line)


Reader = Callable[[bytes], ExtractedText]


def readers() -> dict[str, Reader]:
    # Imported here so that a missing optional library only affects its own format.
    from qa.formats import docx, html, markdown, pdf, text

    return {
        ".txt": text.read,
        ".md": markdown.read,
        ".markdown": markdown.read,
        ".html": html.read,
        ".htm": html.read,
        ".pdf": pdf.read,
        ".docx": docx.read,
    }


SUPPORTED_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".pdf", ".docx")


def reader_for(suffix: str) -> Reader | None:
    """The reader for a file suffix (".pdf"), or None when the format is not supported."""
    return readers().get(suffix.lower())
