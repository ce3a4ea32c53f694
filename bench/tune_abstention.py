"""Measures where to set `abstain_below`: the best sentence's score for answerable and unanswerable questions.

    .venv/bin/python bench/tune_abstention.py [FILE.jsonl ...]

Reads the tests' question set by default (tests/data/answer_questions.jsonl). Prints, for English questions
and for those compared in the multilingual vector set, each group's score range and a sweep of thresholds:
how many answerable questions would be refused and how many unanswerable ones answered. The thresholds in
qa/settings.py are the ones this picks.
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


def sweep(label: str, scores: dict[str, list[float]]) -> float | None:
    """Print the trade-off and pick the threshold: halfway between the highest off-topic score and the
    highest threshold that still answers 95 % of the answerable questions."""
    print(f"\n== {label}")
    for group, values in scores.items():
        if values:
            print(f"{group:11s} n={len(values):2d}  min {min(values):.3f}  max {max(values):.3f}")
    answerable, off, near = scores["answerable"], scores["off-topic"], scores["near-topic"]
    if not answerable or not off:
        return None
    print("threshold  answerable refused  off-topic answered  near-topic answered")
    for step in range(0, 121, 5):
        threshold = step / 100
        refused = sum(s < threshold for s in answerable) / len(answerable)
        off_answered = sum(s >= threshold for s in off) / len(off)
        near_answered = sum(s >= threshold for s in near) / len(near) if near else 0.0
        print(f"  {threshold:.2f}     {refused:6.1%}              {off_answered:6.1%}              {near_answered:6.1%}")
    ordered = sorted(answerable)
    high = ordered[int(len(ordered) * 0.05)]  # refusing below this refuses at most 5 %
    low = max(off)
    chosen = (low + high) / 2
    print(f"chosen: halfway between the highest off-topic score {low:.3f} and the 5 %-refusal point {high:.3f}"
          f" -> {chosen:.2f}" + ("" if low < high else "  (they overlap: no threshold separates them)"))
    return chosen


def main() -> None:
    files = [Path(f) for f in sys.argv[1:]] or [ROOT / "tests" / "data" / "answer_questions.jsonl"]
    rows = [json.loads(line) for f in files for line in f.read_text(encoding="utf-8").splitlines() if line.strip()]
    with tempfile.TemporaryDirectory() as scratch:
        qa.build_index(ROOT / "corpus", scratch)
        search = qa.retriever(scratch)
        scores = {space: {"answerable": [], "off-topic": [], "near-topic": []} for space in ("dense", "multilingual")}
        for row in rows:
            ranked = answering_candidates(row["question"], search.search(row["question"], 5), search)
            space = search.space_for(row["question"], ranked[0].text) if ranked else search.space_for(row["question"])
            scores[space][row.get("unanswerable", "answerable")].append(ranked[0].score if ranked else -1.0)
    sweep("English questions (QA_ABSTAIN_BELOW)", scores["dense"])
    sweep("questions compared in the multilingual set (QA_ABSTAIN_BELOW_MULTILINGUAL)", scores["multilingual"])


if __name__ == "__main__":
    main()
