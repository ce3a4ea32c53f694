"""Answer quality on the development corpora's tuning questions: the figures settings are chosen on.

    .venv/bin/python bench/tune_quality.py [--misses] [--sets NAME,NAME] [--modes dense,hybrid]

Each set's index is built once into .cache/qa-eval/ (as `qa eval --corpus` does) and updated incrementally.
Only tests/data/tuning/ is read; the held-out twins in eval/ are for `qa eval` and the README alone.
`--misses` lists every question answered wrongly: the rank of the right passage, and what was quoted or refused.
"""

from __future__ import annotations

import argparse

from bench_env import TUNING_SETS, tuning_cases  # first: puts the repository on the path for the qa imports

import qa
from qa.evaluate import eval_index, evaluate_mode, holds, table


def misses(cases, index_dir, mode: str) -> None:
    for case in cases:
        history = [{"role": "user", "content": turn} for turn in case.history]
        answer = qa.ask(case.question, history=history, index_dir=index_dir, mode=mode)
        if case.expect is None:
            if not answer.abstained:
                print(f"  ANSWERED {case.unanswerable}: {case.question!r} history={case.history}\n"
                      f"      -> {answer.citations[0].source}: {answer.citations[0].quote[:150]!r}")
            continue
        rank = next((n for n, p in enumerate(answer.passages, 1) if holds(p.text, case.expect)), None)
        cited = any(holds(c.quote, case.expect) for c in answer.citations)
        if answer.abstained or not cited or rank != 1:
            quote = "REFUSED" if answer.abstained else repr(answer.citations[0].quote[:150])
            print(f"  rank={rank} cited={cited}: {case.question!r} history={case.history}\n"
                  f"      expect {case.expect!r}\n      -> {quote}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--misses", action="store_true")
    parser.add_argument("--sets", default="")
    parser.add_argument("--modes", default="dense")
    args = parser.parse_args()
    wanted = {name.strip() for name in args.sets.split(",") if name.strip()}
    for name, questions, corpora in TUNING_SETS:
        if wanted and name not in wanted:
            continue
        index_dir = eval_index(corpora)
        cases = tuning_cases(questions)
        reports = [evaluate_mode(cases, mode, index_dir) for mode in args.modes.split(",")]
        print(f"\n== {name}: {', '.join(q.name for q in questions)} over {', '.join(c.rsplit('/', 1)[-1] for c in corpora)}")
        print(table(reports))
        if args.misses:
            misses(cases, index_dir, args.modes.split(",")[0])


if __name__ == "__main__":
    main()
