"""The chat page's HTML: corpus and user text always escaped; the quoted sentence highlighted in its passage."""

from __future__ import annotations

import shutil

import pytest

import qa
from qa.answerers import RELATED_MIN_CONFIDENCE, RELATED_SHOWN
from qa.render import escape_markdown, sources_html

HOSTILE = (
    "Wetland parks protect migratory birds and store carbon. "
    '<script>window.pwned = 1</script> <img src=x onerror="window.pwned = 2"> Wetlands also filter water.'
)


@pytest.fixture(scope="module")
def hostile_index(tmp_path_factory, shipped_corpus):
    corpus = tmp_path_factory.mktemp("hostile-corpus")
    shutil.copytree(shipped_corpus, corpus, dirs_exist_ok=True)
    (corpus / "wetlands.txt").write_text(f"# Wetlands\n\n{HOSTILE}\n", encoding="utf-8")  # read as written
    index_dir = tmp_path_factory.mktemp("hostile-index")
    qa.build_index(corpus, index_dir)
    return index_dir


def test_sources_highlight_the_quote_inside_its_passage(shipped_index):
    answer = qa.ask("Which law on biosafety did China pass?", index_dir=shipped_index)
    html = sources_html(answer)
    assert html.count("<mark") == len(answer.citations) == 1
    assert f"<mark class=\"qa-quote\">{answer.citations[0].quote}</mark>" in html
    assert "[1]" in html and "china-biodiversity-white-paper-summary.txt" in html


def test_two_quotes_from_one_passage_show_it_once_with_both_highlighted(shipped_index):
    answer = qa.ask("Has ecological deterioration been curbed?", index_dir=shipped_index)
    assert len(answer.citations) == 2 and answer.citations[0].chunk_id == answer.citations[1].chunk_id
    html = sources_html(answer)
    assert html.count('class="qa-card"') == 1 and html.count("<mark") == 2
    assert '<span class="qa-n">[1]</span> <span class="qa-n">[2]</span>' in html
    assert 'id="source-1"' in html and 'id="source-2"' in html  # the answer's [2] still has a target
    for citation in answer.citations:
        assert f'<mark class="qa-quote">{citation.quote}</mark>' in html


def test_hostile_corpus_text_is_escaped(hostile_index):
    answer = qa.ask("What do wetland parks protect?", index_dir=hostile_index)
    assert answer.passages[0].source == "wetlands.txt" and not answer.abstained
    html = sources_html(answer)
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;" in html and "&lt;img src=x onerror=" in html


def test_a_refusal_on_the_documents_subject_lists_possibly_related_passages_apart(shipped_index):
    answer = qa.ask("How many giant pandas live in the wild?", index_dir=shipped_index)
    assert answer.abstained and answer.confidence >= RELATED_MIN_CONFIDENCE
    html = sources_html(answer)
    assert "Possibly related" in html and "<mark" not in html and html.count("qa-related") == RELATED_SHOWN


def test_the_words_around_the_quotes_follow_the_language_of_the_question(shipped_index):
    answered = sources_html(qa.ask("中国通过了哪部关于生物安全的法律？", index_dir=shipped_index))
    assert "来源" in answered and "Sources" not in answered and "<mark" in answered  # the quote stays English
    refused = qa.ask("野生大熊猫有多少只？", index_dir=shipped_index)
    assert refused.abstained and refused.confidence >= RELATED_MIN_CONFIDENCE
    assert "可能相关的段落" in sources_html(refused) and "Possibly related" not in sources_html(refused)


@pytest.mark.parametrize("question", ["What is the capital of France?", "Tell me a joke."])
def test_an_off_topic_refusal_shows_no_passages(shipped_index, question):
    answer = qa.ask(question, index_dir=shipped_index)
    assert answer.abstained and answer.passages, "the passages are still found, for the API"
    assert answer.related == [] and sources_html(answer) == ""


def test_markdown_in_answers_is_shown_as_typed():
    shown = escape_markdown('<img src=x onerror="alert(1)"> *bold* [link](javascript:alert(1))')
    assert "<" not in shown and "&lt;img" in shown
    assert "\\*bold\\*" in shown and "\\[link\\]\\(javascript:alert\\(1\\)\\)" in shown
