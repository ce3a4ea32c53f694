"""The evidence stage: every sentence of the retrieved passages as a candidate answer, with the features that
two fitted models and the judge (qa/judge.py) read.

Both models are logistic over the same features, fitted by `bench/tune_answers.py` on the tuning questions of
the development corpora (tests/data/tuning/), and they answer two questions:
- the ranker (`RANKING_WEIGHTS`): which of this question's sentences is its answer. Fitted as a softmax over each
  question's candidates, it orders them and picks what is quoted (`Candidate.score`);
- the answer model (`ANSWER_WEIGHTS`): how likely a sentence is to hold an answer at all, whatever the question.
  Fitted over every candidate of every question, it tells the judge how strong the evidence is
  (`Candidate.holds_answer`).
Features, not hand-set weights, because what makes a sentence the answer varies: the words of the question may
sit in the sentence before ("… established the National Wetland Committee. It brings together 13 ministries
…"), a "who" question needs a name, a "how many" a number.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np

from qa.answer_types import YEAR, asked_for
from qa.dense import row_space
from qa.lexical import terms
from qa.lines import ASKS, BULLETED, DATE_LINE, LABELLED_LINE, TABLE_ROW, row_read_under_header, table_start
from qa.search import Passage, Retriever
from qa.section_names import named_sections
from qa.sentences import approx_tokens, has_cjk, sentence_spans

# A sentence that refers back to the one before: a pronoun, or "The <noun>" of a noun said just before.
REFERS_BACK = re.compile(r"^(?:It|Its|They|Their|These|This|Those|He|She|His|Her|Such)\b|^(?:它|其|该|他们|她|他|此|这)")
DEFINITE_START = re.compile(r"^The\s+([A-Za-z-]+)")

FEATURES = (
    "similarity",  # the sentence's cosine with the question
    "best_clause",  # its best clause's cosine
    "coverage",  # share of the question's weighted terms in the sentence
    "context_coverage",  # the same, counting the sentence before it in the passage too
    "passage_rank",  # 1 / the passage's rank
    "passage_similarity",  # the passage's cosine with the question
    "fits_type",  # holds a new number, date or name of the kind asked for (1 when it asks for none), and is
    # not about another section than the one the question names (qa/section_names.py)
    "refers_back",  # begins by pointing at the sentence before
    "multilingual",  # compared with the question in the multilingual vector set, on the scale of its cosines
    "english_for_chinese",  # an English sentence for a Chinese question, whose cosines run lower (qa/dense.py)
)
# The ranker, fitted by bench/tune_answers.py on tests/data/tuning/ (a conditional logistic model, features as
# above, then calibrated into a probability with a bias), on clause vectors pooled from their chunk's token
# states (qa/embedders/onnx.py). On 2026-12-06 (514 questions, 336 answerable with a right sentence among the
# candidates) it put a right sentence first for 0.753 of them held out (5-fold), where the answer model below,
# which ranked them until then, did so for 0.677, and a plain logistic fit of all ten features for 0.686.
RANKING_WEIGHTS = np.array([0.777, 4.459, 0.045, 2.035, 0.492, 3.421, 0.987, 0.69, 2.242, 0.92], dtype=np.float32)
RANKING_BIAS = -6.634
# The answer model: a plain logistic model fitted by the same script, which ranked the sentences until
# 2026-12-06. It does not read the last two features, which came with the ranker: the judge (qa/judge.py) was
# fitted on it as it is, and refits of both together refused more of the summary's answerable questions
# (README, "Refusals and sentence choice").
ANSWER_WEIGHTS = np.array([0.6, 11.556, 3.642, -1.253, 4.511, -9.084, 2.101, 1.633, 0.0, 0.0], dtype=np.float32)
ANSWER_BIAS = -6.963
# How many of the best-ranked candidate sentences are scored with their own cosine (embedded); the others keep
# their passage's. On the 414 tuning questions (bench/tune_embedded.py, 2026-12-03, a 2-core AVX2 CPU) the first
# 5 gave the same answer as embedding every sentence for 410 (3: 396, 8: 414), with 246 right sentences cited
# against 244 and as many refusals; ask() on a new question over the long white paper took p50 39.1 ms
# against 63.4 ms with every sentence embedded (3: 27.7 ms, 8: 48.3 ms).
EMBEDDED_SENTENCES = 5


@dataclass(frozen=True)
class Candidate:
    passage: Passage
    start: int  # offsets in the source document
    end: int
    text: str
    features: np.ndarray  # in the order of FEATURES
    score: float = 0.0  # the ranker's probability that it is the answer among the question's candidates
    holds_answer: float = 0.0  # the answer model's probability that it holds an answer at all
    previous: tuple[int, int] | None = None  # the sentence before it in its passage (document offsets)
    following: tuple[int, int] | None = None  # the sentence after it
    heading: str = ""  # its passage's heading path, led by its document's title (`StoredIndex.heading_path`)


def refers_back(sentence: str, before: str) -> bool:
    """Whether a sentence continues the one before it: "It is chaired by …", "The committee meets …"."""
    if REFERS_BACK.match(sentence):
        return True
    definite = DEFINITE_START.match(sentence)
    return bool(definite and before and set(terms(definite.group(1))) & set(terms(before)))


def probability(features: np.ndarray, weights: np.ndarray, bias: float) -> float:
    return 1.0 / (1.0 + math.exp(-float(features @ weights + bias)))


def candidates(
    query: str, passages: list[Passage], retriever: Retriever, every_sentence: bool = False
) -> list[Candidate]:
    """Every sentence of the passages with its features and scores, the ranker's best first; a sentence that two
    overlapping chunks share appears once (with the better-ranked passage). The first EMBEDDED_SENTENCES
    are scored with their own cosine with the question, the others with their passage's (`every_sentence`:
    each with its own, as the weights were fitted)."""
    rows: dict[tuple[str, int, int], dict] = {}
    index = retriever.current()[0]
    for rank, passage in enumerate(passages, 1):
        clauses = retriever.clause_similarities(passage, query)
        spans = sentence_spans(passage.text)
        heading = index.heading_path(passage.chunk_id, passage.section)
        for position, (start, end) in enumerate(spans):
            key = (passage.source, passage.start + start, passage.start + end)
            inside = [score for (first, last), score in clauses if start <= first and last <= end]
            if key in rows:  # the same sentence in an overlapping chunk, whose clauses may be the only ones it has
                known = [score for score in (rows[key]["best_clause"], *inside) if score is not None]
                rows[key]["best_clause"] = max(known) if known else None
                continue
            before = spans[position - 1] if position else None
            after = spans[position + 1] if position + 1 < len(spans) else None
            text = passage.text[start:end]
            header = table_header(passage.text, start)
            previous = passage.text[before[0] : before[1]] if before else ""
            # a dateline says when the news was written, not what year the sentence after it is about
            dateline = previous if DATE_LINE.fullmatch(previous) else ""
            rows[key] = {
                "passage": passage,
                "rank": rank,
                "text": text,
                # A table's row is read with its cells named by its header row, which says what they are: "| 2022
                # | 69 | 76.20 |" answers "What was the strike price in 2022?" only as "2022 — LCOE: 69; Strike
                # price: 76.20" (as its clause vector was embedded, qa/chunking.py).
                "read_as": row_read_under_header(passage.text, start, end)
                or item_read_under_heading(passage.text, start, end, heading),
                "before": header or ("" if dateline else previous),
                "dateline": dateline,
                "previous": (passage.start + before[0], passage.start + before[1]) if before else None,
                "following": (passage.start + after[0], passage.start + after[1]) if after else None,
                "best_clause": max(inside) if inside else None,
                "heading": heading,
            }
    if not rows:
        return []
    weights = retriever.term_weights()
    query_terms = terms(query)
    question_is_chinese = has_cjk(query)
    asked, named = asked_for(query), named_sections(query, index)
    for row in rows.values():  # the features that do not depend on the sentence's own cosine
        sentence_terms = set(terms(row["read_as"]))
        with_context = f"{row['text']} {row['before']}"
        passage = row["passage"]
        elsewhere = named.elsewhere(passage.source, passage.section, with_context, passage.text)
        fits = asked.fits(row["text"], row["before"], row["heading"], row["dateline"]) and not elsewhere
        row["features"] = [
            weights.coverage(query_terms, sentence_terms),
            weights.coverage(query_terms, sentence_terms | set(terms(row["before"]))),
            1.0 / row["rank"],
            row["passage"].similarity,
            float(fits),
            float(refers_back(row["text"], row["before"])),
            float(row_space(index, question_is_chinese or has_cjk(row["text"])) == "multilingual"),
            float(question_is_chinese and not has_cjk(row["text"])),
        ]

    def scored(key: tuple[str, int, int], own: float) -> Candidate:
        row = rows[key]
        best_clause = own if row["best_clause"] is None else max(own, row["best_clause"])
        features = np.array([own, best_clause, *row["features"]], dtype=np.float32)
        passage, text = row["passage"], row["text"]
        return Candidate(
            passage, key[1], key[2], text, features,
            probability(features, RANKING_WEIGHTS, RANKING_BIAS), probability(features, ANSWER_WEIGHTS, ANSWER_BIAS),
            row["previous"], row["following"], row["heading"],
        )

    # Embedding the sentences is most of a new question's time, and most of them rank far from the top. So a
    # sentence is first scored with its passage's cosine standing in for its own (exact for a passage of one
    # sentence); those among the first EMBEDDED_SENTENCES are embedded and scored again, until the first ones
    # all have their own cosine. The quote reads the best ones, the judge the one most likely to hold an answer.
    ranked = {key: scored(key, row["passage"].similarity) for key, row in rows.items()}
    done: set[tuple[str, int, int]] = set()
    while True:
        order = sorted(ranked, key=lambda key: -ranked[key].score)
        wanted = [key for key in (order if every_sentence else order[:EMBEDDED_SENTENCES]) if key not in done]
        if not wanted:
            return [ranked[key] for key in order]
        sentences = [(rows[key]["passage"], rows[key]["read_as"]) for key in wanted]
        similarity = sentence_similarities(query, sentences, retriever)
        for key in wanted:
            ranked[key] = scored(key, similarity.get(rows[key]["read_as"], rows[key]["passage"].similarity))
        done.update(wanted)


# A fact sheet's line: a list item of a short label and its value ("- Coordinates: 53.1129° N, 2.0476° W", "- 体长：8–10
# 厘米"), or one of two labelled lines or more one under the other (a minutes' "Date: …⏎Chair: …"). A labelled line
# alone is mostly no fact of the page's subject, nor is a FAQ's "答：…" under its "问：…？": a contact's "Reception: …"
# and FAQ answers read under their headings lost two probes' answers their place.
LABELLED_ITEM = re.compile(r"\s*(?:[-*•·]\s+)?(?P<item>[^\s:：][^:：\n]{0,30}[:：]\s*\S.*)", re.DOTALL)
LABELLED_ITEM_MAX_TOKENS = 40


def item_read_under_heading(passage_text: str, start: int, end: int, heading: str) -> str:
    """The sentence at passage_text[start:end], a fact sheet's line, as a sentence that says whose fact it is:
    "Lowther Quarry Meadows > Site facts — Coordinates: 53.1129° N, 2.0476° W". Alone it names no subject, and a
    probe's wiki of species and site pages met "What are the coordinates of Lowther Quarry Meadows?" with its own
    line at a cosine of 0.29. Any other sentence as it is."""
    text = passage_text[start:end]
    item = LABELLED_ITEM.fullmatch(text)
    if not item or not heading or approx_tokens(text) > LABELLED_ITEM_MAX_TOKENS:
        return text
    if not BULLETED.match(text):
        before = passage_text[passage_text.rfind("\n", 0, max(start - 1, 0)) + 1 : start].strip()
        after_end = passage_text.find("\n", end + 1)
        after = passage_text[end : len(passage_text) if after_end < 0 else after_end].strip()
        fields = [line for line in (before, after) if LABELLED_LINE.match(line) and not ASKS.search(line)]
        if not fields or ASKS.search(text):
            return text
    return f"{heading} — {item.group('item')}"


def year_context(passage: Passage, start: int, heading: str = "") -> str:
    """Besides the sentence that starts at `start` in the passage, what says which year it is about: a table
    row's header row; else the nearest sentence before it in the passage that names a year; else its heading
    path (`heading`, led by its document's title; else its section's) if that names one ("截至2023年底，…。其中…。全市百岁老人共有286人"
    is about 2023; a bulletin titled "… Bulletin 2021" is about 2021, as a PDF or a text file as much as a
    Markdown file whose title heads its sections: a probe's PDF bulletin's "…35.2 µg/m³, down 3.4 µg/m³ on 2020"
    was refused as about 2020). The refusal of an
    answer about other years reads it (qa/answerers/extractive.py). The ranker's type feature reads only the
    sentence before (`before` in `candidates`): with this, one more off-topic tuning question on the white paper
    was answered (off-topic refused 94 -> 89 %)."""
    header = table_header(passage.text, start)
    if header:
        return header
    for first, last in reversed([span for span in sentence_spans(passage.text) if span[1] <= start]):
        if YEAR.search(passage.text[first:last]):
            return passage.text[first:last]
    heading = heading or passage.section
    return heading if YEAR.search(heading) else ""


def table_header(text: str, row_start: int) -> str:
    """The header row of the table whose row starts at `row_start` in the text, or "" (not a table's row, or
    its header row itself)."""
    if not TABLE_ROW.match(text, row_start):
        return ""
    header = table_start(text, row_start)
    return text[header : text.index("\n", header)] if header < row_start else ""


def by_evidence(passages: list[Passage], ranked: list[Candidate]) -> list[Passage]:
    """The passages in the order of their best candidate sentence (`ranked`: the candidates of these passages,
    the ranker's best first), so that the passage quoted first comes first. A passage none of whose sentences
    is a candidate (each was counted with an overlapping, better-ranked chunk) comes last."""
    best: dict[str, float] = {}
    for candidate in ranked:
        best.setdefault(candidate.passage.chunk_id, candidate.score)
    return sorted(passages, key=lambda passage: -best.get(passage.chunk_id, 0.0))


def reranked(query: str, passages: list[Passage], retriever: Retriever, depth: int) -> list[Passage]:
    """The search's passages with the first `depth` of them, those an answer reads, in the order of their best
    sentence as the answer scores it; the others as the search ranked them. On the tuning questions
    (bench/tune_quality.py's sets, 2026-12-06, depth 5) recall@1 went 0.86 -> 0.89 on the white paper, 0.83 ->
    0.88 inside its library, 0.59 -> 0.72 on the library, 0.86 -> 0.90 on the Chinese paper, 0.53 -> 0.53 on
    Python's topics and 0.84 -> 0.85 on the summary. The first ten reordered instead: the library's recall@5
    fell 0.98 -> 0.91 (only the best five sentences are embedded, and the ranker was fitted on five passages)."""
    head = passages[:depth]
    return by_evidence(head, candidates(query, head, retriever)) + passages[depth:]


def sentence_similarities(query: str, sentences: list[tuple[Passage, str]], retriever: Retriever) -> dict[str, float]:
    """Cosine of each sentence with the query, in the vector set that reads both. A passage that is one
    sentence was already compared by the search; only the others are embedded (cached across questions)."""
    by_space: dict[str, list[str]] = {}
    for passage, text in sentences:
        if text != passage.text:
            by_space.setdefault(retriever.space_for(query, text), []).append(text)
    similarity: dict[str, float] = {}
    for space, texts in by_space.items():
        scores = retriever.vectors(texts, space=space) @ retriever.vectors([query], "query", space)[0]
        similarity.update(zip(texts, map(float, scores)))
    return similarity


# The share of an index's chunks a script needs for its words to count in `question_terms_unknown`. The
# development libraries hold a few Chinese documents among English ones (7 % of the chunks in each); a paper
# indexed with its translation holds 50 % of each script.
COUNTED_SCRIPT_SHARE = 0.25


def question_terms_unknown(query: str, retriever: Retriever) -> float:
    """Share of the question's term weight that no passage of the whole index contains: a question about
    tigers over documents that never name one is not answered by them, however close its other words come.
    Only terms of a script that at least `COUNTED_SCRIPT_SHARE` of the index is written in count. A Chinese
    question over English documents shares no words with them and is still answered, through the multilingual
    vectors, and so is one over English documents with a short Chinese notice among them (a probe's "首席执行官是
    谁？" was refused at 0.00 over its English annual report, beside a notice that does not use the word). Over a
    paper and its translation, an English question's words count again: with only the majority script counted
    (until 2026-12-06), 50.2 % Chinese left the English paper's "Who directed the movie Titanic?" with no word
    of its own."""
    weights = retriever.term_weights()
    index, _ = retriever.current()
    chinese_share = float(index.cjk_rows.mean()) if len(index.cjk_rows) else 0.0
    counted = {True: chinese_share >= COUNTED_SCRIPT_SHARE, False: 1 - chinese_share >= COUNTED_SCRIPT_SHARE}
    # A year is in neither script: "那2023年呢？" over Chinese bulletins was refused at 0.00 for its "那" alone. Other
    # numbers say nothing of a topic: "2的10次方是多少？" is refused for its "次方".
    unique = {t for t in terms(query) if YEAR.fullmatch(t) or counted[has_cjk(t)]}
    if not unique:
        return 0.0
    total = sum(weights.idf(t) for t in unique)
    return sum(weights.idf(t) for t in unique if not weights.knows(t)) / total
