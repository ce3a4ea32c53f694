"""QA_VECTOR_STORE=milvus against a real Milvus Lite (in the build folder, and a shared file), compared with
FAISS on the development library; builds that fail, or a Milvus that cannot be reached, leave the live index."""

from __future__ import annotations

import json

import numpy as np
import pytest

import qa
from conftest import library_tuning_questions
from qa import store
from qa.settings import Settings
from qa.store import load_index
from qa.vector_stores import milvus
from test_cli import run_qa

@pytest.fixture(scope="module")
def faiss_and_milvus(library_corpus, library_index, tmp_path_factory):
    faiss_index, milvus_index = library_index, tmp_path_factory.mktemp("milvus")
    built = run_qa("build", "--corpus", str(library_corpus), "--index", str(milvus_index), env={"QA_VECTOR_STORE": "milvus"})
    assert built.returncode == 0, built.stderr
    assert "milvus exact vector search" in built.stdout and "Traceback" not in built.stderr
    return faiss_index, milvus_index


def test_milvus_lite_ranks_the_library_as_faiss_does(faiss_and_milvus):
    faiss_index, milvus_index = faiss_and_milvus
    assert (milvus_index / store.current_build_id(milvus_index) / milvus.LITE_FILE).is_dir()
    same_first, shared = [], []
    for question in library_tuning_questions():
        ours = [p.chunk_id for p in qa.retrieve(question, k=5, index_dir=milvus_index)]
        theirs = [p.chunk_id for p in qa.retrieve(question, k=5, index_dir=faiss_index)]
        same_first.append(ours[0] == theirs[0])
        shared.append(len(set(ours) & set(theirs)) / 5)
    assert np.mean(same_first) >= 0.9 and np.mean(shared) >= 0.9, (np.mean(same_first), np.mean(shared))


def test_milvus_answers_cite_what_faiss_answers_cite(faiss_and_milvus):
    faiss_index, milvus_index = faiss_and_milvus
    question = "Who chairs the National Wetland Committee?"
    ours, theirs = qa.ask(question, index_dir=milvus_index), qa.ask(question, index_dir=faiss_index)
    assert not ours.abstained and ours.text == theirs.text
    assert [(c.source, c.start, c.end) for c in ours.citations] == [(c.source, c.start, c.end) for c in theirs.citations]


def test_a_build_and_a_search_in_new_processes_read_one_milvus_lite_after_the_other(own_corpus, tmp_path):
    index_dir, env = tmp_path / "index", {"QA_VECTOR_STORE": "milvus"}
    assert run_qa("build", "--corpus", str(own_corpus), "--index", str(index_dir), env=env).returncode == 0
    searched = run_qa("search", "What is the ecological protection red line?", "--json", "--index", str(index_dir))
    assert searched.returncode == 0, searched.stderr
    assert "red line" in json.loads(searched.stdout)[0]["text"]


def collections(uri: str) -> set[str]:
    client = milvus.connect(uri)
    try:
        return set(client.list_collections())
    finally:
        milvus.release(uri, client)


def test_a_shared_milvus_file_keeps_the_live_and_previous_builds_and_the_alias_follows_the_live_one(
    own_corpus, tmp_path, setting
):
    uri = str(tmp_path / "shared.db")
    setting(vector_store="milvus", milvus_uri=uri)
    index_dir = tmp_path / "index"
    qa.build_index(own_corpus, index_dir)
    first = qa.retrieve("What is the ecological protection red line?", index_dir=index_dir)
    for _ in range(2):
        qa.build_index(own_corpus, index_dir, full=True)
    live = store.current_build_id(index_dir)
    kept = sorted(p.name for p in index_dir.glob("build-*"))
    assert len(kept) == store.BUILDS_KEPT
    assert collections(uri) == {milvus.collection(b, s, p) for b in kept for s in ("dense", "multilingual") for p in ("chunks", "clauses")}
    client = milvus.connect(uri)
    try:
        described = client.describe_alias(milvus.live_alias("dense", "chunks"))
    finally:
        milvus.release(uri, client)
    assert described["collection_name"] == milvus.collection(live, "dense", "chunks")
    again = qa.retrieve("What is the ecological protection red line?", index_dir=index_dir)  # the live build, reloaded
    assert qa.retriever(index_dir).index.build_id == live and [p.chunk_id for p in again] == [p.chunk_id for p in first]


def test_a_build_that_fails_while_writing_drops_its_collections_and_leaves_the_live_one(
    own_corpus, tmp_path, setting, monkeypatch
):
    uri = str(tmp_path / "shared.db")
    setting(vector_store="milvus", milvus_uri=uri)
    index_dir = tmp_path / "index"
    qa.build_index(own_corpus, index_dir)
    before, live = collections(uri), store.current_build_id(index_dir)

    def full_disk(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(store, "save_bm25", full_disk)
    with pytest.raises(qa.QAError, match=r"\(No space left on device\); the previous build, if any, still serves"):
        qa.build_index(own_corpus, index_dir, full=True)
    assert collections(uri) == before and store.current_build_id(index_dir) == live
    monkeypatch.undo()
    qa.retriever(index_dir).index = None
    assert qa.retrieve("What is the ecological protection red line?", index_dir=index_dir)


def test_an_unreachable_milvus_server_gives_one_line_and_keeps_the_index(own_corpus, tmp_path):
    index_dir = tmp_path / "index"
    assert run_qa("build", "--corpus", str(own_corpus), "--index", str(index_dir)).returncode == 0
    live = store.current_build_id(index_dir)
    env = {"QA_VECTOR_STORE": "milvus", "QA_MILVUS_URI": "http://127.0.0.1:9"}
    built = run_qa("build", "--corpus", str(own_corpus), "--index", str(index_dir), env=env)
    assert built.returncode != 0 and "Traceback" not in built.stderr
    assert "Milvus at http://127.0.0.1:9" in built.stderr
    assert store.current_build_id(index_dir) == live and load_index(index_dir).manifest["vector_store"] == "faiss"


def test_switching_stores_moves_the_vectors_without_embedding_them_again(own_corpus, tmp_path, setting):
    index_dir, question = tmp_path / "index", "What is the ecological protection red line?"
    qa.build_index(own_corpus, index_dir)
    in_faiss = [p.chunk_id for p in qa.retrieve(question, index_dir=index_dir)]
    for store_name in ("milvus", "faiss"):
        setting(vector_store=store_name)
        moved = qa.build_index(own_corpus, index_dir)
        assert (moved.embedded, moved.full_rebuild_reason, moved.vector_store) == (0, None, store_name)
        assert load_index(index_dir).manifest["vector_store"] == store_name
        assert [p.chunk_id for p in qa.retrieve(question, index_dir=index_dir)] == in_faiss


def test_qa_store_names_the_store_too(monkeypatch):
    """The store's issue called the setting QA_STORE; it is read as QA_VECTOR_STORE is."""
    monkeypatch.delenv("QA_VECTOR_STORE", raising=False)
    monkeypatch.setenv("QA_STORE", "milvus")
    assert Settings().vector_store == "milvus"


def test_a_build_beside_a_process_holding_milvus_lite_says_why_it_embeds_everything(own_corpus, tmp_path, setting):
    index_dir, env = tmp_path / "index", {"QA_VECTOR_STORE": "milvus"}
    setting(vector_store="milvus")
    qa.build_index(own_corpus, index_dir)
    assert qa.retrieve("What is the ecological protection red line?", index_dir=index_dir)  # holds the file open
    (own_corpus / "herons.md").write_text("Grey herons nest in the reed beds of Lake Ysmere.\n", encoding="utf-8")
    rebuilt = run_qa("build", "--corpus", str(own_corpus), "--index", str(index_dir), env=env)
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert "no previous index to reuse" not in rebuilt.stdout
    assert "the previous index could not be read" in rebuilt.stdout and "one process at a time" in rebuilt.stdout
