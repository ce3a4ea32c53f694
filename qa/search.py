"""Search: the question's vector against the live build, as ranked Passages; reloads when a new build goes live."""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from qa.embedders import Embedder, load_embedder
from qa.errors import EmptyQueryError, IndexMismatchError
from qa.lexical import TermWeights
from qa.settings import Settings
from qa.store import StoredIndex, current_build_id, load_index

VECTOR_CACHE_SIZE = 4096


@dataclass(frozen=True)
class Passage:
    """A retrieved chunk. `text == source_text[start:end]` for the source document's text."""

    text: str
    source: str
    chunk_id: str
    score: float
    start: int
    end: int
    section: str

    def to_dict(self) -> dict:
        return asdict(self)


class Retriever:
    """One index folder and its embedder, loaded once and reused; a new build is picked up on the next call."""

    def __init__(self, index_dir: Path, settings: Settings) -> None:
        self.index_dir = Path(index_dir)
        self.settings = settings
        self.lock = threading.Lock()
        self.index: StoredIndex | None = None
        self.embedder: Embedder | None = None
        self.weights: TermWeights | None = None
        # Questions repeat and answer sentences recur across questions; their vectors are kept.
        self.vector_cache: OrderedDict[tuple[str, str], np.ndarray] = OrderedDict()

    def current(self) -> tuple[StoredIndex, Embedder]:
        """The live build and its embedder, reloading when CURRENT names another build."""
        with self.lock:
            if self.index is None or current_build_id(self.index_dir) != self.index.build_id:
                index = load_index(self.index_dir)
                self.embedder = self.checked_embedder(index)
                self.weights = None
                self.index = index
            return self.index, self.embedder

    def term_weights(self) -> TermWeights:
        """IDF of every term over the live build's chunks, computed once per build."""
        index, _ = self.current()
        weights = self.weights
        if weights is None or weights.build_id != index.build_id:
            weights = TermWeights((chunk.text for chunk in index.chunks), build_id=index.build_id)
            self.weights = weights
        return weights

    def vectors(self, texts: list[str], kind: str = "passage") -> np.ndarray:
        """Unit vectors of texts ("query" or "passage" kind), cached across calls."""
        _, embedder = self.current()
        missing = [t for t in dict.fromkeys(texts) if (kind, t) not in self.vector_cache]
        if missing:
            encoded = (
                [embedder.encode_query(t) for t in missing]
                if kind == "query"
                else list(embedder.encode_passages(missing, batch_size=len(missing)))
            )
            with self.lock:
                for text, vector in zip(missing, encoded):
                    self.vector_cache[(kind, text)] = vector
                while len(self.vector_cache) > VECTOR_CACHE_SIZE:
                    self.vector_cache.popitem(last=False)
        return np.stack([self.vector_cache[(kind, t)] for t in texts]) if texts else np.zeros((0, embedder.dimension))

    def checked_embedder(self, index: StoredIndex) -> Embedder:
        built_with = index.manifest.get("model")
        if built_with != self.settings.embed_model:
            raise IndexMismatchError(
                f"the index in {self.index_dir}/ was built with the model {built_with!r}, but the settings "
                f"name {self.settings.embed_model!r}: run `qa build` to rebuild it"
            )
        embedder = load_embedder(self.settings.embed_model, self.settings.embed_device)
        if embedder.dimension != index.vectors.d:
            raise IndexMismatchError(
                f"the index in {self.index_dir}/ holds {index.vectors.d}-dimensional vectors but the model "
                f"gives {embedder.dimension}: run `qa build` to rebuild it"
            )
        return embedder

    def search(self, query: str, k: int) -> list[Passage]:
        if not isinstance(query, str) or not query.strip():
            raise EmptyQueryError("the question is empty: type a question about the documents")
        index, _ = self.current()
        vector = self.vectors([query.strip()], kind="query")[0]
        scores, rows = index.vectors.search(vector.reshape(1, -1).astype(np.float32), min(k, index.vectors.ntotal))
        return [
            Passage(
                text=(chunk := index.chunks[row]).text,
                source=chunk.source,
                chunk_id=chunk.chunk_id,
                score=float(score),
                start=chunk.start,
                end=chunk.end,
                section=chunk.section,
            )
            for score, row in zip(scores[0], rows[0])
            if row >= 0
        ]
