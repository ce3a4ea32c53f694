"""Incremental rebuilds: only new text is embedded, counts are right, and the result equals a full rebuild."""

from __future__ import annotations

import os

import numpy as np
import pytest

import qa
from qa.build import build_index as build_with
from qa.settings import Settings
from qa.store import load_index
from test_cli import run_qa

NEW_DOCUMENT = "Wetland parks protect migratory birds.\n\nGrassland is restored by rotational grazing.\n"
QUESTIONS = ["What is the ecological protection red line?", "biosafety law", "How are wetlands protected?", "什么是生态保护红线？"]


@pytest.fixture
def corpus(own_corpus):
    return own_corpus


def results(index_dir):
    return [[(p.chunk_id, round(p.score, 4)) for p in qa.retrieve(q, k=5, index_dir=index_dir)] for q in QUESTIONS]


def test_only_new_chunks_are_embedded_and_counted(corpus, tmp_path):
    index_dir = tmp_path / "index"
    first = qa.build_index(corpus, index_dir)
    assert (first.full_rebuild_reason, first.added, first.embedded) == ("no previous index to reuse", 8, 8)
    # every file of a first build is new to the index (a probe's developer found none named)
    assert (first.files_added, first.files_changed, first.files_removed) == (["china-biodiversity-white-paper-summary.txt"], [], [])

    again = qa.build_index(corpus, index_dir)
    assert (again.full_rebuild_reason, again.added, again.removed, again.unchanged, again.embedded) == (None, 0, 0, 8, 0)
    assert "files" not in again.summary().rsplit(")", 1)[-1]

    (corpus / "wetlands.txt").write_text(NEW_DOCUMENT, encoding="utf-8")
    grown = qa.build_index(corpus, index_dir)
    assert (grown.added, grown.removed, grown.unchanged, grown.embedded) == (2, 0, 8, 2)
    assert grown.files_added == ["wetlands.txt"] and grown.summary().endswith("; files new: wetlands.txt")

    summary = corpus / "china-biodiversity-white-paper-summary.txt"
    summary.write_text(summary.read_text(encoding="utf-8").replace("biosafety law", "Biosafety Law"), encoding="utf-8")
    edited = qa.build_index(corpus, index_dir)
    assert (edited.added, edited.removed, edited.unchanged, edited.embedded) == (1, 1, 9, 1)
    assert (edited.files_added, edited.files_changed, edited.files_removed) == ([], [summary.name], [])
    (corpus / "wetlands.txt.meta.json").write_text('{"title": "Wetland notes"}', encoding="utf-8")
    assert qa.build_index(corpus, index_dir).files_changed == ["wetlands.txt"]  # its title is embedded with it

    (corpus / "wetlands.txt").unlink()
    shrunk = qa.build_index(corpus, index_dir)
    assert (shrunk.added, shrunk.removed, shrunk.unchanged, shrunk.embedded) == (0, 2, 8, 0)
    assert shrunk.files_removed == ["wetlands.txt"] and shrunk.summary().endswith("; files removed: wetlands.txt")
    assert {c.source for c in load_index(index_dir).chunks} == {"china-biodiversity-white-paper-summary.txt"}


def test_an_incremental_build_equals_a_full_rebuild(corpus, tmp_path):
    incremental, full = tmp_path / "incremental", tmp_path / "full"
    qa.build_index(corpus, incremental)
    (corpus / "wetlands.txt").write_text(NEW_DOCUMENT, encoding="utf-8")
    summary = corpus / "china-biodiversity-white-paper-summary.txt"
    summary.write_text(summary.read_text(encoding="utf-8").replace("five aspects", "5 aspects"), encoding="utf-8")
    assert qa.build_index(corpus, incremental).embedded == 3
    assert qa.build_index(corpus, full).full_rebuild_reason is not None
    grown, rebuilt = load_index(incremental), load_index(full)
    assert grown.chunks == rebuilt.chunks
    assert (grown.clause_rows == rebuilt.clause_rows).all() and len(grown.clause_rows) > len(grown.chunks)
    for name, vectors in rebuilt.vector_sets.items():  # reused clause vectors sit with their own chunks
        assert np.allclose(grown.vector_sets[name].clauses, vectors.clauses, atol=1e-5)
    assert results(incremental) == results(full)


def test_a_chunk_whose_clauses_are_split_otherwise_is_embedded_again(corpus, tmp_path, monkeypatch):
    index_dir = tmp_path / "index"
    qa.build_index(corpus, index_dir)
    before = load_index(index_dir)
    counts = [len(chunk.clause_spans) for chunk in before.chunks]
    monkeypatch.setattr("qa.sentences.CLAUSE_MIN_TOKENS", 12)  # as a newer sentence splitter might: fewer clauses
    again = qa.build_index(corpus, index_dir)
    after = load_index(index_dir)
    changed = sum(len(chunk.clause_spans) != count for chunk, count in zip(after.chunks, counts))
    assert changed and again.embedded == changed
    assert len(after.clause_rows) == sum(len(chunk.clause_spans) for chunk in after.chunks) < len(before.clause_rows)
    assert qa.ask("What is the ecological protection red line?", index_dir=index_dir).citations


def test_changed_chunk_settings_rebuild_everything_and_say_why(corpus, tmp_path):
    index_dir = tmp_path / "index"
    qa.build_index(corpus, index_dir)
    report = build_with(corpus, index_dir, Settings(chunk_max_tokens=60))
    assert report.full_rebuild_reason == "chunk_max_tokens changed from 160 to 60"
    assert report.embedded == report.chunks > 8
    both = build_with(corpus, index_dir, Settings(chunk_max_tokens=160, chunk_overlap_sentences=0))
    assert both.full_rebuild_reason == (
        "chunk_max_tokens changed from 60 to 160 and chunk_overlap_sentences changed from 1 to 0"
    )


def test_qa_build_full_forces_a_full_rebuild(corpus, tmp_path):
    index_dir = str(tmp_path / "index")
    assert "full build: no previous index" in run_qa("build", "--corpus", str(corpus), "--index", index_dir).stdout
    again = run_qa("build", "--corpus", str(corpus), "--index", index_dir)
    assert "the index is up to date: 1 document(s) as 8 chunks, no file or setting changed" in again.stdout
    forced = run_qa("build", "--full", "--corpus", str(corpus), "--index", index_dir)
    assert "full build: asked for; 0 added, 0 removed, 8 unchanged, 8 embedded" in forced.stdout


def test_a_build_with_nothing_changed_keeps_the_live_build(corpus, tmp_path):
    index_dir = tmp_path / "index"
    (corpus / "broken.pdf").write_bytes(b"%PDF-1.4 not really")
    first = qa.build_index(corpus, index_dir)
    builds = sorted(path.name for path in index_dir.iterdir())
    again = qa.build_index(corpus, index_dir)
    assert again.up_to_date and again.build_id == first.build_id and again.embedded == 0
    assert sorted(path.name for path in index_dir.iterdir()) == builds, "nothing is written"
    assert [str(file) for file in again.skipped] == [str(file) for file in first.skipped] != [], "still named"
    # A file saved again (its time changed, its text not) is read again, and nothing is embedded.
    document = next(path for path in corpus.iterdir() if path.suffix in (".txt", ".md"))
    os.utime(document, ns=(document.stat().st_atime_ns, document.stat().st_mtime_ns + 10**9))
    touched = qa.build_index(corpus, index_dir)
    assert not touched.up_to_date and touched.build_id != first.build_id and touched.embedded == 0
    assert touched.files_added == touched.files_changed == touched.files_removed == []
    # A setting that changes what a build makes builds again.
    other = build_with(corpus, index_dir, Settings(vector_index="hnsw"))
    assert not other.up_to_date and other.vector_index == "hnsw"
    assert build_with(corpus, index_dir, Settings(vector_index="hnsw")).up_to_date
