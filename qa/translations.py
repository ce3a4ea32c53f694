"""A passage and its translation: the version in the question's language answers.

Users add a paper together with its translation. Both versions then meet a question, and which one ranks first
was a coin toss: on the development white paper indexed with its Chinese version, the English tuning questions
cited the Chinese sentence for about a quarter of their answers. Among the passages a question ranks first, one
in the other script that has a translation in the question's script gives its place to that translation, or,
when the translation does not rank at all, is left out: its match came through the other language alone.

Two chunks are translations when each is the other's closest chunk of its script in the multilingual USE, at a
cosine of `TRANSLATION_COSINE` or more. Closest both ways, because two passages on one topic (a university
FAQ's opening hours and a regulation's) can come as close as a translation does, while each has its own
translation nearer. Two documents with `TRANSLATED_DOCUMENT_PAIRS` such pairs or more translate each other, and
inside them a chunk's closest of the other document, closest both ways, is its translation from a lower cosine
(`TWIN_DOCUMENT_COSINE`): a sentence-long chunk and its translation, figures written another way ("1.24万人",
"12,400"), come only that close.
"""

from __future__ import annotations

import numpy as np

from qa.dense import closest_both_ways, scores_every_row
from qa.editions import same_edition
from qa.store import StoredIndex

# On the development corpora (docs/quality-log.md, 2026-12-06), a Chinese chunk's best USE cosine with an English
# chunk of its translation is 0.69 or more for 95 % of the white paper's chunks (median 0.79), while in the
# library, where no document translates another, no pair of scripts reaches 0.60. The tuning figures are the same
# from 0.65 to 0.70; the higher keeps apart a new-user probe's FAQ and a regulation's article on opening hours
# (0.67), where the article's own translation was split over two clauses.
TRANSLATION_COSINE = 0.7
# Pairs at TRANSLATION_COSINE between two documents that translate each other, measured 2026-12-07: the
# development white paper and its Chinese version 99 of 107 chunks, the transport and water reports and their
# Chinese excerpts 6 of 6 and 5 of 8, a new-user probe's Chinese HTML report and its English PDF 13 of 57;
# between documents of the two scripts that do not, none on every development corpus and that probe's.
TRANSLATED_DOCUMENT_PAIRS = 2
# Inside two documents that translate each other, the cosine from which a chunk's closest of the other document,
# closest both ways, is its translation: the probe's report and its PDF paired 41 of their 42 mutual closest
# chunks at 0.5 or more (13 at 0.7), the excerpts all of theirs; unrelated documents' mutual closest chunks
# come to 0.55-0.64, but those documents never pair at TRANSLATION_COSINE.
TWIN_DOCUMENT_COSINE = 0.5
GRAPH_NEIGHBOURS = 20  # with a graph, the chunks it names near a chunk, among which its translation is looked for


def in_question_language(
    index: StoredIndex, ranked: list[tuple[int, float]], question_is_chinese: bool, k: int
) -> list[tuple[int, float]]:
    """`ranked` (rows and scores, best first) with each row in the other script that comes before `k` rows are
    listed replaced, at its place and score, by its translation when that ranks too (left out when it already
    ranks higher), and left out when the translation does not rank."""
    if "multilingual" not in index.vector_sets or not ranked or index.cjk_rows.all() or not index.cjk_rows.any():
        return ranked
    ranked_rows = {row for row, _ in ranked}
    result: list[tuple[int, float]] = []
    listed: set[int] = set()
    for row, score in ranked:
        if len(result) < k and bool(index.cjk_rows[row]) != question_is_chinese:
            twin = translation_of(index, row)
            if twin is not None:
                if twin not in ranked_rows:
                    continue
                row = twin
        if row not in listed:
            result.append((row, score))
            listed.add(row)
    return result


def translation_of(index: StoredIndex, row: int) -> int | None:
    """The chunk of the other script that translates this one, or None; found once per build, since it reads
    every row's vector (a server's, with Milvus)."""
    key = ("translation", row)
    if key not in index.cache:
        twin, cosine = closest_in_other_script(index, row)
        mutual = twin is not None and cosine >= TRANSLATION_COSINE and closest_in_other_script(index, twin)[0] == row
        if twin is not None and not mutual:
            twin = twins_in_documents(index, row, twin).get(row)
            mutual = twin is not None
        if mutual and not same_edition(index, index.chunks[row].source, index.chunks[twin].source):
            mutual = False  # the Chinese 2024 report reads like the English 2023 one, figures aside
        index.cache[key] = twin if mutual else None
        if mutual:  # the pair is one: the twin's own look-up would read every row again to find this one
            index.cache[("translation", twin)] = row
    return index.cache[key]


def twins_in_documents(index: StoredIndex, row: int, other_row: int) -> dict[int, int]:
    """The chunks of `row`'s document and `other_row`'s (each in its own chunk's script) that translate each
    other, both ways, when the two documents translate each other; else none. Found once per pair and build."""
    sources = (index.chunks[row].source, index.chunks[other_row].source)
    key = ("translated documents", *sorted(sources), bool(index.cjk_rows[row]))
    if key not in index.cache:
        documents = index.document_rows()
        rows, other_rows = (
            documents[source][index.cjk_rows[documents[source]] == index.cjk_rows[of]]
            for source, of in zip(sources, (row, other_row))
        )
        vectors = index.vector_sets["multilingual"]
        cosines = np.asarray(vectors.chunks[rows]) @ np.asarray(vectors.chunks[other_rows]).T
        pairs = closest_both_ways(cosines)
        twins: dict[int, int] = {}
        if sum(cosine >= TRANSLATION_COSINE for _, _, cosine in pairs) >= TRANSLATED_DOCUMENT_PAIRS:
            anchored = sorted((a, b) for a, b, cosine in pairs if cosine >= TWIN_DOCUMENT_COSINE)
            for a, b in [*anchored, *paired_in_gaps(cosines, anchored)]:
                twins[int(rows[a])], twins[int(other_rows[b])] = int(other_rows[b]), int(rows[a])
        index.cache[key] = twins
    return index.cache[key]


def paired_in_gaps(cosines: np.ndarray, anchored: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """More pairs of two documents that translate each other (`cosines`: each chunk of one, in reading order,
    against each of the other), from their order: a translation keeps it, so a chunk that no pair holds is
    paired with the chunk closest to it, both ways, among those between the pairs (`anchored`) before and
    after it, at TWIN_DOCUMENT_COSINE or more. A sentence-long passage under a long title came closer to the
    previous passage's translation (0.71) than to its own (0.70), in a report whose PDF is titled."""
    found = []
    bounds = [(-1, -1), *anchored, cosines.shape]
    for (first, other_first), (last, other_last) in zip(bounds, bounds[1:]):
        if last - first < 2 or other_last - other_first < 2:
            continue  # no gap on one side, or pairs that cross
        window = cosines[first + 1 : last, other_first + 1 : other_last]
        found += [
            (first + 1 + a, other_first + 1 + b)
            for a, b, cosine in closest_both_ways(window)
            if cosine >= TWIN_DOCUMENT_COSINE
        ]
    return found


def closest_in_other_script(index: StoredIndex, row: int) -> tuple[int | None, float]:
    """The chunk in the other script nearest this one in the multilingual set, and its cosine: over every row,
    or with a graph among the `GRAPH_NEIGHBOURS` it names (None when all of those are in the chunk's script)."""
    vectors = index.vector_sets["multilingual"]
    vector = np.asarray(vectors.chunks[np.array([row])])[0]
    other_script = index.cjk_rows != index.cjk_rows[row]
    if scores_every_row(index):
        cosines = np.where(other_script, vectors.chunks @ vector, -np.inf)
        best = int(cosines.argmax())
        return best, float(cosines[best])
    near = np.array([n for n in vectors.nearest(vector, GRAPH_NEIGHBOURS) if other_script[n]], dtype=np.int64)
    if not len(near):
        return None, 0.0
    cosines = np.asarray(vectors.chunks[near]) @ vector
    return int(near[cosines.argmax()]), float(cosines.max())
