"""Benchmark of the chat: warm ask() latency, and the time from starting `python app.py` to a first answer.

    .venv/bin/python bench/bench_chat.py [--starts 3]

Prints figures only; nothing here asserts a timing.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_env import ROOT  # first: puts the repository on the path for the qa imports

import qa
from qa.evaluate import percentile


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def seconds_to_first_answer(index_dir: Path, question: str) -> float:
    """Start app.py, then ask through the API until an answer comes back."""
    from gradio_client import Client

    port = free_port()
    env = {**os.environ, "QA_INDEX_DIR": str(index_dir), "QA_PORT": str(port)}
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "app.py")], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        while time.perf_counter() - started < 120:
            try:
                answer = Client(f"http://127.0.0.1:{port}/", verbose=False).predict(question, api_name="/ask")
                if "answer" in answer:
                    return time.perf_counter() - started
            except Exception:  # not listening yet
                time.sleep(0.1)
        raise RuntimeError("app.py gave no answer within 120 s")
    finally:
        process.terminate()
        process.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--starts", type=int, default=3, help="app starts to time (median reported)")
    parser.add_argument("--rounds", type=int, default=5, help="passes over the question set for ask()")
    args = parser.parse_args()
    rows = [json.loads(line) for line in (ROOT / "tests" / "data" / "answer_questions.jsonl").read_text().splitlines()]
    questions = [row["question"] for row in rows]

    with tempfile.TemporaryDirectory() as scratch:
        qa.build_index(ROOT / "corpus", scratch)
        qa.ask(questions[0], index_dir=scratch)  # model and index loaded
        retriever = qa.retriever(scratch)
        uncached, repeated = [], []
        for _ in range(args.rounds):
            for question in questions:
                retriever.vector_cache.clear()  # nothing seen before: question and sentences are embedded
                started = time.perf_counter()
                qa.ask(question, index_dir=scratch)
                uncached.append((time.perf_counter() - started) * 1000)
                started = time.perf_counter()
                qa.ask(question, index_dir=scratch)
                repeated.append((time.perf_counter() - started) * 1000)
        for label, timings in (("new question, empty vector cache", uncached), ("repeated question", repeated)):
            print(f"ask() warm, {label} ({len(timings)} calls): "
                  f"p50 {statistics.median(timings):.1f} ms, p95 {percentile(timings, 0.95):.1f} ms")

        with_index = [seconds_to_first_answer(Path(scratch), questions[0]) for _ in range(args.starts)]
        print(f"python app.py -> first answer, index built: median {statistics.median(with_index):.2f} s "
              f"(runs: {', '.join(f'{s:.2f}' for s in with_index)})")
    without_index = []
    for _ in range(args.starts):
        with tempfile.TemporaryDirectory() as scratch:
            without_index.append(seconds_to_first_answer(Path(scratch) / "index", questions[0]))
    print(f"python app.py -> first answer, no index yet (builds it): median {statistics.median(without_index):.2f} s "
          f"(runs: {', '.join(f'{s:.2f}' for s in without_index)})")


if __name__ == "__main__":
    main()
