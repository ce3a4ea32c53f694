"""Ten `qa add` runs, each racing a `qa build --full` of the same index: no document is ever lost.

Before builds took a lock on the index folder, an add that finished first was undone by the slower full
build going live without its file (3 of 3 tries), and racing builds deleted each other's work folders.
"""

from __future__ import annotations

import subprocess
from concurrent.futures import ThreadPoolExecutor

import qa
from qa.store import load_index
from test_cli import QA

PAIRS = 10
PAIRS_AT_ONCE = 3  # six processes at a time, each loading the models: what 2 cores and 24 GB carry


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([QA, *args], capture_output=True, text=True, timeout=600)


def test_concurrent_adds_and_full_builds_lose_no_document(tmp_path, own_corpus):
    index_dir = tmp_path / "index"
    qa.build_index(own_corpus, index_dir)
    incoming = tmp_path / "incoming"
    incoming.mkdir()
    for number in range(PAIRS):
        (incoming / f"marsh-{number}.txt").write_text(
            f"Marsh {number} report: the reed beds of marsh number {number} shelter {number + 3} pairs of grey herons.\n",
            encoding="utf-8",
        )
    folders = ["--corpus", str(own_corpus), "--index", str(index_dir)]

    def pair(number: int) -> tuple[subprocess.CompletedProcess, subprocess.CompletedProcess]:
        with ThreadPoolExecutor(2) as both:
            build = both.submit(run, "build", "--full", *folders)
            add = both.submit(run, "add", str(incoming / f"marsh-{number}.txt"), *folders)
            return add.result(), build.result()

    with ThreadPoolExecutor(PAIRS_AT_ONCE) as pool:
        results = list(pool.map(pair, range(PAIRS)))

    for number, (add, build) in enumerate(results):
        assert add.returncode == 0, add.stderr
        assert f"added marsh-{number}.txt" in add.stdout
        assert build.returncode == 0, build.stderr
        assert "Traceback" not in add.stderr + build.stderr
    live_sources = {chunk.source for chunk in load_index(index_dir).chunks}
    assert {f"marsh-{n}.txt" for n in range(PAIRS)} <= live_sources, "every added document is in the live index"
    assert not list(index_dir.glob(".staging-*"))
