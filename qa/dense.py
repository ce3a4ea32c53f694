"""Dense scores of chunks, for every row of a build or for some (a large library's candidates).

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

from dataclasses import dataclass

import numpy as np

from qa.chunking import is_table
from qa.store import StoredIndex
from qa.vector_stores import EXACT

CLAUSE_WEIGHT = 0.5  # share of a chunk's dense score that comes from its best clause
# English questions over English chunks: MiniLM's score fused with the multilingual USE's and BM25's, each as
# z-scores over the chunks, with these weights (MiniLM's is 1). On the tuning questions of the development
# corpora (bench/tune_quality.py) English recall@1 went from 0.83 to 0.86 / 0.89 (USE 0.5 / and BM25 0.4) on
# the white paper alone, and from 0.48 to 0.61 / 0.61 on the library; USE 1.0 and BM25 0.2 measured lower.
USE_FUSION_WEIGHT = 0.5
BM25_FUSION_WEIGHT = 0.4
# In the multilingual USE a Chinese question's cosines with Chinese chunks run higher than with English ones,
# whatever they say: over the tuning questions of the white paper and its library (bench/tune_script_gap.py)
# by 0.040 on average over all chunks, 0.034 at the 95th percentile and 0.032 for the chunk that holds the
# answer. English chunks are lifted by that gap for a Chinese question, so that a Chinese neighbour does not
# outrank the English passage that answers. Not for an English question: its cosines with either script
# measured alike there (0.151 and 0.152 on average).
SCRIPT_GAP = 0.035
# When only candidates are scored (a build with a graph): rows whose scores stand for every row's in the
# fusion's z-scores; bench/bench_scale.py measured recall@10 against scoring every row with this many.
REFERENCE_ROWS = 2048
# With a graph: of its candidates, how many are scored from their float vectors and clauses, chosen by the
# cosines of the vectors the graph keeps in memory (`shortlist`). bench/bench_scale.py, 1 M chunks, Python's
# topics' 20 tuning questions, 600 candidates: recall@10 against exact search 0.950 with 50, 0.965 with 100,
# 0.960 with every candidate read; p50 20, 27 and 48 ms. At 100 K chunks 100 kept every candidate's recall.
SHORTLIST = 100


def row_space(index: StoredIndex, any_chinese: bool) -> str:
    return "multilingual" if any_chinese and "multilingual" in index.vector_sets else "dense"


def multilingual_rows(index: StoredIndex, question_is_chinese: bool, rows: np.ndarray) -> np.ndarray:
    """`row_space` for each of the rows at once: True where the chunk is compared in the multilingual set."""
    if row_space(index, True) != "multilingual":
        return np.zeros(len(rows), dtype=bool)
    return index.cjk_rows[rows] | question_is_chinese


@dataclass(frozen=True)
class RowVectors:
    """What scores some chunks in one vector set: their own vectors, and their clauses' one chunk after
    another (chunk i's are `clauses[first[i]:last[i]]`)."""

    own: np.ndarray
    clauses: np.ndarray
    first: np.ndarray
    last: np.ndarray
    tables: np.ndarray  # whether each chunk is a table, scored by its best row alone


def row_vectors(index: StoredIndex, space: str, rows: np.ndarray | None) -> RowVectors:
    """The vectors of these rows (all when None: the stored matrices themselves, nothing copied)."""
    vectors = index.vector_sets[space]
    tables = table_chunks(index)
    if rows is None:
        return RowVectors(vectors.chunks, vectors.clauses, index.clause_offsets[:-1], index.clause_offsets[1:], tables)
    first, last = index.clause_offsets[rows], index.clause_offsets[rows + 1]
    counts = last - first
    places = np.cumsum(counts) - counts  # where each chunk's clauses start in the list read here
    clause_ids = np.repeat(first - places, counts) + np.arange(counts.sum())
    clauses = vectors.clauses[clause_ids] if len(clause_ids) else np.zeros((0, vectors.dimension), np.float32)
    return RowVectors(vectors.chunks[rows], clauses, places, places + counts, tables[rows])


def table_chunks(index: StoredIndex) -> np.ndarray:
    """Which chunks are tables (`qa.chunking.is_table`), once per build. A table is one chunk however many rows it
    has, so its own vector, of its first rows, says little of the others: a table is scored by its best row,
    read under its header ("Denim — Max load: 4 kg; Duration: 2 h 05 min…" met "How long does the Denim programme
    run?" at 0.57, the fifteen-row table at 0.25)."""
    if "table chunks" not in index.cache:
        index.cache["table chunks"] = np.array(["|" in chunk.text and is_table(chunk.text) for chunk in index.chunks], dtype=bool)
    return index.cache["table chunks"]


def scored(vectors: RowVectors, query_vector: np.ndarray) -> np.ndarray:
    """Each chunk's dense score: the mean of its own cosine and its best clause's (a chunk without clauses
    is its own best clause; a table is its best row's)."""
    own = vectors.own @ query_vector
    best_clause = own.copy()
    has_clauses = vectors.last > vectors.first
    if has_clauses.any():
        best_clause[has_clauses] = np.maximum.reduceat(vectors.clauses @ query_vector, vectors.first[has_clauses])
    own = np.where(vectors.tables & has_clauses, best_clause, own)
    return with_best_clause(own, best_clause).astype(np.float32)


def closest_both_ways(cosines: np.ndarray) -> list[tuple[int, int, float]]:
    """The pairs (a row, a column, their cosine) of `cosines` (one set's vectors against another's) that are each
    other's closest: how an edition's passages find their counterparts in another edition, and a translation's
    their twins."""
    closest, closest_back = cosines.argmax(axis=1), cosines.argmax(axis=0)
    return [(a, int(b), float(cosines[a, b])) for a, b in enumerate(closest) if closest_back[b] == a]


def scores_every_row(index: StoredIndex) -> bool:
    """Whether a question scores every row of this build (no graph), or only the candidates a graph names."""
    return index.vector_sets["dense"].kind == EXACT


def without_script_gap(index: StoredIndex, scores: np.ndarray, rows: np.ndarray, question_is_chinese: bool) -> np.ndarray:
    """Multilingual scores of the rows with English chunks lifted by `SCRIPT_GAP` for a Chinese question."""
    if not question_is_chinese:
        return scores
    return scores + SCRIPT_GAP * ~index.cjk_rows[rows]


def dense_scores(index: StoredIndex, space: str, query_vector: np.ndarray, rows: np.ndarray | None) -> np.ndarray:
    """The dense score of each of the rows (all when None) in one vector set. Without a graph every row is
    scored from the mapped matrices and these picked (copying most rows out would cost more); with one,
    only these rows and their clauses are read."""
    if rows is not None and scores_every_row(index):
        return scored(row_vectors(index, space, None), query_vector)[rows]
    return scored(row_vectors(index, space, rows), query_vector)


def with_best_clause(own, best_clause):
    """A text's dense score: its own cosine mixed with its best clause's (numbers or arrays)."""
    return (1 - CLAUSE_WEIGHT) * own + CLAUSE_WEIGHT * best_clause


def standardised(values: np.ndarray, reference: np.ndarray) -> np.ndarray:
    """z-scores of values against the mean and spread of a reference (the same values, or a sample of them)."""
    return (values - reference.mean()) / (reference.std() + 1e-6)


def reference_sample(index: StoredIndex, chinese: bool = False) -> np.ndarray:
    """English rows (or Chinese ones) whose scores stand for every such row's in the fusion's z-scores when
    only candidates are scored: evenly spread over the index, so that the same question always ranks the
    same; drawn once per build."""
    key = ("reference rows", chinese)
    if key not in index.cache:
        if chinese:
            rows = np.flatnonzero(index.cjk_rows)
            picked = np.linspace(0, max(len(rows) - 1, 0), REFERENCE_ROWS).astype(np.int64)
            index.cache[key] = np.unique(rows[picked]) if len(rows) else rows
        else:
            sample = np.unique(np.linspace(0, len(index.chunks) - 1, REFERENCE_ROWS).astype(np.int64))
            index.cache[key] = sample[~index.cjk_rows[sample]]
    return index.cache[key]


def reference_vectors(index: StoredIndex, space: str, chinese: bool = False) -> RowVectors:
    """The sample's vectors in one set, read once per build: a server would otherwise be asked for
    thousands of rows by every question."""
    key = ("reference", space, chinese)
    if key not in index.cache:
        index.cache[key] = row_vectors(index, space, reference_sample(index, chinese))
    return index.cache[key]


def shortlist(
    index: StoredIndex,
    query_vectors: dict[str, np.ndarray],
    lexical: np.ndarray | None,
    rows: np.ndarray,
    question_is_chinese: bool,
    depth: int,
) -> np.ndarray:
    """The SHORTLIST candidates (at least `depth`) that look best by their own vectors' cosines as the vector
    sets keep them in memory (`approximate`: a graph's 8-bit codes), fused as `fused_english_scores` fuses
    the exact scores (the same weights and reference sample) but without clauses. Reading a large library's
    float vectors and clauses from disk is what a question's time goes on; these cosines cost no read.
    English and multilingual rows are shortlisted apart, as their scores are on other scales. All the rows
    when they are no more than that, or when a vector set keeps nothing to shortlist with (Milvus)."""
    keep = max(SHORTLIST, depth)
    if len(rows) <= keep:
        return rows
    multilingual = multilingual_rows(index, question_is_chinese, rows)
    english_weights = {"dense": 1.0, "multilingual": USE_FUSION_WEIGHT}
    reference = {space: reference_vectors(index, space).own @ query_vectors[space] for space in index.vector_sets}
    kept = []
    for part, weights in ((~multilingual, english_weights), (multilingual, {"multilingual": 1.0})):
        if not part.any():
            continue
        proxy = np.zeros(int(part.sum()), dtype=np.float32)
        for space, weight in weights.items():
            if space in index.vector_sets:
                cosines = index.vector_sets[space].approximate(query_vectors[space], rows[part])
                if cosines is None:
                    return rows
                if space == "multilingual":  # as the exact scores will be, or English chunks are cut here
                    cosines = without_script_gap(index, cosines, rows[part], question_is_chinese)
                proxy += weight * standardised(cosines, reference[space])
        if lexical is not None and weights is english_weights:
            proxy += BM25_FUSION_WEIGHT * standardised(lexical[rows[part]], lexical[reference_sample(index)])
        kept.append(rows[part][np.argsort(-proxy, kind="stable")[:keep]])
    return np.sort(np.concatenate(kept))


def fused_english_scores(
    index: StoredIndex,
    query_vectors: dict[str, np.ndarray],
    lexical: np.ndarray | None,
    own: np.ndarray,
    rows: np.ndarray,
    chinese_use: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """MiniLM's dense scores `own` of English rows, fused with the multilingual USE's and BM25's (`lexical`:
    every chunk's, None when the question has no known term), as weighted z-scores, and put back on MiniLM's
    scale so that the answerer and the judge read them as cosines. The z-scores are taken over the rows
    themselves when every row is scored, else over a fixed sample of rows.

    Returned with them, on the same scale: `chinese_use`, the multilingual scores of the question's Chinese rows
    (a Chinese question has no English rows), each at the z-score among the fused English scores that it has
    among the English rows' multilingual scores, since an English question's multilingual cosines run alike
    with either script (bench/tune_script_gap.py). Compared raw with the fused scores, which sit on MiniLM's
    higher scale, a Chinese document hardly ever ranked first: on the library's tuning questions
    (bench/tune_quality.py) recall@1 went 0.65 -> 0.68 and recall@5 0.91 -> 0.97 with this."""
    every_row = scores_every_row(index)
    use = dense_scores(index, "multilingual", query_vectors["multilingual"], rows)
    own_reference, use_reference = own, use
    if not every_row:
        own_reference = scored(reference_vectors(index, "dense"), query_vectors["dense"])
        use_reference = scored(reference_vectors(index, "multilingual"), query_vectors["multilingual"])
    fused = standardised(own, own_reference) + USE_FUSION_WEIGHT * standardised(use, use_reference)
    fused_reference = standardised(own_reference, own_reference)
    fused_reference += USE_FUSION_WEIGHT * standardised(use_reference, use_reference)
    total = 1 + USE_FUSION_WEIGHT
    if lexical is not None:
        chosen = lexical[rows]
        lexical_reference = chosen if every_row else lexical[reference_sample(index)]
        fused += BM25_FUSION_WEIGHT * standardised(chosen, lexical_reference)
        fused_reference += BM25_FUSION_WEIGHT * standardised(lexical_reference, lexical_reference)
        total += BM25_FUSION_WEIGHT
    english = own_reference.mean() + own_reference.std() * fused / total
    # The fused reference is a sum of z-scores, so its mean is 0 and its spread alone places the Chinese rows.
    on_fused_scale = fused_reference.std() * standardised(chinese_use, use_reference)
    return english, (own_reference.mean() + own_reference.std() * on_fused_scale / total).astype(np.float32)


def fused_chinese_scores(
    index: StoredIndex, query_vector: np.ndarray, lexical: np.ndarray | None, use: np.ndarray, rows: np.ndarray
) -> np.ndarray:
    """A Chinese question's multilingual scores `use` of Chinese rows, reordered by those scores fused with
    BM25's over jieba's words (`lexical`: every chunk's, None when the question has no known term) as weighted
    z-scores, with the weight English rows give BM25. The rows keep the same set of scores, handed out in the
    fused order: what they compete with English rows at is unchanged, since a library's few Chinese rows make
    unsteady z-scores (mapped back onto the multilingual scale instead, the best of them outranked the
    English white paper's answer to a Chinese question in the development library). The z-scores are taken
    over the rows themselves when every row is scored, else over a fixed sample of Chinese rows. On the
    Chinese paper's tuning questions (bench/tune_quality.py) recall@1 went 0.71 -> 0.86 and the right sentence
    cited 85 -> 90 %; BM25's weight was not tuned for it. With a graph, the shortlist still picks these rows by
    their cosines alone."""
    if lexical is None or len(rows) < 2:
        return use
    if scores_every_row(index):
        use_reference, lexical_reference = use, lexical[rows]
    else:
        sample = reference_sample(index, chinese=True)
        if len(sample) < 2:
            return use
        use_reference = scored(reference_vectors(index, "multilingual", chinese=True), query_vector)
        lexical_reference = lexical[sample]
    fused = standardised(use, use_reference) + BM25_FUSION_WEIGHT * standardised(lexical[rows], lexical_reference)
    reordered = np.empty_like(use)
    reordered[np.argsort(-fused, kind="stable")] = np.sort(use)[::-1]
    return reordered
