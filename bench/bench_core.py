"""Benchmark of the core: build throughput against raw model.encode, and warm retrieve() latency.

    .venv/bin/python bench/bench_core.py [--repeat 3] [--documents 40]

Prints figures only; nothing here asserts a timing.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import tempfile
import time
from pathlib import Path

from bench_env import ROOT  # first: puts the repository on the path for the qa imports

import qa
from qa.chunking import chunk_document
from qa.embedders import load_embedder
from qa.evaluate import percentile
from qa.sentences import sentence_spans

QUERIES = [
    "What is the ecological protection red line?",
    "biosafety law",
    "How are national parks organised?",
    "invasive alien species",
    "ex-situ conservation of endangered plants",
    "green and low-carbon development",
    "Who published the white paper?",
    "pollution prevention and control",
    "什么是生态保护红线？",
    "中国颁布了哪部关于生物安全的法律？",
]


def synthetic_corpus(folder: Path, documents: int) -> None:
    """Long structured documents made of the shipped sentences, reshuffled so every chunk is new text."""
    text = (ROOT / "corpus" / "china-biodiversity-white-paper-summary.txt").read_text(encoding="utf-8")
    sentences = [text[a:b] for a, b in sentence_spans(text)]
    rng = random.Random(7)
    for number in range(documents):
        parts = [f"Report {number}"]
        for section in range(1, 6):
            parts.append(f"{section}. Area {section} of report {number}")
            for paragraph in range(4):
                picked = rng.sample(sentences, 3)
                parts.append(f"In region {number}-{section}-{paragraph}, " + " ".join(picked))
        (folder / f"report-{number:03d}.txt").write_text("\n\n".join(parts) + "\n", encoding="utf-8")


def embedded_texts(chunks: list) -> list[str]:
    """What a build embeds: each distinct text among the chunks and their clauses, once per vector set.
    (The synthetic corpus reshuffles the shipped sentences, so most clauses recur; real text repeats less.)"""
    return list(dict.fromkeys([c.embed_text for c in chunks] + [clause for c in chunks for clause in c.clauses]))


def raw_encode(embedder, texts: list[str], batch_size: int) -> None:
    """The model's own encode call, without anything of ours around it."""
    if hasattr(embedder.model, "max_seq_length"):  # sentence-transformers
        embedder.model.encode(texts, batch_size=batch_size, normalize_embeddings=True)
    else:
        embedder.model.encode(texts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of each build measure (median reported)")
    parser.add_argument("--documents", type=int, default=40, help="synthetic documents for the build measure")
    parser.add_argument("--queries", type=int, default=200, help="timed retrieve() calls")
    args = parser.parse_args()
    settings = qa.get_settings()

    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"models: {settings.embed_model} + {settings.multilingual_model or '(no multilingual set)'}, "
          f"chunk_max_tokens={settings.chunk_max_tokens}")
    models = [load_embedder(name, settings.embed_device) for name in (settings.embed_model, settings.multilingual_model) if name]

    with tempfile.TemporaryDirectory() as scratch:
        corpus, index_dir = Path(scratch) / "corpus", Path(scratch) / "index"
        corpus.mkdir()
        synthetic_corpus(corpus, args.documents)
        chunks = [
            chunk
            for path in sorted(corpus.iterdir())
            for chunk in chunk_document(
                path.name, path.read_text(encoding="utf-8"), settings.chunk_max_tokens, settings.chunk_overlap_sentences
            )
        ]
        texts = embedded_texts(chunks)
        clauses = sum(len(chunk.clauses) for chunk in chunks)
        for embedder in models:
            raw_encode(embedder, texts[:64], settings.embed_batch_size)  # warm-up
        raw, built = [], []
        for _ in range(args.repeat):
            started = time.perf_counter()
            for embedder in models:
                raw_encode(embedder, texts, settings.embed_batch_size)
            raw.append(len(chunks) / (time.perf_counter() - started))
            started = time.perf_counter()
            report = qa.build_index(corpus, index_dir, full=True)  # every chunk embedded, as in a first build
            built.append(report.chunks / (time.perf_counter() - started))
        raw_median, build_median = statistics.median(raw), statistics.median(built)
        print(f"build corpus: {args.documents} documents, {len(chunks)} chunks and {clauses} clauses "
              f"({len(texts)} distinct texts), {sum(len(c.text) for c in chunks) / 1e6:.2f} M characters")
        print(f"raw model.encode: {raw_median:7.1f} chunks/s (median of {args.repeat}; chunks and clauses, every model, no I/O)")
        print(f"qa.build_index:   {build_median:7.1f} chunks/s (median of {args.repeat}; read, chunk, embed, BM25, write)")
        print(f"build / raw:      {100 * build_median / raw_median:7.1f} %")

    with tempfile.TemporaryDirectory() as scratch:
        qa.build_index(ROOT / "corpus", scratch)
        for query in QUERIES:  # warm: model, index and tokenizer caches loaded
            qa.retrieve(query, index_dir=scratch)
        retriever = qa.retriever(scratch)
        for mode in ("dense", "bm25", "hybrid"):
            uncached, repeated = [], []
            for call in range(args.queries):
                question = QUERIES[call % len(QUERIES)]
                retriever.vector_cache.clear()  # a question never seen: its vector must be computed
                started = time.perf_counter()
                qa.retrieve(question, index_dir=scratch, mode=mode)
                uncached.append((time.perf_counter() - started) * 1000)
                started = time.perf_counter()
                qa.retrieve(question, index_dir=scratch, mode=mode)
                repeated.append((time.perf_counter() - started) * 1000)
            for label, timings in (("new question", uncached), ("repeated question", repeated)):
                print(
                    f"retrieve() warm, {mode}, {label}: p50 {statistics.median(timings):.2f} ms, "
                    f"p95 {percentile(timings, 0.95):.2f} ms ({args.queries} calls, k={settings.top_k}, shipped corpus)"
                )


if __name__ == "__main__":
    main()
