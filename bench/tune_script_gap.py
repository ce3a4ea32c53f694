"""How much higher the multilingual USE scores a chunk in the question's own script than one in the other:
the gap that qa/dense.py's SCRIPT_GAP takes out for Chinese questions.

    .venv/bin/python bench/tune_script_gap.py

Reads only tests/data/tuning/ (bench_env.TUNING_SETS), over the white paper, its Chinese version and the
library (which mixes English and Chinese documents). For each question asked without history it prints, by
question script and chunk script: the dense score of the chunk that holds the answer, and over every chunk of
the white paper and its library, the mean, 95th percentile and best score.
"""

from __future__ import annotations

import numpy as np

from bench_env import TUNING_SETS, tuning_cases  # first: puts the repository on the path for the qa imports

from qa import retriever
from qa.dense import dense_scores
from qa.evaluate import eval_index, holds
from qa.sentences import has_cjk

SETS = ("white paper", "white paper zh", "library")
LIBRARY = "white paper in library"


def script(chinese: bool) -> str:
    return "zh" if chinese else "en"


def main() -> None:
    cases = {name: [c for c in tuning_cases(questions) if not c.history] for name, questions, _ in TUNING_SETS}
    answers: dict[tuple[bool, bool], list[float]] = {}
    for name, _, corpora in TUNING_SETS:
        if name not in SETS:
            continue
        search = retriever(eval_index(corpora))
        index, _ = search.current()
        for case in cases[name]:
            rows = [row for row, chunk in enumerate(index.chunks) if case.expect and holds(chunk.text, case.expect)]
            if not rows:
                continue
            query = search.vectors([case.question], "query", "multilingual")[0]
            score = dense_scores(index, "multilingual", query, np.array(rows[:1]))[0]
            answers.setdefault((has_cjk(case.question), bool(index.cjk_rows[rows[0]])), []).append(float(score))
    print("the chunk that holds the answer, in the multilingual set:")
    for (question, chunk), scores in sorted(answers.items()):
        print(f"  question {script(question)} -> chunk {script(chunk)}: n={len(scores):3d} mean {np.mean(scores):.3f}")

    corpora = next(c for name, _, c in TUNING_SETS if name == LIBRARY)
    search = retriever(eval_index(corpora))
    index, _ = search.current()
    every: dict[tuple[bool, bool], list[tuple[float, float, float]]] = {}
    for case in [case for name in SETS for case in cases[name]]:
        query = search.vectors([case.question], "query", "multilingual")[0]
        scores = dense_scores(index, "multilingual", query, None)
        for chinese in (False, True):
            part = scores[index.cjk_rows == chinese]
            every.setdefault((has_cjk(case.question), chinese), []).append(
                (part.mean(), np.percentile(part, 95), part.max())
            )
    print(f"every chunk of {LIBRARY}, in the multilingual set (per question, then averaged):")
    for (question, chunk), rows in sorted(every.items()):
        mean, p95, best = np.array(rows).mean(axis=0)
        print(f"  question {script(question)} -> chunks {script(chunk)}: n={len(rows):3d} mean {mean:.3f}  p95 {p95:.3f}  best {best:.3f}")


if __name__ == "__main__":
    main()
