"""Building the index: corpus → chunks → vectors → a new build on disk, made live atomically."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from qa.bm25 import build_bm25
from qa.chunking import Chunk, chunk_document
from qa.corpus import SkippedFile, load_corpus
from qa.embedders import load_embedder
from qa.errors import QAError
from qa.settings import Settings
from qa.store import save_index

BuildProgress = Callable[[int, int], None]  # (embeddings done so far, in all: chunks x vector sets)


@dataclass(frozen=True)
class BuildReport:
    """What a build did. `seconds` is the whole build, model loading included."""

    documents: int
    chunks: int
    seconds: float
    skipped: list[SkippedFile] = field(default_factory=list)
    model: str = ""
    build_id: str = ""

    def summary(self) -> str:
        skipped = f", {len(self.skipped)} file(s) skipped" if self.skipped else ""
        return (
            f"indexed {self.documents} document(s) as {self.chunks} chunks in {self.seconds:.1f} s "
            f"with {self.model}{skipped}"
        )


def build_index(
    corpus_dir: Path,
    index_dir: Path,
    settings: Settings,
    progress: BuildProgress | None = None,
) -> BuildReport:
    started = time.perf_counter()
    corpus = load_corpus(corpus_dir)
    if not corpus.documents:
        reasons = "".join(f"\n  {skipped}" for skipped in corpus.skipped)
        raise QAError(f"no readable documents in {corpus_dir}/: add .txt or .md files{reasons}")
    chunks: list[Chunk] = [
        chunk
        for document in corpus.documents
        for chunk in chunk_document(
            document.source, document.text, settings.chunk_max_tokens, settings.chunk_overlap_sentences
        )
    ]
    if not chunks:
        raise QAError(f"the documents in {corpus_dir}/ hold no text to index")
    models = {"dense": settings.embed_model}
    if settings.multilingual_model:
        models["multilingual"] = settings.multilingual_model
    embedders = {name: load_embedder(model, settings.embed_device) for name, model in models.items()}
    done, total = 0, len(chunks) * len(embedders)

    def advance(count: int) -> None:
        nonlocal done
        done += count
        if progress:
            progress(done, total)

    texts = [c.embed_text for c in chunks]
    vector_sets = {
        name: embedder.encode_passages(texts, settings.embed_batch_size, advance) for name, embedder in embedders.items()
    }
    bm25 = build_bm25([c.text for c in chunks])
    per_document: dict[str, int] = {}
    for chunk in chunks:
        per_document[chunk.source] = per_document.get(chunk.source, 0) + 1
    seconds = time.perf_counter() - started
    manifest = {
        "model": settings.embed_model,
        "dimension": embedders["dense"].dimension,
        "multilingual_model": settings.multilingual_model,
        "chunk_max_tokens": settings.chunk_max_tokens,
        "chunk_overlap_sentences": settings.chunk_overlap_sentences,
        "documents": {
            d.source: {"sha256": d.sha256, "chunks": per_document.get(d.source, 0), "metadata": d.metadata}
            for d in corpus.documents
        },
        "counts": {"documents": len(corpus.documents), "chunks": len(chunks)},
        "built_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "build_seconds": round(seconds, 3),
    }
    build_id = save_index(Path(index_dir), manifest, chunks, vector_sets, bm25)
    return BuildReport(
        documents=len(corpus.documents),
        chunks=len(chunks),
        seconds=time.perf_counter() - started,
        skipped=corpus.skipped,
        model=settings.embed_model,
        build_id=build_id,
    )
