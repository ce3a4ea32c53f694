"""Measures where to set the refusal settings: thresholds (`abstain_below*`) and off-topic margins (`off_topic_margin*`).

    .venv/bin/python bench/tune_abstention.py [FILE.jsonl ...]

Reads the tests' question sets by default (tests/data/*.jsonl; never eval/, which is kept for `qa eval`).
For English questions and for those compared in the multilingual vector set it prints each group's range of
the best sentence's score and of that score minus the question's likeness to everyday questions (qa/scope.py),
with a sweep of each; then the pair it picks and what that pair refuses. The values in qa/settings.py are the
ones this picks.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from bench_env import ROOT, TEST_QUESTION_FILES  # first: puts the repository on the path for the qa imports

import qa
from qa.answerers.extractive import Evidence, answering_candidates, evidence
from qa.conversation import contextual_query
from qa.evaluate import read_cases

GROUPS = ("answerable", "off-topic", "near-topic")


def halfway(label: str, values: dict[str, list[float]]) -> float | None:
    """Print the trade-off and pick, for each guard on its own: halfway between the highest off-topic value and the highest cut that
    still lets 95 % of the answerable questions through."""
    answerable, off, near = values["answerable"], values["off-topic"], values["near-topic"]
    for group in GROUPS:
        if values[group]:
            print(f"  {group:11s} n={len(values[group]):2d}  min {min(values[group]):+.3f}  max {max(values[group]):+.3f}")
    if not answerable or not off:
        return None
    print(f"  {label:9s}  answerable refused  off-topic answered  near-topic answered")
    for step in range(-40, 121, 10):
        cut = step / 100
        refused = sum(v < cut for v in answerable) / len(answerable)
        off_answered = sum(v >= cut for v in off) / len(off)
        near_answered = sum(v >= cut for v in near) / len(near) if near else 0.0
        print(f"  {cut:+.2f}      {refused:6.1%}              {off_answered:6.1%}              {near_answered:6.1%}")
    high = sorted(answerable)[int(len(answerable) * 0.05)]
    low = max(off)
    chosen = round((low + high) / 2, 2)
    print(f"  chosen: halfway between the highest off-topic value {low:+.3f} and the 5 %-refusal point {high:+.3f}"
          f" -> {chosen:+.2f}" + ("" if low < high else "  (they overlap: no cut separates them)"))
    return chosen


def main() -> None:
    files = [Path(f) for f in sys.argv[1:]] or TEST_QUESTION_FILES
    cases = [case for f in files for case in read_cases(f)]
    found: dict[str, list[tuple[str, Evidence | None]]] = {"dense": [], "multilingual": []}
    with tempfile.TemporaryDirectory() as scratch:
        qa.build_index(ROOT / "corpus", scratch)
        search = qa.retriever(scratch)
        for case in cases:
            query = contextual_query(case.question, case.history)
            ranked = answering_candidates(query, search.search(query, 5), search)
            group = case.unanswerable or "answerable"
            if ranked:
                seen = evidence(query, ranked[0], search)
                found[seen.space].append((group, seen))
            else:
                found[search.space_for(query)].append((group, None))
    for space, setting in (("dense", "QA_ABSTAIN_BELOW, QA_OFF_TOPIC_MARGIN"),
                           ("multilingual", "QA_ABSTAIN_BELOW_MULTILINGUAL, QA_OFF_TOPIC_MARGIN_MULTILINGUAL")):
        print(f"\n== questions compared in the {space} vector set ({setting})")
        scores = {g: [e.score if e else -1.0 for grp, e in found[space] if grp == g] for g in GROUPS}
        print("best sentence's score:")
        threshold = halfway("threshold", scores)
        print("score minus likeness to everyday questions:")
        margin = halfway("margin", {g: [e.score - e.everyday for grp, e in found[space] if e and grp == g] for g in GROUPS})
        if threshold is None or margin is None:
            continue
        for group in GROUPS:
            members = [e for g, e in found[space] if g == group]
            if members:
                answered = sum(1 for e in members if e and e.score >= threshold and e.score - e.everyday >= margin)
                print(f"  with both: {group:11s} answered {answered}/{len(members)}")


if __name__ == "__main__":
    main()
