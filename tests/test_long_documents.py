"""A long white paper and a library around it (tests/data/corpora): retrieval, the sentence quoted, refusals,
and conversations, with the real models and index. Figures over whole question sets are `qa eval`'s; these
tests pin the behaviours, and the tuning sets' floors, so that a change that breaks them shows."""

from __future__ import annotations

import shutil

import numpy as np
import pytest

import qa
from qa import evidence, scope
from conftest import DATA, index_of
from qa.conversation import contextual_query, leans_on_context, names_no_topic
from qa.evaluate import evaluate_mode, read_cases
from test_cli import run_qa

CORPORA = DATA / "corpora"
TUNING = DATA / "tuning"
SOURCE = "valdemar-wetlands-white-paper.txt"


def built_index(tmp_path_factory, corpus: str):
    index_dir = tmp_path_factory.mktemp(f"{corpus}-index")
    qa.build_index(CORPORA / corpus, index_dir)
    return index_dir


@pytest.fixture(scope="module")
def paper_index(tmp_path_factory):
    return built_index(tmp_path_factory, "white-paper")


@pytest.fixture(scope="module")
def chinese_paper_index(tmp_path_factory):
    return built_index(tmp_path_factory, "white-paper-zh")



@pytest.fixture(scope="module")
def transport_index(tmp_path_factory):
    return built_index(tmp_path_factory, "transport")


def test_an_everyday_question_the_documents_come_near_is_no_small_talk_for_them(transport_index, shipped_index):
    # With "How long does the train take between two cities?" among the everyday questions, a report on urban
    # transport had most of its questions on trains and metro lines refused as small talk.
    train = scope.EVERYDAY_QUESTIONS.index("How long does the train take between two cities?")
    for index_dir, left_out in ((transport_index, [train]), (shipped_index, [])):
        index, embedders = qa.retriever(index_dir).current()
        everyday = scope.everyday_vectors(embedders["dense"])
        kept = scope.everyday_kept(index, "dense", embedders["dense"])
        assert [n for n, vector in enumerate(everyday) if not any(np.array_equal(vector, k) for k in kept)] == left_out
    answer = qa.ask("When did the third metro line start carrying riders?", index_dir=transport_index)
    assert not answer.abstained
    assert "14 September 2021" in " ".join(c.quote for c in answer.citations)
    for small_talk in ("What will the weather be like tomorrow?", "Who won the football match last night?"):
        assert qa.ask(small_talk, index_dir=transport_index).abstained, small_talk


def test_the_answer_quotes_the_sentence_that_continues_with_the_fact(paper_index):
    answer = qa.ask("Who chairs the National Wetland Committee?", index_dir=paper_index)
    assert not answer.abstained
    assert "chaired by Vice Premier Tomas Edevane" in answer.citations[0].quote
    quote = answer.citations[0]
    text = (CORPORA / "white-paper" / SOURCE).read_text(encoding="utf-8")
    assert text[quote.start : quote.end] == quote.quote, "a quote of two sentences is still verbatim"


@pytest.mark.parametrize(
    "question, fact",
    [
        ("Who is the director of the Valdemar Institute of Wetland Science?", "Professor Oriel Fanshawe"),
        ("Who was the first director of the Marrowfen Delta National Park?", "Dr. Linnea Sorrell"),
    ],
)
def test_a_who_question_quotes_the_sentence_that_names_someone_new(paper_index, question, fact):
    # The sentence that names only the body the question already names is not the answer.
    answer = qa.ask(question, index_dir=paper_index)
    assert not answer.abstained
    assert fact in answer.citations[0].quote


@pytest.mark.parametrize(
    "question, fact",
    [
        ("Who opened it?", "Katya Mirel"),
        ("Who led it?", "Dr Ingrid Solvay"),
    ],
)
def test_a_follow_up_on_a_news_item_quotes_the_sentence_that_holds_the_fact_first(library_index, question, fact):
    # A news item's lead names its whole subject, so it shares the most words with a follow-up joined to
    # "Tell me about …"; the ranker (qa/evidence.py), fitted over each question's sentences, quoted it first.
    topic = {"Who opened it?": "the Lake Orsk Crane Festival", "Who led it?": "the snow lynx census"}[question]
    answer = qa.ask(question, history=[{"role": "user", "content": f"Tell me about {topic}."}], index_dir=library_index)
    assert not answer.abstained
    assert fact in answer.citations[0].quote, answer.citations[0].quote


@pytest.mark.parametrize(
    "question, history, fact",
    [
        ("How many species have been recorded in the Greyfell Mountains National Park?", [], "2,174 species"),
        ("How many joined it?", ["Tell me about the Sorrel Vale grassland restoration programme."], "12,640 herder"),
    ],
)
def test_a_how_many_question_on_a_news_item_quotes_the_number_asked_for(library_index, question, history, fact):
    # Before the ranker, the news lead and a line of its issuing body were quoted, neither holding the number.
    answer = qa.ask(question, history=[{"role": "user", "content": turn} for turn in history], index_dir=library_index)
    assert not answer.abstained
    assert any(fact in citation.quote for citation in answer.citations), [c.quote for c in answer.citations]


@pytest.mark.parametrize(
    "question, fact",
    [
        ("How many species have been recorded in the Greyfell Mountains National Park?", "2,174 species"),
        ("Who heads the leopard reserve?", "莉娜·科斯塔"),
    ],
)
def test_retrieve_puts_first_the_passage_whose_sentence_answers(library_index, setting, question, fact):
    reranked = qa.retrieve(question, index_dir=library_index)
    assert fact in reranked[0].text, [p.text[:60] for p in reranked]
    setting(rerank="off")
    searched = qa.retrieve(question, index_dir=library_index)
    assert fact not in searched[0].text, "the search alone ranked it lower: the ranker's order lifted it"
    assert {p.chunk_id for p in searched} == {p.chunk_id for p in reranked}


def test_retrieve_orders_its_passages_as_the_answer_does_whatever_k_is(library_index):
    # A probe found k=1 returned the search's first passage while k=5 put another first, and that an answer of
    # k=8 quoted its sixth passage while showing five others before it.
    question = "How many species have been recorded in the Greyfell Mountains National Park?"
    answer = qa.ask(question, index_dir=library_index)
    five = qa.retrieve(question, index_dir=library_index)
    assert [p.chunk_id for p in five] == [p.chunk_id for p in answer.passages]
    ids = lambda passages: [p.chunk_id for p in passages]  # noqa: E731 - cosines of a larger batch differ in the last bits
    assert ids(qa.retrieve(question, k=1, index_dir=library_index)) == ids(five[:1])
    assert ids(qa.retrieve(question, k=8, index_dir=library_index)[:5]) == ids(five)
    for question in (question, "Who heads the leopard reserve?", "When does the amended Maldris Wetland Protection Act take effect?"):
        eight = qa.ask(question, k=8, index_dir=library_index)
        assert not eight.abstained
        assert eight.citations[0].chunk_id == eight.passages[0].chunk_id, question


def test_only_the_best_candidate_sentences_are_embedded_and_they_score_as_if_all_were(paper_index):
    retriever = qa.retriever(paper_index)
    question = "How many ministries does the National Wetland Committee bring together?"
    passages = retriever.search(question, 5)
    retriever.vector_cache.clear()
    ranked = evidence.candidates(question, passages, retriever)
    embedded = {text for _, kind, text in retriever.vector_cache if kind == "passage"}
    assert evidence.EMBEDDED_SENTENCES <= len(embedded) < len(ranked)
    every_one = evidence.candidates(question, passages, retriever, every_sentence=True)
    every = {(c.passage.source, c.start): c for c in every_one}
    for candidate in ranked[: evidence.EMBEDDED_SENTENCES]:
        assert np.allclose(candidate.features, every[(candidate.passage.source, candidate.start)].features)
    assert "13 ministries" in ranked[0].text


@pytest.mark.parametrize(
    "off_topic",
    # "When was Barack Obama born?": three terms the paper never uses, none of them a word the judge reads as
    # small talk; its who/when question meets the paper's names and dates (qa/answerers/extractive.py).
    # "... these days?": the time of speaking is neither a pointer back nor a word of the paper's topic.
    ["ok thanks", "tell me a joke", "What's the weather like tomorrow?", "Who are you?", "What is 2+2?",
     "When was Barack Obama born?", "Which celebrities are in the news these days?"],
)
def test_off_topic_questions_are_refused_alone_and_after_a_real_one(paper_index, off_topic):
    real = "Who chairs the National Wetland Committee?"
    assert not qa.ask(real, index_dir=paper_index).abstained
    assert qa.ask(off_topic, index_dir=paper_index).abstained
    assert qa.ask(off_topic, history=[{"role": "user", "content": real}], index_dir=paper_index).abstained
    many = [{"role": "user", "content": real}] * 20
    assert qa.ask(off_topic, history=many, index_dir=paper_index).abstained


def test_a_follow_up_leans_on_the_question_before_it(paper_index):
    history = [{"role": "user", "content": "When was the National Wetland Committee set up?"}]
    answer = qa.ask("How many ministries does it bring together?", history=history, index_dir=paper_index)
    assert not answer.abstained and "13 ministries" in answer.text


@pytest.mark.parametrize(
    ("turn", "leans"),
    [
        ("How many ministries does it bring together?", True),
        ("Where?", True),
        ("With how many staff?", True),
        ("What else did they plan?", True),
        ("Can you say more about it?", True),  # speaks to the assistant, and points back
        ("Who are you?", False),
        ("What else can you do?", False),
        ("How old are you?", False),
        ("What is 2+2?", False),  # a word of its own that no document term can match
        ("Tell me a joke", False),
        ("What's the best smartphone camera these days?", False),  # the present, not what was said before
        ("Who leads it these days?", True),
        ("那里这几年变化大吗？", True),
        ("这几年人们爱看什么电影？", False),
        ("有多少只？", True),  # "how many?": its question words are no words of its own, as "how many" is not
        ("什么时候？", True),
        ("Who was in the job before him?", True),  # a probe's follow-up was searched alone: "him" pointed at nothing
        ("里面记录了多少种鸟？", True),  # "in there", as a Chinese follow-up opens
    ],
)
def test_a_turn_leans_on_the_conversation_only_when_it_points_back(paper_index, turn, leans):
    assert leans_on_context(turn, qa.retriever(paper_index).knows) is leans


@pytest.mark.parametrize(
    ("history", "turn", "query"),
    [
        (["How many lynx were counted in 2022?"], "How many died on roads the year before?",
         "How many lynx were counted in 2021? How many died on roads the year before? (2021)"),
        (["What was the net spending in 2023?"], "What about the following year?",
         "What was the net spending in 2024? What about the following year? (2024)"),
        (["2023年临江养老服务资金投入多少？"], "第二年呢？", "2024年临江养老服务资金投入多少？ 第二年呢？ (2024)"),
        (["What was the net spending in 2023?"], "What is planned for next year?", "What is planned for next year?"),
        (["What was the net spending?"], "And the year before?", "What was the net spending? And the year before?"),
    ],
)
def test_a_year_counted_from_one_said_before_is_searched_as_that_year(history, turn, query):
    # A probe's "What about the year before?" after a question on 2023 was answered with 2023's figure.
    assert contextual_query(turn, history) == query


@pytest.mark.parametrize(
    ("history", "turn", "query"),
    [
        (["塔尔迈省2016年完成了多少荒漠化治理面积？"], "那2020年呢？", "塔尔迈省2020年完成了多少荒漠化治理面积？ 那2020年呢？"),
        (["How many cranes wintered at the lake in 2022?", "And in 2023?"], "And in 2024?",
         "How many cranes wintered at the lake in 2024? And in 2024? And in 2024?"),
        (["How many cranes wintered at the lake in 2022?"], "And between 2016 and 2020?",
         "How many cranes wintered at the lake in 2022? And between 2016 and 2020?"),
    ],
)
def test_a_follow_up_on_another_year_asks_the_earlier_question_of_that_year(history, turn, query):
    # A probe's "那2020年呢？" after a question on 2016 quoted 2016's and 2018's figures: the earlier question's
    # year outranked the passage on 2020.
    assert contextual_query(turn, history) == query


def test_a_follow_up_on_another_year_is_answered_from_that_years_sentence(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "report.txt").write_text(
        "Desertification control\n\n"
        + "\n\n".join(
            f"In {year} the province completed {area} hectares of desertification control{extra}."
            for year, area, extra in [
                (2016, "180,000", ", investing 3.24 billion yuan"),
                (2018, "215,000", ", and the shelterbelt project began"),
                (2020, "162,000", " despite the worst drought in sixty years, investing 4.17 billion yuan"),
                (2022, "268,000", ", exceeding the annual plan for the first time"),
            ]
        ),
        encoding="utf-8",
    )
    qa.build_index(corpus, tmp_path / "index")
    history = ["How many hectares of desertification control did the province complete in 2016?"]
    answer = qa.ask("And in 2020?", history=history, index_dir=tmp_path / "index")
    assert not answer.abstained and "162,000 hectares" in answer.text
    assert all("2020" in citation.quote for citation in answer.citations)


@pytest.mark.parametrize(
    ("history", "turn", "query"),
    [
        (["How many volunteers did the Northern Coast have in 2024?"], "And the Central Bay?",
         "How many volunteers did the Central Bay have in 2024? And the Central Bay?"),
        (["How many industrial vessels are based at Port Aldren?"], "What about Dunmere?",
         "How many industrial vessels are based at Dunmere? What about Dunmere?"),
        (["Who heads the Ostmere Province office in Valdemar?"], "And Orvandy Province?",
         "Who heads the Orvandy Province office in Valdemar? And Orvandy Province?"),
        (["How many volunteers did the Northern Coast have in 2024?"], "How about the Central Bay in 2023?",
         "How many volunteers did the Central Bay have in 2023? How about the Central Bay in 2023?"),
        # Two names and no shared last word: which one the turn stands for is not known, so neither is replaced.
        (["How many staff do the Valdemar Institute and the Crane Centre employ?"], "And the Ysmere Station?",
         "How many staff do the Valdemar Institute and the Crane Centre employ? And the Ysmere Station?"),
        # A turn that asks something of its own besides the name is no such ellipsis.
        (["How many volunteers did the Northern Coast have in 2024?"], "And what did the Central Bay plan?",
         "How many volunteers did the Northern Coast have in 2024? And what did the Central Bay plan?"),
        # One of a kind named with the kind's word (two probes: a price plan, a parking zone).
        (["How much does the Professional plan cost per month?"], "And on the Team plan?",
         "How much does the Team plan cost per month? And on the Team plan?"),
        (["What is the hourly parking price in Zone B?"], "And Zone C?",
         "What is the hourly parking price in Zone C? And Zone C?"),
        (["When did Line 3 open?"], "What about Line 4?", "When did Line 4 open? What about Line 4?"),
        # a possessive inside the earlier name (a probe's hospitals)
        (["How many beds does St Aldric's Hospital have?"], "And at Northfield General?",
         "How many beds does Northfield General have? And at Northfield General?"),
        (["When did Line 3 open?"], "And how much did it cost?", "When did Line 3 open? And how much did it cost?"),
    ],
)
def test_a_follow_up_that_names_another_thing_asks_the_earlier_question_of_it(history, turn, query):
    # A probe's "And the Central Bay?" after a question on the Northern Coast's volunteers quoted the Northern
    # Coast's: the earlier name outweighed the new one.
    assert contextual_query(turn, history) == query
    assert names_no_topic("And the Central Bay?") and not names_no_topic("And what did the Central Bay plan?")


def test_a_turn_whose_only_words_count_a_year_names_no_topic():
    assert names_no_topic("第二年呢？") and names_no_topic("What about the year before?")
    assert not names_no_topic("What about the park rangers' pay the year before?")
    # Another year and nothing else: asked alone, a probe's "And in 2021?" found a caption that names 2021.
    assert names_no_topic("And in 2021?") and names_no_topic("那2020年呢？") and names_no_topic("What about 2019?")
    assert not names_no_topic("And in 2021, how many museums opened?")


def test_a_follow_up_that_names_nothing_of_its_own_stays_with_its_document(library_index):
    # Asked alone, "Who led it?" quotes the crane count's leader from another document (a new-user probe's
    # "How tall is it?" met another document's "It is 330 meters tall." the same way).
    history = [{"role": "user", "content": "Tell me about the snow lynx census."}]
    answer = qa.ask("Who led it?", history=history, index_dir=library_index)
    assert not answer.abstained and "led by Dr Ingrid Solvay" in answer.text
    assert {c.source for c in answer.citations} == {"snow-lynx-census-2022.txt"}


def test_a_topic_switch_does_not_drag_the_old_topic_in(paper_index):
    history = [{"role": "user", "content": "Who founded the Valdemar Wetlands Foundation?"}]
    answer = qa.ask("How many small hydropower stations has the government removed?", history=history, index_dir=paper_index)
    assert not answer.abstained and "2,630 small hydropower stations" in answer.text


@pytest.mark.parametrize(
    ("earlier", "turn", "expected"),
    [
        ("Which law did China pass on biosafety?", "What about the ecological protection red line?", "red line"),
        ("What is the ecological protection red line?", "And what about invasive alien species?", "Alien species"),
    ],
)
def test_what_about_another_topic_is_answered_on_that_topic(shipped_index, earlier, turn, expected):
    # A probe in the browser got the biosafety answer again for "What about the ecological protection red
    # line?": the judge was surer of the joined question's old topic than of the turn asked alone.
    answer = qa.ask(turn, history=[earlier], index_dir=shipped_index)
    assert not answer.abstained and expected.lower() in answer.citations[0].quote.lower()
    assert answer.query == turn


def test_qa_ask_takes_the_history_on_the_command_line(paper_index):
    result = run_qa("ask", "How many ministries does it bring together?", "--history",
                    "When was the National Wetland Committee set up?", "--index", str(paper_index), "--json")
    assert result.returncode == 0, result.stderr
    assert "13 ministries" in result.stdout


def test_small_talk_after_a_real_question_is_refused_though_it_points_back(paper_index):
    history = [{"role": "user", "content": "Which province is Pellan Peatlands National Park in?"}]
    assert qa.ask("Is it sunny there today?", history, index_dir=paper_index).abstained
    follow_up = qa.ask("How many herding households have an agreement with it?", history, index_dir=paper_index)
    assert not follow_up.abstained and "1,350 herding households" in follow_up.text


def test_in_the_library_the_answer_cites_the_document_that_holds_the_fact(library_index):
    answer = qa.ask("Who chairs Valdemar's Biosafety Advisory Committee?", index_dir=library_index)
    assert not answer.abstained
    assert {c.source for c in answer.citations} == {"biosafety-act-summary.txt"}



def test_a_chinese_question_in_a_mixed_library_cites_the_english_document_that_holds_the_fact(library_index):
    # The multilingual model scores Chinese chunks higher for a Chinese question whatever they say; without
    # qa/dense.py's SCRIPT_GAP this quoted the Chinese leopard notice's sentence on cubs.
    answer = qa.ask("2023年科林琵鹭的繁殖群有多少对？", index_dir=library_index)
    assert not answer.abstained
    assert {c.source for c in answer.citations} == {SOURCE}
    assert any("1,240 pairs" in c.quote for c in answer.citations)

def test_an_english_question_in_a_mixed_library_cites_the_chinese_document_that_holds_the_fact(library_index):
    # The Chinese notice's multilingual cosine is put on the English chunks' fused scale (qa/dense.py); compared
    # raw, it ranked below the English white paper's sentences on surface water and the answer quoted those.
    answer = qa.ask(
        "How much special funding does Valdemar's central budget set aside each year for the river chief system?",
        index_dir=library_index,
    )
    assert not answer.abstained
    assert answer.citations[0].source == "river-chief-notice-zh.txt"
    assert "3.6亿" in answer.citations[0].quote


def test_a_chinese_question_over_the_chinese_paper_meets_its_words_through_bm25(chinese_paper_index):
    # The multilingual cosines alone put the paragraph on the wetland trust second (qa/dense.py,
    # fused_chinese_scores): BM25 over jieba's words reorders the Chinese chunks.
    answer = qa.ask("瓦尔德马湿地基金会是谁创办的？", index_dir=chinese_paper_index)
    assert not answer.abstained
    assert "米拉·凯伦贝克博士" in answer.passages[0].text
    assert "米拉·凯伦贝克博士" in answer.citations[0].quote


FLOORS = {  # tuning figures (what the weights were fitted on) at the time of writing, less a margin
    "white-paper.jsonl": dict(
        # Off-topic asked alone: 1 of the 8 Chinese questions over the English paper is answered ("埃菲尔铁塔有多高？").
        recall_at_5=0.95, citation_precision=0.80, answerable_answered=0.90, off_topic_after_refused=0.90,
        off_topic_refused=0.90,
    ),
    "library.jsonl": dict(
        recall_at_5=0.80, citation_precision=0.75, answerable_answered=0.85, off_topic_after_refused=1.0,
        off_topic_refused=1.0,
    ),
}


@pytest.mark.parametrize("questions", list(FLOORS))
def test_tuning_sets_stay_above_their_floors(paper_index, library_index, questions):
    index_dir = paper_index if questions == "white-paper.jsonl" else library_index
    report = evaluate_mode(read_cases(TUNING / questions), "dense", index_dir)
    for figure, floor in FLOORS[questions].items():
        assert getattr(report, figure) >= floor, f"{figure} {getattr(report, figure):.2f} < {floor}"
    assert report.citations_verbatim == 1.0


def test_qa_eval_builds_an_index_of_the_corpus_it_is_given(tmp_path):
    result = run_qa("eval", str(TUNING / "white-paper-zh.jsonl"), "--modes", "dense",
                    "--corpus", str(CORPORA / "white-paper-zh"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "dense |" in result.stdout and (tmp_path / ".cache" / "qa-eval").is_dir()


def test_a_faq_whose_questions_and_answers_are_paragraphs_of_their_own_answers_its_own_questions(tmp_path):
    # A probe's FAQ page, each "Q:" and "A:" a <p> of its own, refused "How long does the online theory test
    # take?", its own question word for word: the answer was another chunk.
    index_dir = index_of(tmp_path, {
        "faq.html": (
            "<html><head><title>Drone pilot FAQ</title></head><body><h1>Drone pilot FAQ</h1>"
            "<h2>The pilot test</h2>"
            "<p>Q: How long does the online theory test take?</p>"
            "<p>A: You have 60 minutes to answer the 40 questions, and the test can be taken in two languages.</p>"
            "<p>Q: What happens if I fail the theory test?</p>"
            "<p>A: You may take it again after 7 days. Each attempt costs 15 lors.</p>"
            "<h2>Flying</h2>"
            "<p>May I fly over a beach in summer?</p>"
            "<p>Only outside bathing hours, and never lower than 30 metres over people.</p>"
            "</body></html>"
        ),
    })
    for question, expected in [
        ("How long does the online theory test take?", "A: You have 60 minutes"),
        ("What happens if I fail the theory test?", "A: You may take it again after 7 days."),
        ("May I fly over a beach in summer?", "Only outside bathing hours"),
    ]:
        answer = qa.ask(question, index_dir=index_dir)
        assert not answer.abstained and answer.citations[0].quote.startswith(expected), (question, answer.text)


def test_a_faqs_short_answer_is_quoted_with_the_question_it_answers(tmp_path):
    """"A: Yes." alone does not say which question it answers: a probe's answers read "A: No, see below. [1]", the
    café's dog rule given for a question on the whole site."""
    index_dir = index_of(tmp_path, {
        "faq.md": "# Kestrel Moor: Frequently Asked Questions\n\n**Q: Are dogs allowed?**\n\nA: Yes.\n\n"
        "**Q: Can I bring my dog into the café?**\n\nA: No, see below.\n\n**Q: Where can I park?**\n\n"
        "A: The car park by the visitor centre has 120 spaces and costs £4.50 a day.\n\n"
        "**Q: Can I camp on the moor?**\n\nA: No. The moor is a nature reserve and wild camping harms nesting birds.\n",
    })
    answer = qa.ask("Are dogs allowed?", index_dir=index_dir)
    quote = answer.citations[0].quote if answer.citations else ""
    assert not answer.abstained and quote.startswith("Q: Are dogs allowed?") and quote.endswith("A: Yes."), answer.text
    parking = qa.ask("Where can I park?", index_dir=index_dir)
    assert parking.citations[0].quote.startswith("A: The car park"), "a full answer is quoted alone"
    # judged by its question, not by "A: Yes." alone, whose cosine with any question is under the judge's floor:
    # a probe's paraphrase was refused at 0.00, as if off-topic, and shown no related passage
    assert qa.ask("Are dogs welcome at Kestrel Moor?", index_dir=index_dir).confidence > 0.05
    # "A: No." with the reason after it on its line is quoted with that reason (a probe's answer read "A: No." alone)
    camping = qa.ask("Can I camp on the moor?", index_dir=index_dir)
    assert camping.citations[0].quote.endswith("wild camping harms nesting birds."), camping.text


def test_a_faq_answers_with_its_answer_lines_and_a_list_with_its_lead_in(tmp_path):
    # A new-user probe's FAQ quoted its own question lines ("Q: When is the library open?") as answers, and its
    # orchard page refused "What apple varieties grow in the orchard?": the lead-in and the list were apart.
    index_dir = index_of(tmp_path, {
        "faq.txt": (
            "Library questions\n\nQ: When is the library open?\nA: The library is open from 9 to 18 on weekdays.\n\n"
            "Q: Can I reserve a meeting room?\nA: The Larkspur Room seats twenty and can be booked a week ahead.\n\n"
            "Q: Are there late fees?\nA: The library abolished late fees in 2019.\n\n"
            "Q: Are guided tours offered in German?\n\nDogs must be kept on a lead. The following rules apply to bicycles:\n"
        ),
        "orchard.md": (
            "# The Hollin Orchard\n\nThe orchard was planted in 1998 on the old rectory field.\n\n"
            "The main apple varieties are:\n\n- Egremont Russet\n- Bramley's Seedling\n- Cox's Orange Pippin\n\n"
            "Volunteers prune the trees every February.\n"
        ),
    })
    for question, history, answer_line in [
        ("Can I reserve a meeting room?", [], "A: The Larkspur Room seats twenty and can be booked a week ahead."),
        ("Are there late fees?", [], "A: The library abolished late fees in 2019."),
        ("How many seats does it have?", ["Can I reserve a meeting room at the library?"], "A: The Larkspur Room seats"),
    ]:
        answer = qa.ask(question, history=history, index_dir=index_dir)
        assert not answer.abstained, question
        # the FAQ's own question line matches best; the line after it, its answer, is what is quoted
        assert answer.citations[0].quote.startswith(answer_line), answer.text
        assert all("?" not in citation.quote for citation in answer.citations), answer.text
    # a question the FAQ asks but does not answer, and a lead-in with nothing after it, hold no answer (a probe's
    # unanswered "Q: ...?" was answered with whatever sentence came next, at 0.81)
    for question in ("Are guided tours offered in German?", "What rules apply to bicycles?"):
        answer = qa.ask(question, index_dir=index_dir)
        assert answer.abstained or not any(
            c.quote.startswith(("Q: Are guided", "The following rules")) for c in answer.citations
        ), answer.text
    assert qa.ask("Are guided tours offered in German?", index_dir=index_dir).abstained
    answer = qa.ask("What apple varieties grow in the orchard?", index_dir=index_dir)
    assert not answer.abstained
    # the lead-in is quoted with the list it announces
    assert answer.citations[0].quote.startswith("The main apple varieties are:")
    assert answer.citations[0].quote.endswith("- Cox's Orange Pippin")


def test_a_numbered_item_s_run_in_heading_is_quoted_with_the_sentence_it_heads(tmp_path):
    # A probe's Chinese notice heads each item with a few words on the item's own line; "那环山绿道呢？" quoted
    # "（二）建设环山绿道。" alone, which says nothing.
    index_dir = index_of(tmp_path, {"notice.txt": (
        "关于做好2025年城市绿道建设工作的通知\n\n一、重点任务\n\n"
        "（一）建设滨江绿道。沿碧水江两岸建设滨江绿道48公里，由市城市管理局牵头，2025年10月底前完成主体工程。\n\n"
        "（二）建设环山绿道。围绕凤凰山建设环山绿道36公里，由市林业局牵头，重点做好森林防火和生态保护。\n\n"
        "（三）打通断头路段。对全市17处绿道断点进行贯通，由市交通运输局牵头。\n"
    )})
    answer = qa.ask("那环山绿道呢？", history=["滨江绿道由哪个部门牵头？"], index_dir=index_dir)
    quote = answer.citations[0].quote
    assert quote.startswith("（二）建设环山绿道。围绕凤凰山") and "市林业局" in quote, answer.text



def test_an_english_run_in_heading_of_several_words_is_never_quoted_alone(tmp_path):
    # A probe's PDF report heads its numbered items so; "(4) Demonstration zones for sand prevention and
    # control." was quoted as the first citation, its answer only in the second.
    index_dir = index_of(tmp_path, {"report.txt": (
        "IV. Key projects\n\n"
        "(1) The Xilin River Basin Integrated Management Project. Work started in April 2017, with a total "
        "investment of 6.37 billion yuan, covering 410,000 hectares in 12 counties of the basin.\n\n"
        "(2) The Bayantuo Desert Edge-Locking Shelterbelt Project. From 2018 to 2023 a shelterbelt 412 kilometres "
        "long and on average 1.5 kilometres wide was planted along the desert's eastern side.\n\n"
        "(4) Demonstration zones for sand prevention and control. Three provincial demonstration zones were set "
        "up in Alatan County, Aolun County and Tumen County, with a total area of 153,000 hectares.\n"
    )})
    for question, fact in [
        ("In which counties were the sand control demonstration zones set up?", "Alatan County"),
        ("How wide is the Bayantuo shelterbelt on average?", "1.5 kilometres wide"),
    ]:
        answer = qa.ask(question, index_dir=index_dir)
        assert not answer.abstained and fact in answer.citations[0].quote, answer.text
        assert not any(c.quote.rstrip().endswith("Project.") or c.quote.rstrip().endswith("control.") for c in answer.citations)


@pytest.fixture(scope="module")
def bilingual_paper_index(tmp_path_factory):
    """The development white paper indexed with its Chinese version, as users add a paper in both languages."""
    corpus = tmp_path_factory.mktemp("bilingual-corpus")
    for folder in ("white-paper", "white-paper-zh"):
        shutil.copytree(CORPORA / folder, corpus, dirs_exist_ok=True)
    index_dir = tmp_path_factory.mktemp("bilingual-index")
    qa.build_index(corpus, index_dir)
    return index_dir


@pytest.mark.parametrize(
    "question, source, expect",
    [  # tuning questions that the other version answered before qa/translations.py
        ("What share of the country's land lies inside the strictly protected ecological boundaries?", SOURCE,
         "They enclose 31.4 percent of the land area"),
        pytest.param(
            "How much does someone from a poor household earn per year as a conservation patrol worker?", SOURCE,
            "annual allowance of 9,600 valdems",
            marks=pytest.mark.xfail(strict=True, reason=(
                "the English version answers, but since clauses no longer cut '9,600' in two (2026-12-07), the "
                "sentence on the 78,000 ranger posts and the one on Greywold's households outrank the allowance's"
            )),
        ),
        ("1962年到1998年间，瓦尔德马失去了多少天然湿地？", "valdemar-wetlands-white-paper-zh.txt", "瓦尔德马估计丧失了31%的天然湿地"),
    ],
)
def test_a_paper_with_its_translation_answers_from_the_version_in_the_question_language(
    bilingual_paper_index, question, source, expect
):
    answer = qa.ask(question, index_dir=bilingual_paper_index)
    assert not answer.abstained and answer.citations[0].source == source, answer.text
    assert any(expect in citation.quote for citation in answer.citations), answer.text


def test_a_tables_caption_is_never_quoted_as_an_answer(tmp_path):
    # A probe's question on the total budget of 2022 was answered with the caption alone, which names what the
    # rows hold and holds none of it.
    index_dir = index_of(tmp_path, {"budget.md": (
        "# Agency budget\n\n"
        "The Agency's budget is set each year by the Ministry of Finance after a review of its programmes.\n\n"
        "Budget by programme, 2022–2024 (million talers)\n\n"
        "| Programme | 2022 | 2023 | 2024 |\n|---|---|---|---|\n"
        "| Fisheries management | 48.2 | 51.6 | 54.9 |\n"
        "| Marine protected areas | 22.7 | 27.4 | 33.8 |\n"
        "| Monitoring and surveillance | 61.9 | 70.3 | 76.2 |\n"
        "| Total | 158.3 | 190.5 | 210.4 |\n"
    )})
    for question in ("What was the agency's total budget in 2022?", "How much went to marine protected areas in 2024?"):
        answer = qa.ask(question, index_dir=index_dir)
        assert all("Budget by programme" not in citation.quote for citation in answer.citations), answer.text
    answer = qa.ask("How much went to marine protected areas in 2024?", index_dir=index_dir)
    assert not answer.abstained and "33.8" in answer.citations[0].quote, answer.text


@pytest.fixture(scope="module")
def fisheries_index(tmp_path_factory):
    """A new-user probe's fisheries report (.docx with Word tables), its Chinese summary and four neighbours."""
    index_dir = tmp_path_factory.mktemp("fisheries") / "index"
    qa.build_index(CORPORA / "fisheries", index_dir)
    return index_dir


@pytest.mark.parametrize(
    ("question", "history", "row"),
    [
        ("How many tonnes of spiny lobster were landed in 2022?", [], "| Spiny lobster | 2,140 | 1,760 | 1,980 | 2,210 |"),
        ("And in 2021?", ["How many tonnes of silver sardine were landed in 2023?"], "| Silver sardine | 148,200 | 121,500 | 139,800 |"),
    ],
)
def test_a_figure_only_a_tables_cell_holds_is_found_under_its_row_and_column(fisheries_index, question, history, row):
    # The report gives each species' landings by year in a Word table. The spiny lobster question quoted a
    # neighbouring country's press release on its total landings of 2022; the sardine follow-up was refused.
    answer = qa.ask(question, history=history or None, index_dir=fisheries_index)
    assert not answer.abstained and row in answer.citations[0].quote, answer.text
    assert answer.citations[0].source == "tavessa_fisheries_annual_report_2024.docx"


def test_a_year_counted_back_is_no_unknown_word_of_the_turn(tmp_path):
    # A probe's "前一年呢？" was refused at 0.00: its "一年" is a word its documents never write, and a short turn
    # of unknown words is refused outright.
    index_dir = index_of(tmp_path, {"budget-notice.txt": (
        "凯斯特尔港文化预算说明\n\n"
        "2021年，全市文化设施基本建设支出950万克朗，主要用于东野分馆新馆的设计。\n\n"
        "2022年，全市文化设施基本建设支出1180万克朗，当年海港博物馆航海馆区竣工。\n"
    )})
    answer = qa.ask("前一年呢？", history=["2022年全市文化设施基本建设支出是多少？"], index_dir=index_dir)
    assert not answer.abstained and "950万克朗" in answer.citations[0].quote, answer.text
