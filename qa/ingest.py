"""Adding documents: files copied into the corpus under safe names, then an incremental build."""

from __future__ import annotations

import os
import re
import unicodedata
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from qa.build import BuildProgress, BuildReport, build_index
from qa.errors import QAError
from qa.formats import SUPPORTED_SUFFIXES
from qa.settings import Settings

UNSAFE = re.compile(r"[^\w.\- ]+")  # \w keeps letters of every script, so 报告.pdf stays 报告.pdf
MAX_NAME = 120


@dataclass(frozen=True)
class AddReport:
    added: list[str]  # names as stored in the corpus folder
    rejected: list[str] = field(default_factory=list)  # "NAME: reason"
    build: BuildReport | None = None


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
    if size == 0:
        return "it is empty"
    return None


def store_file(source: Path, corpus_dir: Path) -> str:
    """Copy into the corpus under a safe name, replacing a file of that name; the copy is atomic."""
    name = safe_name(source.name)
    target = (corpus_dir / name).resolve()
    if target.parent != corpus_dir.resolve():
        raise QAError(f"{source.name}: refused, it would be written outside {corpus_dir}/")
    staging = corpus_dir / f".upload-{uuid.uuid4().hex}"  # hidden: the corpus reader skips it
    try:
        staging.write_bytes(source.read_bytes())
        os.replace(staging, target)
    finally:
        staging.unlink(missing_ok=True)
    return name


def add_documents(
    files: list[Path],
    corpus_dir: Path,
    index_dir: Path,
    settings: Settings,
    progress: BuildProgress | None = None,
) -> AddReport:
    corpus_dir.mkdir(parents=True, exist_ok=True)
    added, rejected = [], []
    for path in map(Path, files):
        if not path.is_file():
            rejected.append(f"{path.name}: no such file")
        elif reason := check(path.name, path.stat().st_size, settings):
            rejected.append(f"{path.name}: {reason}")
        else:
            added.append(store_file(path, corpus_dir))
    if not added:
        raise QAError("nothing was added: " + "; ".join(rejected))
    return AddReport(added, rejected, build_index(corpus_dir, index_dir, settings, progress))
