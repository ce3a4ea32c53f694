"""Embedders turn text into normalised vectors; `load_embedder` picks the backend for a model name."""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import lru_cache
from typing import Protocol

import numpy as np

# Weights come from installed packages or local folders; nothing is fetched unless the user opts in
# by setting HF_HUB_OFFLINE=0 themselves.
os.environ.setdefault("HF_HUB_OFFLINE", "1")

Progress = Callable[[int], None]  # called with the number of texts just encoded


class Embedder(Protocol):
    name: str
    dimension: int

    def encode_passages(self, texts: list[str], batch_size: int = 32, progress: Progress | None = None) -> np.ndarray:
        """float32 array (len(texts), dimension), rows of unit length."""

    def encode_query(self, text: str) -> np.ndarray:
        """float32 array (dimension,), of unit length."""

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        """float32 array (len(texts), dimension): several queries in one call."""


@lru_cache(maxsize=4)
def load_embedder(name: str, device: str = "cpu") -> Embedder:
    """The embedder for a model name or folder, loaded once per process and shared. Names of the
    packaged numpy USE pick that backend; any other name or folder is a sentence-transformers model."""
    from qa.embedders import use

    if name in use.NAMES:
        return use.UniversalSentenceEncoder(name)
    from qa.embedders.sentence_transformers import SentenceTransformerEmbedder

    return SentenceTransformerEmbedder(name, device)
