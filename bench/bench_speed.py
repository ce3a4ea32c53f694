"""Speed against baselines measured in the same run: build, a new process's search, app start, concurrent /ask.

    .venv/bin/python bench/bench_speed.py [--builds 3] [--cold 5] [--starts 3] [--clients 50] [--requests 300]

- build: `qa.build_index --full` of Python's reference topics (pydoc_data, 2,514 chunks) against the peer-style
  raw baseline, sentence-transformers `encode` of the same chunks' texts + a flat FAISS index; each in a new
  process with its models loaded first (load time left out of both), median seconds and peak resident memory;
- `qa search` as a new process against `python -c "import numpy"`, median wall seconds;
- `python app.py` to its first answer against `python -c "import gradio"` (the floor of any Gradio app);
- `/ask` with N concurrent clients on 127.0.0.1 (bounded: a fixed number of requests, each with a timeout),
  with QA_WORKERS as set against QA_WORKERS=1 (Gradio's default of one request per event at a time).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from bench_env import ROOT  # first: puts the repository on the path for the qa imports

from bench_chat import free_port, seconds_to_first_answer

from qa.evaluate import PYTHON_TOPICS, corpus_files_of, percentile

BUILD_CHILD = r"""
import json, resource, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[3])
import qa
from qa.build import embedding_models
from qa.chunking import chunk_document
from qa.corpus import load_corpus
from qa.embedders import embedder_for
settings = qa.get_settings()
corpus, kind = Path(sys.argv[1]), sys.argv[2]
if kind == "raw":
    import faiss
    from sentence_transformers import SentenceTransformer
    from qa.embedders.sentence_transformers import model_location
    model = SentenceTransformer(model_location(settings.embed_model), device="cpu")
    model.encode(["warm up"])
    started = time.perf_counter()
    texts = [c.text for d in load_corpus(corpus).documents for c in chunk_document(d.source, d.text, settings.chunk_max_tokens, settings.chunk_overlap_sentences)]
    vectors = model.encode(texts, batch_size=settings.embed_batch_size, normalize_embeddings=True, convert_to_numpy=True)
    index = faiss.IndexFlatIP(vectors.shape[1]); index.add(vectors)
    chunks = len(texts)
else:
    for model in embedding_models(settings).values():
        embedder_for(model, settings).encode_query("warm up")
    started = time.perf_counter()
    chunks = qa.build_index(corpus, corpus.parent / "index", full=True).chunks
seconds = time.perf_counter() - started
print(json.dumps({"seconds": seconds, "chunks": chunks, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def run_child(corpus: Path, kind: str) -> dict:
    out = subprocess.run([sys.executable, "-c", BUILD_CHILD, str(corpus), kind, str(ROOT)], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def wall(command: list[str], env: dict | None = None) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - started


def line(label: str, ours: float, baseline: float, unit: str, baseline_label: str) -> None:
    print(f"{label}: {ours:.2f} {unit} against {baseline_label} {baseline:.2f} {unit} = {ours / baseline:.2f}x")


def bench_build(runs: int) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        corpus = Path(scratch) / "corpus"
        for name, content in corpus_files_of([PYTHON_TOPICS]).items():
            (corpus / name).parent.mkdir(parents=True, exist_ok=True)
            (corpus / name).write_bytes(content)
        raw = [run_child(corpus, "raw") for _ in range(runs)]
        ours = [run_child(corpus, "build") for _ in range(runs)]
    median = lambda rows, key: statistics.median(row[key] for row in rows)  # noqa: E731
    print(f"reference topics: {ours[0]['chunks']} chunks ({raw[0]['chunks']} in the raw baseline), {runs} runs each")
    line("full build", median(ours, "seconds"), median(raw, "seconds"), "s", "raw encode + flat FAISS")
    line("peak memory of a build", median(ours, "peak_mb"), median(raw, "peak_mb"), "MB", "raw")


def bench_cold(runs: int, index_dir: Path) -> None:
    env = {**os.environ, "QA_INDEX_DIR": str(index_dir)}
    qa_bin = str(Path(sys.executable).parent / "qa")
    search = [wall([qa_bin, "search", "What is the ecological protection red line?", "-k", "3"], env) for _ in range(runs)]
    numpy = [wall([sys.executable, "-c", "import numpy"]) for _ in range(runs)]
    line(f"qa search as a new process (median of {runs})", statistics.median(search), statistics.median(numpy), "s", 'python -c "import numpy"')


def bench_start(runs: int, index_dir: Path, question: str) -> None:
    starts = [seconds_to_first_answer(index_dir, question) for _ in range(runs)]
    gradio = [wall([sys.executable, "-c", "import gradio"]) for _ in range(runs)]
    line(f"python app.py to its first answer (median of {runs})", statistics.median(starts), statistics.median(gradio), "s", 'python -c "import gradio"')


def ask_load(port: int, questions: list[str], clients: int, requests: int) -> tuple[float, list[float], int]:
    """`requests` /ask calls spread over `clients` threads; (requests per second, latencies, errors)."""
    import httpx

    latencies: list[float] = []
    errors = [0]
    counter = iter(range(requests))
    lock = threading.Lock()

    def client() -> None:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as http:
            while True:
                with lock:
                    n = next(counter, None)
                if n is None:
                    return
                started = time.perf_counter()
                try:
                    event = http.post("/gradio_api/call/ask", json={"data": [questions[n % len(questions)]]}).json()["event_id"]
                    body = http.get(f"/gradio_api/call/ask/{event}").text
                    ok = "event: complete" in body and '"answer"' in body
                except (httpx.HTTPError, KeyError, ValueError):
                    ok = False
                with lock:
                    latencies.append(time.perf_counter() - started)
                    errors[0] += not ok

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return requests / (time.perf_counter() - started), latencies, errors[0]


def bench_serving(index_dir: Path, questions: list[str], distinct: list[str], clients: int, requests: int, workers: int) -> None:
    """Repeated questions (a few, each seen before: answered from the vector cache) and new ones (every request
    a question not asked before), with one worker and with QA_WORKERS."""
    for label, count in (("QA_WORKERS=1", 1), (f"QA_WORKERS={workers}", workers)):
        port = free_port()
        env = {**os.environ, "QA_INDEX_DIR": str(index_dir), "QA_PORT": str(port), "QA_WORKERS": str(count)}
        process = subprocess.Popen([sys.executable, str(ROOT / "app.py")], cwd=ROOT, env=env,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            seconds_to_ready(port)
            ask_load(port, questions, 4, 2 * len(questions))  # warm: every question's vectors cached once
            for kind, asked, total in (("repeated", questions, requests), ("new", distinct, min(requests, len(distinct)))):
                rate, latencies, errors = ask_load(port, asked, clients, total)
                print(f"/ask, {clients} concurrent clients, {total} {kind} questions, {label}: {rate:.1f} requests/s, "
                      f"p50 {statistics.median(latencies):.2f} s, p95 {percentile(latencies, 0.95):.2f} s, {errors} errors")
        finally:
            process.terminate()
            process.wait(timeout=30)


def seconds_to_ready(port: int) -> None:
    import httpx

    started = time.perf_counter()
    while time.perf_counter() - started < 120:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/", timeout=5).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError("app.py did not start within 120 s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--builds", type=int, default=3)
    parser.add_argument("--cold", type=int, default=5)
    parser.add_argument("--starts", type=int, default=3)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--only", default="build,cold,start,serve")
    args = parser.parse_args()
    only = set(args.only.split(","))
    import qa

    questions = [json.loads(row)["question"] for row in (ROOT / "tests" / "data" / "answer_questions.jsonl").read_text().splitlines()]
    if "build" in only:
        bench_build(args.builds)
    with tempfile.TemporaryDirectory() as scratch:
        index_dir = Path(scratch) / "index"
        qa.build_index(ROOT / "corpus", index_dir)
        if "cold" in only:
            bench_cold(args.cold, index_dir)
        if "start" in only:
            bench_start(args.starts, index_dir, questions[0])
        if "serve" in only:
            distinct = sorted({json.loads(row)["question"] for path in sorted((ROOT / "tests" / "data").rglob("*.jsonl"))
                               for row in path.read_text().splitlines() if row.strip() and "question" in json.loads(row)})
            bench_serving(index_dir, questions, distinct, args.clients, args.requests, qa.get_settings().workers)


if __name__ == "__main__":
    main()
