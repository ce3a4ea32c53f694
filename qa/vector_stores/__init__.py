"""Where a build's vectors live and how a question's candidates are found: one module per engine.

A vector set is one model's vectors of a build: `chunks[rows]` and `clauses[clause rows]` (arrays, or rows
read by key from a server), `dimension`, `kind`, `nearest(query_vector, count)` (the candidate rows),
`approximate(query_vector, rows)` (the rows' cosines from what it keeps in memory, or None), and `close()`.
The search scores the candidates exactly from those vectors, whatever the engine, so engines differ only in
where the vectors are kept and how candidates are named:

- `faiss` (default): float32 matrices in the build folder, memory-mapped; every row scored below a size, an
  HNSW graph's candidates from there (`qa/vector_stores/faiss.py`);
- `milvus`: collections in Milvus Lite (in the build folder, or a file named by QA_MILVUS_URI) or in a Milvus
  server or cluster (`http://host:19530`), whose own index names the candidates (`qa/vector_stores/milvus.py`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

import numpy as np

EXACT, HNSW = "exact", "hnsw"
# Below this many chunks every row is scored (FAISS) or Milvus keeps a FLAT index; from it, an HNSW graph.
# bench/bench_scale.py, retrieve() p50 on 2 cores: every row scored 14 ms at 10 K chunks, 44 ms at 50 K and
# 91 ms at 100 K (so about 20 ms at 20 K); the graph's shortlisted candidates 14, 16 and 20 ms, recall@10 0.99.
APPROXIMATE_FROM = 20_000
GRAPH_NEIGHBOURS = 32  # HNSW's M: links per vector, the usual choice for ~400-dimensional text vectors
GRAPH_BUILD_DEPTH = 80  # efConstruction
GRAPH_SEARCH_DEPTH = 256  # efSearch: the candidates a graph walk keeps (at least as many as asked for)


class VectorSet(Protocol):
    chunks: np.ndarray
    clauses: np.ndarray

    @property
    def dimension(self) -> int: ...

    @property
    def kind(self) -> str: ...

    def nearest(self, query_vector: np.ndarray, count: int) -> np.ndarray: ...

    def approximate(self, query_vector: np.ndarray, rows: np.ndarray) -> np.ndarray | None: ...

    def close(self) -> None: ...


def is_milvus_lite(uri: str) -> bool:
    """A Milvus address that is a file path (Milvus Lite runs on it in this process), not a server's URL."""
    return "://" not in uri


def index_kind(chunks: int, wanted: str) -> tuple[str, str]:
    """The kind of search index for this many chunks, and why (said by `qa build`)."""
    if wanted in (EXACT, HNSW):
        return wanted, f"asked for (QA_VECTOR_INDEX={wanted})"
    if chunks < APPROXIMATE_FROM:
        return EXACT, f"{chunks:,} chunks, below {APPROXIMATE_FROM:,}"
    return HNSW, f"{chunks:,} chunks, from {APPROXIMATE_FROM:,} an HNSW graph names the candidates"


def write_vector_set(
    store: str, folder: Path, name: str, chunks: np.ndarray, clauses: np.ndarray, manifest: dict
) -> list[Path]:
    """Write one vector set of a build (staged in `folder`) with the engine `store`; returns the files the
    build folder gained, for the build to flush to disk."""
    if store == "milvus":
        from qa.vector_stores import milvus

        return milvus.write(folder, name, chunks, clauses, manifest)
    from qa.vector_stores import faiss

    return faiss.write(folder, name, chunks, clauses, manifest["vector_index"])


def read_vector_set(folder: Path, name: str, manifest: dict) -> VectorSet:
    """One vector set of a build, as its manifest says it was written."""
    if manifest.get("vector_store", "faiss") == "milvus":
        from qa.vector_stores import milvus

        return milvus.read(folder, name, manifest)
    from qa.vector_stores import faiss

    return faiss.read(folder, name, manifest["vector_index"])


def publish_vector_sets(manifest: dict) -> None:
    """Tell the engine a build went live (a shared Milvus switches its aliases to the build's collections)."""
    if manifest.get("vector_store") == "milvus":
        from qa.vector_stores import milvus

        milvus.publish(manifest)


def remove_vector_sets(build_id: str, manifest: dict) -> None:
    """Free what a build kept outside its folder (collections in a shared Milvus) before it is deleted."""
    if manifest.get("vector_store") == "milvus":
        from qa.vector_stores import milvus

        milvus.remove(build_id, manifest)
