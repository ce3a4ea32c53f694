"""The installed `qa` command, run as a user would, with the real model."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

QA = str(Path(sys.executable).with_name("qa"))


def run_qa(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """`qa` in a new process; `env` adds variables to this one's."""
    return subprocess.run(
        [QA, *args], capture_output=True, text=True, cwd=cwd, timeout=300, env={**os.environ, **env} if env else None
    )


def test_build_then_search_json_lists_the_red_line_first(tmp_path, shipped_corpus):
    built = run_qa("build", "--corpus", str(shipped_corpus), "--index", str(tmp_path / "index"))
    assert built.returncode == 0, built.stderr
    summary = built.stdout.strip().splitlines()
    assert len(summary) == 1 and "1 document(s) as 8 chunks" in summary[0]
    searched = run_qa(
        "search", "What is the ecological protection red line?", "--json", "-k", "3", "--index", str(tmp_path / "index")
    )
    assert searched.returncode == 0, searched.stderr
    rows = json.loads(searched.stdout)
    assert [r["rank"] for r in rows] == [1, 2, 3]
    assert set(rows[0]) == {"rank", "score", "source", "chunk_id", "start", "end", "section", "page", "text"}
    assert "ecological protection red line" in rows[0]["text"]


def test_plain_search_prints_ranked_passages(tmp_path, shipped_index):
    searched = run_qa("search", "biosafety law", "--index", str(shipped_index))
    assert searched.returncode == 0
    assert searched.stdout.startswith("1. (search score ") and "biosafety law" in searched.stdout


def test_a_chinese_question_gets_its_sources_heading_in_chinese(shipped_index):
    asked = run_qa("ask", "中国通过了哪部关于生物安全的法律？", "--index", str(shipped_index))
    assert asked.returncode == 0 and "\n来源:\n[1] china-biodiversity-white-paper-summary.txt [" in asked.stdout


@pytest.mark.parametrize(
    "args, message",
    [
        (["search", "biosafety"], "run `qa build`"),
        (["search", "   "], "empty"),
        (["search", ""], "empty"),
        (["build", "--corpus", "no-such-folder"], "does not exist"),
    ],
)
def test_bad_input_gets_a_message_and_exit_code_2(tmp_path, args, message):
    result = run_qa(*args, "--index", str(tmp_path / "missing-index"), cwd=tmp_path)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


@pytest.mark.parametrize(
    "args, message",
    [
        (["search", "biosafety", "-k", "0"], "qa search: argument -k: expected a whole number of 1 or more"),
        (["search", "biosafety", "-k", "abc"], "got 'abc' (see `qa search --help`)"),
        (["ask"], "qa ask: the following arguments are required: QUESTION"),
        (["ask", "biosafety", "--k", "3"], "qa ask: unknown option --k (see `qa ask --help`)"),
        (["ask", "--corpus", "my-folder", "Who chairs the committee?"], "qa ask: unknown option --corpus: questions are asked of an index (--index DIR)"),
        (["search", "biosafety", "extra"], "qa search: unrecognized arguments: extra"),
        (["ask", "And the year before?", "--history", " "], "qa ask: argument --history: an earlier question is empty"),
    ],
)
def test_a_mistake_in_the_command_line_is_one_line(tmp_path, args, message):
    result = run_qa(*args, cwd=tmp_path)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.splitlines() == [result.stderr.strip()] and message in result.stderr


def test_a_damaged_pdf_is_named_in_one_line(tmp_path):
    corpus, damaged = tmp_path / "corpus", tmp_path / "report.pdf"
    damaged.write_bytes(bytes(range(256)) * 8)  # no PDF header, no end-of-file marker: pypdf warns of both
    result = run_qa("add", str(damaged), "--corpus", str(corpus), "--index", str(tmp_path / "index"))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [result.stderr.strip()]
    assert "report.pdf: it is not a readable PDF" in result.stderr


def test_a_bad_setting_is_explained(tmp_path):
    result = subprocess.run(
        [QA, "search", "parks"], capture_output=True, text=True, cwd=tmp_path, env={"QA_TOP_K": "many", "PATH": ""}
    )
    assert result.returncode == 2 and "QA_TOP_K" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("value", ["nan", "inf"])
def test_a_setting_that_is_no_finite_number_is_named_so(tmp_path, value):
    # A probe's QA_LLM_TIMEOUT_SECONDS=nan was refused as "less than or equal to 600".
    result = run_qa("search", "parks", cwd=tmp_path, env={"QA_LLM_TIMEOUT_SECONDS": value})
    assert result.returncode == 2 and "QA_LLM_TIMEOUT_SECONDS: Input should be a finite number" in result.stderr


def test_a_misspelt_setting_is_named_with_the_one_meant(tmp_path, shipped_index):
    (tmp_path / ".env").write_text("QA_ANSWER_TRESHOLD=0.9\n", encoding="utf-8")
    result = run_qa("search", "biosafety law", "--index", str(shipped_index), cwd=tmp_path, env={"QA_TOPK": "2"})
    assert result.returncode == 0 and result.stdout.startswith("1. (")
    assert result.stderr.splitlines() == [
        "qa: warning: QA_TOPK is not a setting and is ignored (did you mean QA_TOP_K?)",
        "qa: warning: QA_ANSWER_TRESHOLD (in .env) is not a setting and is ignored (did you mean QA_ANSWER_THRESHOLD?)",
    ]


def test_a_corpus_that_is_a_file_missing_or_empty_is_told_before_anything_is_written(tmp_path):
    document = tmp_path / "notes.txt"
    document.write_text("Herons nest in the reed beds.\n", encoding="utf-8")
    (tmp_path / "empty").mkdir()
    for args in (
        ["add", str(document), "--corpus", str(document)],
        ["add", str(document), "--corpus", str(document / "sub")],
        ["build", "--corpus", str(document)],
        ["build", "--corpus", str(tmp_path / "missing")],
        ["build", "--corpus", str(tmp_path / "empty")],
    ):
        result = run_qa(*args, "--index", str(tmp_path / "index"), cwd=tmp_path)
        assert result.returncode == 2 and "Traceback" not in result.stderr, args
        assert result.stderr.splitlines() == [result.stderr.strip()], args
        assert "corpus folder" in result.stderr or "no readable documents" in result.stderr, args
        assert not (tmp_path / "index").exists(), args
    assert document.read_text(encoding="utf-8") == "Herons nest in the reed beds.\n"


def test_a_search_that_finds_fewer_passages_than_asked_says_so(shipped_index):
    none = run_qa("search", "zebra42 password", "--mode", "bm25", "--index", str(shipped_index))
    assert none.returncode == 0 and none.stdout == "" and "no passage matches the question" in none.stderr
    some = run_qa("search", "biosafety", "--mode", "bm25", "-k", "8", "--index", str(shipped_index))
    found = len(re.findall(r"^\d+\. \(", some.stdout, re.MULTILINE))
    assert 0 < found < 8 and f"only {found} passage(s) match the question" in some.stderr


def test_a_host_that_is_not_this_machines_is_named_as_the_reason(tmp_path):
    # Not "another program uses the port" (test_app checks that one): the host is what must change.
    result = run_qa("serve", "--host", "999.1.1.1", cwd=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [result.stderr.strip()]
    assert "cannot listen on 999.1.1.1:7860" in result.stderr and "set QA_HOST (or --host)" in result.stderr


@pytest.mark.parametrize(
    "args, message",
    [
        (["--port", "70000"], "expected a port from 1 to 65535, got '70000'"),
        (["--host", "::1"], "does not take IPv6 addresses"),
    ],
)
def test_a_port_out_of_range_or_an_ipv6_host_gets_one_line(tmp_path, args, message):
    result = run_qa("serve", *args, cwd=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_python_dash_m_qa_is_the_qa_command(shipped_index):
    """Three new-user probes ran `python -m qa` first ("No module named qa.__main__")."""
    searched = subprocess.run(
        [sys.executable, "-m", "qa", "search", "biosafety law", "-k", "1", "--json", "--index", str(shipped_index)],
        capture_output=True, text=True, timeout=300,
    )
    assert searched.returncode == 0, searched.stderr
    assert "biosafety" in json.loads(searched.stdout)[0]["text"].lower()
    usage = subprocess.run([sys.executable, "-m", "qa"], capture_output=True, text=True, timeout=300)
    assert "usage: qa" in usage.stdout + usage.stderr
