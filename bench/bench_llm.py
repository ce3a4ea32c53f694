"""Extractive answers against a language model's (QA_ANSWERER=llm), with and without its judge, on a question set.

Start an OpenAI-compatible server first (README, "Answers written by a language model"), then:

    .venv/bin/python bench/bench_llm.py --base-url http://127.0.0.1:8080/v1 \\
        --questions eval/white-paper.jsonl --corpus tests/data/corpora/white-paper

Per mode it prints: right passage first (the first passage the answer was written from holds the expected text),
correct (a citation's exact quote holds the expected text; the same rule for quoted and generated answers, since
a generated sentence is cited by the span that supports it), the share of generated sentences that were verified
and shown, refusals both ways, and seconds per answer (p50, p95), all measured in this run.

`--shown FILE` also writes every generated sentence that was shown, with the exact span that cites it, one JSON
line each, to be read against that span: how the held-out shown sentences were counted as supported or not.
`--dump FILE` instead writes every sentence the model writes, with its passages, to be labelled by hand;
`--fit FILE --corpus DIR` prints precision and recall of qa/verify.py's checks at other thresholds on the
labelled file: the measurement behind SUPPORT_SIMILARITY and SUPPORT_COVERAGE. Use tuning questions only.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from pathlib import Path

import bench_env  # noqa: F401  (sets up the path and offline models)

import qa
from qa import templates
from qa.evaluate import eval_index, holds, read_cases
from qa.llm import LLMClient
from qa.search import Passage
from qa.settings import get_settings
from qa.verify import COMPLETE, closest_span, facts_missing, generated_sentences, negates_otherwise, word_coverage

MODES = {"extractive": {"answerer": "extractive"}, "llm": {"answerer": "llm"}, "llm + judge": {"answerer": "llm", "llm_judge": "on"}}


def use(values: dict[str, str]) -> None:
    for name in ("answerer", "llm_judge"):
        os.environ.pop(f"QA_{name.upper()}", None)
    for name, value in values.items():
        os.environ[f"QA_{name.upper()}"] = value
    get_settings.cache_clear()


def run_mode(cases, index_dir, mode: str = "", shown_file: Path | None = None) -> dict:
    first, correct, answered, written, shown, seconds = [], [], [], 0, 0, []
    refused: dict[str, list[bool]] = {}
    for case in cases:
        history = [{"role": "user", "content": turn} for turn in case.history]
        started = time.perf_counter()
        answer = qa.ask(case.question, history=history, index_dir=index_dir)
        seconds.append(time.perf_counter() - started)
        if answer.generated:
            sentences = generated_sentences(answer.text)
            shown, written = shown + len(sentences), written + len(sentences) + answer.dropped
            if shown_file:
                write_shown(shown_file, mode, case, sentences, answer.citations)
        elif answer.dropped:
            written += answer.dropped
        if case.expect is None:
            kind = "off-topic after" if case.unanswerable == "off-topic" and case.history else case.unanswerable
            refused.setdefault(kind, []).append(answer.abstained)
            continue
        first.append(bool(answer.passages) and holds(answer.passages[0].text, case.expect))
        answered.append(not answer.abstained)
        correct.append(not answer.abstained and any(holds(c.quote, case.expect) for c in answer.citations))
    mean = lambda values: sum(values) / len(values) if values else float("nan")  # noqa: E731
    return {
        "right passage first": mean(first),
        "correct": mean(correct),
        "answerable refused": 1 - mean(answered),
        **{f"{kind} refused": mean(values) for kind, values in sorted(refused.items())},
        "generated verified": shown / written if written else float("nan"),
        "s/answer p50": statistics.median(seconds),
        "s/answer p95": sorted(seconds)[int(0.95 * (len(seconds) - 1))],
    }


def write_shown(out: Path, mode: str, case, sentences: list[tuple[str, list[int]]], citations) -> None:
    """Each shown sentence with the span its citation marks, as a JSON line appended to `out`."""
    with out.open("a", encoding="utf-8") as handle:
        for sentence, cited in sentences:
            for citation in (citations[n - 1] for n in cited if 0 < n <= len(citations)):
                row = {"mode": mode, "question": case.question, "history": case.history, "sentence": sentence,
                       "source": citation.source, "start": citation.start, "end": citation.end, "quote": citation.quote}
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")


def dump_sentences(cases, index_dir, out: Path) -> None:
    """Every sentence the model writes for the questions, with the passages it was given, as JSON lines to label
    by hand ("supported": true when everything it states is in the passages) for `--fit`."""
    search = qa.retriever(index_dir)
    client = LLMClient(get_settings())
    with out.open("w", encoding="utf-8") as handle:
        for case in (c for c in cases if not c.history):
            passages = search.search(case.question, get_settings().llm_passages)
            text = "".join(client.stream(templates.llm_messages(case.question, passages)))
            for sentence, cited in generated_sentences(text):
                row = {"question": case.question, "sentence": sentence, "cited": cited, "passages": [p.text for p in passages]}
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")
                handle.flush()


def fit(labelled: Path, index_dir: Path) -> None:
    """qa/verify.py's checks with other thresholds, on labelled sentences: precision (shown sentences that are
    supported) and recall (supported sentences shown). Term weights come from the index of --corpus."""
    rows = [json.loads(line) for line in labelled.open(encoding="utf-8") if line.strip()]
    rows = [row for row in rows if isinstance(row.get("supported"), bool)]
    search = qa.retriever(index_dir)
    measured, sentences = [], []  # per row: (facts missing or negated otherwise, coverage, similarity) per passage
    for row in rows:
        split = generated_sentences(row["sentence"])
        sentence = split[0][0] if split else ""
        sentences.append(sentence)
        per_passage = []
        for text in row["passages"]:
            passage = Passage(text, "", "", 0.0, 0, len(text), "")
            closest = closest_span(sentence, passage, search) if sentence else None
            span = text[closest[0][0] : closest[0][1]] if closest else ""
            per_passage.append(
                (
                    bool(facts_missing(sentence, passage, row["question"])) or negates_otherwise(sentence, span),
                    word_coverage(sentence, passage, search, row["question"]),
                    closest[1] if closest else 0.0,
                )
            )
        measured.append(per_passage)
    supported = sum(row["supported"] for row in rows)
    print(f"{len(rows)} labelled sentences, {supported} supported")
    for coverage in (0.5, 0.7, 0.8, 0.9, 1.0):
        for similarity in (0.4, 0.5, 0.6, 0.7, 0.8):
            shown = [
                bool(COMPLETE.search(sentence))
                and any(not missing and (c is None or c >= coverage - 1e-9) and s >= similarity for missing, c, s in per)
                for sentence, per in zip(sentences, measured)
            ]
            right = sum(s and row["supported"] for s, row in zip(shown, rows))
            precision = right / sum(shown) if sum(shown) else float("nan")
            print(
                f"coverage >= {coverage:.1f}, similarity >= {similarity:.1f}: precision {precision:.1%}, "
                f"recall {right / supported:.1%}, shown {sum(shown)}"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base-url", default="http://127.0.0.1:8080/v1")
    parser.add_argument("--model", default="", help="empty: the first model the server lists")
    parser.add_argument("--questions")
    parser.add_argument("--corpus", action="append")
    parser.add_argument("--modes", default=",".join(MODES))
    parser.add_argument("--limit", type=int, help="only the first N questions (a slow model)")
    parser.add_argument("--shown", type=Path, help="also append every generated sentence shown, with its cited span")
    parser.add_argument("--dump", type=Path, help="write the model's sentences with their measurements here")
    parser.add_argument("--fit", type=Path, help="a labelled dump: print precision and recall per threshold")
    args = parser.parse_args()
    os.environ.update(QA_LLM_BASE_URL=args.base_url, QA_LLM_MODEL=args.model, QA_LLM_TIMEOUT_SECONDS="600")
    get_settings.cache_clear()
    index_dir = eval_index(args.corpus)
    if args.fit:
        fit(args.fit, index_dir)
        return
    cases = read_cases(Path(args.questions))[: args.limit]
    if args.dump:
        dump_sentences(cases, index_dir, args.dump)
        return
    rows = {}
    for mode in args.modes.split(","):
        use(MODES[mode])
        rows[mode] = run_mode(cases, index_dir, mode, args.shown)
    columns = list(next(iter(rows.values())))
    print(f"{len(cases)} questions from {args.questions}, model {args.model or '(the first listed)'} at {args.base_url}")
    print("| mode | " + " | ".join(columns) + " |")
    print("|---" * (len(columns) + 1) + "|")
    for mode, row in rows.items():
        cells = [f"{v:.2f}" if k.startswith("s/") else f"{v:.0%}" if v == v else "–" for k, v in row.items()]
        print(f"| {mode} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
