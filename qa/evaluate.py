"""`qa eval`: retrieval and answer quality of each search mode on a JSONL question set.

Each line: {"question": ..., "expect": "text the right chunk contains"} or {"question": ..., "unanswerable":
"off-topic" | "near-topic"}; optional "history": [earlier questions], "lang": "en" | "zh", and "source": the
file that holds the fact (then an answer citing another file counts as citing the wrong document).

`--corpus DIR` (repeatable) evaluates on an index of those folders, built once into .cache/qa-eval/ and
updated incrementally; `--corpus python-topics` is Python's own reference topics (pydoc_data), one file a topic.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import statistics
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import qa
from qa.corpus import check_corpus_dir
from qa.errors import QAError
from qa.sentences import has_cjk

DEPTH = 10  # MRR looks this far down


PYTHON_TOPICS = "python-topics"
EVAL_CACHE = Path(".cache") / "qa-eval"


@dataclass(frozen=True)
class Case:
    question: str
    expect: str | None
    unanswerable: str | None
    history: list[str]
    lang: str
    source: str | None = None


@dataclass
class ModeReport:
    mode: str
    recall_at_1: float
    recall_at_3: float
    recall_at_5: float
    mrr: float
    english_recall_at_1: float | None
    chinese_recall_at_3: float | None
    citation_precision: float | None
    citations_verbatim: float | None
    wrong_document: float | None  # answered questions citing a file other than the one that holds the fact
    answerable_answered: float
    off_topic_refused: float | None  # asked alone
    off_topic_after_refused: float | None  # asked after earlier questions
    near_topic_refused: float | None
    latency_p50_ms: float
    latency_p95_ms: float
    questions: int


UNANSWERABLE_KINDS = ("off-topic", "near-topic")


def read_cases(path: Path) -> list[Case]:
    try:
        lines = Path(path).read_text(encoding="utf-8-sig").splitlines()  # a BOM, as Windows Notepad writes
    except (OSError, UnicodeDecodeError) as error:
        raise QAError(f"cannot read the question file {path}: {error}") from None
    cases = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as error:
            raise QAError(f"{path}:{number}: not valid JSON ({error.msg})") from None
        if not isinstance(row, dict) or not isinstance(row.get("question"), str) or not row["question"].strip():
            raise QAError(f'{path}:{number}: each line needs a "question" string')
        expects = isinstance(row.get("expect"), str) and bool(row["expect"].strip())
        if expects == bool(row.get("unanswerable")):
            raise QAError(f'{path}:{number}: give "expect" (text the answer must come from) or "unanswerable", not both')
        if row.get("unanswerable") and row["unanswerable"] not in UNANSWERABLE_KINDS:
            raise QAError(f'{path}:{number}: "unanswerable" is "off-topic" or "near-topic", not {row["unanswerable"]!r}')
        if row.get("lang") not in (None, "en", "zh"):
            raise QAError(f'{path}:{number}: "lang" is "en" or "zh" (or left out), not {row["lang"]!r}')
        history = row.get("history") or []
        if not isinstance(history, list) or not all(isinstance(turn, str) for turn in history):
            raise QAError(f'{path}:{number}: "history" must be a list of earlier questions')
        cases.append(
            Case(
                question=row["question"],
                expect=row.get("expect") if not row.get("unanswerable") else None,
                unanswerable=str(row["unanswerable"]) if row.get("unanswerable") else None,
                history=history,
                lang=row.get("lang") or ("zh" if has_cjk(row["question"]) else "en"),
                source=row.get("source"),
            )
        )
    if not cases:
        raise QAError(f"{path} holds no questions")
    return cases


def holds(text: str, expected: str) -> bool:
    """Whether `text` contains `expected`, whatever whitespace either has: a PDF or a text wrapped at a fixed
    width breaks its lines where the question file has a space, or nothing (Chinese)."""
    return "".join(expected.split()) in "".join(text.split())


def same_document(cited: str, named: str) -> bool:
    """Whether a cited file is the one a question names, or the same document in another format (a PDF of it)."""
    return Path(cited).stem == Path(named).stem


def share(values: list[bool]) -> float | None:
    return sum(values) / len(values) if values else None


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def evaluate_mode(cases: list[Case], mode: str, index_dir: Path | None) -> ModeReport:
    search = qa.retriever(index_dir)
    qa.retrieve(cases[0].question, DEPTH, index_dir, mode)  # warm: models and index loaded
    ranks, latencies, cited, verbatim, answered, wrong_document = [], [], [], [], [], []
    refused: dict[str, list[bool]] = {"off-topic": [], "off-topic-after": [], "near-topic": []}
    english, chinese = [], []
    for case in cases:
        history = [{"role": "user", "content": turn} for turn in case.history]
        answer = qa.ask(case.question, history=history, index_dir=index_dir, mode=mode)
        search.vector_cache.clear()  # each question timed as new, whatever was asked before
        started = time.perf_counter()
        passages = qa.retrieve(answer.query or case.question, DEPTH, index_dir, mode)  # what the answer searched
        latencies.append((time.perf_counter() - started) * 1000)
        by_chunk = {p.chunk_id: p for p in answer.passages}
        verbatim += [
            by_chunk[c.chunk_id].text[c.start - by_chunk[c.chunk_id].start : c.end - by_chunk[c.chunk_id].start] == c.quote
            for c in answer.citations
        ]
        if case.expect is None:
            kind = f"{case.unanswerable}-after" if case.unanswerable == "off-topic" and case.history else case.unanswerable
            refused.setdefault(kind, []).append(answer.abstained)
            continue
        rank = next((n for n, p in enumerate(passages, 1) if holds(p.text, case.expect)), None)
        ranks.append(rank)
        (chinese if case.lang == "zh" else english).append(rank)
        answered.append(not answer.abstained)
        if not answer.abstained:
            cited.append(any(holds(c.quote, case.expect) for c in answer.citations))
            if case.source:
                wrong_document.append(any(not same_document(c.source, case.source) for c in answer.citations))
    return ModeReport(
        mode=mode,
        recall_at_1=share([r is not None and r <= 1 for r in ranks]) or 0.0,
        recall_at_3=share([r is not None and r <= 3 for r in ranks]) or 0.0,
        recall_at_5=share([r is not None and r <= 5 for r in ranks]) or 0.0,
        mrr=statistics.fmean([1 / r if r else 0.0 for r in ranks]) if ranks else 0.0,
        english_recall_at_1=share([r is not None and r <= 1 for r in english]),
        chinese_recall_at_3=share([r is not None and r <= 3 for r in chinese]),
        citation_precision=share(cited),
        citations_verbatim=share(verbatim),
        wrong_document=share(wrong_document),
        answerable_answered=share(answered) or 0.0,
        off_topic_refused=share(refused["off-topic"]),
        off_topic_after_refused=share(refused["off-topic-after"]),
        near_topic_refused=share(refused["near-topic"]),
        latency_p50_ms=statistics.median(latencies),
        latency_p95_ms=percentile(latencies, 0.95),
        questions=len(cases),
    )


def evaluate(cases: list[Case], modes: list[str], index_dir: Path | None = None) -> list[ModeReport]:
    return [evaluate_mode(cases, mode, index_dir) for mode in modes]


def corpus_files_of(corpora: list[str]) -> dict[str, bytes]:
    """File name -> content of every file in the named folders (or the built-in python-topics)."""
    files: dict[str, bytes] = {}
    for corpus in corpora:
        if corpus == PYTHON_TOPICS:
            from pydoc_data.topics import topics

            files.update({f"{name}.txt": text.encode("utf-8") for name, text in topics.items()})
            continue
        folder = Path(corpus)
        if not folder.exists():
            raise QAError(f"corpus folder {corpus} does not exist (or use --corpus {PYTHON_TOPICS})")
        check_corpus_dir(folder)  # a file named instead of its folder
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                name = path.relative_to(folder).as_posix()
                if name in files:
                    raise QAError(f"{name} is in more than one of the --corpus folders")
                files[name] = path.read_bytes()
    return files


def eval_index(corpora: list[str], progress=None) -> Path:
    """An index of the given corpus folders, kept in .cache/qa-eval/ (one folder per set of corpora) and
    brought up to date by an incremental build, so a repeated `qa eval` embeds nothing."""
    files = corpus_files_of(corpora)
    key = hashlib.sha256("\n".join(sorted(corpora)).encode()).hexdigest()[:12]
    home = EVAL_CACHE / f"{'+'.join(Path(c).name for c in corpora)[:60]}-{key}"
    corpus = home / "corpus"
    if corpus.exists():
        shutil.rmtree(corpus)
    for name, content in files.items():
        (corpus / name).parent.mkdir(parents=True, exist_ok=True)
        (corpus / name).write_bytes(content)
    qa.build_index(corpus, home / "index", progress=progress)
    return home / "index"


COLUMNS = [
    ("mode", "mode", "{}"),
    ("R@1", "recall_at_1", "{:.2f}"),
    ("R@3", "recall_at_3", "{:.2f}"),
    ("R@5", "recall_at_5", "{:.2f}"),
    ("MRR", "mrr", "{:.2f}"),
    ("EN R@1", "english_recall_at_1", "{:.2f}"),
    ("ZH R@3", "chinese_recall_at_3", "{:.2f}"),
    ("cite prec", "citation_precision", "{:.0%}"),
    ("verbatim", "citations_verbatim", "{:.0%}"),
    ("other doc", "wrong_document", "{:.0%}"),
    ("answered", "answerable_answered", "{:.0%}"),
    ("off refused", "off_topic_refused", "{:.0%}"),
    ("off after", "off_topic_after_refused", "{:.0%}"),
    ("near refused", "near_topic_refused", "{:.0%}"),
    ("p50 ms", "latency_p50_ms", "{:.1f}"),
    ("p95 ms", "latency_p95_ms", "{:.1f}"),
]


def table(reports: list[ModeReport]) -> str:
    cells = [[title for title, _, _ in COLUMNS]]
    for report in reports:
        row = []
        for _, field, form in COLUMNS:
            value = getattr(report, field)
            row.append("-" if value is None else form.format(value))
        cells.append(row)
    widths = [max(len(row[i]) for row in cells) for i in range(len(COLUMNS))]
    lines = [" | ".join(cell.rjust(width) for cell, width in zip(row, widths)) for row in cells]
    lines.insert(1, "-+-".join("-" * width for width in widths))
    return "\n".join(lines)


def as_json(reports: list[ModeReport]) -> str:
    return json.dumps([asdict(report) for report in reports], indent=2)
