"""The two kinds of vector search (qa/vector_stores/faiss.py): every row scored, or an HNSW graph's candidates alone.
Real models, real builds of the development library; the figures at scale are bench/bench_scale.py's."""

from __future__ import annotations

import numpy as np
import pytest

import qa
from conftest import library_tuning_questions
from qa import dense, search
from qa.lexical import TermWeights
from qa.store import load_index
from qa.vector_stores import APPROXIMATE_FROM, EXACT, HNSW, index_kind
from qa.vector_stores.faiss import graph_file
from test_cli import run_qa


@pytest.fixture(scope="module")
def both_kinds(library_corpus, library_index, tmp_path_factory):
    """The same library built twice: exact, and with a graph (asked for; the library is far below the size
    from which `auto` takes one)."""
    exact, graph = library_index, tmp_path_factory.mktemp("graph")
    built = run_qa("build", "--corpus", str(library_corpus), "--index", str(graph), env={"QA_VECTOR_INDEX": HNSW})
    assert built.returncode == 0, built.stderr
    assert "faiss hnsw vector search (asked for (QA_VECTOR_INDEX=hnsw))" in built.stdout
    return exact, graph


def test_auto_chooses_exact_search_below_the_measured_size_and_says_so(shipped_corpus, tmp_path):
    built = run_qa("build", "--corpus", str(shipped_corpus), "--index", str(tmp_path / "index"))
    assert built.returncode == 0, built.stderr
    assert f"faiss exact vector search (8 chunks, below {APPROXIMATE_FROM:,})" in built.stdout
    assert load_index(tmp_path / "index").manifest["vector_index"] == EXACT
    assert index_kind(APPROXIMATE_FROM, "auto")[0] == HNSW and index_kind(APPROXIMATE_FROM - 1, "auto")[0] == EXACT


def test_a_graph_is_written_and_read_with_the_build(both_kinds):
    exact, graph = both_kinds
    built = load_index(graph)
    assert built.manifest["vector_index"] == HNSW
    assert (graph / built.build_id / graph_file("dense")).is_file()
    assert all(vectors.kind == HNSW for vectors in built.vector_sets.values())
    assert all(vectors.kind == EXACT for vectors in load_index(exact).vector_sets.values())


def test_scoring_some_rows_gives_the_scores_every_row_gets(both_kinds):
    """With a graph only the rows asked for, and their clauses, are read; the scores are those of all rows."""
    exact, graph = (load_index(folder) for folder in both_kinds)
    query = qa.retriever(both_kinds[0]).vectors(["How many wetlands were restored?"], "query", "dense")[0]
    every = dense.dense_scores(exact, "dense", query, None)
    rows = np.random.default_rng(7).permutation(len(graph.chunks))[: len(graph.chunks) // 3]
    assert np.allclose(dense.dense_scores(graph, "dense", query, rows), every[rows], atol=1e-6)
    assert np.allclose(dense.dense_scores(exact, "dense", query, rows), every[rows], atol=1e-6)


def test_the_graphs_codes_give_cosines_close_to_the_vectors(both_kinds):
    """The shortlist of a graph's candidates is chosen by cosines read off its 8-bit codes, in memory."""
    exact, graph = (load_index(folder) for folder in both_kinds)
    retriever = qa.retriever(both_kinds[0])
    rows = np.arange(len(graph.chunks))
    for space, vectors in graph.vector_sets.items():
        query = retriever.vectors(["How many wetlands were restored?"], "query", space)[0]
        coded = vectors.approximate(query, rows)
        assert np.abs(coded - np.asarray(vectors.chunks[rows]) @ query).max() < 0.01, space
        assert exact.vector_sets[space].approximate(query, rows) is None  # no graph: every row is scored


def test_a_graph_that_offers_every_row_ranks_as_exact_search(both_kinds):
    """Every chunk of the library is a candidate here, and more than the shortlist (dense.SHORTLIST) keeps by
    the graphs' 8-bit codes before reading float vectors: the first five passages stay exact search's."""
    exact, graph = both_kinds
    assert len(load_index(graph).chunks) > dense.SHORTLIST
    for question in library_tuning_questions():
        assert [p.chunk_id for p in qa.retrieve(question, k=5, index_dir=graph)] == [
            p.chunk_id for p in qa.retrieve(question, k=5, index_dir=exact)
        ], question


def test_a_few_candidates_from_the_graph_keep_the_first_passage(both_kinds, monkeypatch):
    """With 40 candidates of the library's chunks (as a graph over a large index offers a few hundred of
    many), the z-scores come from a sample and only candidates are scored, yet the first passage stays."""
    exact, graph = both_kinds
    chunks = len(load_index(graph).chunks)
    monkeypatch.setattr(search, "CANDIDATES", 40)
    monkeypatch.setattr(dense, "REFERENCE_ROWS", chunks // 2)
    qa.retriever(graph).current()[0].cache.clear()  # the sample is drawn once per build
    same_first = [
        qa.retrieve(q, k=5, index_dir=graph)[0].chunk_id == qa.retrieve(q, k=5, index_dir=exact)[0].chunk_id
        for q in library_tuning_questions()
    ]
    assert chunks > 4 * 40 and np.mean(same_first) >= 0.9, np.mean(same_first)


def test_term_weights_read_off_bm25_equal_those_counted_from_the_chunks(both_kinds):
    """A large library's first question no longer splits every chunk into terms again."""
    index = load_index(both_kinds[0])
    counted = TermWeights(chunk.text for chunk in index.chunks)
    read = qa.retriever(both_kinds[0]).term_weights()
    assert (read.count, read.frequencies) == (counted.count, counted.frequencies) and read.count == len(index.chunks)
