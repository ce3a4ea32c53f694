"""The index on disk: one folder per build (vectors, chunks, manifest) and a CURRENT file naming the live one.

Why folders and a pointer: a build writes a complete new folder first and only then replaces CURRENT
with one atomic rename, so a crash or an error at any moment leaves the previous build serving.
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import faiss
import numpy as np

from qa.chunking import Chunk
from qa.errors import IndexMissingError, QAError

FORMAT_VERSION = 1
CURRENT = "CURRENT"
MANIFEST = "manifest.json"
CHUNKS = "chunks.jsonl"
VECTORS = "vectors.faiss"
BUILDS_KEPT = 2  # the live build and the one before it, which a reader may still be opening


@dataclass
class StoredIndex:
    """A loaded build: its manifest, its chunks in vector order, and the FAISS index over them."""

    build_id: str
    manifest: dict
    chunks: list[Chunk]
    vectors: faiss.Index


def fsync_path(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def current_build_id(index_dir: Path) -> str | None:
    """The name of the live build folder, or None when no index has been built."""
    try:
        return (index_dir / CURRENT).read_text(encoding="utf-8").strip() or None
    except FileNotFoundError:
        return None


def write_build(build_dir: Path, manifest: dict, chunks: list[Chunk], vectors: np.ndarray) -> None:
    build_dir.mkdir(parents=True)
    index = faiss.IndexFlatIP(vectors.shape[1])  # exact search: fast enough far past any one document set
    index.add(np.ascontiguousarray(vectors, dtype=np.float32))
    faiss.write_index(index, str(build_dir / VECTORS))
    with open(build_dir / CHUNKS, "w", encoding="utf-8") as handle:
        for chunk in chunks:
            handle.write(json.dumps(chunk.to_dict(), ensure_ascii=False) + "\n")
    (build_dir / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    for name in (VECTORS, CHUNKS, MANIFEST):
        fsync_path(build_dir / name)
    fsync_path(build_dir)


def save_index(index_dir: Path, manifest: dict, chunks: list[Chunk], vectors: np.ndarray) -> str:
    """Write a new build and make it live atomically; returns its id."""
    if len(chunks) != len(vectors):
        raise ValueError(f"{len(chunks)} chunks but {len(vectors)} vectors")
    index_dir.mkdir(parents=True, exist_ok=True)
    build_id = "build-" + datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:8]
    staging = index_dir / f".staging-{build_id}"
    try:
        write_build(staging, {**manifest, "format_version": FORMAT_VERSION, "build_id": build_id}, chunks, vectors)
        os.rename(staging, index_dir / build_id)
        fsync_path(index_dir)
        pointer = index_dir / f".{CURRENT}.{build_id}"
        pointer.write_text(build_id + "\n", encoding="utf-8")
        fsync_path(pointer)
        os.replace(pointer, index_dir / CURRENT)
        fsync_path(index_dir)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    remove_old_builds(index_dir, keep=build_id)
    return build_id


def remove_old_builds(index_dir: Path, keep: str) -> None:
    """Delete all but the newest builds, and leftovers of builds that were interrupted."""
    builds = sorted((p for p in index_dir.glob("build-*") if p.is_dir()), key=lambda p: p.name)
    for old in [p for p in builds if p.name != keep][: max(0, len(builds) - BUILDS_KEPT)]:
        shutil.rmtree(old, ignore_errors=True)
    for leftover in index_dir.glob(".staging-*"):
        shutil.rmtree(leftover, ignore_errors=True)
    for leftover in index_dir.glob(f".{CURRENT}.*"):
        leftover.unlink(missing_ok=True)


def read_manifest(index_dir: Path) -> dict | None:
    build_id = current_build_id(index_dir)
    if build_id is None:
        return None
    try:
        return json.loads((index_dir / build_id / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return None


def load_index(index_dir: Path) -> StoredIndex:
    """The live build; IndexMissingError when there is none, QAError when it is damaged."""
    build_id = current_build_id(index_dir)
    if build_id is None:
        raise IndexMissingError(f"no index in {index_dir}/: run `qa build` to build it from the corpus")
    build_dir = index_dir / build_id
    try:
        manifest = json.loads((build_dir / MANIFEST).read_text(encoding="utf-8"))
        with open(build_dir / CHUNKS, encoding="utf-8") as handle:
            chunks = [Chunk(**json.loads(line)) for line in handle]
        vectors = faiss.read_index(str(build_dir / VECTORS))
    except (OSError, RuntimeError, ValueError, TypeError) as error:
        raise QAError(f"the index in {index_dir}/ is damaged ({error}): run `qa build` to rebuild it") from error
    if manifest.get("format_version") != FORMAT_VERSION or vectors.ntotal != len(chunks):
        raise QAError(f"the index in {index_dir}/ is from another version or incomplete: run `qa build` to rebuild it")
    return StoredIndex(build_id, manifest, chunks, vectors)
