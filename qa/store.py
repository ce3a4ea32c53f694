"""The index on disk: one folder per build (vectors, chunks, manifest) and a CURRENT file naming the live one.

Each vector set holds a row per chunk and a row per clause of the chunks that have several (`clause_rows`
says which chunk each clause row belongs to), kept by the engine the build names (`qa/vector_stores/`): FAISS
files in the build folder, or Milvus collections named after the build.

Why folders and a pointer: a build writes a complete new folder first and only then replaces CURRENT
with one atomic rename, so a crash or an error at any moment leaves the previous build serving.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import bm25s
import numpy as np
from filelock import FileLock, Timeout

from qa.bm25 import bm25_files, load_bm25, save_bm25
from qa.chunking import Chunk
from qa.errors import ELSEWHERE, IndexMissingError, QAError
from qa.sentences import has_cjk
from qa.vector_stores import EXACT, VectorSet, publish_vector_sets, read_vector_set, remove_vector_sets, write_vector_set

FORMAT_VERSION = 33  # 4: chunks carry their document's title, embedded with them; 5: the manifest names the runtime;
# 6: MiniLM's int8 graph multiplies in int8 (exported here), no longer int8 weights multiplied in float;
# 7: vectors as memory-mapped .npy matrices, with an HNSW graph past a size; 8: sentences and clauses read across
# the line breaks of wrapped text (a chunk's clauses, and so its clause vectors, change); 9: a PDF's paragraphs
# read from its layout, and its words hyphenated at a line's end whole (its text and chunks change); 10: a
# numbered paragraph's wrapped first line no heading, word-led headings ("Chapter 1", "Article 2") nested, a PDF's
# control characters dropped (chunks and sections change), and hyphenated words also as their parts (BM25 terms);
# 11: a PDF's indented first lines told from its left margin, and a part's heading right over its first
# sub-part's no list (paragraphs and sections change); 12: an HTML page's headings that trafilatura left out put
# back, a short line no heading where a document marks its headings with `#`, a caption kept with its table, and
# 那么 a stopword (text, sections and BM25 terms change); 13: a table's row one sentence, a grid table's row over
# its lines (sentences change); 14: no clause cut at a comma that groups a number's digits (clauses change);
# 15: a table's row one clause, embedded as its caption and cells named by its header (clause vectors change);
# 16: a Word list item's bullet or number written before it (a .docx's text changes); 17: a PDF's table cells
# drawn side by side written as `| a | b |` rows (a PDF's text changes); 18: a paragraph that asks one chunk with the
# paragraph after it, its answer (chunks change); 19: an article opened at the start of a paragraph ("第九条　……",
# "Article 5. …") the section of its paragraphs (sections change); 20: traditional Chinese read as simplified for
# words (BM25 terms change); 21: a list of works cited no chunks, a capitalised word alone on a paragraph's
# first line its heading, and a PDF's typeset hyphen at a line's end read as one (chunks, sections and text change);
# 22: a caption's label ("Table 1.") one sentence with its caption (sentences and clauses change).
# 23: a PDF titled by its first page's largest type (what its chunks are embedded with changes).
# 24: an email's quoted mails paragraphs of their own (chunks change).
# 25: an HTML table's <caption> a line above its rows, not a row of its own (text changes).
# 26: a line that is only a date no heading, and one block with the paragraph after it (chunks and sections change);
# 主要, 具体, 一下, 介绍, 概括, 总结, 简要, 内容, 规定, 包括 and 要求 stopwords, the asking and not the asked-about
# (BM25 terms change); a document's first line a heading (its title) up to TITLE_MAX_TOKENS;
# a Word list's items one to a line, as Markdown writes them (a .docx's text and chunks change).
# 27: a line that opens with a date (with its byline) or is a Chinese document's number no heading; a title
# over its dateline a heading; a sender over the closing date text (chunks and sections change).
# 28: a table up to TABLE_MAX_TOKENS one chunk, each row read under its header (chunks change).
# 29: a table's rows one paragraph, and never headings, in a text without blank lines (a PDF's); a .docx's
# headings a level under its Title style (chunks and sections change).
# 30: a table of contents (entries with leader dots and page numbers) no chunk.
# 31: a Markdown image no text; an indented Chinese article ("　　第九条　…") opens its article; a caption's line
# no heading; a short line over the numbered sections their sibling; labelled lines ("Date: …⏎Chair: …") one
# sentence each (text, chunks, sections and sentences change).
# 32: a web page's title and date shown above its article (outside it) are its document's title and date; a
# labelled line's label may hold a decimal point ("PM2.5 monthly mean: …"; sentences change).
# 33: a PDF's line pitch is its most common line drop; a bullet drawn beside its item and a contents entry whose
# leaders are drawn apart are lines of text, not table rows (text and chunks change).
# Bump it for any change to what a build derives from
# unchanged files (text, chunks, terms): a build whose files and chunks are unchanged writes nothing.
CURRENT = "CURRENT"
MANIFEST = "manifest.json"
CHUNKS = "chunks.jsonl"
BM25 = "bm25"
log = logging.getLogger("qa")
CLAUSE_ROWS = "clause-rows.npy"
LOCK = ".build.lock"
BUILD_ID = re.compile(r"build-\d{8}T\d{6}-[0-9a-f]{8}")
BUILDS_KEPT = 2  # the live build and the one before it, which a reader may still be opening
LOAD_ATTEMPTS = 5  # a reader whose build was removed under it (builds faster than it reads) reads the new one


@dataclass
class StoredIndex:
    """A loaded build: its manifest, its chunks in row order, a vector set per model ("dense", and
    "multilingual" when one is configured), and BM25 over the same rows."""

    build_id: str
    manifest: dict
    chunks: list[Chunk]
    vector_sets: dict[str, VectorSet]
    clause_rows: np.ndarray  # the chunk row of each clause row
    clause_offsets: np.ndarray  # chunk r's clauses are clause rows clause_offsets[r]:clause_offsets[r + 1]
    bm25: bm25s.BM25
    cjk_rows: np.ndarray  # True where a chunk holds Chinese (or Japanese) characters
    rows_by_id: dict[str, int]  # chunk_id -> row
    cache: dict = field(default_factory=dict)  # what the search derives once per build

    def document_rows(self) -> dict[str, np.ndarray]:
        """Each document's chunk rows, in reading order; read once per build (editions, translations and the
        words of a document each look a document's rows up)."""
        if "document rows" not in self.cache:
            rows: dict[str, list[int]] = {}
            for row, chunk in enumerate(self.chunks):
                rows.setdefault(chunk.source, []).append(row)
            self.cache["document rows"] = {source: np.array(found, dtype=np.int64) for source, found in rows.items()}
        return self.cache["document rows"]

    def first_chunk(self, source: str) -> Chunk | None:
        """The document's first chunk, where a report names what it is and the country or body it is about."""
        rows = self.document_rows().get(source)
        return self.chunks[int(rows[0])] if rows is not None and len(rows) else None

    def written_text(self) -> str:
        """What the build writes: its chunks' text, their headings and their documents' titles, read once per
        build (a question's identifiers and names are looked up in it)."""
        if "written text" not in self.cache:
            self.cache["written text"] = "\n".join(f"{chunk.title}\n{chunk.section}\n{chunk.text}" for chunk in self.chunks)
        return self.cache["written text"]

    def heading_path(self, chunk_id: str, section: str = "") -> str:
        """The chunk's heading path led by its document's title (`Chunk.heading_path`); `section` for a
        chunk this build does not hold."""
        row = self.rows_by_id.get(chunk_id)
        return section if row is None else self.chunks[row].heading_path

    def close(self) -> None:
        """Release what the vector sets hold open (a Milvus connection); FAISS's need nothing."""
        for vectors in self.vector_sets.values():
            vectors.close()


@dataclass
class Vectors:
    """What a build embedded in one vector set: a row per chunk and a row per clause."""

    chunks: np.ndarray
    clauses: np.ndarray


def fsync_path(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def check_index_dir(index_dir: Path) -> None:
    """An index path that exists must be a folder; anything else is the user's file, never touched."""
    if index_dir.exists() and not index_dir.is_dir():
        raise QAError(
            f"{index_dir} is a file, not an index folder: move it away, or set QA_INDEX_DIR (--index) to a folder"
        )


def current_stamp(index_dir: Path) -> tuple[int, int, int] | None:
    """CURRENT's file as it stands (inode, size, modification time), None when it cannot be seen. A build
    replaces the file, so an unchanged stamp means the same live build, known from one stat instead of a read."""
    try:
        stat = (Path(index_dir) / CURRENT).stat()
    except (OSError, ValueError):
        return None
    return stat.st_ino, stat.st_size, stat.st_mtime_ns


def current_build_id(index_dir: Path) -> str | None:
    """The name of the live build folder, or None when no index has been built. A CURRENT file that does
    not name a build (damaged, edited, binary) raises QAError; `qa build` replaces it."""
    check_index_dir(index_dir)
    try:
        raw = (index_dir / CURRENT).read_bytes()
    except FileNotFoundError:
        return None
    except OSError as error:
        raise QAError(f"{index_dir / CURRENT} cannot be read ({error.strerror}): run `qa build` to rebuild the index" + ELSEWHERE) from None
    build_id = raw.decode("ascii", errors="replace").strip()
    if not BUILD_ID.fullmatch(build_id):
        raise QAError(f"{index_dir / CURRENT} is damaged (it names no build): run `qa build` to rebuild the index" + ELSEWHERE)
    return build_id


def new_build_id() -> str:
    return "build-" + datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:8]


@contextmanager
def build_lock(index_dir: Path, wait_seconds: float) -> Iterator[None]:
    """Builds of one index folder, in any process, one at a time. The operating system drops the lock of a
    process that dies, so a killed build never blocks the next. The wait is announced on the `qa` logger."""
    check_index_dir(index_dir)
    try:
        index_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise QAError(f"index folder {index_dir} cannot be made ({error.strerror or error})") from None
    lock = FileLock(index_dir / LOCK, is_singleton=True)  # one object per path: re-entrant in a process
    try:
        lock.acquire(timeout=0)
    except Timeout:  # before OSError, whose kind (TimeoutError) it is
        log.warning("waiting for another build of %s/ to finish…", index_dir)
        try:
            lock.acquire(timeout=wait_seconds)
        except Timeout:
            raise QAError(
                f"another build of {index_dir}/ has been running for over {wait_seconds:.0f} s "
                f"(QA_BUILD_WAIT_SECONDS): try again when it ends"
            ) from None
    except OSError as error:  # a folder this user may not write in (read-only, another owner's)
        raise QAError(f"index folder {index_dir} cannot be written ({error.strerror or error})") from None
    try:
        yield
    finally:
        lock.release()


def write_build(
    build_dir: Path,
    manifest: dict,
    chunks: list[Chunk],
    vector_sets: dict[str, Vectors],
    clause_rows: np.ndarray,
    bm25: bm25s.BM25,
) -> None:
    build_dir.mkdir(parents=True)
    # The manifest first: a staging folder left by a killed build then says which vectors to clean up.
    (build_dir / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    written = []
    for name, vectors in vector_sets.items():
        written += write_vector_set(manifest["vector_store"], build_dir, name, vectors.chunks, vectors.clauses, manifest)
    np.save(build_dir / CLAUSE_ROWS, clause_rows.astype(np.int64))
    written.append(build_dir / CLAUSE_ROWS)
    save_bm25(bm25, build_dir / BM25)
    written += bm25_files(build_dir / BM25) + [build_dir / BM25]
    with open(build_dir / CHUNKS, "w", encoding="utf-8") as handle:
        for chunk in chunks:
            handle.write(json.dumps(chunk.to_dict(), ensure_ascii=False) + "\n")
    for path in [*written, build_dir / CHUNKS, build_dir / MANIFEST, build_dir]:
        fsync_path(path)


def save_index(
    index_dir: Path,
    manifest: dict,
    chunks: list[Chunk],
    vector_sets: dict[str, Vectors],
    clause_rows: np.ndarray,
    bm25: bm25s.BM25,
) -> str:
    """Write a new build and make it live atomically; returns its id. `manifest` may name the engine
    (`vector_store`, default faiss) and the kind of vector index (`vector_index`, default exact)."""
    for name, vectors in vector_sets.items():
        if len(vectors.chunks) != len(chunks) or len(vectors.clauses) != len(clause_rows):
            raise ValueError(f"{len(chunks)} chunks and {len(clause_rows)} clauses but other counts of {name} vectors")
    index_dir.mkdir(parents=True, exist_ok=True)
    build_id = new_build_id()
    staging = index_dir / f".staging-{build_id}"
    try:
        manifest = {
            "vector_store": "faiss",
            "vector_index": EXACT,
            **manifest,
            "format_version": FORMAT_VERSION,
            "build_id": build_id,
            "vector_sets": list(vector_sets),
        }
        write_build(staging, manifest, chunks, vector_sets, clause_rows, bm25)
        os.rename(staging, index_dir / build_id)
        fsync_path(index_dir)
        pointer = index_dir / f".{CURRENT}.{build_id}"
        pointer.write_text(build_id + "\n", encoding="utf-8")
        fsync_path(pointer)
        os.replace(pointer, index_dir / CURRENT)
        fsync_path(index_dir)
    except BaseException:
        if staging.exists():  # the build failed before going live: what it wrote outside goes too
            remove_vector_sets(build_id, manifest)
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    publish_vector_sets(manifest)
    remove_old_builds(index_dir, keep=build_id)
    return build_id


def remove_old_builds(index_dir: Path, keep: str) -> None:
    """Delete all but the newest builds, and leftovers of builds that were interrupted."""
    builds = sorted((p for p in index_dir.glob("build-*") if p.is_dir()), key=lambda p: p.name)
    for old in [*[p for p in builds if p.name != keep][: max(0, len(builds) - BUILDS_KEPT)], *index_dir.glob(".staging-*")]:
        try:
            remove_vector_sets(old.name.removeprefix(".staging-"), json.loads((old / MANIFEST).read_text(encoding="utf-8")))
        except (OSError, ValueError, QAError):
            pass  # no manifest (a build killed before writing one wrote nothing outside), or Milvus unreachable
        shutil.rmtree(old, ignore_errors=True)
    for leftover in index_dir.glob(f".{CURRENT}.*"):
        leftover.unlink(missing_ok=True)


def read_manifest(index_dir: Path) -> dict | None:
    """The live build's manifest; None when there is none or it cannot be read (a build repairs that)."""
    try:
        build_id = current_build_id(index_dir)
    except QAError:
        return None
    if build_id is None:
        return None
    try:
        return json.loads((index_dir / build_id / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return None


def load_index(index_dir: Path) -> StoredIndex:
    """The live build; IndexMissingError when there is none, QAError when it is damaged."""
    for _ in range(LOAD_ATTEMPTS):
        build_id = current_build_id(index_dir)
        try:
            return load_build(index_dir, build_id)
        except QAError:
            # Two newer builds went live while this one was read, and the second removed it: read the live one.
            if current_build_id(index_dir) == build_id:
                raise
    return load_build(index_dir, current_build_id(index_dir))


def load_build(index_dir: Path, build_id: str | None) -> StoredIndex:
    if build_id is None:
        raise IndexMissingError(f"no index in {index_dir}/: run `qa build` to build it from the corpus" + ELSEWHERE)
    build_dir = index_dir / build_id
    try:
        manifest = json.loads((build_dir / MANIFEST).read_text(encoding="utf-8"))
        if manifest.get("format_version") != FORMAT_VERSION:
            raise QAError(f"the index in {index_dir}/ is from another version of this program: run `qa build` to rebuild it" + ELSEWHERE)
        with open(build_dir / CHUNKS, encoding="utf-8") as handle:
            chunks = [Chunk(**json.loads(line)) for line in handle]
        vector_sets = {name: read_vector_set(build_dir, name, manifest) for name in manifest["vector_sets"]}
        clause_rows = np.load(build_dir / CLAUSE_ROWS)
        bm25 = load_bm25(build_dir / BM25)
    except (OSError, RuntimeError, ValueError, TypeError, KeyError) as error:
        raise QAError(f"the index in {index_dir}/ is damaged ({error}): run `qa build` to rebuild it" + ELSEWHERE) from error
    if (
        any(len(vectors.chunks) != len(chunks) for vectors in vector_sets.values())
        or any(len(vectors.clauses) != len(clause_rows) for vectors in vector_sets.values())
        or (len(clause_rows) and not 0 <= clause_rows.min() <= clause_rows.max() < len(chunks))
        or bool((np.diff(clause_rows) < 0).any())  # clause_offsets assumes them in chunk order
    ):
        raise QAError(f"the index in {index_dir}/ is incomplete: run `qa build` to rebuild it" + ELSEWHERE)
    cjk_rows = np.array([has_cjk(chunk.text) for chunk in chunks], dtype=bool)
    clause_offsets = np.searchsorted(clause_rows, np.arange(len(chunks) + 1))
    rows_by_id = {chunk.chunk_id: row for row, chunk in enumerate(chunks)}
    return StoredIndex(
        build_id, manifest, chunks, vector_sets, clause_rows, clause_offsets, bm25, cjk_rows, rows_by_id
    )
