"""Search: vectors, BM25 or both fused by reciprocal rank, over the live build; reloads when a new build goes live.

Dense scores (`qa/dense.py`) are computed for every chunk, or, when the build has a graph (a large library:
`qa/vector_stores/`), for the candidates its graphs and BM25 name, shortlisted by the cosines of the graphs'
in-memory codes, so that a question's work no longer grows with every chunk and clause of the library.
"""
from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from qa.answer_types import ASKS_FOR_ANY, asking_part
from qa.bm25 import best_rows, bm25_document_frequencies, bm25_scores, bm25_search
from qa.chunking import Chunk
from qa.dense import (
    dense_scores,
    fused_chinese_scores,
    fused_english_scores,
    multilingual_rows,
    row_space,
    scores_every_row,
    shortlist,
    without_script_gap,
)
from qa.editions import in_asked_time, outside_asked_period
from qa.embedders import Embedder, embedder_for, made_otherwise
from qa.errors import ELSEWHERE, IndexMismatchError, QAError
from qa.lexical import TermWeights, terms
from qa.limits import check_k, check_question
from qa.section_names import NamedSections, named_sections
from qa.sentences import Span, has_cjk
from qa.settings import Settings
from qa.store import StoredIndex, current_build_id, current_stamp, load_index
from qa.translations import in_question_language

MODES = ("dense", "bm25", "hybrid")
VECTOR_CACHE_SIZE = 4096
RRF_K = 60  # the constant of reciprocal rank fusion; 60 is the value of its original paper
MIN_DEPTH = 50  # each list offers at least this many rows to the fusion
# With a graph (qa/vector_stores/): chunks each list (the graph of each vector set, BM25) offers as candidates,
# before the shortlist (qa/dense.py). bench/bench_scale.py's 1 M chunks, Python's topics' 20 tuning questions,
# shortlist 100: lists of 400 held 0.940 of what scoring every row ranks in its top 10, of 600 0.965, of 800
# 0.975, at p50 20-26 ms each (so 600: the shortlist made more candidates cheap; before it, 400 took 62-98 ms).
CANDIDATES = 600


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


class Retriever:
    """One index folder and its embedders, loaded once and reused; a new build is picked up on the next call."""

    def __init__(self, index_dir: Path, settings: Settings) -> None:
        self.index_dir = Path(index_dir)
        self.settings = settings
        self.lock = threading.Lock()
        self.index: StoredIndex | None = None
        self.embedders: dict[str, Embedder] = {}
        self.weights: TermWeights | None = None
        self.stamp: tuple[int, int, int] | None = None  # CURRENT's file when the live build was last checked
        # Questions repeat and answer sentences recur across questions; their vectors are kept.
        self.vector_cache: OrderedDict[tuple[str, str, str], np.ndarray] = OrderedDict()
        self.pool = ThreadPoolExecutor(os.cpu_count() or 1, thread_name_prefix="query")

    def current(self) -> tuple[StoredIndex, dict[str, Embedder]]:
        """The live build and its embedders, reloading when CURRENT names another build. A question asks
        this some thirty times; while CURRENT's file is unchanged, one stat answers instead of a read."""
        with self.lock:
            stamp = current_stamp(self.index_dir)
            if self.index is None or stamp is None or stamp != self.stamp:
                if self.index is None or current_build_id(self.index_dir) != self.index.build_id:
                    index = load_index(self.index_dir)
                    self.embedders = self.checked_embedders(index)
                    replaced, self.index = self.index, index
                    if replaced is not None:
                        replaced.close()
                self.stamp = stamp
            return self.index, self.embedders

    def checked_embedders(self, index: StoredIndex) -> dict[str, Embedder]:
        wanted = {"dense": self.settings.embed_model, "multilingual": self.settings.multilingual_model}
        built = {"dense": index.manifest.get("model"), "multilingual": index.manifest.get("multilingual_model", "")}
        for name in wanted:
            if wanted[name] != built[name]:
                raise IndexMismatchError(
                    f"the index in {self.index_dir}/ was built with the {name} model {built[name]!r}, but the "
                    f"settings name {wanted[name]!r}: run `qa build` to rebuild it" + ELSEWHERE
                )
        embedders = {}
        for name, vectors in index.vector_sets.items():
            embedder = embedder_for(wanted[name], self.settings)
            if embedder.dimension != vectors.dimension:
                raise IndexMismatchError(
                    f"the index in {self.index_dir}/ holds {vectors.dimension}-dimensional {name} vectors but the model "
                    f"gives {embedder.dimension}: run `qa build` to rebuild it" + ELSEWHERE
                )
            if why := made_otherwise(index.manifest, name, embedder):
                raise IndexMismatchError(
                    f"the {name} vectors in {self.index_dir}/ were {why}: run `qa build` to rebuild it" + ELSEWHERE
                )
            embedder.encode_query("warm up")  # lazy weights load now, not in the first question's time
            embedders[name] = embedder
        return embedders

    def term_weights(self) -> TermWeights:
        """IDF of every term over the live build's chunks, once per build, read from its BM25 index (built
        on the same terms), so that a large library's chunks are not split into terms again."""
        index, _ = self.current()
        weights = self.weights
        if weights is None or weights.build_id != index.build_id:
            weights = TermWeights.from_counts(*bm25_document_frequencies(index.bm25), build_id=index.build_id)
            weights.heading_terms = frozenset(term for path in {chunk.heading_path for chunk in index.chunks} for term in terms(path))
            self.weights = weights
        return weights

    def knows(self, term: str) -> bool:
        """Whether any chunk of the live build contains the term, or a heading or title over one (as
        qa.lexical.terms reads words)."""
        return self.term_weights().knows(term)

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

    def query_vectors(self, query: str, spaces: list[str]) -> dict[str, np.ndarray]:
        """The question's unit vector in each vector set, the sets' encoders run side by side: ONNX Runtime and
        numpy compute without the GIL, so on 2 cores MiniLM and the multilingual USE took 7.1 ms together
        where one after the other took 11.2 (p50 over the white paper's tuning questions, 2026-12-03)."""
        first, *others = spaces
        later = {space: self.pool.submit(self.vectors, [query], "query", space) for space in others}
        vectors = {first: self.vectors([query], "query", first)[0]}
        return vectors | {space: future.result()[0] for space, future in later.items()}

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
        scores = index.vector_sets[space].clauses[first:last] @ self.vectors([query], "query", space)[0]
        return list(zip(index.chunks[row].clause_spans, map(float, scores)))

    def dense_ranking(self, index: StoredIndex, query: str, depth: int) -> list[tuple[int, float]]:
        """Rows by dense score (chunk and best clause cosine, mixed), each chunk compared in the vector set
        that reads both it and the question: a Chinese question, or a Chinese chunk, in the multilingual set.
        Every row is scored, or with a graph the shortlist of its candidates alone."""
        lexical = bm25_scores(index.bm25, query)
        query_vectors = self.query_vectors(query, list(index.vector_sets))
        question_is_chinese = has_cjk(query)
        rows = self.candidates(index, query_vectors, depth, lexical)
        if rows is not None:
            rows = shortlist(index, query_vectors, lexical, rows, question_is_chinese, depth)
        chosen = np.arange(len(index.chunks)) if rows is None else rows
        multilingual = multilingual_rows(index, question_is_chinese, chosen)
        combined = np.zeros(len(chosen), dtype=np.float32)
        for space, part in (("dense", ~multilingual), ("multilingual", multilingual)):
            if part.any():
                combined[part] = dense_scores(index, space, query_vectors[space], chosen[part])
        combined[multilingual] = without_script_gap(
            index, combined[multilingual], chosen[multilingual], question_is_chinese
        )
        if question_is_chinese:
            chinese = index.cjk_rows[chosen]
            combined[chinese] = fused_chinese_scores(
                index, query_vectors["multilingual"], lexical, combined[chinese], chosen[chinese]
            )
        english = ~multilingual
        if english.sum() > 1 and "multilingual" in index.vector_sets:
            # An English question (a Chinese one has no English rows): its Chinese chunks go on the same scale.
            combined[english], combined[multilingual] = fused_english_scores(
                index, query_vectors, lexical, combined[english], chosen[english], combined[multilingual]
            )
        top = np.argsort(-combined, kind="stable")[:depth]
        return [(int(chosen[at]), float(combined[at])) for at in top]

    def candidates(
        self, index: StoredIndex, query_vectors: dict[str, np.ndarray], depth: int, lexical: np.ndarray | None
    ) -> np.ndarray | None:
        """The rows worth scoring: None (all) without a graph; with one, the chunks nearest the question (its
        vector in each set) in each vector set and its best BM25 matches (`lexical`: every chunk's BM25
        score), in row order."""
        if scores_every_row(index):
            return None
        count = max(CANDIDATES, depth)
        found = [best_rows(lexical, count) if lexical is not None else np.zeros(0, dtype=np.int64)]
        for space, vectors in index.vector_sets.items():
            found.append(vectors.nearest(query_vectors[space], count))
        return np.unique(np.concatenate(found)).astype(np.int64)

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
        question_is_chinese = has_cjk(query)
        outside_period = outside_asked_period(index, query, ranked)
        ranked = in_asked_time(index, query, ranked, k)
        top = self.with_named_section(index, query, in_question_language(index, ranked, question_is_chinese, k)[:k], outside_period)
        spaces = {row: row_space(index, question_is_chinese or index.cjk_rows[row]) for row, _ in top}
        similarity: dict[int, float] = {}
        for space in set(spaces.values()):  # one read per vector set (a server's round trip)
            rows = np.array([row for row, _ in top if spaces[row] == space], dtype=np.int64)
            cosines = index.vector_sets[space].chunks[rows] @ self.vectors([query], "query", space)[0]
            similarity.update(zip(rows.tolist(), map(float, cosines)))
        return [passage_of(index.chunks[row], score, similarity[row]) for row, score in top]

    def with_named_section(
        self, index: StoredIndex, query: str, top: list[tuple[int, float]], outside_period: Callable[[int], bool]
    ) -> list[tuple[int, float]]:
        """The top rows, the last one replaced by the chunk nearest the question among those under a section
        the question names (qa/section_names.py) when none of them is: "What does Article 12 say?" shares no
        word with the article's text, and a probe's regulation was searched to "within 12 months" in Article
        41. In the question's script, where the section has chunks in it. Then `with_unit_opening`. Neither
        brings in a row `outside_period`: a probe's "How high did ozone get in Castleford in August 2024?" met the
        June bulletin's "Castleford", the August one's not counting as a named section (its overview names
        Castleford Lock station too)."""
        named = named_sections(query, index)
        if not (named.groups or named.cited) or not top:
            return top
        rows = np.array([row for row in named.rows(index) if not outside_period(row)], dtype=np.int64)
        if len(rows) and not any(named.holds(index.chunks[row].source, index.chunks[row].section) for row, _ in top):
            question_is_chinese = has_cjk(query)
            same_script = rows[index.cjk_rows[rows] == question_is_chinese]
            rows = same_script if len(same_script) else rows
            space = row_space(index, question_is_chinese or bool(index.cjk_rows[rows].any()))
            cosines = index.vector_sets[space].chunks[rows] @ self.vectors([query], "query", space)[0]
            top = [*top[:-1], (int(rows[int(np.argmax(cosines))]), top[-1][1])]
        return with_unit_opening(index, query, named, top, outside_period)


def with_unit_opening(
    index: StoredIndex, query: str, named: NamedSections, top: list[tuple[int, float]], outside_period: Callable[[int], bool]
) -> list[tuple[int, float]]:
    """The top rows with the chunk where the named or cited unit opens (`NamedSections.openings`), in the document
    ranked first among those that hold it: "What does section 4.2 say?" and "大气环境部分说了什么？" are answered by
    its opening, which shares no word with them. It takes the place of the last row outside the named sections,
    else of the last of another document's, else of the last. Not for a question that asks for a number, a date
    or a name: "Until when is oyster harvesting banned in the Western Estuary?" lost its answer's chunk to the
    region's opening (tuning set `coastal`)."""
    if len(top) < 2 or any(pattern.search(asking_part(query)) for pattern in ASKS_FOR_ANY):
        return top
    openings = named.openings(index)
    if not openings:
        return top
    source = named.opening_source(index, query, [index.chunks[row].source for row, _ in top])
    opening = openings[source][0]
    if opening in {row for row, _ in top} or outside_period(opening):
        return top
    under = lambda row: named.holds(index.chunks[row].source, index.chunks[row].section)  # noqa: E731
    at = max(range(len(top)), key=lambda at: (not under(top[at][0]), index.chunks[top[at][0]].source != source, at))
    return [*top[:at], *top[at + 1 :], (opening, top[-1][1])]


def passage_of(chunk: Chunk, score: float, similarity: float) -> Passage:
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
