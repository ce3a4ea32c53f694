"""Building the index: corpus → chunks → vectors → a new build on disk, made live atomically.

When a build may reuse the previous one, written down once (`full_rebuild_reason`): always, unless asked
for a full rebuild, or there is no readable previous build, or it was made by another index format, with
another model, or with other chunk settings. Reuse means: every chunk is cut again (cheap), and only
chunks whose embedded text is new are embedded, with their clauses; the others take their vectors and their
clauses' vectors from the previous build.
Chunks of deleted or changed files simply do not appear in the new build. A build that would make the live
one again (`up_to_date`) writes nothing and says so.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from qa.bm25 import build_bm25
from qa.chunking import Chunk, chunk_document
from qa.corpus import Corpus, SkippedFile, check_corpus_dir, corpus_files, corpus_fingerprint, load_corpus
from qa.embedders import embedder_for, identity, made_otherwise
from qa.errors import QAError
from qa.settings import Settings
from qa.store import FORMAT_VERSION, StoredIndex, Vectors, build_lock, load_index, read_manifest, save_index
from qa.vector_stores import index_kind, is_milvus_lite

BuildProgress = Callable[[int, int], None]  # (chunks embedded so far in every vector set, new chunks in all)
SHOWN_FILES = 5  # files named in a build's summary for each kind of change; the report holds them all


@dataclass(frozen=True)
class BuildReport:
    """What a build did. `seconds` is the whole build, model loading included. `added`, `removed` and
    `unchanged` count chunks against the previous build; `embedded` is how many chunks were embedded (each
    with its clauses)."""

    documents: int
    chunks: int
    seconds: float
    skipped: list[SkippedFile] = field(default_factory=list)
    model: str = ""
    build_id: str = ""
    added: int = 0
    removed: int = 0
    unchanged: int = 0
    embedded: int = 0
    full_rebuild_reason: str | None = None
    files_added: list[str] = field(default_factory=list)  # against the previous build (if any): files new to it,
    files_changed: list[str] = field(default_factory=list)  # files whose content changed,
    files_removed: list[str] = field(default_factory=list)  # and files it held that this one does not
    vector_store: str = ""
    vector_index: str = ""
    vector_index_reason: str = ""
    up_to_date: bool = False  # nothing changed since the live build, which stays as it is

    def summary(self) -> str:
        skipped = f", {len(self.skipped)} file(s) skipped" if self.skipped else ""
        if self.up_to_date:
            return (
                f"the index is up to date: {self.documents} document(s) as {self.chunks} chunks{skipped}, "
                "no file or setting changed since it was built (qa build --full embeds everything again)"
            )
        how = f"full build: {self.full_rebuild_reason}" if self.full_rebuild_reason else "incremental"
        return (
            f"indexed {self.documents} document(s) as {self.chunks} chunks in {self.seconds:.1f} s "
            f"({how}; {self.added} added, {self.removed} removed, {self.unchanged} unchanged, "
            f"{self.embedded} embedded) with {self.model}{skipped}; "
            f"{self.vector_store} {self.vector_index} vector search ({self.vector_index_reason})"
            + self.files_line()
        )

    def files_line(self) -> str:
        """The files that changed since the previous build, by name ("" when none did)."""
        def named(names: list[str]) -> str:
            more = len(names) - SHOWN_FILES
            return ", ".join(names[:SHOWN_FILES]) + (f" and {more} more" if more > 0 else "")

        kinds = (("new", self.files_added), ("changed", self.files_changed), ("removed", self.files_removed))
        parts = [f"{what}: {named(names)}" for what, names in kinds if names]
        return f"; files {'; '.join(parts)}" if parts else ""


def changed_files(earlier: dict | None, documents: list) -> dict[str, list[str]]:
    """The files new, changed and gone since the build whose manifest is `earlier` (for a first build, every
    file is new)."""
    if not earlier:
        return {"files_added": sorted(document.source for document in documents)}
    # A file's content, or its NAME.meta.json (title, publisher...), which is embedded with its chunks.
    before = {source: (entry.get("sha256"), entry.get("metadata")) for source, entry in earlier.get("documents", {}).items()}
    now = {document.source: (document.sha256, document.metadata) for document in documents}
    return {
        "files_added": sorted(now.keys() - before.keys()),
        "files_changed": sorted(source for source in now.keys() & before.keys() if now[source] != before[source]),
        "files_removed": sorted(before.keys() - now.keys()),
    }


def embedding_models(settings: Settings) -> dict[str, str]:
    """Vector set name -> model name, as the settings ask."""
    models = {"dense": settings.embed_model}
    if settings.multilingual_model:
        models["multilingual"] = settings.multilingual_model
    return models


def milvus_uri(settings: Settings) -> str:
    """Where a Milvus build puts its vectors, as the manifest records it: "" for Milvus Lite in the build
    folder, a file path made absolute, or a server's address as given."""
    if settings.vector_store != "milvus" or not settings.milvus_uri:
        return ""
    return str(Path(settings.milvus_uri).expanduser().resolve()) if is_milvus_lite(settings.milvus_uri) else settings.milvus_uri


def previous_build(index_dir: Path) -> tuple[StoredIndex | None, str]:
    """The live build to reuse, or None and why not: none yet, unreadable, of another format, or held open
    by another process (Milvus Lite): in each case nothing to reuse."""
    try:
        return load_index(index_dir), ""
    except QAError as error:
        return None, str(error)


def full_rebuild_reason(
    previous: StoredIndex | None, settings: Settings, full: bool, index_dir: Path, unreadable: str = ""
) -> str | None:
    if full:
        return "asked for"
    if previous is None:  # load_index refuses a build of another format, so look at its manifest alone
        live = read_manifest(index_dir)
        if live is None:
            return "no previous index to reuse"
        if live.get("format_version") != FORMAT_VERSION:
            return "the index format changed"
        return f"the previous index could not be read: {unreadable}"
    manifest = previous.manifest
    for name, model in embedding_models(settings).items():
        if manifest.get("model" if name == "dense" else "multilingual_model") != model:
            return f"the {name} model changed to {model}"
        if why := made_otherwise(manifest, name, embedder_for(model, settings)):
            return f"the {name} vectors were {why}"
    if set(previous.vector_sets) != set(embedding_models(settings)):
        return "the vector sets changed"
    changed = [
        f"{setting} changed from {manifest.get(setting)} to {getattr(settings, setting)}"
        for setting in ("chunk_max_tokens", "chunk_overlap_sentences")
        if manifest.get(setting) != getattr(settings, setting)
    ]
    if changed:
        return " and ".join(changed)
    for name, model in embedding_models(settings).items():
        stored, wanted = previous.vector_sets[name].dimension, embedder_for(model, settings).dimension
        if stored != wanted:  # the search refuses such an index, so reusing its vectors would never repair it
            return f"the stored {name} vectors have {stored} dimensions, the model gives {wanted}"
    return None


def corpus_changes(corpus_dir: Path, index_dir: Path) -> str | None:
    """Why the live index may not reflect the corpus folder any more (files added, changed or removed since
    it was built, say by an upload whose build was killed), or None when it does."""
    manifest = read_manifest(index_dir)
    if manifest is None:
        return None
    seen, now = manifest.get("corpus_files"), corpus_fingerprint(corpus_dir)
    if seen is None:
        return "the index does not record which files it was built from"
    new = sorted(set(now) - set(seen))
    changed = sorted(name for name in set(now) & set(seen) if now[name] != seen[name])
    removed = sorted(set(seen) - set(now))
    if not (new or changed or removed):
        return None
    parts = [f"{len(names)} {what} ({', '.join(names[:3])}{', …' if len(names) > 3 else ''})"
             for what, names in (("new", new), ("changed", changed), ("removed", removed)) if names]
    return f"{corpus_dir}/ changed since the index was built: " + "; ".join(parts)


ChunkVectors = tuple[np.ndarray, np.ndarray]  # the chunk's vector, its clauses' vectors (one row each)


def reusable_vectors(previous: StoredIndex) -> dict[str, dict[str, ChunkVectors]]:
    """Vector set name -> {a chunk's embedded text: its vectors} of the previous build."""
    texts = [chunk.embed_text for chunk in previous.chunks]
    reusable = {}
    for name, vectors in previous.vector_sets.items():
        by_row = np.split(np.asarray(vectors.clauses), previous.clause_offsets[1:-1])
        reusable[name] = dict(zip(texts, zip(np.asarray(vectors.chunks), by_row)))
    return reusable


def reusable(known: dict[str, ChunkVectors], chunk: Chunk) -> bool:
    """Whether the previous build holds this chunk's vectors, one for each of its clauses as they are split now
    (a clause split that changed leaves the same text with other clauses)."""
    vectors = known.get(chunk.embed_text)
    return vectors is not None and len(vectors[1]) == len(chunk.clause_spans)


def embed_chunks(
    chunks: list[Chunk], model: str, settings: Settings, progress: Callable[[int], None], workers: int | None = None
) -> dict[str, ChunkVectors]:
    """{embedded text: its vectors} of each chunk: the vector of its embedded text and its clauses'. `workers`:
    how many texts the model may encode side by side (default: one per core)."""
    if not chunks:
        return {}  # nothing new: the model need not even be loaded
    texts = [chunk.embed_text for chunk in chunks]
    spans = []
    for text, chunk in zip(texts, chunks):
        offset = len(text) - len(chunk.text)  # the chunk's text ends its embedded text, after title and headings
        spans.append([(offset + start, offset + end) for start, end in chunk.clause_spans])
    embedder = embedder_for(model, settings)
    own, clauses = embedder.encode_with_spans(texts, spans, settings.embed_batch_size, progress, workers)
    # A clause read otherwise than it is written (a table's row, named by its header) is embedded alone.
    readings = [(n, k, reading) for n, chunk in enumerate(chunks) for k, reading in enumerate(chunk.clause_readings) if reading]
    if readings:
        read = embedder.encode_passages([reading for _, _, reading in readings], settings.embed_batch_size)
        for (n, k, _), vector in zip(readings, read):
            clauses[n][k] = vector
    return {text: (vector, group) for text, vector, group in zip(texts, own, clauses)}


def embed_vector_sets(
    chunks: list[Chunk], models: dict[str, str], settings: Settings, progress: Callable[[int], None]
) -> dict[str, dict[str, ChunkVectors]]:
    """`embed_chunks` for every vector set at once, one thread each, the cores shared out between them. The
    multilingual USE computes in numpy on one core, and ONNX Runtime runs without the GIL, so side by side
    they finish together: 2,170 chunks of Python's reference topics embedded in 12.0 s against 16.5 s one set
    after the other, and 14.1 s with MiniLM still running a text on each core (2 cores, measured in one run)."""
    lock = threading.Lock()

    def advance(count: int) -> None:
        with lock:
            progress(count)

    workers = max(1, (os.cpu_count() or 1) // len(models))
    with ThreadPoolExecutor(len(models), thread_name_prefix="embed") as pool:
        running = {
            name: pool.submit(embed_chunks, chunks, model, settings, advance, workers) for name, model in models.items()
        }
        return {name: future.result() for name, future in running.items()}


def build_index(
    corpus_dir: Path,
    index_dir: Path,
    settings: Settings,
    progress: BuildProgress | None = None,
    full: bool = False,
) -> BuildReport:
    """Read, chunk, embed and write a new build, holding the index folder's build lock throughout: the corpus
    is read after the lock is taken, so a build that waited sees every file added before it."""
    started = time.perf_counter()
    check_corpus_dir(Path(corpus_dir))  # before the lock makes the index folder
    if not corpus_files(Path(corpus_dir)):
        raise no_documents(corpus_dir, [], Path(index_dir))
    for model in embedding_models(settings).values():
        embedder_for(model, settings)  # seconds of loading, done before the lock is taken
    with build_lock(Path(index_dir), settings.build_wait_seconds):
        try:
            return build_locked(corpus_dir, Path(index_dir), settings, progress, full, started)
        except OSError as error:  # a full disk, a folder made read-only: the staging build is cleaned up, the live one stays
            raise QAError(
                f"the new build could not be written to {index_dir}/ ({error.strerror or error}); the previous "
                "build, if any, still serves"
            ) from None


def no_documents(corpus_dir: Path, skipped: list[SkippedFile], index_dir: Path) -> QAError:
    """The error of a build with nothing to index, each file skipped named with its reason, and what the live
    index still holds: a failed build leaves it serving, documents removed since included."""
    reasons = "".join(f"\n  {file}" for file in skipped)
    live = read_manifest(index_dir)
    kept = (
        f"\n{index_dir}/ still answers from the {live['counts']['documents']} document(s) of its last build; "
        f"delete {index_dir}/ to empty it"
        if live is not None
        else ""
    )
    return QAError(f"no readable documents in {corpus_dir}/: add .txt, .md, .html, .pdf or .docx files{reasons}{kept}")


def up_to_date(
    previous: StoredIndex, fingerprint: dict, corpus: Corpus, chunks: list[Chunk], settings: Settings, index_dir: Path
) -> bool:
    """Whether this build would make the live one again: the same files by size and modification time, the
    same chunks cut with the same clauses (this program's chunking may have changed since), and nothing that
    `full_rebuild_reason` or the vector store reads changed. Then nothing is embedded or written, and a running
    chat keeps its build (and what it derived from it) instead of reloading an identical one."""
    manifest = previous.manifest
    clause_counts = np.diff(previous.clause_offsets)
    return (
        manifest.get("corpus_files") == fingerprint
        and manifest.get("skipped") == [[file.source, file.reason] for file in corpus.skipped]
        and previous.chunks == chunks
        and all(len(chunk.clause_spans) == count for chunk, count in zip(chunks, clause_counts))
        and full_rebuild_reason(previous, settings, False, index_dir) is None
        and manifest.get("vector_store") == settings.vector_store
        and manifest.get("milvus_uri") == milvus_uri(settings)
        and [manifest.get("vector_index"), manifest.get("vector_index_reason")]
        == list(index_kind(len(chunks), settings.vector_index))
    )


def unchanged_report(previous: StoredIndex, corpus: Corpus, settings: Settings, started: float) -> BuildReport:
    manifest = previous.manifest
    return BuildReport(
        documents=len(corpus.documents),
        chunks=len(previous.chunks),
        seconds=time.perf_counter() - started,
        skipped=corpus.skipped,
        model=settings.embed_model,
        build_id=previous.build_id,
        unchanged=len(previous.chunks),
        vector_store=manifest["vector_store"],
        vector_index=manifest["vector_index"],
        vector_index_reason=manifest["vector_index_reason"],
        up_to_date=True,
    )


def build_locked(
    corpus_dir: Path, index_dir: Path, settings: Settings, progress: BuildProgress | None, full: bool, started: float
) -> BuildReport:
    fingerprint = corpus_fingerprint(corpus_dir)  # before reading: a file changed meanwhile shows as changed
    corpus = load_corpus(corpus_dir)
    if not corpus.documents:
        raise no_documents(corpus_dir, corpus.skipped, index_dir)
    chunks: list[Chunk] = [
        chunk
        for document in corpus.documents
        for chunk in chunk_document(
            document.source,
            document.text,
            settings.chunk_max_tokens,
            settings.chunk_overlap_sentences,
            document.page_starts,
            document.title,
        )
    ]
    if not chunks:
        raise QAError(f"the documents in {corpus_dir}/ hold no text to index")

    previous, unreadable = previous_build(index_dir)
    if previous is not None and not full and up_to_date(previous, fingerprint, corpus, chunks, settings, index_dir):
        return unchanged_report(previous, corpus, settings, started)
    file_changes = changed_files(read_manifest(index_dir) if previous is None else previous.manifest, corpus.documents)
    reason = full_rebuild_reason(previous, settings, full, index_dir, unreadable)
    known = reusable_vectors(previous) if previous is not None and reason is None else {}
    models = embedding_models(settings)
    new = {c.embed_text: c for c in chunks if not all(reusable(known.get(name, {}), c) for name in models)}
    done = 0

    def advance(count: int) -> None:
        # Each chunk is embedded once per vector set; progress counts chunks, as the bar and upload box say.
        nonlocal done
        done += count
        if progress:
            progress(done // len(models), len(new))

    embedded = embed_vector_sets(list(new.values()), models, settings, advance)
    vector_sets = {}
    for name in models:
        lookup = {**known.get(name, {}), **embedded[name]}
        vectors = [lookup[chunk.embed_text] for chunk in chunks]
        vector_sets[name] = Vectors(
            chunks=np.stack([own for own, _ in vectors]).astype(np.float32),
            clauses=np.concatenate([clauses for _, clauses in vectors]).astype(np.float32),
        )
    # The same in every vector set: the clauses are the chunks'.
    clause_rows = np.repeat(np.arange(len(chunks), dtype=np.int64), [len(clauses) for _, clauses in vectors])
    bm25 = build_bm25([c.text for c in chunks])

    old_ids = {chunk.chunk_id for chunk in previous.chunks} if previous is not None else set()
    new_ids = {chunk.chunk_id for chunk in chunks}
    kind, kind_reason = index_kind(len(chunks), settings.vector_index)
    per_document: dict[str, int] = {}
    for chunk in chunks:
        per_document[chunk.source] = per_document.get(chunk.source, 0) + 1
    manifest = {
        "model": settings.embed_model,
        "dimension": int(vector_sets["dense"].chunks.shape[1]),
        "multilingual_model": settings.multilingual_model,
        "embedders": {name: identity(embedder_for(model, settings)) for name, model in models.items()},
        "chunk_max_tokens": settings.chunk_max_tokens,
        "chunk_overlap_sentences": settings.chunk_overlap_sentences,
        "documents": {
            d.source: {"sha256": d.sha256, "chunks": per_document.get(d.source, 0), "metadata": d.metadata, "date": d.date}
            for d in corpus.documents
        },
        "corpus_files": fingerprint,
        "skipped": [[file.source, file.reason] for file in corpus.skipped],
        "vector_store": settings.vector_store,
        "milvus_uri": milvus_uri(settings),
        "vector_index": kind,
        "vector_index_reason": kind_reason,
        "counts": {"documents": len(corpus.documents), "chunks": len(chunks), "clauses": len(clause_rows)},
        "built_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "build_seconds": round(time.perf_counter() - started, 3),
    }
    build_id = save_index(index_dir, manifest, chunks, vector_sets, clause_rows, bm25)
    return BuildReport(
        documents=len(corpus.documents),
        chunks=len(chunks),
        seconds=time.perf_counter() - started,
        skipped=corpus.skipped,
        model=settings.embed_model,
        build_id=build_id,
        added=len(new_ids - old_ids),
        removed=len(old_ids - new_ids),
        unchanged=len(new_ids & old_ids),
        embedded=len(new),
        full_rebuild_reason=reason,
        **file_changes,
        vector_store=settings.vector_store,
        vector_index=kind,
        vector_index_reason=kind_reason,
    )
