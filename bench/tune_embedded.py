"""How many candidate sentences the evidence stage embeds (qa/evidence.py's EMBEDDED_SENTENCES): the answers
against embedding every sentence, and the time of a new question.

    .venv/bin/python bench/tune_embedded.py [--sizes 3,5,8] [--rounds 3]

Reads only tests/data/tuning/ (bench_env.TUNING_SETS). For each size it asks every tuning question and prints
how many answers are the same as with every sentence embedded (the same refusal and the same cited spans),
how many cite the right sentence and how many are refused; then `ask()` warm on the long white paper, each call
with an empty vector cache, the sizes taking turns round by round (as bench/bench_chat.py times it). Prints
figures only.
"""

from __future__ import annotations

import argparse
import statistics
import time

from bench_env import TUNING, TUNING_SETS, WHITE_PAPER, tuning_cases  # first: puts the repository on the path for the qa imports

import qa
from qa import evidence
from qa.evaluate import eval_index, holds, percentile, read_cases

EVERY = 10**6  # as many as any question has


def answers(cases, index_dir: str) -> list[tuple]:
    """Per question: (refused, cited spans, cites the right sentence)."""
    rows = []
    for case in cases:
        history = [{"role": "user", "content": turn} for turn in case.history]
        answer = qa.ask(case.question, history=history, index_dir=index_dir)
        spans = tuple((c.source, c.start, c.end) for c in answer.citations)
        right = bool(case.expect) and not answer.abstained and any(holds(c.quote, case.expect) for c in answer.citations)
        rows.append((answer.abstained, spans, right))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="3,5,8")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]

    results: dict[int, list[tuple]] = {size: [] for size in [EVERY, *sizes]}
    for _, questions, corpora in TUNING_SETS:
        index_dir = eval_index(corpora)
        cases = tuning_cases(questions)
        for size in results:
            evidence.EMBEDDED_SENTENCES = size
            results[size] += answers(cases, index_dir)
    every = results.pop(EVERY)
    print(f"{len(every)} tuning questions; every sentence embedded: {sum(r[2] for r in every)} cite the right sentence, "
          f"{sum(r[0] for r in every)} refused")
    for size, rows in results.items():
        same = sum(a[:2] == b[:2] for a, b in zip(rows, every))
        print(f"  first {size}: same answer {same}/{len(rows)}, right sentence cited {sum(r[2] for r in rows)}, "
              f"refused {sum(r[0] for r in rows)}")

    index_dir = eval_index([WHITE_PAPER])
    questions = [case.question for case in read_cases(TUNING / "white-paper.jsonl") if not case.history]
    retriever = qa.retriever(index_dir)
    qa.ask(questions[0], index_dir=index_dir)
    timings: dict[int, list[float]] = {size: [] for size in [EVERY, *sizes]}
    for round_ in range(args.rounds):
        for size in list(timings)[:: 1 if round_ % 2 == 0 else -1]:
            evidence.EMBEDDED_SENTENCES = size
            for question in questions:
                retriever.vector_cache.clear()
                started = time.perf_counter()
                qa.ask(question, index_dir=index_dir)
                timings[size].append((time.perf_counter() - started) * 1000)
    for size, values in timings.items():
        label = "every sentence" if size == EVERY else f"first {size}"
        print(f"ask() warm, new question, long white paper, {label} embedded ({len(values)} calls): "
              f"p50 {statistics.median(values):.1f} ms, p95 {percentile(values, 0.95):.1f} ms")


if __name__ == "__main__":
    main()
