"""The corpus: a folder of documents, each read by its format into text with its metadata beside it."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from qa.errors import QAError, UnreadableDocumentError
from qa.formats import SUPPORTED_SUFFIXES, ExtractedText, Reader, reader_for

METADATA_SUFFIX = ".meta.json"


@dataclass(frozen=True)
class Document:
    """One corpus file as text. `source` is its path relative to the corpus folder, with `/`."""

    source: str
    text: str
    sha256: str
    metadata: dict = field(default_factory=dict)
    page_starts: tuple[int, ...] = ()  # for paged formats (PDF): where page 1, 2, ... begins in `text`
    shown_title: str = ""  # the title the file shows (a PDF's largest type on its first page), or ""
    shown_date: str = ""  # the date the file shows it was issued (a web page's date line, ISO), or ""

    @property
    def title(self) -> str:
        """Its metadata's title, else the one the file shows, else "" (its first heading serves, qa/chunking.py)."""
        return str(self.metadata.get("title") or self.shown_title)

    @property
    def date(self) -> str:
        """Its metadata's date, else the one the file shows, else "" (its title or file name may date it,
        qa/editions.py)."""
        return str(self.metadata.get("date") or self.shown_date)


@dataclass(frozen=True)
class SkippedFile:
    source: str
    reason: str

    def __str__(self) -> str:
        return f"skipped {self.source}: {self.reason}"


@dataclass(frozen=True)
class Corpus:
    documents: list[Document]
    skipped: list[SkippedFile]


def visible_entries(corpus_dir: Path) -> Iterator[tuple[Path, str]]:
    """Every entry below the folder with its relative path (with `/`), hidden ones and those in hidden folders
    left out."""
    for path in corpus_dir.rglob("*"):
        relative = path.relative_to(corpus_dir)
        if not any(part.startswith(".") for part in relative.parts):
            yield path, relative.as_posix()


def corpus_files(corpus_dir: Path) -> list[Path]:
    """Every candidate file below the folder, in a stable order; hidden files and metadata excluded."""
    return sorted(
        path for path, _ in visible_entries(corpus_dir) if path.is_file() and not path.name.endswith(METADATA_SUFFIX)
    )


def not_a_file(path: Path) -> str:
    """Why a path that is no regular file cannot be read as a document."""
    if path.is_symlink() and not path.exists():
        return "it is a link to nothing"
    return "it is not a regular file" if path.exists() else "no such file"


def not_files(corpus_dir: Path) -> list[tuple[str, str]]:
    """What a corpus holds that is neither a folder nor a file (a link to nothing, a pipe), with why it is not
    read: a build names it rather than leaving it out without a word."""
    return sorted(
        (relative, not_a_file(path))
        for path, relative in visible_entries(corpus_dir)
        if not path.is_file() and not path.is_dir()
    )


def corpus_fingerprint(corpus_dir: Path) -> dict[str, list[int]]:
    """Size and modification time of every corpus file (its metadata files too), by relative path: what a
    build saw, so that start-up can tell whether files were added, changed or removed since."""
    if not corpus_dir.is_dir():
        return {}
    fingerprint = {}
    for path, relative in visible_entries(corpus_dir):
        if path.is_file():
            status = path.stat()
            fingerprint[shown_name(relative)] = [status.st_size, status.st_mtime_ns]
    return fingerprint


def valid_name(name: str) -> bool:
    """Whether a file name decoded from the file system is text: a byte that is not UTF-8 decodes to a lone
    surrogate, which no index, JSON file or terminal can write."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def shown_name(name: str) -> str:
    """A file name as it can be printed: bytes that are not UTF-8 as `\\xe9`."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def read_metadata(path: Path) -> dict:
    """The optional `NAME.meta.json` beside a document (title, publisher, date, url...)."""
    sidecar = path.with_name(path.name + METADATA_SUFFIX)
    if not sidecar.exists():
        return {}
    try:
        metadata = json.loads(sidecar.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise UnreadableDocumentError(f"its metadata file {sidecar.name} is not valid JSON ({error})") from None
    if not isinstance(metadata, dict):
        raise UnreadableDocumentError(f"its metadata file {sidecar.name} must hold a JSON object")
    return metadata


def load_document(path: Path, source: str) -> Document:
    """Read one file; raises UnreadableDocumentError with the reason when it cannot be read."""
    reader = reader_for(path.suffix)
    if reader is None:
        raise UnreadableDocumentError(
            f"the format {path.suffix or '(no suffix)'} is not supported (use {', '.join(SUPPORTED_SUFFIXES)})"
        )
    raw = path.read_bytes()
    if not raw:
        raise UnreadableDocumentError("it is empty")
    extracted = read_safely(reader, raw, path.suffix.lower())
    if not extracted.text.strip():
        raise UnreadableDocumentError("it holds no text")
    return Document(
        source=source,
        text=extracted.text,
        sha256=hashlib.sha256(raw).hexdigest(),
        metadata=read_metadata(path),
        page_starts=extracted.page_starts,
        shown_title=extracted.title,
        shown_date=extracted.date,
    )


def read_safely(reader: Reader, raw: bytes, suffix: str) -> ExtractedText:
    """Run a format's reader; whatever a damaged file makes the underlying library raise becomes an
    UnreadableDocumentError with the reason, so one bad file never stops a build."""
    try:
        return reader(raw)
    except UnreadableDocumentError:
        raise
    except (MemoryError, RecursionError) as error:
        raise UnreadableDocumentError(f"it is damaged or too complex to read as {suffix} ({type(error).__name__})") from None
    except Exception as error:  # noqa: BLE001 - third-party parsers raise anything on damaged input
        detail = str(error).strip().splitlines()[0][:200] if str(error).strip() else type(error).__name__
        raise UnreadableDocumentError(f"it is not a readable {suffix} file ({detail})") from None


def check_corpus_dir(corpus_dir: Path, create: bool = False) -> None:
    """Raise QAError unless `corpus_dir` is a folder (made first, with `create`), before anything is written."""
    if corpus_dir.exists() and not corpus_dir.is_dir():
        raise QAError(f"corpus folder {corpus_dir} is a file: name the folder that holds the documents")
    if create:
        try:
            corpus_dir.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise QAError(f"corpus folder {corpus_dir} cannot be made ({error.strerror or error})") from None
    if not corpus_dir.is_dir():
        raise QAError(f"corpus folder {corpus_dir} does not exist: create it and put documents in it")


def load_corpus(corpus_dir: Path | str) -> Corpus:
    """Read every document under the folder; files that cannot be read are listed, not fatal."""
    corpus_dir = Path(corpus_dir)
    check_corpus_dir(corpus_dir)
    documents, skipped = [], [SkippedFile(shown_name(source), reason) for source, reason in not_files(corpus_dir)]
    for path in corpus_files(corpus_dir):
        source = path.relative_to(corpus_dir).as_posix()
        if not valid_name(source):  # as unzip or a Windows share leaves a Latin-1 "café.txt"
            skipped.append(SkippedFile(shown_name(source), "its name is not valid UTF-8: rename it"))
            continue
        try:
            documents.append(load_document(path, source))
        except UnreadableDocumentError as error:
            skipped.append(SkippedFile(source, str(error)))
        except OSError as error:
            skipped.append(SkippedFile(source, f"it could not be read ({error.strerror or error})"))
    return Corpus(documents, skipped)
