"""FAISS, the default engine: a build's vectors as float32 matrices in its folder (`.npy`, read memory-mapped),
a row per chunk and a row per clause, and past a size an HNSW graph over the chunk vectors.

Why two kinds: scoring every chunk and clause of a question is exact and, below APPROXIMATE_FROM chunks,
fast enough; past it the time grows with the rows (bench/bench_scale.py), so the graph names a few hundred
candidate chunks and only those, with their clauses, are scored. The graph keeps 8-bit codes of the vectors
(a quarter of their size) in memory; the float vectors stay on disk and only the pages the candidates touch
are read, so memory per chunk is the graph's share (about 0.7 KB for MiniLM, 0.8 KB for the USE) plus the
chunk's text.
"""

from __future__ import annotations

import mmap
from dataclasses import dataclass
from pathlib import Path

import faiss
import numpy as np

from qa.vector_stores import EXACT, GRAPH_BUILD_DEPTH, GRAPH_NEIGHBOURS, GRAPH_SEARCH_DEPTH, HNSW


READ_BATCH = 256  # rows read before the pages they mapped are let go


def chunks_file(name: str) -> str:
    return f"vectors-{name}.npy"


def clauses_file(name: str) -> str:
    return f"clauses-{name}.npy"


def graph_file(name: str) -> str:
    return f"graph-{name}.faiss"


@dataclass
class FaissVectorSet:
    """`chunks[row]`, `clauses[clause row]` (memory-mapped), and the graph when there is one."""

    chunks: np.ndarray
    clauses: np.ndarray
    graph: faiss.Index | None = None

    @property
    def dimension(self) -> int:
        return int(self.chunks.shape[1])

    @property
    def kind(self) -> str:
        return EXACT if self.graph is None else HNSW

    def nearest(self, query_vector: np.ndarray, count: int) -> np.ndarray:
        """Rows of about the `count` chunks nearest the query (by their own vector), from the graph."""
        if self.graph is None:
            raise ValueError("an exact vector set has no graph: score every row instead")
        parameters = faiss.SearchParametersHNSW(efSearch=max(GRAPH_SEARCH_DEPTH, count))
        _, rows = self.graph.search(query_vector.reshape(1, -1).astype(np.float32), count, params=parameters)
        return rows[0][rows[0] >= 0]

    def approximate(self, query_vector: np.ndarray, rows: np.ndarray) -> np.ndarray | None:
        """Cosines of these chunks' own vectors from the graph's 8-bit codes, which are in memory (within about
        0.004 of the exact ones), or None without a graph."""
        if self.graph is None:
            return None
        codes, low, step = graph_codes(self.graph)
        # A code c stands for low + (c + 0.5) * step, per dimension (faiss's 8-bit scalar quantiser).
        weights = query_vector * step
        return codes[rows].astype(np.float32) @ weights + float(query_vector @ low + 0.5 * weights.sum())

    def close(self) -> None:
        """Nothing to release: the maps go with the arrays."""


def graph_codes(graph: faiss.Index) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The graph's 8-bit codes as a matrix (a view, not a copy) and what a code step is worth per dimension."""
    storage = faiss.downcast_index(graph.storage)
    codes = faiss.rev_swig_ptr(storage.codes.data(), storage.ntotal * storage.code_size)
    trained = faiss.vector_to_array(storage.sq.trained)
    dimension = storage.d
    return codes.reshape(storage.ntotal, storage.code_size), trained[:dimension], trained[dimension:] / 255.0


def write(folder: Path, name: str, chunks: np.ndarray, clauses: np.ndarray, kind: str) -> list[Path]:
    written = [folder / chunks_file(name), folder / clauses_file(name)]
    np.save(written[0], np.ascontiguousarray(chunks, dtype=np.float32))
    np.save(written[1], np.ascontiguousarray(clauses, dtype=np.float32).reshape(-1, chunks.shape[1]))
    if kind == HNSW:
        written.append(folder / graph_file(name))
        faiss.write_index(hnsw_graph(chunks), str(written[-1]))
    return written


def hnsw_graph(vectors: np.ndarray) -> faiss.Index:
    graph = faiss.index_factory(vectors.shape[1], f"HNSW{GRAPH_NEIGHBOURS},SQ8", faiss.METRIC_INNER_PRODUCT)
    graph.hnsw.efConstruction = GRAPH_BUILD_DEPTH
    # The 8-bit codes' range per dimension, from rows spread over the whole set (a build is in document order).
    graph.train(np.ascontiguousarray(vectors[np.unique(np.linspace(0, len(vectors) - 1, 65536).astype(np.int64))]))
    for start in range(0, len(vectors), 65536):  # blocks: a memory-mapped matrix is never copied whole
        graph.add(np.ascontiguousarray(vectors[start : start + 65536], dtype=np.float32))
    return graph


def read(folder: Path, name: str, kind: str) -> FaissVectorSet:
    chunks = np.load(folder / chunks_file(name), mmap_mode="r")
    clauses = np.load(folder / clauses_file(name), mmap_mode="r")
    if chunks.ndim != 2 or clauses.ndim != 2 or chunks.shape[1] != clauses.shape[1] or chunks.dtype != np.float32:
        raise ValueError(f"{chunks_file(name)} and {clauses_file(name)} do not hold matching float32 matrices")
    if kind != HNSW:
        return FaissVectorSet(chunks, clauses)
    graph = faiss.read_index(str(folder / graph_file(name)))
    if graph.ntotal != len(chunks):
        raise ValueError(f"{graph_file(name)} holds {graph.ntotal} rows, {chunks_file(name)} {len(chunks)}")
    return FaissVectorSet(ScatteredRows(chunks), ScatteredRows(clauses), graph)


class ScatteredRows:
    """A memory-mapped matrix whose rows are read scattered (a graph's candidates): each read copies its rows
    out, a few hundred at a time, and then unmaps the file's pages from this process (they stay in the
    kernel's file cache). Left mapped, every row read maps a neighbourhood of cached pages around it,
    whatever the read-ahead advice: a 50 K-chunk index's resident memory grew by 630 MB for a 2,048-row
    sample. Reading with pread instead measured slower once the vectors no longer all fit in the file cache
    (bench/bench_scale.py, 1 M chunks: p50 428 against 62 ms)."""

    def __init__(self, matrix: np.memmap) -> None:
        self.matrix, self.shape, self.dtype, self.ndim = matrix, matrix.shape, matrix.dtype, 2

    def __len__(self) -> int:
        return len(self.matrix)

    def __getitem__(self, key) -> np.ndarray:
        if isinstance(key, np.ndarray) and len(key) > READ_BATCH:
            return np.concatenate([self[key[start : start + READ_BATCH]] for start in range(0, len(key), READ_BATCH)])
        return self.released(np.array(self.matrix[key]))

    def __array__(self, dtype=None, copy=None) -> np.ndarray:
        return self.released(np.array(self.matrix, dtype=dtype))

    def __matmul__(self, vector: np.ndarray) -> np.ndarray:
        return self.released(self.matrix @ vector)

    def released(self, result: np.ndarray) -> np.ndarray:
        self.matrix._mmap.madvise(mmap.MADV_DONTNEED)  # one call, however many pages the read mapped
        return result
