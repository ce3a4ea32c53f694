"""Retrieval with the real model over the shipped corpus: the right paragraph comes first."""

from __future__ import annotations

import pytest

import qa
from conftest import index_of, question_params, read_jsonl
from qa import evidence
from qa.lexical import terms
from qa.sentences import has_cjk

QUESTIONS = read_jsonl("retrieval_questions.jsonl")
PARAPHRASES = [c for c in read_jsonl("tuning_questions.jsonl") if "expect" in c]


@pytest.mark.parametrize("case", question_params(QUESTIONS))
def test_the_right_paragraph_comes_first(shipped_index, case):
    passages = qa.retrieve(case["question"], k=3, index_dir=shipped_index)
    assert case["expect"] in passages[0].text, [p.text[:80] for p in passages]


def test_passages_carry_exact_offsets_and_scores(shipped_index, shipped_text, setting):
    setting(rerank="off")  # the search's own order, by its score
    passages = qa.retrieve("What is the ecological protection red line?", k=5, index_dir=shipped_index)
    assert len(passages) == 5
    assert [p.score for p in passages] == sorted((p.score for p in passages), reverse=True)
    for passage in passages:
        assert passage.source == "china-biodiversity-white-paper-summary.txt"
        assert shipped_text[passage.start : passage.end] == passage.text
        assert passage.section.startswith("White paper")
        assert len(passage.chunk_id) >= 16
    assert set(passages[0].to_dict()) == {"text", "source", "chunk_id", "score", "start", "end", "section", "similarity", "page"}


def test_the_first_five_passages_come_in_the_order_of_their_best_sentence(shipped_index, setting):
    question = "What did China do to protect species outside their habitats?"
    reranked = qa.retrieve(question, k=8, index_dir=shipped_index)
    setting(rerank="off")
    searched = qa.retrieve(question, k=8, index_dir=shipped_index)
    assert sorted(p.chunk_id for p in reranked[:5]) == sorted(p.chunk_id for p in searched[:5])
    assert reranked[5:] == searched[5:]
    ranked = evidence.candidates(question, searched[:5], qa.retriever(shipped_index))
    best = {}
    for candidate in ranked:
        best.setdefault(candidate.passage.chunk_id, candidate.score)
    order = [best.get(p.chunk_id, 0.0) for p in reranked[:5]]
    assert order == sorted(order, reverse=True)


def test_k_larger_than_the_index_returns_every_chunk(shipped_index):
    assert len(qa.retrieve("parks", k=50, index_dir=shipped_index)) == 8


@pytest.mark.parametrize("query", ["", "   ", "\n\t"])
def test_an_empty_question_is_refused_with_a_message(shipped_index, query):
    with pytest.raises(qa.EmptyQueryError, match="empty"):
        qa.retrieve(query, index_dir=shipped_index)


def test_a_missing_index_says_to_build(tmp_path):
    with pytest.raises(qa.IndexMissingError, match="qa build"):
        qa.retrieve("biosafety", index_dir=tmp_path / "nothing-here")


def test_the_model_and_index_are_loaded_once(shipped_index):
    retriever = qa.retriever(shipped_index)
    qa.retrieve("parks", index_dir=shipped_index)
    loaded = retriever.index, dict(retriever.embedders)
    qa.retrieve("biosafety", index_dir=shipped_index)
    assert (retriever.index, retriever.embedders) == loaded


@pytest.mark.parametrize("language", ["en", "zh"])
def test_paraphrased_questions_find_their_paragraph_in_the_top_three(shipped_index, language):
    cases = [c for c in PARAPHRASES if has_cjk(c["question"]) == (language == "zh")]
    missed = [
        c["question"]
        for c in cases
        if not any(c["expect"] in p.text for p in qa.retrieve(c["question"], k=3, index_dir=shipped_index))
    ]
    # Measured: 2 of 30 English and 1 of 15 Chinese miss (recall@3 0.93 each); a floor of 0.9 catches a slide.
    assert len(missed) <= 0.1 * len(cases), missed


def test_a_word_written_with_a_hyphen_meets_it_written_without(tmp_path):
    # A probe's "How long can I stay on the wifi?" was refused at 0.27 over "Wi-Fi": "wifi" counted as a word the
    # documents never use. A hyphenated word is now also its parts and the parts run together.
    assert {"wifi", "wi", "fi", "wi-fi"} <= set(terms("Wi-Fi access is free."))
    assert set(terms("owned by the state")) <= set(terms("a state-owned company"))
    index_dir = index_of(tmp_path, {"rules.txt": (
        "Library rules\n\nWi-Fi access is free for all visitors. Each session is limited to 4 hours.\n\n"
        "Food is not allowed in the reading rooms. Drinks are allowed only in closed containers.\n"
    )})
    answer = qa.ask("How long can I stay on the wifi?", index_dir=index_dir)
    assert not answer.abstained and "4 hours" in answer.text, answer.text
