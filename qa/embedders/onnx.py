"""ONNX Runtime backend: a BERT-style encoder graph run without torch, mean-pooled as sentence-transformers does.

Why: importing torch and sentence-transformers costs seconds in every new process (`qa search`, the app's
start: 9.2 s against 1.55 s for `qa search`, bench/bench_speed.py). Two kinds of graph run here: a local model
folder that holds `model.onnx` (or `onnx/model.onnx`) beside `tokenizer.json`, run as it is ("onnx"), and the
int8 graph exported on this machine from a sentence-transformers model, the default MiniLM among them
(`qa.embedders.export`, "onnx-int8").
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

from qa.embedders import BatchEmbedder, Progress, Span, normalised

DEFAULT_MAX_TOKENS = 256  # all-MiniLM-L6-v2's window, when the folder does not say


def folder_graph(name: str) -> tuple[Path, Path, Path] | None:
    """(graph, tokenizer, folder) of a local model folder that holds an exported ONNX graph."""
    folder = Path(name)
    tokenizer = folder / "tokenizer.json"
    for graph in (folder / "model.onnx", folder / "onnx" / "model.onnx"):
        if graph.is_file() and tokenizer.is_file():
            return graph, tokenizer, folder
    return None


def max_tokens(folder: Path) -> int:
    try:
        return int(json.loads((folder / "sentence_bert_config.json").read_text())["max_seq_length"])
    except (OSError, ValueError, KeyError, TypeError):
        return DEFAULT_MAX_TOKENS


class OnnxEmbedder(BatchEmbedder):
    def __init__(self, name: str, graph: Path, tokenizer: Path, folder: Path, runtime: str = "onnx") -> None:
        import onnxruntime
        from tokenizers import Tokenizer

        options = onnxruntime.SessionOptions()
        # One thread per run, and runs of several texts side by side (`each`): a short text splits poorly over
        # threads. Against one run at a time on every core, on 2 cores: a build of Python's reference topics
        # 30.5 -> 24.6 s, ask() on the long white paper p50 52 -> 43 ms, /ask with 50 clients 28 -> 41
        # requests/s for new questions (bench/bench_speed.py, bench/bench_chat.py).
        options.intra_op_num_threads = 1
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
        self.runtime = runtime
        self.dimension = int(self.session.get_outputs()[0].shape[-1])
        self.pool = ThreadPoolExecutor(os.cpu_count() or 1, thread_name_prefix="onnx")

    def each(self, texts: list[str], workers: int | None = None) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """`token_states` of each text, in order, computed side by side (ONNX Runtime runs without the GIL):
        on every core, or on `workers` threads of their own."""
        if len(texts) <= 1 or workers == 1:
            return map(self.token_states, texts)
        if workers is None or workers >= (os.cpu_count() or 1):
            return self.pool.map(self.token_states, texts)
        return self.each_on_own_threads(texts, workers)

    def each_on_own_threads(self, texts: list[str], workers: int) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        with ThreadPoolExecutor(workers, thread_name_prefix="onnx") as pool:
            yield from pool.map(self.token_states, texts)

    def token_states(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """The character span of each token of the text (special tokens: empty) and the model's last hidden
        state for each. One text per run: an int8 graph quantises activations with one scale per run, so in a
        batch a text's vector would depend on the others (cosine 0.992 with itself embedded alone), and alone
        is no slower here (400 chunks: 3.4 s at 1 text per run, 3.4-3.8 s at 32)."""
        encoding = self.tokenizer.encode(text)
        ids = np.array([encoding.ids], dtype=np.int64)
        feed = {"input_ids": ids, "attention_mask": np.ones_like(ids), "token_type_ids": np.zeros_like(ids)}
        hidden = self.session.run(None, {name: value for name, value in feed.items() if name in self.inputs})[0][0]
        return np.array(encoding.offsets, dtype=np.int64).reshape(-1, 2), hidden

    def encode(self, texts: list[str]) -> np.ndarray:
        return np.stack([hidden.mean(axis=0) for _, hidden in self.each(texts)]).astype(np.float32)

    def encode_with_spans(
        self,
        texts: list[str],
        spans: list[list[Span]],
        batch_size: int = 32,
        progress: Progress | None = None,
        workers: int | None = None,
    ) -> tuple[np.ndarray, list[np.ndarray]]:
        """A span's vector is the mean of the text's own token states over the span's tokens, from the same
        run; only spans cut off by the model's window are embedded on their own."""
        vectors = np.empty((len(texts), self.dimension), dtype=np.float32)
        span_vectors = [np.empty((len(group), self.dimension), dtype=np.float32) for group in spans]
        cut_off: list[tuple[int, int]] = []  # (text, span) past the window
        for row, (offsets, hidden) in enumerate(self.each(texts, workers)):
            vectors[row] = hidden.mean(axis=0)
            real = offsets[:, 1] > offsets[:, 0]
            last_end = offsets[real, 1].max(initial=0)
            for n, (start, end) in enumerate(spans[row]):
                inside = np.flatnonzero(real & (offsets[:, 0] >= start) & (offsets[:, 1] <= end))
                if end > last_end or not len(inside):
                    cut_off.append((row, n))
                else:
                    span_vectors[row][n] = hidden[inside].mean(axis=0)
            if progress and ((row + 1) % batch_size == 0 or row + 1 == len(texts)):
                progress((row % batch_size) + 1)
        if cut_off:
            alone = self.encode_passages([texts[row][slice(*spans[row][n])] for row, n in cut_off], batch_size)
            for (row, n), vector in zip(cut_off, alone):
                span_vectors[row][n] = vector
        # Normalised once every row is filled: a cut-off span's row holds whatever np.empty left there until then.
        return normalised(vectors), [normalised(group) for group in span_vectors]
