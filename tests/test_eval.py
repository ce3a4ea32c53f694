"""`qa eval`: the table from the shipped eval set, and clear messages for a bad question file."""

from __future__ import annotations

import json

import pytest

from conftest import ROOT
from qa.evaluate import read_cases
from test_cli import run_qa

EVAL_SET = ROOT / "eval" / "questions.jsonl"


def test_the_eval_set_is_apart_from_the_tests_questions():
    from conftest import DATA

    tuned_on = {
        json.loads(line)["question"] for path in DATA.glob("*.jsonl") for line in path.read_text().splitlines() if line
    }
    rows = [json.loads(line) for line in EVAL_SET.read_text(encoding="utf-8").splitlines() if line]
    assert len(rows) >= 40
    assert not tuned_on & {row["question"] for row in rows}
    kinds = {("zh" if row.get("lang") == "zh" else "en", bool(row.get("history")), row.get("unanswerable")) for row in rows}
    assert {("en", False, None), ("zh", False, None), ("en", True, None), ("en", False, "near-topic"), ("en", False, "off-topic")} <= kinds


def test_qa_eval_prints_a_row_per_mode(shipped_index):
    result = run_qa("eval", str(EVAL_SET), "--index", str(shipped_index))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert lines[0].split("|")[0].strip() == "mode" and "R@1" in lines[0] and "cite prec" in lines[0]
    assert [line.split("|")[0].strip() for line in lines[2:]] == ["dense", "bm25", "hybrid"]


def test_qa_eval_json_has_every_figure(shipped_index):
    result = run_qa("eval", str(EVAL_SET), "--modes", "dense", "--json", "--index", str(shipped_index))
    report = json.loads(result.stdout)[0]
    assert report["mode"] == "dense" and report["questions"] == 44
    for figure in ("recall_at_1", "recall_at_3", "recall_at_5", "mrr", "citation_precision", "off_topic_refused"):
        assert 0.0 <= report[figure] <= 1.0
    assert report["citations_verbatim"] == 1.0
    assert report["off_topic_refused"] >= 0.8  # measured 0.86: the Beijing weather question is answered


def test_a_bad_question_file_is_named_with_its_line(tmp_path, shipped_index):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"question": "What is the red line?", "expect": "red line"}\n{"question": 3}\n', encoding="utf-8")
    result = run_qa("eval", str(bad), "--index", str(shipped_index))
    assert result.returncode == 2 and "bad.jsonl:2" in result.stderr and "Traceback" not in result.stderr
    broken = tmp_path / "broken.jsonl"
    broken.write_text("{not json\n", encoding="utf-8")
    assert "broken.jsonl:1: not valid JSON" in run_qa("eval", str(broken)).stderr
    assert "unknown mode" in run_qa("eval", str(bad), "--modes", "dense,magic").stderr
    assert "cannot read" in run_qa("eval", str(tmp_path / "missing.jsonl")).stderr
    with_corpus = run_qa("eval", str(bad), "--corpus", str(ROOT / "corpus"), cwd=tmp_path)
    assert with_corpus.returncode == 2 and "bad.jsonl:2" in with_corpus.stderr
    assert not (tmp_path / ".cache").exists(), "the file is read before an index is built for it"


@pytest.mark.parametrize(
    "line, message",
    [
        ('{"question": "q?", "unanswerable": "maybe"}', '"unanswerable" is "off-topic" or "near-topic", not \'maybe\''),
        ('{"question": "q?", "expect": "x", "unanswerable": "off-topic"}', "not both"),
        ('{"question": "q?", "expect": "x", "lang": "fr"}', '"lang" is "en" or "zh"'),
    ],
)
def test_a_question_line_that_would_be_scored_wrongly_is_refused(tmp_path, line, message):
    questions = tmp_path / "questions.jsonl"
    questions.write_text(line + "\n", encoding="utf-8")
    result = run_qa("eval", str(questions), "--corpus", str(ROOT / "corpus"), cwd=tmp_path)
    assert result.returncode == 2 and "questions.jsonl:1:" in result.stderr and message in result.stderr


def test_a_question_file_with_a_byte_order_mark_and_a_corpus_that_is_a_file(tmp_path):
    questions = tmp_path / "questions.jsonl"
    questions.write_text('{"question": "What is the red line?", "expect": "red line"}\n', encoding="utf-8-sig")
    assert read_cases(questions)[0].question == "What is the red line?"
    result = run_qa("eval", str(questions), "--corpus", str(questions), cwd=tmp_path)
    assert result.returncode == 2 and "is a file: name the folder that holds the documents" in result.stderr
