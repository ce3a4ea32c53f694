"""Benchmark of a living corpus: a full build of about 1 MB of text, then a rebuild after editing one paragraph.

    .venv/bin/python bench/bench_rebuild.py [--documents 62]

Prints figures only; nothing here asserts a timing.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_env import ROOT  # first: puts the repository on the path for the qa imports

import qa
from bench_core import embedded_texts, raw_encode, synthetic_corpus
from qa.corpus import load_corpus
from qa.embedders import load_embedder
from qa.chunking import chunk_document


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=62, help="synthetic documents (62 is about 1 MB)")
    args = parser.parse_args()
    settings = qa.get_settings()
    models = [load_embedder(name, settings.embed_device) for name in (settings.embed_model, settings.multilingual_model) if name]
    with tempfile.TemporaryDirectory() as scratch:
        corpus, index_dir = Path(scratch) / "corpus", Path(scratch) / "index"
        corpus.mkdir()
        synthetic_corpus(corpus, args.documents)
        documents = load_corpus(corpus).documents
        size = sum(len(d.text.encode()) for d in documents)
        texts = embedded_texts(
            [
                chunk
                for d in documents
                for chunk in chunk_document(d.source, d.text, settings.chunk_max_tokens, settings.chunk_overlap_sentences)
            ]
        )
        for embedder in models:
            raw_encode(embedder, texts[:64], settings.embed_batch_size)  # warm-up
        started = time.perf_counter()
        for embedder in models:
            raw_encode(embedder, texts, settings.embed_batch_size)
        raw_seconds = time.perf_counter() - started

        started = time.perf_counter()
        full = qa.build_index(corpus, index_dir, full=True)
        full_seconds = time.perf_counter() - started
        print(f"corpus: {args.documents} documents, {size / 1e6:.2f} MB of text, {full.chunks} chunks")
        print(f"full build (models loaded): {full_seconds:.1f} s = {full.chunks / full_seconds:.1f} chunks/s; "
              f"raw encode of the same chunks and clauses {full.chunks / raw_seconds:.1f} chunks/s "
              f"-> {100 * raw_seconds / full_seconds:.0f} %")

        number = min(3, args.documents - 1)  # report 3 by default; a smaller corpus edits its last one
        edited = corpus / f"report-{number:03d}.txt"
        text = edited.read_text(encoding="utf-8")
        edited.write_text(text.replace(f"In region {number}-3-2,", f"In region {number}-3-2 (revised),", 1), encoding="utf-8")
        started = time.perf_counter()
        report = qa.build_index(corpus, index_dir)
        print(f"rebuild after a one-paragraph edit, in process: {time.perf_counter() - started:.2f} s "
              f"({report.added} added, {report.removed} removed, {report.unchanged} unchanged, {report.embedded} embedded)")

        edited.write_text(text, encoding="utf-8")
        started = time.perf_counter()
        command = subprocess.run(
            [str(Path(sys.executable).with_name("qa")), "build", "--corpus", str(corpus), "--index", str(index_dir)],
            capture_output=True, text=True, check=True,
        )
        print(f"`qa build` after undoing the edit, a new process (model load included): "
              f"{time.perf_counter() - started:.2f} s: {command.stdout.strip()}")


if __name__ == "__main__":
    main()
