"""Killing `qa build` with SIGKILL at any moment leaves a loadable index: the old build or the new, never a mix."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import qa
from qa.store import current_build_id, load_index

QA = str(Path(sys.executable).with_name("qa"))
KILLS = 12


def write_version(corpus: Path, version: int) -> None:
    """Every document carries the version in each paragraph, so a mixed index would show two versions."""
    for number in range(12):
        paragraphs = [
            f"Version {version} of report {number}, part {part}: wetlands, grasslands and forests are protected "
            f"by law in region {number}-{part}, and the red line covers key habitats."
            for part in range(6)
        ]
        (corpus / f"report-{number:02d}.txt").write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")


def versions_in(index_dir: Path) -> set[str]:
    return {match.group(1) for chunk in load_index(index_dir).chunks if (match := re.match(r"Version (\d+)", chunk.text))}


def test_sigkill_at_many_points_never_breaks_the_index(tmp_path, own_corpus):
    corpus, index_dir = own_corpus, tmp_path / "index"
    write_version(corpus, 0)
    durations = []
    for _ in range(2):  # the faster of two: a first build in a cold file cache outlasts the builds killed below
        started = time.monotonic()
        done = subprocess.run([QA, "build", "--full", "--corpus", str(corpus), "--index", str(index_dir)], capture_output=True)
        durations.append(time.monotonic() - started)
        assert done.returncode == 0, done.stderr
    duration = min(durations)
    seen_versions = {"0"}
    killed_while_running = 0
    for kill in range(1, KILLS + 1):
        write_version(corpus, kill)
        delay = duration * kill / (KILLS + 1)  # spread over the whole build: start-up, embedding, writing
        for _ in range(3):  # a build that outran its kill (the machine ran faster than the reference) is killed sooner
            before = current_build_id(index_dir)
            process = subprocess.Popen(
                [QA, "build", "--full", "--corpus", str(corpus), "--index", str(index_dir)],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            time.sleep(delay)
            landed = process.poll() is None  # a build that already finished has nothing left to kill
            if landed:
                os.kill(process.pid, signal.SIGKILL)
            process.wait()
            after = current_build_id(index_dir)
            versions = versions_in(index_dir)  # loads: raises if the live build is damaged or incomplete
            assert len(versions) == 1, f"kill {kill}: chunks of versions {versions} in one index"
            if after == before:
                assert versions <= seen_versions
            else:
                assert versions == {str(kill)}, "a new build that went live is the whole new build"
            seen_versions |= versions
            assert qa.retrieve("red line", k=3, index_dir=index_dir)
            if landed:
                killed_while_running += 1
                break
            delay /= 2
    assert killed_while_running >= KILLS - 2, "the kills landed while builds were running"
    final = qa.build_index(corpus, index_dir)
    assert versions_in(index_dir) == {str(KILLS)} and final.chunks == 8 + 12 * 6
    assert not list(index_dir.glob(".staging-*")) and not list(index_dir.glob(".CURRENT.*"))
