"""Document formats: each module reads one kind of file into plain text; `reader_for` picks one by suffix."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from qa.formats import text

Reader = Callable[[bytes], str]  # a file's bytes -> its text

READERS: dict[str, Reader] = {
    ".txt": text.read,
    ".md": text.read,
}


def reader_for(path: Path) -> Reader | None:
    """The reader for this file's suffix, or None when the format is not supported."""
    return READERS.get(path.suffix.lower())
