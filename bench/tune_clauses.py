"""Measures how much of a chunk's dense score should come from its best clause (`qa.dense.CLAUSE_WEIGHT`).

    .venv/bin/python bench/tune_clauses.py [FILE.jsonl ...]

Reads the tests' question sets by default (tests/data/*.jsonl; never eval/). Prints recall@1 and @3 of the
dense search for English and Chinese questions at each weight: 0 is the chunk's own vector alone, 1 its best
clause alone.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from bench_env import ROOT, TEST_QUESTION_FILES  # first: puts the repository on the path for the qa imports

import qa
from qa import dense
from qa.conversation import contextual_query
from qa.evaluate import holds, read_cases
from qa.sentences import has_cjk

WEIGHTS = (0.0, 0.3, 0.5, 0.7, 1.0)


def main() -> None:
    files = [Path(f) for f in sys.argv[1:]] or TEST_QUESTION_FILES
    cases = {
        contextual_query(case.question, case.history): case.expect
        for f in files
        for case in read_cases(f)
        if case.expect
    }
    print(f"{len(cases)} distinct questions from {', '.join(f.name for f in files)}")
    print("weight  EN R@1  EN R@3  ZH R@1  ZH R@3")
    with tempfile.TemporaryDirectory() as scratch:
        qa.build_index(ROOT / "corpus", scratch)
        for weight in WEIGHTS:
            dense.CLAUSE_WEIGHT = weight
            ranks: dict[bool, list[int]] = {False: [], True: []}
            for query, expect in cases.items():
                passages = qa.retrieve(query, k=10, index_dir=scratch, mode="dense")
                ranks[has_cjk(query)].append(next((n for n, p in enumerate(passages, 1) if holds(p.text, expect)), 99))
            figures = [sum(r <= k for r in ranks[zh]) / len(ranks[zh]) for zh in (False, True) for k in (1, 3)]
            print(f"  {weight:.1f}    " + "    ".join(f"{x:.2f}" for x in figures))


if __name__ == "__main__":
    main()
