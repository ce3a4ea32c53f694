"""The language-model judge's questions compared on the tuning sets: which one tells near-topic questions (the
subject is in the documents, the fact asked is not) from answerable ones, and ranks the right passage first.

Start a server first (README, "Answers written by a language model"), with log-probabilities, then:

    .venv/bin/python bench/tune_llm_judge.py --base-url http://127.0.0.1:8081/v1 --sets "white paper,library"

For each tuning question the evidence stage runs as the chat runs it; each judge question is then asked of the
top `--passages` passages it found. Per judge question it prints: AUC of the best passage's probability
(answerable against near-topic questions), near-topic questions refused and answerable ones refused at the
shipped threshold and at the threshold refusing at most 5 % of answerable ones, and the right passage first
after reranking. Replies are kept in `--cache` so that a second run costs nothing. Only tests/data/tuning/ is
read; the held-out questions in eval/ are never judged here.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import time
from pathlib import Path

from bench_env import ROOT, TUNING_SETS, tuning_cases  # first: puts the repository on the path for the qa imports

import qa
from qa import templates
from qa.evaluate import eval_index, holds, percentile
from qa.llm import LLMClient
from qa.settings import get_settings

# Each way of asking builds the judge's messages from the query and a passage. Besides the shipped one: other
# questions; the passage's document and section before it; and two worked examples (a made-up bridge, nothing
# from the tuning documents) before the real question, a fixed prefix the server keeps read between calls.
def asking(question_template: str = templates.LLM_JUDGE_QUESTION, titled: bool = False, examples: bool = False):
    def messages(query: str, passage) -> list[dict]:
        text = passage.text
        if titled:
            text = " — ".join(filter(None, [passage.source, passage.section])) + "\n" + text
        asked = templates.llm_judge_messages(query, text, question_template)
        if not examples:
            return asked
        worked = []
        for example_question, reply in EXAMPLES:
            worked += [
                {"role": "user", "content": question_template.format(text=EXAMPLE_PASSAGE, question=example_question)},
                {"role": "assistant", "content": reply},
            ]
        return asked[:1] + worked + asked[1:]

    return messages


EXAMPLE_PASSAGE = (
    "The Harlow Bridge over the river Tesk was opened in May 1984 by the regional transport board. It carries "
    "four lanes of traffic and about 38,000 vehicles a day, and it was strengthened between 2009 and 2011."
)
EXAMPLES = [
    ("How much did strengthening the Harlow Bridge cost?", "No"),
    ("Since when have cars been able to cross the Tesk on the Harlow Bridge?", "Yes"),
    ("Who designed the Harlow Bridge?", "No"),
    ("Roughly how many vehicles use the bridge daily?", "Yes"),
]
SPECIFIC = (
    "Passage:\n{text}\n\nQuestion: {question}\n\nDoes the passage state the specific fact this question asks for? "
    "Answer No if the passage is only about the same subject."
)
QUESTIONS = {
    "shipped": asking(),
    "specific": asking(SPECIFIC),
    "exactly": asking(
        "Passage:\n{text}\n\nQuestion: {question}\n\nCan the question be answered exactly from this passage "
        "alone, without guessing?"
    ),
    "titled": asking(titled=True),
    "examples": asking(examples=True),
    "titled-examples": asking(titled=True, examples=True),
}


class CachedJudge:
    def __init__(self, client: LLMClient, path: Path) -> None:
        self.client, self.path = client, path
        self.replies = json.loads(path.read_text()) if path.exists() else {}
        self.seconds: list[float] = []

    def probability(self, messages: list[dict]) -> float:
        key = hashlib.sha256(json.dumps(messages).encode()).hexdigest()
        if key not in self.replies:
            started = time.perf_counter()
            self.replies[key] = self.client.yes_probability(messages)
            self.seconds.append(time.perf_counter() - started)
            self.path.write_text(json.dumps(self.replies))
        return self.replies[key]


def auc(positives: list[float], negatives: list[float]) -> float:
    pairs = [(p > n) + 0.5 * (p == n) for p in positives for n in negatives]
    return sum(pairs) / len(pairs) if pairs else float("nan")


def report(name: str, rows: list[dict], shipped_threshold: float) -> None:
    answerable = [r for r in rows if r["expect"] is not None and not r["refused_by_evidence"]]
    near = [r for r in rows if r["kind"] == "near-topic" and not r["refused_by_evidence"]]
    off = [r for r in rows if r["kind"] == "off-topic" and not r["refused_by_evidence"]]
    print(
        f"  {name}: {len(answerable)} answerable, {len(near)} near-topic and {len(off)} off-topic questions "
        "reach the judge"
    )
    for variant in QUESTIONS:
        best = {id(r): max(r["p"][variant], default=0.0) for r in rows}
        area = auc([best[id(r)] for r in answerable], [best[id(r)] for r in near])
        ordered = sorted(best[id(r)] for r in answerable)
        strict = ordered[len(ordered) // 20] if ordered else 0.0  # refuses at most 5 % of answerable ones
        line = [f"AUC {area:.2f}"]
        for label, threshold in (("shipped", shipped_threshold), ("<=5%", strict)):
            refused_near = sum(best[id(r)] < threshold for r in near)
            refused_answerable = sum(best[id(r)] < threshold for r in answerable)
            line.append(
                f"t={threshold:.3f} ({label}): near refused {refused_near}/{len(near)}, "
                f"answerable refused {refused_answerable}/{len(answerable)}, "
                f"off-topic refused {sum(best[id(r)] < threshold for r in off)}/{len(off)}"
            )
        first = [
            r["holds"][max(range(len(r["holds"])), key=lambda i: r["p"][variant][i])]
            for r in answerable
            if r["holds"]
        ]
        evidence_first = [r["holds"][0] for r in answerable if r["holds"]]
        line.append(f"right passage first {sum(first)}/{len(first)} (evidence {sum(evidence_first)})")
        print(f"    {variant:>10}: " + "; ".join(line))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base-url", default="http://127.0.0.1:8080/v1")
    parser.add_argument("--sets", default="white paper,library,white paper zh")
    parser.add_argument("--passages", type=int, default=4)
    parser.add_argument("--kinds", default="", help="only these (comma-separated): answerable, near-topic, off-topic")
    parser.add_argument("--cache", type=Path, default=ROOT / ".cache" / "llm-judge-replies.json")
    parser.add_argument("--variants", default=",".join(QUESTIONS), help="judge questions to ask (comma-separated)")
    parser.add_argument("--show", action="store_true", help="print each question's probabilities")
    parser.add_argument("--dump", type=Path, help="write every question's row (probabilities, scores) to this file")
    args = parser.parse_args()
    for variant in set(QUESTIONS) - set(args.variants.split(",")):
        del QUESTIONS[variant]
    settings = get_settings().model_copy(update={"llm_base_url": args.base_url, "llm_timeout_seconds": 300})
    judge = CachedJudge(LLMClient(settings), args.cache)
    wanted = {name.strip() for name in args.sets.split(",")}
    kinds = {kind.strip() for kind in args.kinds.split(",") if kind.strip()}
    every_set: list[dict] = []
    for name, files, corpora in TUNING_SETS:
        if name not in wanted:
            continue
        index_dir = eval_index(corpora)
        rows = []
        for case in tuning_cases(files):
            kind = case.unanswerable or "answerable"
            if kinds and kind not in kinds:
                continue
            history = [{"role": "user", "content": turn} for turn in case.history]
            evidence = qa.ask(case.question, history=history, index_dir=index_dir)
            passages = evidence.passages[: args.passages]
            rows.append(
                {
                    "question": case.question,
                    "expect": case.expect,
                    "kind": kind,
                    "refused_by_evidence": evidence.abstained,
                    "holds": [holds(p.text, case.expect) for p in passages] if case.expect else [],
                    "scores": [p.score for p in passages],
                    "confidence": evidence.confidence,
                    "p": {variant: [] for variant in QUESTIONS},
                }
            )
            for passage in passages:  # each passage's questions one after the other: the server reads it once
                for variant, messages in QUESTIONS.items():
                    rows[-1]["p"][variant].append(judge.probability(messages(evidence.query, passage)))
            if args.show:
                marks = "".join("*" if h else "." for h in rows[-1]["holds"])
                probabilities = " | ".join(
                    f"{v} " + " ".join(f"{x:.2f}" for x in ps) for v, ps in rows[-1]["p"].items()
                )
                print(f"    [{kind}{' REFUSED' if evidence.abstained else ''}] {marks} {case.question[:70]!r}: {probabilities}")
        print(f"\n== {name}")
        report(name, rows, settings.llm_judge_threshold)
        every_set += rows
    if args.dump:
        args.dump.write_text(json.dumps(every_set))
    # The shipped threshold is chosen on all the sets together, by the rule of the "<=5%" column.
    print("\n== all these sets together")
    report("all", every_set, settings.llm_judge_threshold)
    if judge.seconds:
        print(f"\n{len(judge.seconds)} judge calls, p50 {percentile(judge.seconds, 0.5):.2f} s")


if __name__ == "__main__":
    main()
