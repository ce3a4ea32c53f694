"""The index on disk: a failed build leaves the old one serving; a mismatched or damaged one says to rebuild."""

from __future__ import annotations

import json
import numpy as np
import pytest

import qa
from qa import store
from qa.bm25 import build_bm25
from qa.chunking import Chunk

QUESTION = "What is the ecological protection red line?"


@pytest.fixture
def built(tmp_path, shipped_corpus):
    """A private copy of a real index, so each test can damage its own."""
    index_dir = tmp_path / "index"
    qa.build_index(shipped_corpus, index_dir)
    return index_dir


def snapshot(index_dir):
    return (
        store.current_build_id(index_dir),
        [(p.chunk_id, round(p.score, 5)) for p in qa.retrieve(QUESTION, k=8, index_dir=index_dir)],
    )


def test_a_build_that_fails_while_writing_leaves_the_old_index(built, own_corpus, monkeypatch):
    before = snapshot(built)
    grown = own_corpus
    (grown / "extra.txt").write_text("Wetlands store carbon and shelter migrating birds.", encoding="utf-8")
    real_write = store.write_build

    def write_then_fail(*args):
        real_write(*args)  # every file of the new build is on disk...
        raise OSError(28, "No space left on device")  # ...and then the disk fills up

    monkeypatch.setattr(store, "write_build", write_then_fail)
    with pytest.raises(qa.QAError, match=r"could not be written to .* \(No space left on device\); the previous build"):
        qa.build_index(grown, built)
    assert snapshot(built) == before
    assert not list(built.glob(".staging-*")), "the half-written build is cleaned up"
    monkeypatch.undo()
    report = qa.build_index(grown, built)
    assert report.documents == 2 and store.current_build_id(built) != before[0]


def test_a_build_that_fails_while_embedding_leaves_the_old_index(built, shipped_corpus):
    before = snapshot(built)

    def interrupt(done, total):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        qa.build_index(shipped_corpus, built, progress=interrupt, full=True)
    assert snapshot(built) == before


def test_an_index_built_with_another_model_says_to_rebuild(built):
    manifest_path = built / store.current_build_id(built) / store.MANIFEST
    manifest = json.loads(manifest_path.read_text())
    manifest["model"] = "some-other-model"
    manifest_path.write_text(json.dumps(manifest))
    with pytest.raises(qa.IndexMismatchError, match="some-other-model.*qa build"):
        qa.retrieve(QUESTION, index_dir=built)


def test_an_index_of_another_dimension_says_to_rebuild(tmp_path):
    chunk = Chunk("id", "a.txt", 0, 5, "Parks", "")
    settings = qa.get_settings()
    manifest = {"model": settings.embed_model, "multilingual_model": settings.multilingual_model}
    one_row = store.Vectors(chunks=np.ones((1, 512), dtype=np.float32), clauses=np.zeros((0, 512), dtype=np.float32))
    vectors = {"dense": one_row, "multilingual": one_row}
    store.save_index(tmp_path, manifest, [chunk], vectors, np.zeros(0, dtype=np.int64), build_bm25(["Parks"]))
    with pytest.raises(qa.IndexMismatchError, match="512-dimensional.*qa build"):
        qa.retrieve(QUESTION, index_dir=tmp_path)


def test_a_damaged_index_says_to_rebuild(built):
    chunks_path = built / store.current_build_id(built) / store.CHUNKS
    chunks_path.write_text(chunks_path.read_text()[:100])
    with pytest.raises(qa.QAError, match="qa build"):
        qa.retrieve(QUESTION, index_dir=built)


def test_old_builds_are_pruned(built, shipped_corpus):
    for _ in range(3):
        qa.build_index(shipped_corpus, built, full=True)  # an unchanged corpus would write no new build
    assert len(list(built.glob("build-*"))) == store.BUILDS_KEPT


def test_an_index_from_an_older_version_is_rebuilt_at_start(built, shipped_corpus, capsys):
    from qa.ui import ensure_index

    manifest_path = built / store.current_build_id(built) / store.MANIFEST
    manifest = json.loads(manifest_path.read_text())
    manifest["format_version"] = store.FORMAT_VERSION - 1
    manifest_path.write_text(json.dumps(manifest))
    assert qa.index_info(built)["outdated"]
    with pytest.raises(qa.QAError, match="another version.*qa build"):
        qa.retrieve(QUESTION, index_dir=built)
    assert qa.build_index(shipped_corpus, built).full_rebuild_reason == "the index format changed"
    manifest_path = built / store.current_build_id(built) / store.MANIFEST
    manifest_path.write_text(json.dumps({**json.loads(manifest_path.read_text()), "format_version": 1}))
    ensure_index(shipped_corpus, built)
    assert "earlier version" in capsys.readouterr().err
    assert not qa.index_info(built)["outdated"]
    assert qa.retrieve(QUESTION, index_dir=built)
