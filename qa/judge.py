"""The judge: whether the evidence answers the question, or the assistant says it is not in the documents.

A logistic model over what the evidence stage found (`JUDGE_FEATURES`), fitted by `bench/tune_answers.py` on the
tuning questions of the development corpora: answerable ones against near-topic questions (the subject is in the
documents, the fact asked is not) and off-topic ones. The answer is refused when its probability falls below
`answer_threshold` (a setting; the tuning script prints the trade-off).
"""

from __future__ import annotations

import math

import numpy as np

from qa.evidence import FEATURES, Candidate, question_terms_unknown
from qa.scope import everyday_kept, everyday_similarity
from qa.search import Passage, Retriever

JUDGE_FEATURES = (
    "sentence_score",  # the strongest sentence's probability of holding an answer (qa/evidence.py's answer model)
    "sentence_similarity",  # its cosine with the question
    "context_coverage",  # share of the question's weighted terms in it and the sentence before
    "passage_similarity",  # the best passage's cosine
    "unknown_terms",  # share of the question's term weight that the whole index never contains
    "fits_type",  # it holds a number, date or name asked for, one the question does not hold
    "everyday",  # the user's turn's cosine with the nearest everyday question far from the documents (qa/scope.py)
    "multilingual",  # compared in the multilingual vector set, whose cosines run lower
)
# Fitted by bench/tune_answers.py on tests/data/tuning/ (features as above, then bias), with pooled clause vectors.
JUDGE_WEIGHTS = np.array([2.936, 5.183, -0.799, -2.318, -0.792, 0.858, -11.117, 1.543], dtype=np.float32)
JUDGE_BIAS = -1.097


def judge_features(
    query: str, best: Candidate, passages: list[Passage], retriever: Retriever, turn: str | None = None
) -> np.ndarray:
    """The features of `JUDGE_FEATURES`, for the strongest candidate sentence of the evidence (the one most
    likely to hold an answer, `Candidate.holds_answer`). `turn` is the user's
    own words when `query` joins them to earlier questions: small talk is recognised in what the user said,
    since "Will it rain there tomorrow?" joined to a real question reads half like that question."""
    space = retriever.space_for(query, best.text)
    index, embedders = retriever.current()
    everyday = everyday_kept(index, space, embedders[space])
    feature = dict(zip(FEATURES, map(float, best.features)))
    return np.array(
        [
            best.holds_answer,
            feature["similarity"],
            feature["context_coverage"],
            max(p.similarity for p in passages) if passages else 0.0,
            question_terms_unknown(query, retriever),
            feature["fits_type"],
            everyday_similarity(everyday, retriever.vectors([turn or query], "query", space)[0]),
            float(space == "multilingual"),
        ],
        dtype=np.float32,
    )


# Below this cosine between the question and the strongest sentence, that sentence speaks of something else,
# however well it fits the kind of answer asked for: a probe's "绿丝路荒漠基金会的理事长是谁？", asked of documents
# without the foundation, was answered at 0.56 with a governor's name at a cosine of 0.12. Over every tuning set
# (2026-12-07, 798 questions) the lowest cosine of a right answer was 0.159 (a Chinese question over the English
# summary), and 6 of the 13 off-topic questions answered came at 0.13 or below. A second probe's Chinese
# question over its English report, answered with the right sentence second, came at 0.144: 0.15 refused it.
# The linear judge lets the sentence's other features outweigh a cosine this low.
UNRELATED_SIMILARITY = 0.14


def answer_probability(features: np.ndarray) -> float:
    if features[JUDGE_FEATURES.index("sentence_similarity")] < UNRELATED_SIMILARITY:
        return 0.0
    return 1.0 / (1.0 + math.exp(-float(features @ JUDGE_WEIGHTS + JUDGE_BIAS)))
