"""The installed `qa` command, run as a user would, with the real model."""

from __future__ import annotations

import json
import os
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
    assert searched.stdout.startswith("1. (") and "biosafety law" in searched.stdout


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


def test_a_bad_setting_is_explained(tmp_path):
    result = subprocess.run(
        [QA, "search", "parks"], capture_output=True, text=True, cwd=tmp_path, env={"QA_TOP_K": "many", "PATH": ""}
    )
    assert result.returncode == 2 and "QA_TOP_K" in result.stderr and "Traceback" not in result.stderr
