"""Which refusals should show the "possibly related" passages: the judge's probability for every refused tuning
question, by kind, and for each threshold the share of refusals that would still show them.

    .venv/bin/python bench/tune_related.py

Reads only tests/data/tuning/ and the summary's tuning files (bench_env.TUNING_SETS); eval/ is never read.
Passages beside a refusal help when the subject is in the documents (a near-topic question, or an answerable
one refused by mistake, whose answer is often among them) and mislead when it is not (an off-topic one: "tell
me a joke" showed three paragraphs on wetlands). qa/answerers/__init__.py RELATED_MIN_CONFIDENCE is chosen here:
the highest threshold that keeps them for at least 90 % of near-topic and 75 % of answerable refusals.
"""

from __future__ import annotations

import numpy as np

from bench_env import TUNING_SETS, tuning_cases  # first: puts the repository on the path for the qa imports

import qa
from qa.answerers import RELATED_MIN_CONFIDENCE
from qa.evaluate import eval_index

THRESHOLDS = (0.0, 0.02, 0.05, 0.08, 0.1, 0.15, 0.2)
KINDS = ("off-topic", "near-topic", "answerable")


def refusals() -> list[tuple[str, float]]:
    """(kind of question, the judge's probability) for each refused tuning question."""
    rows = []
    for _, questions, corpora in TUNING_SETS:
        index_dir = eval_index(corpora)
        for case in tuning_cases(questions):
            history = [{"role": "user", "content": earlier} for earlier in case.history]
            answer = qa.ask(case.question, history=history, index_dir=index_dir)
            if answer.abstained:
                rows.append((case.unanswerable or "answerable", answer.confidence))
    return rows


def main() -> None:
    rows = refusals()
    by_kind = {kind: np.array([p for k, p in rows if k == kind]) for kind in KINDS}
    print("refused tuning questions: " + ", ".join(f"{kind} {len(p)}" for kind, p in by_kind.items()))
    print("threshold | " + " | ".join(f"{kind} refusals showing passages" for kind in KINDS))
    for threshold in THRESHOLDS:
        shares = [f"{np.mean(p >= threshold):.0%} ({int(np.sum(p >= threshold))})" for p in by_kind.values()]
        mark = "  <- RELATED_MIN_CONFIDENCE" if threshold == RELATED_MIN_CONFIDENCE else ""
        print(f"{threshold:.2f} | " + " | ".join(shares) + mark)


if __name__ == "__main__":
    main()
