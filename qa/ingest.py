"""Adding documents: files copied into the corpus under safe names, then an incremental build."""

from __future__ import annotations

import itertools
import os
import re
import unicodedata
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from qa.build import BuildProgress, BuildReport, build_index
from qa.corpus import METADATA_SUFFIX, check_corpus_dir, corpus_files, load_document, not_a_file
from qa.errors import QAError, UnreadableDocumentError
from qa.formats import SUPPORTED_SUFFIXES
from qa.settings import Settings
from qa.store import build_lock

UNSAFE = re.compile(r"[^\w.\- ]+")  # \w keeps letters of every script, so 报告.pdf stays 报告.pdf
MAX_NAME = 120
NOTHING_ADDED = "nothing was added: "


@dataclass(frozen=True)
class AddReport:
    added: list[str]  # names as stored in the corpus folder
    rejected: list[str] = field(default_factory=list)  # "NAME: reason"
    build: BuildReport | None = None
    notes: list[str] = field(default_factory=list)  # e.g. stored under another name, or already present
    already: list[str] = field(default_factory=list)  # names among `added` whose content the corpus already held

    @property
    def stored(self) -> list[str]:
        """The names among `added` that this call wrote into the corpus."""
        return [name for name in self.added if name not in self.already]


def safe_name(name: str) -> str:
    """A plain file name that stays inside the corpus folder: no folders, no leading dots, no odd characters."""
    base = re.split(r"[\\/]", unicodedata.normalize("NFC", name))[-1]
    dot = base.rfind(".")  # not os.path.splitext, which reads "....pdf" as a hidden file without suffix
    stem, suffix = (base[:dot], base[dot:]) if dot >= 0 else (base, "")
    stem = UNSAFE.sub("_", stem).strip(" ._")[: MAX_NAME - len(suffix)]
    return f"{stem or 'document'}{suffix.lower()}"


def check(name: str, size: int, settings: Settings) -> str | None:
    """Why a file cannot be added, or None."""
    suffix = os.path.splitext(name)[1].lower()
    if suffix not in SUPPORTED_SUFFIXES:
        return f"the type {suffix or '(none)'} is not supported (use {', '.join(SUPPORTED_SUFFIXES)})"
    if size > settings.upload_max_mb * 1024 * 1024:
        return f"it is larger than {settings.upload_max_mb} MB (QA_UPLOAD_MAX_MB)"
    return None  # an empty file is told by its reader (qa/corpus.py load_document), as in a build


def unreadable_reason(path: Path) -> str | None:
    """Why the format's reader cannot turn this file into text, or None: checked before the file is kept."""
    try:
        load_document(path, path.name)
    except UnreadableDocumentError as error:
        return str(error)
    except OSError as error:
        return f"it could not be read ({error.strerror or error})"
    return None


def name_variants(name: str) -> Iterator[str]:
    """`name`, then `name-2`, `name-3`...: where a file of that name goes when the name is taken."""
    dot = name.rfind(".")
    stem, suffix = (name[:dot], name[dot:]) if dot > 0 else (name, "")
    yield name
    for number in itertools.count(2):
        yield f"{stem}-{number}{suffix}"


def store_file(source: Path, corpus_dir: Path, replace: bool = False) -> tuple[str, str | None, bool]:
    """Copy into the corpus under a safe name, atomically. A corpus file is never overwritten unless `replace`:
    the same content already stored (under the name or a variant of it, or under any other name) makes this a
    no-op, other content is kept beside it under the first free variant of the name. The file's `NAME.meta.json`, where one is beside
    it, is stored with it. Returns (name stored as, a note or None, whether the corpus already held it)."""
    wanted = safe_name(source.name)
    content = source.read_bytes()
    name, note = wanted, None
    # Names are compared without case: "report.PDF" dropped in by hand is the file that "report.pdf" names
    # (or one of them, where "Notes.txt" and "notes.txt" both are: the one of this very name first).
    present: dict[str, list[str]] = {}
    for entry in sorted(corpus_dir.iterdir(), key=lambda entry: entry.name != wanted):
        present.setdefault(entry.name.lower(), []).append(entry.name)
    if replace:
        name = present.get(wanted.lower(), [wanted])[0]
    else:
        for name in name_variants(wanted):
            if name.lower() not in present:
                break
            for existing in (corpus_dir / taken for taken in present[name.lower()]):
                if existing.is_file() and existing.read_bytes() == content:
                    note = f"{existing.name} is already in the corpus with the same content"
                    if store_metadata(source, corpus_dir, existing.name):  # a corrected title is not lost
                        note += f"; its {METADATA_SUFFIX} file was updated"
                    return existing.name, note, True
        if held := same_content_elsewhere(content, corpus_dir):
            # a copy under another name would only answer twice, from two names (a new-user probe's copy filled
            # two of the five passages a question read)
            return held, f"{source.name} has the same content as {held}, already in the corpus, so it was not stored again", True
        if name != wanted:
            note = f"{wanted} already exists with other content, so this one is stored as {name} (to replace it, use `qa add --replace`)"
    write_into(corpus_dir, name, content, source.name)
    store_metadata(source, corpus_dir, name)
    return name, note, False


def same_content_elsewhere(content: bytes, corpus_dir: Path) -> str | None:
    """The corpus document (its path under the corpus folder) whose bytes are `content`, if any."""
    for path in corpus_files(corpus_dir):
        if path.stat().st_size == len(content) and path.read_bytes() == content:
            return path.relative_to(corpus_dir).as_posix()
    return None


def store_metadata(source: Path, corpus_dir: Path, name: str) -> bool:
    """Store the `NAME.meta.json` beside the source (its title, publisher, date...) under the name the document
    is stored as, unless the corpus holds the same; whether it was written."""
    metadata = source.with_name(source.name + METADATA_SUFFIX)
    if not metadata.is_file():
        return False
    content, stored = metadata.read_bytes(), corpus_dir / (name + METADATA_SUFFIX)
    if stored.is_file() and stored.read_bytes() == content:
        return False
    write_into(corpus_dir, name + METADATA_SUFFIX, content, metadata.name)
    return True


def write_into(corpus_dir: Path, name: str, content: bytes, given: str) -> None:
    """Write a file of the corpus atomically: a build never reads half of it."""
    target = (corpus_dir / name).resolve()
    if target.parent != corpus_dir.resolve():
        raise QAError(f"{given}: refused, it would be written outside {corpus_dir}/")
    if target.is_dir():
        raise QAError(f"{given}: refused, {name} is a folder in {corpus_dir}/")
    staging = corpus_dir / f".upload-{uuid.uuid4().hex}"  # hidden: the corpus reader skips it
    try:
        staging.write_bytes(content)
        os.replace(staging, target)
    finally:
        staging.unlink(missing_ok=True)


def given_files(paths: Iterable[Path]) -> Iterator[Path]:
    """The files named, a folder standing for the documents below it (hidden ones left out, as a build does);
    a folder with none is yielded itself, so that it is reported."""
    for path in paths:
        inside = corpus_files(path) if path.is_dir() else []
        yield from inside or [path]


def add_documents(
    files: list[Path],
    corpus_dir: Path,
    index_dir: Path,
    settings: Settings,
    progress: BuildProgress | None = None,
    replace: bool = False,
) -> AddReport:
    """Check each file (type, size, and that its reader can read it), store the good ones, then update the
    index. The build lock is held from before the first file is stored until the build is live, so a build
    running elsewhere can never go live without these files after this call has reported them added."""
    check_corpus_dir(corpus_dir, create=True)
    added, rejected, notes, already = [], [], [], []
    with build_lock(index_dir, settings.build_wait_seconds):
        for path in given_files(map(Path, files)):
            if path.is_dir():
                rejected.append(f"{path.name}: the folder holds no documents")
            elif not path.is_file():
                rejected.append(f"{path.name}: {not_a_file(path)}")
            elif reason := check(path.name, path.stat().st_size, settings) or unreadable_reason(path):
                rejected.append(f"{path.name}: {reason}")
            else:
                try:
                    name, note, held = store_file(path, corpus_dir, replace)
                except QAError as error:
                    rejected.append(str(error))
                    continue
                if name in added:  # the same file given twice (by itself and in its folder): once is enough
                    continue
                added.append(name)
                notes += [note] if note else []
                already += [name] if held else []
        if not added:
            raise QAError(NOTHING_ADDED + "; ".join(rejected))
        try:
            build = build_index(corpus_dir, index_dir, settings, progress)
        except QAError as error:  # the files stay stored: the next build that can be written indexes them
            stored = ", ".join(added)
            raise QAError(f"{stored} stored in {corpus_dir}/, but the index was not updated: {error}") from None
        return AddReport(added, rejected, build, notes, already)
