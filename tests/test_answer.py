"""qa.ask() with the real model: cited verbatim sentences from the right paragraph, refusals, follow-ups."""

from __future__ import annotations

import re

import pytest

import qa
from conftest import index_of, question_params, read_jsonl
from qa import templates

QUESTIONS = read_jsonl("answer_questions.jsonl")
ANSWERABLE = [c for c in QUESTIONS if "expect" in c]
OFF_TOPIC = [c for c in QUESTIONS if c.get("unanswerable") == "off-topic"]
NEAR_TOPIC = [c for c in QUESTIONS if c.get("unanswerable") == "near-topic"]
FOLLOW_UPS = read_jsonl("follow_ups.jsonl")
# Paraphrases and everyday questions among the tuning sets of the judge (bench/tune_answers.py).
TUNING = read_jsonl("tuning_questions.jsonl")


def check_citations(answer, text_of_source):
    assert answer.citations, answer.text
    for n, citation in enumerate(answer.citations, 1):
        assert citation.n == n
        assert text_of_source(citation.source)[citation.start : citation.end] == citation.quote
        assert f"{citation.quote} [{n}]" in answer.text
    quotes = [c.quote for c in answer.citations]
    assert len(set(quotes)) == len(quotes), "no sentence twice"
    retrieved = {p.chunk_id for p in answer.passages}
    assert {c.chunk_id for c in answer.citations} <= retrieved


@pytest.fixture(scope="module")
def text_of_source(shipped_corpus):
    return lambda source: (shipped_corpus / source).read_text(encoding="utf-8")


@pytest.mark.parametrize("case", question_params(ANSWERABLE))
def test_answers_quote_the_right_paragraph(shipped_index, text_of_source, case):
    answer = qa.ask(case["question"], index_dir=shipped_index)
    assert not answer.abstained, answer.text
    check_citations(answer, text_of_source)
    assert case["expect"] in answer.citations[0].quote
    assert len(answer.citations) <= qa.get_settings().answer_max_sentences
    assert re.sub(r" \[\d+\]", "", answer.text).count(".") >= 1


@pytest.mark.parametrize("case", question_params(OFF_TOPIC))
def test_off_topic_questions_are_refused(shipped_index, case):
    answer = qa.ask(case["question"], index_dir=shipped_index)
    assert answer.abstained and answer.text == templates.no_answer(case["question"]) and answer.citations == []
    assert answer.passages, "the closest passages still come back, to show as possibly related"


def test_most_near_topic_questions_the_text_does_not_answer_are_refused(shipped_index):
    refused = [c["question"] for c in NEAR_TOPIC if qa.ask(c["question"], index_dir=shipped_index).abstained]
    # Measured with bench/tune_quality.py (summary set): most near-topic ones are refused; the
    # rest need a reader that understands the question (see README, "Known limits").
    assert len(refused) >= len(NEAR_TOPIC) // 2, refused


@pytest.mark.parametrize("case", FOLLOW_UPS, ids=[c["question"] for c in FOLLOW_UPS])
def test_follow_up_questions_use_the_conversation(shipped_index, text_of_source, case):
    history = []
    for earlier in case["history"]:
        history += [{"role": "user", "content": earlier}, {"role": "assistant", "content": "…"}]
    answer = qa.ask(case["question"], history=history, index_dir=shipped_index)
    assert not answer.abstained, answer.text
    check_citations(answer, text_of_source)
    assert any(case["expect"] in c.quote for c in answer.citations), answer.text


def test_history_as_pairs_works_like_messages(shipped_index):
    as_pairs = qa.ask("What law did they pass for it?", history=[("Tell me about biosafety", "…")], index_dir=shipped_index)
    as_messages = qa.ask(
        "What law did they pass for it?",
        history=[{"role": "user", "content": [{"type": "text", "text": "Tell me about biosafety"}]}],
        index_dir=shipped_index,
    )
    assert as_pairs == as_messages and "biosafety law" in as_pairs.text


def test_a_standalone_question_ignores_the_conversation(shipped_index):
    answer = qa.ask(
        "Which law on biosafety did China pass?", history=[("How are endangered plants conserved?", "…")], index_dir=shipped_index
    )
    assert "biosafety law" in answer.citations[0].quote


def test_an_empty_question_is_refused_with_a_message(shipped_index):
    with pytest.raises(qa.EmptyQueryError):
        qa.ask("  ", index_dir=shipped_index)


def test_answer_json_has_the_documented_keys(shipped_index):
    data = qa.ask("biosafety law", index_dir=shipped_index).to_dict()
    assert set(data) == {"answer", "abstained", "confidence", "citations", "generated"}  # "note" only with one
    assert data["generated"] is False
    assert 0 <= data["confidence"] <= 1
    assert set(data["citations"][0]) == {"n", "source", "chunk_id", "start", "end", "quote", "page", "section"}
    assert data["citations"][0]["page"] is None  # a text file has no pages
    cited = data["citations"][0]
    passages = qa.ask("biosafety law", index_dir=shipped_index).passages
    assert cited["section"] == next(p.section for p in passages if p.chunk_id == cited["chunk_id"])


@pytest.mark.parametrize("case", question_params([c for c in TUNING if c.get("unanswerable") == "off-topic"]))
def test_everyday_questions_are_refused_even_when_they_name_a_place_in_the_text(shipped_index, case):
    assert qa.ask(case["question"], index_dir=shipped_index).abstained


def test_few_answerable_questions_are_refused(shipped_index):
    answerable = [c for c in [*QUESTIONS, *TUNING, *read_jsonl("chinese_questions.jsonl")] if "expect" in c]
    refused = [c["question"] for c in answerable if qa.ask(c["question"], index_dir=shipped_index).abstained]
    # The bound is 5 %; bench/tune_answers.py picks the threshold that keeps it on the tuning sets.
    assert len(refused) <= 0.05 * len(answerable), refused


def test_a_table_row_is_read_under_its_header(tmp_path):
    # A row holds figures only; its header says what they are. Read alone, "| 2024 | 77.40 | 3.6 |" met
    # "What was the capex per MW in 2024?" less than the 2020 row did, which was quoted (a probe's cost table).
    from qa.evidence import table_header

    index_dir = index_of(tmp_path, {"costs.md": (
        "# Cost review\n\n## Costs by year\n\nThe table gives the main cost indicators of new projects from 2020 to 2024.\n\n"
        "| Year | Strike price (EUR/MWh) | Capex (EUR million per MW) |\n| --- | --- | --- |\n| 2020 | 84.50 | 3.4 |\n"
        "| 2021 | 79.00 | 3.2 |\n| 2022 | 76.20 | 3.3 |\n| 2023 | 81.90 | 3.7 |\n| 2024 | 77.40 | 3.6 |\n\n"
        "Costs rose in 2023 when steel prices peaked.\n"
    )})
    answer = qa.ask("What was the capex per MW in 2024?", index_dir=index_dir)
    assert answer.citations[0].quote.endswith("| 2024 | 77.40 | 3.6 |"), answer.text
    table = "Costs:\n| Year | Capex |\n| 2020 | 3.4 |\n| 2021 | 3.2 |"
    assert table_header(table, table.index("| 2021")) == table_header(table, table.index("| 2020")) == "| Year | Capex |"
    assert table_header(table, table.index("| Year")) == "" and table_header(table, 0) == ""


def test_a_question_on_a_year_the_documents_do_not_cover_is_refused(tmp_path):
    # A probe's budget notes: asked for 2019, the assistant quoted 2022's budget as the answer.
    index_dir = index_of(tmp_path, {"budget.md": (
        "# Health budget notes\n\n"
        "The Municipal Council approved a net budget of 655.0 million crowns for the Department of Public Health "
        "in 2022, up from 628.0 million crowns in 2021.\n\n"
        "The department's hospitals received 538.4 million crowns of that budget, and its prevention programmes "
        "41.2 million crowns.\n"
    )})
    answered = qa.ask("What budget did the council approve for public health in 2022?", index_dir=index_dir)
    assert not answered.abstained and "655.0 million" in answered.citations[0].quote
    refused = qa.ask("What budget did the council approve for public health in 2019?", index_dir=index_dir)
    assert refused.abstained, refused.text
    # The refusal says why, since the judge found the subject (a probe read "abstained" beside a confidence of 0.81).
    assert refused.text == "I could not find that for 2019 in the documents: the closest passages are about other years."
    assert refused.citations == [] and refused.passages


def test_the_year_a_sentence_is_about_can_be_named_sentences_before_it(tmp_path):
    # A probe's statistical bulletin: the year is said once, two sentences before the count it dates.
    index_dir = index_of(tmp_path, {"bulletin.txt": (
        "临江市老龄事业发展统计公报\n\n一、老年人口基本情况\n\n"
        "截至2023年底，全市60周岁及以上户籍老年人口为95.2万人，占户籍总人口的25.9%。"
        "其中，65周岁及以上老年人口为68.7万人，80周岁及以上高龄老年人口为14.6万人。全市百岁老人共有286人，其中女性214人。\n\n"
        "二、养老服务设施\n\n年末全市共有养老机构146家，养老床位31200张。\n"
    )})
    answered = qa.ask("2023年全市有多少百岁老人？", index_dir=index_dir)
    assert not answered.abstained and "286人" in answered.citations[0].quote
    refused = qa.ask("2022年全市有多少百岁老人？", index_dir=index_dir)
    assert refused.abstained and refused.text.startswith("文档中找不到2022年的这项信息"), refused.text


def test_a_chinese_quote_cut_at_a_semicolon_is_quoted_with_the_rest_of_its_sentence(tmp_path):
    # A probe's plan: the sentence chains two awards with "；"; the quote stopped at the first.
    index_dir = index_of(tmp_path, {"plan.txt": (
        "临江市养老人才队伍建设措施\n\n"
        "对本科及以上学历毕业生到养老机构从事护理工作满5年的，给予一次性入职奖励6万元；大专学历的，给予4万元。"
        "养老护理员持证上岗率达到90%以上。\n\n全市每年培训养老护理员3000人次。\n"
    )})
    answer = qa.ask("到养老机构工作的大专毕业生能拿多少入职奖励？", index_dir=index_dir)
    assert answer.citations[0].quote == (
        "对本科及以上学历毕业生到养老机构从事护理工作满5年的，给予一次性入职奖励6万元；大专学历的，给予4万元。"
    ), answer.text


def test_a_news_items_dateline_is_quoted_with_the_news_it_dates(tmp_path):
    """"When did the boardwalk reopen?" of an item that says "reopened today" under its dateline: the date is in
    the quote (a new-user probe's three dateline questions were answered without one)."""
    index = index_of(tmp_path, {
        "boardwalk-reopens.md": "# Sedge Brook boardwalk reopens\n\n*9 May 2024*\n\nThe boardwalk across the Sedge "
        "Brook reedbed reopened today, six months after the floods.\n\nThe new boardwalk stands 60 centimetres higher "
        "than the old one and is anchored to steel piles.\n",
        "grant.html": "<html><head><title>Esterby Foundation backs Hollins Marsh</title></head><body><article>"
        "<h1>Esterby Foundation backs Hollins Marsh</h1><p class='dateline'>14 March 2022</p><p>The trust has been "
        "awarded a grant of £186,000 by the Esterby Foundation to restore the wetland at Hollins Marsh.</p><p>The "
        "grant will pay for blocking old field drains and digging new scrapes for breeding waders.</p></article>"
        "</body></html>",
        # its dateline is not when what "last year" tells happened
        "dormice-breeding.md": "# Ketley Wood dormice are breeding\n\n2 September 2024\n\nDormice released into Ketley "
        "Wood last year are breeding.\n\nVolunteers found 17 nests in the August check.\n",
        "dormice-released.md": "# Dormice return to Ketley Wood\n\nThirty-eight hazel dormice were released into Ketley "
        "Wood on the evening of 9 May 2023, the first in the valley for forty years.\n",
    })
    for question, date in [("When did the Sedge Brook boardwalk reopen?", "9 May 2024"),
                           ("When did the Esterby Foundation award its grant for Hollins Marsh?", "14 March 2022")]:
        answer = qa.ask(question, index_dir=index)
        assert not answer.abstained and answer.citations[0].quote.startswith(date), (question, answer.text)
        assert answer.citations[0].section == answer.citations[0].section.split(" > ")[0], "the date heads no section"
    released = qa.ask("When were the dormice released into Ketley Wood?", index_dir=index)
    assert not released.abstained and "9 May 2023" in released.citations[0].quote, released.text
