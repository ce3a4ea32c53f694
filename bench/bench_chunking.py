"""How chunk size and overlap change retrieval: paragraph-level recall@1 on the tests' question set.

    .venv/bin/python bench/bench_chunking.py

This is the measurement behind the defaults `chunk_max_tokens` and `chunk_overlap_sentences`.
"""

from __future__ import annotations

import json

from bench_env import ROOT  # first: puts the repository on the path for the qa imports

import numpy as np

import qa
from qa.chunking import chunk_document
from qa.structure import blocks
from qa.embedders import load_embedder


def main() -> None:
    settings = qa.get_settings()
    text = (ROOT / "corpus" / "china-biodiversity-white-paper-summary.txt").read_text(encoding="utf-8")
    rows = [json.loads(line) for line in (ROOT / "tests" / "data" / "retrieval_questions.jsonl").read_text().splitlines()]
    embedder = load_embedder(settings.embed_model, settings.embed_device)
    questions = np.stack([embedder.encode_query(row["question"]) for row in rows])
    paragraphs = [b for b in blocks(text) if b.heading_level is None]

    def paragraph_of(offset: int) -> int:
        return next(i for i, b in enumerate(paragraphs) if b.start <= offset < b.end)

    print(f"model {settings.embed_model}; {len(rows)} questions; hit = top chunk lies in the expected paragraph")
    print("max_tokens  overlap  chunks  recall@1")
    for max_tokens in (30, 60, 100, 160, 320):
        for overlap in (0, 1):
            chunks = chunk_document("summary.txt", text, max_tokens, overlap)
            vectors = embedder.encode_passages([c.embed_text for c in chunks])
            best = (questions @ vectors.T).argmax(axis=1)
            hits = sum(
                paragraph_of(chunks[b].start) == paragraph_of(text.index(row["expect"])) for b, row in zip(best, rows)
            )
            print(f"{max_tokens:10d}  {overlap:7d}  {len(chunks):6d}  {hits / len(rows):8.2f}")


if __name__ == "__main__":
    main()
