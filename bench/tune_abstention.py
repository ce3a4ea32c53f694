"""Measures where to set `abstain_below`: the best sentence's score for answerable and unanswerable questions.

    .venv/bin/python bench/tune_abstention.py [FILE.jsonl ...]

Reads the tests' question set by default (tests/data/answer_questions.jsonl). Prints each group's score
range and, for a sweep of thresholds, how many answerable questions would be refused and how many
unanswerable ones answered. The threshold in qa/settings.py is the one this picks.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import qa  # noqa: E402
from qa.answerers.extractive import answering_candidates  # noqa: E402


def main() -> None:
    files = [Path(f) for f in sys.argv[1:]] or [ROOT / "tests" / "data" / "answer_questions.jsonl"]
    rows = [json.loads(line) for f in files for line in f.read_text(encoding="utf-8").splitlines() if line.strip()]
    with tempfile.TemporaryDirectory() as scratch:
        qa.build_index(ROOT / "corpus", scratch)
        search = qa.retriever(scratch)
        scores: dict[str, list[float]] = {"answerable": [], "off-topic": [], "near-topic": []}
        for row in rows:
            ranked = answering_candidates(row["question"], search.search(row["question"], 5), search)
            scores[row.get("unanswerable", "answerable")].append(ranked[0].score if ranked else -1.0)
    for group, values in scores.items():
        print(f"{group:11s} n={len(values):2d}  min {min(values):.3f}  max {max(values):.3f}")
    answerable = scores["answerable"]
    unanswerable = scores["off-topic"] + scores["near-topic"]
    print("\nthreshold  answerable refused  off-topic answered  near-topic answered")
    best = None
    for step in range(0, 121, 5):
        threshold = step / 100
        refused = sum(s < threshold for s in answerable) / len(answerable)
        off = sum(s >= threshold for s in scores["off-topic"]) / len(scores["off-topic"])
        near = sum(s >= threshold for s in scores["near-topic"]) / len(scores["near-topic"])
        print(f"  {threshold:.2f}     {refused:6.1%}              {off:6.1%}              {near:6.1%}")
        wrong = refused + sum(s >= threshold for s in unanswerable) / len(unanswerable)
        if refused <= 0.05 and off == 0 and (best is None or wrong < best[1]):
            best = (threshold, wrong)
    if best:
        low = max([s for s in unanswerable if s < best[0]], default=best[0])
        high = min(s for s in answerable if s >= best[0])
        print(f"\nchosen: halfway across the gap {low:.3f}..{high:.3f} -> {(low + high) / 2:.2f}")


if __name__ == "__main__":
    main()
