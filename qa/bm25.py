"""BM25 over the chunks (bm25s), with the same terms as word overlap: English stems, Chinese words by jieba."""

from __future__ import annotations

import logging
from pathlib import Path

import bm25s
import numpy as np

from qa.lexical import terms

# bm25s sets its own logger to DEBUG, so each build printed "Building index from tokens" on the terminal.
logging.getLogger("bm25s").setLevel(logging.WARNING)


def build_bm25(texts: list[str]) -> bm25s.BM25:
    model = bm25s.BM25()
    # An empty chunk still needs a row, so that BM25 rows stay aligned with vector rows.
    model.index([terms(text) or [""] for text in texts], show_progress=False)
    return model


def save_bm25(model: bm25s.BM25, folder: Path) -> None:
    model.save(str(folder), show_progress=False)


def load_bm25(folder: Path) -> bm25s.BM25:
    return bm25s.BM25.load(str(folder), show_progress=False)


def known_terms(model: bm25s.BM25, query: str) -> list[str]:
    """The query's terms that some chunk holds (bm25s rejects the others)."""
    return [t for t in terms(query) if t in model.vocab_dict]


def bm25_search(model: bm25s.BM25, query: str, depth: int) -> list[tuple[int, float]]:
    """(row, score) of the chunks sharing a term with the query, best first."""
    known = known_terms(model, query)
    if not known:
        return []
    rows, scores = model.retrieve([known], k=min(depth, model.scores["num_docs"]), show_progress=False)
    return [(int(row), float(score)) for row, score in zip(rows[0], scores[0]) if score > 0]


def bm25_scores(model: bm25s.BM25, query: str) -> np.ndarray | None:
    """Every chunk's BM25 score for the query (None when the index knows none of its terms)."""
    known = known_terms(model, query)
    return np.asarray(model.get_scores(known), dtype=np.float32) if known else None


def best_rows(scores: np.ndarray, count: int) -> np.ndarray:
    """Rows of the `count` highest positive scores, in no order. Selected among the positive ones only:
    numpy's partition slows down badly on the many zeros of a BM25 score list (24 ms for 100 K chunks)."""
    positive = np.flatnonzero(scores > 0)
    if len(positive) <= count:
        return positive
    return positive[np.argpartition(scores[positive], -count)[-count:]]


def bm25_document_frequencies(model: bm25s.BM25) -> tuple[int, dict[str, int]]:
    """(number of chunks, {term: chunks that hold it}), read off the index: a term's column holds one
    entry per chunk that has it."""
    counts = np.diff(np.asarray(model.scores["indptr"]))
    return int(model.scores["num_docs"]), {term: int(counts[at]) for term, at in model.vocab_dict.items() if term}


def bm25_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_file())

