"""Benchmark of the chat: warm ask() latency on the long development white paper (alone and with its Chinese
version) and on the shipped summary, and the time from starting `python app.py` to a first answer.

    .venv/bin/python bench/bench_chat.py [--starts 3]

Prints figures only; nothing here asserts a timing.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_env import ROOT, TUNING, WHITE_PAPER, WHITE_PAPER_ZH  # first: puts the repository on the path for the qa imports

import qa
from qa.evaluate import percentile, read_cases


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


def time_ask(index_dir: str, questions: list[str], rounds: int, corpus: str) -> float:
    qa.ask(questions[0], index_dir=index_dir)  # model and index loaded
    retriever = qa.retriever(index_dir)
    uncached, repeated = [], []
    for _ in range(rounds):
        for question in questions:
            retriever.vector_cache.clear()  # nothing seen before: question and sentences are embedded
            started = time.perf_counter()
            qa.ask(question, index_dir=index_dir)
            uncached.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            qa.ask(question, index_dir=index_dir)
            repeated.append((time.perf_counter() - started) * 1000)
    for label, timings in (("new question, empty vector cache", uncached), ("repeated question", repeated)):
        print(f"ask() warm on {corpus}, {label} ({len(timings)} calls): "
              f"p50 {statistics.median(timings):.1f} ms, p95 {percentile(timings, 0.95):.1f} ms")
    return statistics.median(uncached)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--starts", type=int, default=3, help="app starts to time (median reported); 0: only ask() on the long document")
    parser.add_argument("--rounds", type=int, default=5, help="passes over the question set for ask()")
    args = parser.parse_args()
    rows = [json.loads(line) for line in (ROOT / "tests" / "data" / "answer_questions.jsonl").read_text().splitlines()]
    questions = [row["question"] for row in rows]

    long_questions = [case.question for case in read_cases(TUNING / "white-paper.jsonl") if not case.history]
    with tempfile.TemporaryDirectory() as long_index:
        qa.build_index(Path(WHITE_PAPER), long_index)
        alone = time_ask(long_index, long_questions, args.rounds, "the long white paper (tests/data/corpora/white-paper)")
    # The paper with its Chinese version: each question also looks for the translations of what it found.
    with tempfile.TemporaryDirectory() as corpus, tempfile.TemporaryDirectory() as both_index:
        for folder in (WHITE_PAPER, WHITE_PAPER_ZH):
            shutil.copytree(folder, corpus, dirs_exist_ok=True)
        qa.build_index(Path(corpus), both_index)
        both = time_ask(both_index, long_questions, args.rounds, "the white paper with its Chinese version")
        print(f"  new question, p50 with the Chinese version / alone: {both / alone:.2f}")
    if args.starts == 0:
        return
    with tempfile.TemporaryDirectory() as scratch:
        qa.build_index(ROOT / "corpus", scratch)
        time_ask(scratch, questions, args.rounds, "the shipped summary")

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
