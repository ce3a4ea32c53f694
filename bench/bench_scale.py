"""Search at scale: every row scored (exact) against the HNSW graph's candidates, on synthetic builds of many
chunks whose vectors are drawn to look like real ones.

    .venv/bin/python bench/bench_scale.py [--sizes 10000,50000,100000,1000000] [--milvus-up-to 100000]
                                          [--questions 40] [--keep DIR [--reuse]] [--shortlists 50,100,all]
                                          [--candidates 400] [--real-copies 10]

- Real material: Python's reference topics are built once (both vector sets, chunks, clauses), and the
  questions are the `python-topics` sets' (tuning and held out: nothing is chosen on their answers here).
- Synthetic chunk i takes real chunk a's text, clauses and clause count; its vectors (and each clause's) are
  real chunk a's plus MIX times another real chunk b's plus Gaussian noise, normalised. Chunks therefore
  cluster as text does, but no two are alike. The nearest-neighbour cosines of both are printed.
- Each size is written with `qa.store.save_index` (as `qa build` writes, graph included: its time is
  printed), then read by a new process per kind, which calls `qa.retrieve(question, k=10)` for every
  question once (so each question's vectors are computed in the call, as for a new question) and prints
  p50/p95 ms and its peak resident memory. recall@10 compares the graph's top 10 chunk ids with exact's.
  `--shortlists` runs the graph once per value of qa.dense.SHORTLIST (`all`: every candidate read).
- `--real-copies 10`: real text end to end. Python's reference topics ten times over (a folder a copy) are
  built by `qa.build_index` from scratch (its whole time printed, with the summary `qa build` prints, which
  says the index kind it chose), then queried like the synthetic sizes; copies tie on text, so recall@10
  compares the passages' texts. `--sizes ""` runs it alone.
- Milvus Lite side by side (`QA_VECTOR_STORE=milvus`, in the build folder) up to --milvus-up-to chunks: the
  same vectors inserted into it (its write time printed), its own index (FLAT, or HNSW from
  APPROXIMATE_FROM), the same questions, recall@10 against FAISS's exact search.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
from bench_env import ROOT  # first: puts the repository on the path for the qa imports

from qa.bm25 import build_bm25
from qa.evaluate import PYTHON_TOPICS, corpus_files_of, percentile, read_cases
from qa.store import Vectors, load_index, read_manifest, save_index
from qa.vector_stores import EXACT, HNSW, index_kind

MIX = 0.5  # share of a second real chunk in a synthetic one
NOISE = 0.6  # norm of the noise against a real vector's 1.0

QUERY_CHILD = r"""
import json, os, sys, time
sys.path.insert(0, sys.argv[1])
import qa
from qa.store import load_index
index_dir, kind, questions = sys.argv[2], sys.argv[3], json.loads(sys.argv[4])
if sys.argv[5] != "default":  # candidates scored exactly from their float vectors: a number, or all of them
    import qa.dense
    qa.dense.SHORTLIST = 10**9 if sys.argv[5] == "all" else int(sys.argv[5])
if sys.argv[6] != "default":  # candidates each list (a graph, BM25) offers
    import qa.search
    qa.search.CANDIDATES = int(sys.argv[6])
started = time.perf_counter()
retriever = qa.retriever(index_dir)
index, _ = retriever.current()
if kind == "exact":  # the same files read as a build without a graph reads them: every row scored
    from pathlib import Path
    from qa.vector_stores import faiss
    for name in list(index.vector_sets):
        index.vector_sets[name] = faiss.read(Path(index_dir) / index.build_id, name, "exact")
load_seconds = time.perf_counter() - started
times, tops, texts = [], [], []
for question in questions:
    started = time.perf_counter()
    passages = qa.retrieve(question, k=10, index_dir=index_dir)
    times.append((time.perf_counter() - started) * 1000)
    tops.append([p.chunk_id for p in passages])
    texts.append([p.text for p in passages])
# VmHWM, not ru_maxrss: Linux keeps ru_maxrss across exec, so it would report the parent's size at the fork.
status = open("/proc/self/status").read()
rss_kb, peak_kb = (int(status.split(field)[1].split()[0]) for field in ("VmRSS:", "VmHWM:"))
print(json.dumps({"ms": times, "tops": tops, "texts": texts, "load_seconds": load_seconds, "peak_mb": peak_kb / 1024, "rss_mb": rss_kb / 1024}))
"""


def real_material(workdir: Path):
    """The reference topics built once: their index (chunks, clause rows, both vector sets, manifest)."""
    import qa

    corpus = workdir / "corpus"
    corpus.mkdir()
    for name, text in corpus_files_of([PYTHON_TOPICS]).items():
        (corpus / name).write_bytes(text)
    qa.build_index(corpus, workdir / "real-index", full=True)
    return load_index(workdir / "real-index")


def real_copies_build(workdir: Path, copies: int) -> tuple[Path, dict]:
    """Python's reference topics `copies` times over, a folder a copy, indexed by `qa.build_index` as `qa build`
    does (from scratch, the models loaded in this process): real text end to end."""
    import qa

    corpus, index_dir = workdir / f"corpus-x{copies}", workdir / f"index-x{copies}"
    shutil.rmtree(corpus, ignore_errors=True)
    shutil.rmtree(index_dir, ignore_errors=True)
    for copy in range(copies):
        folder = corpus / f"copy-{copy:02d}"
        folder.mkdir(parents=True)
        for name, text in corpus_files_of([PYTHON_TOPICS]).items():
            (folder / name).write_bytes(text)
    started = time.perf_counter()
    report = qa.build_index(corpus, index_dir, full=True)
    seconds = time.perf_counter() - started
    print(f"  ({copies} copies of Python's reference topics: {report.summary()}; {seconds:.1f} s in all)", flush=True)
    return index_dir, {"clauses": read_manifest(index_dir)["counts"]["clauses"], "write_seconds": seconds}


def drawn(real: np.ndarray, bases: np.ndarray, others: np.ndarray, rng: np.random.Generator, out: np.ndarray) -> None:
    """out[i] = normalise(real[bases[i]] + MIX * real[others[i]] + noise), in blocks to bound memory."""
    for start in range(0, len(bases), 65536):
        stop = min(start + 65536, len(bases))
        block = real[bases[start:stop]] + MIX * real[others[start:stop]]
        noise = rng.standard_normal(block.shape, dtype=np.float32)
        block += noise * (NOISE / np.sqrt(real.shape[1]))
        out[start:stop] = block / np.linalg.norm(block, axis=1, keepdims=True)


def nearest_cosines(vectors: np.ndarray, probes: int = 200) -> float:
    """Median cosine of a chunk with its nearest other chunk, over `probes` chunks."""
    rows = np.linspace(0, len(vectors) - 1, probes).astype(int)
    sims = np.asarray(vectors[rows]) @ np.asarray(vectors).T
    sims[np.arange(len(rows)), rows] = -1
    return float(np.median(sims.max(axis=1)))


def synthetic_build(real, size: int, index_dir: Path, scratch: Path, kind: str, store: str = "faiss") -> dict:
    rng = np.random.default_rng(size)
    count = len(real.chunks)
    bases, others = rng.integers(0, count, size), rng.integers(0, count, size)
    clause_counts = np.diff(real.clause_offsets)[bases]
    clause_rows = np.repeat(np.arange(size, dtype=np.int64), clause_counts)
    # A clause of synthetic chunk i is the matching clause of real chunk bases[i], mixed and noised the same way.
    clause_sources = np.repeat(real.clause_offsets[bases] - np.cumsum(clause_counts) + clause_counts, clause_counts)
    clause_sources += np.arange(len(clause_rows))
    clause_others = np.repeat(others, clause_counts)
    vector_sets = {}
    for name, vectors in real.vector_sets.items():
        chunks = np.lib.format.open_memmap(scratch / f"{name}-chunks.npy", "w+", np.float32, (size, vectors.dimension))
        clauses = np.lib.format.open_memmap(scratch / f"{name}-clauses.npy", "w+", np.float32, (len(clause_rows), vectors.dimension))
        drawn(np.asarray(vectors.chunks), bases, others, rng, chunks)
        source = np.asarray(vectors.clauses)
        for start in range(0, len(clause_rows), 65536):  # a clause mixed with the other chunk's own vector
            stop = min(start + 65536, len(clause_rows))
            block = source[clause_sources[start:stop]] + MIX * np.asarray(vectors.chunks)[clause_others[start:stop]]
            block += rng.standard_normal(block.shape, dtype=np.float32) * (NOISE / np.sqrt(block.shape[1]))
            clauses[start:stop] = block / np.linalg.norm(block, axis=1, keepdims=True)
        vector_sets[name] = Vectors(chunks=chunks, clauses=clauses)
    chunks = [
        replace(real.chunks[base], chunk_id=f"synthetic-{row:07d}", source=f"synthetic/{row // 500:05d}.txt")
        for row, base in enumerate(bases)
    ]
    started = time.perf_counter()
    bm25 = build_bm25([chunk.text for chunk in chunks])
    bm25_seconds = time.perf_counter() - started
    manifest = {**real.manifest, "vector_store": store, "milvus_uri": "", "vector_index": kind, "vector_index_reason": "bench_scale.py"}
    manifest["counts"] = {"documents": size // 500 + 1, "chunks": size, "clauses": len(clause_rows)}
    started = time.perf_counter()
    save_index(index_dir, manifest, chunks, vector_sets, clause_rows, bm25)
    write_seconds = time.perf_counter() - started
    return {
        "clauses": len(clause_rows),
        "bm25_seconds": bm25_seconds,
        "write_seconds": write_seconds,
        "nearest_cosine": nearest_cosines(vector_sets["dense"].chunks),
    }


def kept(index_dir: Path) -> dict | None:
    """What a kept build holds, its write time unknown (printed as 0.0), or None when there is none."""
    manifest = read_manifest(index_dir)
    return None if manifest is None else {"clauses": manifest["counts"]["clauses"], "write_seconds": 0.0}


def query_child(index_dir: Path, kind: str, questions: list[str], shortlist: str = "default", candidates: str = "default") -> dict:
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    out = subprocess.run(
        [sys.executable, "-c", QUERY_CHILD, str(ROOT), str(index_dir), kind, json.dumps(questions), shortlist, candidates],
        capture_output=True, text=True, env=env,
    )
    if out.returncode:
        raise SystemExit(f"query process failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def recall_at_10(exact: list[list[str]], found: list[list[str]]) -> float:
    """Share of what exact search puts in each question's top 10 that the other kind puts there too."""
    return float(np.mean([len(set(a) & set(b)) / max(1, len(set(a))) for a, b in zip(exact, found)]))


def print_row(size: str, label: str, run: dict, written: dict, recall: float) -> None:
    print(f"{size} | {label} | {written['clauses']:,} | {written['write_seconds']:.1f} | {run['load_seconds']:.1f} | "
          f"{percentile(run['ms'], 0.5):.1f} | {percentile(run['ms'], 0.95):.1f} | {recall:.3f} | "
          f"{run['rss_mb']:.0f} | {run['peak_mb']:.0f}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000,50000,100000,1000000")
    parser.add_argument("--milvus-up-to", type=int, default=100_000)
    parser.add_argument("--questions", type=int, default=40)
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it (default: a temporary one)")
    parser.add_argument("--reuse", action="store_true", help="with --keep: query the builds kept there, not new ones")
    parser.add_argument("--candidates", default="default", help="qa.search.CANDIDATES for the graph runs")
    parser.add_argument("--real-copies", type=int, default=0,
                        help="also build this many copies of Python's reference topics for real and query them")
    parser.add_argument("--shortlists", default="default",
                        help="graph runs, one per value: candidates scored from their float vectors (a number, "
                        "`all`, or `default`: qa.dense.SHORTLIST)")
    args = parser.parse_args()
    workdir = args.keep or Path(tempfile.mkdtemp(prefix="qa-scale-"))
    workdir.mkdir(parents=True, exist_ok=True)
    sets = [ROOT / "tests/data/tuning/python-topics.jsonl", ROOT / "eval/python-topics.jsonl"]
    questions = [case.question for path in sets for case in read_cases(path) if not case.history]
    questions = questions[: args.questions]
    real = real_material(workdir) if not (workdir / "real-index").exists() else load_index(workdir / "real-index")
    print(f"real material: {len(real.chunks)} chunks, {len(real.clause_rows)} clauses; median nearest-chunk "
          f"cosine {nearest_cosines(real.vector_sets['dense'].chunks):.3f}; {len(questions)} questions", flush=True)
    print("size | kind | clauses | write s (graph incl.) | load s | retrieve p50 ms | p95 ms | recall@10 | RSS MB | peak MB")
    if args.real_copies:
        index_dir, made = real_copies_build(workdir, args.real_copies)
        size = len(load_index(index_dir).chunks)
        exact = query_child(index_dir, EXACT, questions)
        runs = [(f"faiss {EXACT}", exact, made), (f"faiss {HNSW}", query_child(index_dir, HNSW, questions), made)]
        for label, run, written in runs:  # copies tie on text, and which copy comes first is a tie's order
            print_row(f"{size:,} real", label, run, written, recall_at_10(exact["texts"], run["texts"]))
    for size in [int(s) for s in args.sizes.split(",") if s]:
        index_dir, scratch = workdir / f"index-{size}", workdir / f"scratch-{size}"
        made = kept(index_dir) if args.reuse else None
        if made is None:
            shutil.rmtree(index_dir, ignore_errors=True)
            scratch.mkdir(exist_ok=True)
            made = synthetic_build(real, size, index_dir, scratch, HNSW)
            shutil.rmtree(scratch)
            print(f"  ({size:,} chunks: BM25 {made['bm25_seconds']:.1f} s; median nearest-chunk cosine "
                  f"{made['nearest_cosine']:.3f})", flush=True)
        exact = query_child(index_dir, EXACT, questions)
        runs = [(f"faiss {EXACT}", exact, made)]
        for shortlist in args.shortlists.split(","):
            label = f"faiss {HNSW}" + ("" if shortlist == "default" else f" (shortlist {shortlist})")
            label += "" if args.candidates == "default" else f" ({args.candidates} candidates)"
            runs.append((label, query_child(index_dir, HNSW, questions, shortlist, args.candidates), made))
        if size <= args.milvus_up_to:
            milvus_dir = workdir / f"index-{size}-milvus"
            kind = index_kind(size, "auto")[0]
            in_milvus = kept(milvus_dir) if args.reuse else None
            if in_milvus is None:
                shutil.rmtree(milvus_dir, ignore_errors=True)
                scratch.mkdir(exist_ok=True)
                in_milvus = synthetic_build(real, size, milvus_dir, scratch, kind, "milvus")
                shutil.rmtree(scratch)
            runs.append((f"milvus lite {kind}", query_child(milvus_dir, "milvus", questions), in_milvus))
        for label, run, written in runs:
            print_row(f"{size:,}", label, run, written, recall_at_10(exact["tops"], run["tops"]))
        if not args.keep and size <= args.milvus_up_to:
            shutil.rmtree(workdir / f"index-{size}-milvus")
        if not args.keep:
            shutil.rmtree(index_dir)
    if not args.keep:
        shutil.rmtree(workdir)


if __name__ == "__main__":
    main()
