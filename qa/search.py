"""Search: vectors, BM25 or both fused by reciprocal rank, over the live build; reloads when a new build goes live.

A chunk's dense score is the mean of its own cosine and its best clause's: a long chunk that lists many facts
meets a question about one of them through that clause, while its own vector keeps the context. On the tests'
98 questions, half and half lifted recall@1 from 0.77 to 0.82 (English) and from 0.80 to 0.92 (Chinese) over
the chunk vector alone; clause alone: 0.75 and 0.92 (`bench/tune_clauses.py`).

Which vector set compares a question with a chunk, written down once (`row_space`): the `dense` (English)
set when both are English, the `multilingual` set as soon as one of them is Chinese. The English model
turns Chinese into noise: fusing its ranking with a multilingual one (tried with multilingual-e5) cut
recall@3 on the tests' Chinese questions from 0.90 to 0.60.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import asdict, dataclass
from pathlib import Path

import faiss
import numpy as np

from qa.bm25 import bm25_search
from qa.embedders import Embedder, embedder_for, made_otherwise
from qa.errors import IndexMismatchError, QAError
from qa.lexical import TermWeights, terms
from qa.limits import check_k, check_question
from qa.sentences import Span, has_cjk
from qa.settings import Settings
from qa.store import StoredIndex, current_build_id, load_index

MODES = ("dense", "bm25", "hybrid")
VECTOR_CACHE_SIZE = 4096
RRF_K = 60  # the constant of reciprocal rank fusion; 60 is the value of its original paper
MIN_DEPTH = 50  # each list offers at least this many rows to the fusion
CLAUSE_WEIGHT = 0.5  # share of a chunk's dense score that comes from its best clause
# English questions over English chunks: MiniLM's score fused with the multilingual USE's and BM25's, each as
# z-scores over the chunks, with these weights (MiniLM's is 1). On the tuning questions of the development
# corpora (bench/tune_quality.py) English recall@1 went from 0.83 to 0.86 / 0.89 (USE 0.5 / and BM25 0.4) on
# the white paper alone, and from 0.48 to 0.61 / 0.61 on the library; USE 1.0 and BM25 0.2 measured lower.
USE_FUSION_WEIGHT = 0.5
BM25_FUSION_WEIGHT = 0.4  # share of a chunk's dense score that comes from its best clause


@dataclass(frozen=True)
class Passage:
    """A retrieved chunk. `text == source_text[start:end]` for the source document's text.

    `score` ranks the passages in the search mode used (for dense the chunk's cosine mixed with its best
    clause's, BM25 for bm25, fused reciprocal rank for hybrid); `similarity` is always the cosine between
    question and passage, in the vector set that reads both their languages."""

    text: str
    source: str
    chunk_id: str
    score: float
    start: int
    end: int
    section: str
    similarity: float = 0.0
    page: int | None = None  # 1-based page of the passage's start in a paged source (PDF)

    def to_dict(self) -> dict:
        return asdict(self)


def reciprocal_rank_fusion(rankings: list[list[int]]) -> list[tuple[int, float]]:
    # Unweighted: giving BM25 half or a third of the weight changed nothing on `qa eval` (tried 1, 0.5, 0.3).
    fused: dict[int, float] = {}
    for ranking in rankings:
        for rank, row in enumerate(ranking, 1):
            fused[row] = fused.get(row, 0.0) + 1.0 / (RRF_K + rank)
    return sorted(fused.items(), key=lambda item: -item[1])


def row_space(index: StoredIndex, any_chinese: bool) -> str:
    return "multilingual" if any_chinese and "multilingual" in index.vector_sets else "dense"


def multilingual_rows(index: StoredIndex, question_is_chinese: bool) -> np.ndarray:
    """`row_space` for every row at once: True where the chunk is compared in the multilingual set."""
    if row_space(index, True) != "multilingual":
        return np.zeros(len(index.chunks), dtype=bool)
    return index.cjk_rows | question_is_chinese


def cosines(vectors: faiss.Index, query_vector: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every row's cosine with the query, as (scores, rows); exact, as the flat index is."""
    scores, rows = vectors.search(query_vector, vectors.ntotal)
    return scores[0], rows[0]


def dense_scores(index: StoredIndex, space: str, query_vector: np.ndarray) -> np.ndarray:
    """Each chunk's dense score in one vector set: the mean of its own cosine and its best clause's
    (a chunk without clauses is its own best clause)."""
    own = np.zeros(len(index.chunks), dtype=np.float32)
    scores, rows = cosines(index.vector_sets[space], query_vector)
    own[rows] = scores
    best_clause = np.full(len(index.chunks), -np.inf, dtype=np.float32)
    clause_scores, clause_ids = cosines(index.clause_sets[space], query_vector)
    np.maximum.at(best_clause, index.clause_rows[clause_ids], clause_scores)
    return with_best_clause(own, np.where(np.isfinite(best_clause), best_clause, own))


def with_best_clause(own, best_clause):
    """A text's dense score: its own cosine mixed with its best clause's (numbers or arrays)."""
    return (1 - CLAUSE_WEIGHT) * own + CLAUSE_WEIGHT * best_clause


def zscores(values: np.ndarray) -> np.ndarray:
    return (values - values.mean()) / (values.std() + 1e-6)


def fused_english_scores(index: StoredIndex, query: str, own: np.ndarray, rows: np.ndarray, retriever: Retriever) -> np.ndarray:
    """MiniLM's dense scores of the rows, fused with the multilingual USE's and BM25's (z-scores, weighted),
    and put back on MiniLM's scale so that the answerer and the judge read them as cosines."""
    use = dense_scores(index, "multilingual", retriever.vectors([query], "query", "multilingual"))[rows]
    fused, total = zscores(own) + USE_FUSION_WEIGHT * zscores(use), 1 + USE_FUSION_WEIGHT
    known = [t for t in terms(query) if t in index.bm25.vocab_dict]
    if known:
        lexical = np.asarray(index.bm25.get_scores(known), dtype=np.float32)[rows]
        fused, total = fused + BM25_FUSION_WEIGHT * zscores(lexical), total + BM25_FUSION_WEIGHT
    return own.mean() + own.std() * fused / total


class Retriever:
    """One index folder and its embedders, loaded once and reused; a new build is picked up on the next call."""

    def __init__(self, index_dir: Path, settings: Settings) -> None:
        self.index_dir = Path(index_dir)
        self.settings = settings
        self.lock = threading.Lock()
        self.index: StoredIndex | None = None
        self.embedders: dict[str, Embedder] = {}
        self.weights: TermWeights | None = None
        # Questions repeat and answer sentences recur across questions; their vectors are kept.
        self.vector_cache: OrderedDict[tuple[str, str, str], np.ndarray] = OrderedDict()

    def current(self) -> tuple[StoredIndex, dict[str, Embedder]]:
        """The live build and its embedders, reloading when CURRENT names another build."""
        with self.lock:
            if self.index is None or current_build_id(self.index_dir) != self.index.build_id:
                index = load_index(self.index_dir)
                self.embedders = self.checked_embedders(index)
                self.index = index
            return self.index, self.embedders

    def checked_embedders(self, index: StoredIndex) -> dict[str, Embedder]:
        wanted = {"dense": self.settings.embed_model, "multilingual": self.settings.multilingual_model}
        built = {"dense": index.manifest.get("model"), "multilingual": index.manifest.get("multilingual_model", "")}
        for name in wanted:
            if wanted[name] != built[name]:
                raise IndexMismatchError(
                    f"the index in {self.index_dir}/ was built with the {name} model {built[name]!r}, but the "
                    f"settings name {wanted[name]!r}: run `qa build` to rebuild it"
                )
        embedders = {}
        for name, vectors in index.vector_sets.items():
            embedder = embedder_for(wanted[name], self.settings)
            if embedder.dimension != vectors.d:
                raise IndexMismatchError(
                    f"the index in {self.index_dir}/ holds {vectors.d}-dimensional {name} vectors but the model "
                    f"gives {embedder.dimension}: run `qa build` to rebuild it"
                )
            if why := made_otherwise(index.manifest, name, embedder):
                raise IndexMismatchError(
                    f"the {name} vectors in {self.index_dir}/ were {why}: run `qa build` to rebuild it"
                )
            embedder.encode_query("warm up")  # lazy weights load now, not in the first question's time
            embedders[name] = embedder
        return embedders

    def term_weights(self) -> TermWeights:
        """IDF of every term over the live build's chunks, computed once per build."""
        index, _ = self.current()
        weights = self.weights
        if weights is None or weights.build_id != index.build_id:
            weights = TermWeights((chunk.text for chunk in index.chunks), build_id=index.build_id)
            self.weights = weights
        return weights

    def knows(self, term: str) -> bool:
        """Whether any chunk of the live build contains the term (as qa.lexical.terms reads words)."""
        return self.term_weights().frequencies.get(term, 0) > 0

    def space_for(self, *texts: str) -> str:
        """The vector set in which texts can be compared: multilingual as soon as one is not English."""
        return row_space(self.current()[0], any(map(has_cjk, texts)))

    def vectors(self, texts: list[str], kind: str = "passage", space: str = "dense") -> np.ndarray:
        """Unit vectors of texts ("query" or "passage" kind) in a vector set, cached across calls."""
        _, embedders = self.current()
        embedder = embedders[space]
        if not texts:
            return np.zeros((0, embedder.dimension), dtype=np.float32)
        # Read and written under the lock: questions asked at once by several threads share the cache.
        with self.lock:
            found = {t: self.vector_cache.get((space, kind, t)) for t in texts}
        missing = [t for t, vector in found.items() if vector is None]
        if missing:
            encoded = (
                embedder.encode_queries(missing)
                if kind == "query"
                else embedder.encode_passages(missing, batch_size=len(missing))
            )
            found.update(zip(missing, encoded))
            with self.lock:
                for text, vector in zip(missing, encoded):
                    self.vector_cache[(space, kind, text)] = vector
                while len(self.vector_cache) > VECTOR_CACHE_SIZE:
                    self.vector_cache.popitem(last=False)
        return np.stack([found[t] for t in texts])

    def clause_similarities(self, passage: Passage, query: str) -> list[tuple[Span, float]]:
        """The passage's clauses, as spans of its text, with their cosine to the query; read from the
        vectors stored at build time. Empty for a one-clause passage, or one the live build no longer holds."""
        index, _ = self.current()
        row = index.rows_by_id.get(passage.chunk_id)
        if row is None or index.chunks[row].text != passage.text:
            return []
        first, last = int(index.clause_offsets[row]), int(index.clause_offsets[row + 1])
        if first == last:
            return []
        space = row_space(index, has_cjk(query) or bool(index.cjk_rows[row]))
        scores = index.clause_sets[space].reconstruct_n(first, last - first) @ self.vectors([query], "query", space)[0]
        return list(zip(index.chunks[row].clause_spans, map(float, scores)))

    def dense_ranking(self, index: StoredIndex, query: str, depth: int) -> list[tuple[int, float]]:
        """Rows by dense score (chunk and best clause cosine, mixed), each chunk compared in the vector set
        that reads both it and the question: a Chinese question, or a Chinese chunk, in the multilingual set."""
        multilingual = multilingual_rows(index, has_cjk(query))
        combined = np.zeros(len(index.chunks), dtype=np.float32)
        for space, rows in (("dense", ~multilingual), ("multilingual", multilingual)):
            if rows.any():
                combined[rows] = dense_scores(index, space, self.vectors([query], "query", space))[rows]
        english = ~multilingual
        if english.sum() > 1 and "multilingual" in index.vector_sets:
            combined[english] = fused_english_scores(index, query, combined[english], english, self)
        top = np.argsort(-combined, kind="stable")[:depth]
        return [(int(row), float(combined[row])) for row in top]

    def search(self, query: str, k: int, mode: str | None = None) -> list[Passage]:
        query = check_question(query, self.settings)
        k = check_k(k, self.settings)
        mode = mode or self.settings.search_mode
        if mode not in MODES:
            raise QAError(f"unknown search mode {mode!r}: use one of {', '.join(MODES)}")
        index, _ = self.current()  # one build for the whole search, even if a new one goes live meanwhile
        depth = min(len(index.chunks), max(MIN_DEPTH, 4 * k))
        rankings: list[list[tuple[int, float]]] = []
        if mode in ("dense", "hybrid"):
            rankings.append(self.dense_ranking(index, query, depth))
        if mode in ("bm25", "hybrid"):
            rankings.append(bm25_search(index.bm25, query, depth))
        rankings = [ranking for ranking in rankings if ranking]
        if len(rankings) == 1:
            ranked = rankings[0]  # one list keeps its own scores (cosine or BM25)
        else:
            ranked = reciprocal_rank_fusion([[row for row, _ in ranking] for ranking in rankings])
        top = ranked[:k]
        question_is_chinese = has_cjk(query)
        spaces = {row: row_space(index, question_is_chinese or index.cjk_rows[row]) for row, _ in top}
        query_vectors = {space: self.vectors([query], "query", space)[0] for space in set(spaces.values())}
        return [self.passage(index, row, score, spaces[row], query_vectors[spaces[row]]) for row, score in top]

    def passage(self, index: StoredIndex, row: int, score: float, space: str, query_vector: np.ndarray) -> Passage:
        chunk = index.chunks[row]
        similarity = float(index.vector_sets[space].reconstruct(row) @ query_vector)
        return Passage(
            text=chunk.text,
            source=chunk.source,
            chunk_id=chunk.chunk_id,
            score=score,
            start=chunk.start,
            end=chunk.end,
            section=chunk.section,
            similarity=similarity,
            page=chunk.page,
        )
