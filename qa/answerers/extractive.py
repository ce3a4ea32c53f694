"""Extractive answers: the passages' own sentences that best answer the question, verbatim, each cited.

A sentence's score adds its vector similarity to the question and the share of the question's
weighted words it contains. Whether to answer at all is decided on the best sentence (`Evidence`): its
score must reach a threshold, and beat the question's likeness to everyday questions by a margin (qa.scope).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from qa import templates
from qa.answerers import Answer, Citation
from qa.lexical import terms
from qa.scope import everyday_similarity
from qa.search import Passage, Retriever, with_best_clause
from qa.sentences import sentence_spans
from qa.settings import Settings

WORD_OVERLAP_WEIGHT = 0.5
PASSAGE_RANK_WEIGHT = 0.2  # a sentence inherits a little of its passage's standing
NEAR_BEST = 0.12  # a further sentence must score within this of the best one
REDUNDANT = 0.6  # share of shared terms above which a sentence repeats one already said


# A question that asks for a number or a date is answered only by a sentence that holds one:
# "How many national parks are there?" is not answered by a sentence about national parks.
ASKS_FOR_NUMBER = re.compile(
    r"\bhow (?:many|much|large|big|long)\b|\bwhat (?:percentage|proportion|share|number|amount)\b|"
    r"\bsquare (?:kilo)?met|多少|几[个种项条处类]|百分之几|面积",
    re.IGNORECASE,
)
# A date or an ordinal ("October 8", "on the 8th") does not say how many of anything there are.
DATE_OR_ORDINAL = re.compile(
    r"\b(?:January|February|March|April|May|June|July|August|September|October|November|December)\s+\d{1,2}\b|"
    r"\b\d+(?:st|nd|rd|th)\b|\d+\s*[月日号]|第[一二三四五六七八九十百千\d]+"
)
HOLDS_NUMBER = re.compile(
    r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|"
    r"hundred|thousand|million|billion|dozens?|percent)\b|[一二三四五六七八九十百千万亿]",
    re.IGNORECASE,
)
ASKS_FOR_TIME = re.compile(r"\bwhen\b|\bwhat (?:year|date|day|month)\b|\bwhich year\b|何时|什么时候|哪一?年", re.IGNORECASE)
HOLDS_TIME = re.compile(
    r"\b\d{1,2}(?:st|nd|rd|th)\b|\b(?:1[89]|20)\d\d\b|\b(?:January|February|March|April|May|June|July|"
    r"August|September|October|November|December)\b|\d+\s*[年月日]",
)


def fits_question_type(question: str, sentence: str) -> bool:
    if ASKS_FOR_NUMBER.search(question) and not HOLDS_NUMBER.search(DATE_OR_ORDINAL.sub(" ", sentence)):
        return False
    if ASKS_FOR_TIME.search(question) and not HOLDS_TIME.search(sentence):
        return False
    return True


@dataclass(frozen=True)
class Candidate:
    passage: Passage
    start: int  # offsets in the source document
    end: int
    text: str
    score: float


def candidates(query: str, passages: list[Passage], retriever: Retriever) -> list[Candidate]:
    """Every sentence of the passages, scored against the query, best first; a sentence that two
    overlapping chunks share appears once."""
    spans: dict[tuple[str, int, int], tuple[Passage, str]] = {}
    # As in the search, a sentence also counts by its best clause: long sentences list several facts.
    best_clause: dict[tuple[str, int, int], float] = {}
    for passage in passages:
        clauses = retriever.clause_similarities(passage, query)
        for start, end in sentence_spans(passage.text):
            key = (passage.source, passage.start + start, passage.start + end)
            spans.setdefault(key, (passage, passage.text[start:end]))
            inside = [score for (first, last), score in clauses if start <= first and last <= end]
            if inside:
                best_clause[key] = max(max(inside), best_clause.get(key, -1.0))
    if not spans:
        return []
    # A passage that is one sentence was already compared with the query by the search; only the
    # sentences of longer passages need vectors of their own (the slowest step of an answer).
    similarity: dict[str, float] = {}
    by_space: dict[str, list[str]] = {}
    for passage, text in spans.values():
        if text != passage.text:
            by_space.setdefault(retriever.space_for(query, text), []).append(text)
    for space, texts in by_space.items():
        scores = retriever.vectors(texts, space=space) @ retriever.vectors([query], "query", space)[0]
        similarity.update(zip(texts, map(float, scores)))
    weights = retriever.term_weights()
    query_terms = terms(query)
    scored = []
    for key, (passage, text) in spans.items():
        own = similarity.get(text, passage.similarity)
        score = (
            with_best_clause(own, best_clause.get(key, own))
            + WORD_OVERLAP_WEIGHT * weights.coverage(query_terms, set(terms(text)))
            + PASSAGE_RANK_WEIGHT * passage.similarity
        )
        scored.append(Candidate(passage, key[1], key[2], text, score))
    return sorted(scored, key=lambda c: -c.score)


def redundant(candidate: Candidate, chosen: list[Candidate]) -> bool:
    new = set(terms(candidate.text))
    for earlier in chosen:
        old = set(terms(earlier.text))
        if new and len(new & old) / len(new) > REDUNDANT:
            return True
    return False


class ExtractiveAnswerer:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def answers(self, evidence: Evidence) -> bool:
        """Scores in the multilingual vector set run lower than in the English one, so each has its own
        threshold and margin."""
        settings = self.settings
        multilingual = evidence.space == "multilingual"
        threshold = settings.abstain_below_multilingual if multilingual else settings.abstain_below
        margin = settings.off_topic_margin_multilingual if multilingual else settings.off_topic_margin
        return evidence.score >= threshold and evidence.score - evidence.everyday >= margin

    def select(self, ranked: list[Candidate]) -> list[Candidate]:
        best = ranked[0]
        chosen = [best]
        length = len(best.text)
        for candidate in ranked[1:]:
            if len(chosen) == self.settings.answer_max_sentences or candidate.score < best.score - NEAR_BEST:
                break
            if length + len(candidate.text) > self.settings.answer_max_chars or redundant(candidate, chosen):
                continue
            chosen.append(candidate)
            length += len(candidate.text)
        return chosen

    def answer(self, query: str, passages: list[Passage], retriever: Retriever) -> Answer:
        ranked = answering_candidates(query, passages, retriever)
        if not ranked or not self.answers(evidence(query, ranked[0], retriever)):
            return Answer(templates.NO_ANSWER, abstained=True, passages=passages)
        citations, parts = [], []
        for n, candidate in enumerate(self.select(ranked), 1):
            citations.append(
                Citation(
                    n,
                    candidate.passage.source,
                    candidate.passage.chunk_id,
                    candidate.start,
                    candidate.end,
                    candidate.text,
                    candidate.passage.page,
                )
            )
            parts.append(f"{candidate.text} {templates.CITATION_MARKER.format(n=n)}")
        return Answer(" ".join(parts), abstained=False, passages=passages, citations=citations)


def answering_candidates(query: str, passages: list[Passage], retriever: Retriever) -> list[Candidate]:
    """The candidates that could answer; the first one's score is what abstention is decided on."""
    return [c for c in candidates(query, passages, retriever) if fits_question_type(query, c.text)]


@dataclass(frozen=True)
class Evidence:
    """What the decision to answer rests on: the best sentence's score, and the question's cosine with
    the nearest everyday question, both in the vector set (`space`) that compares question and sentence."""

    space: str
    score: float
    everyday: float


def evidence(query: str, best: Candidate, retriever: Retriever) -> Evidence:
    space = retriever.space_for(query, best.text)
    embedder = retriever.current()[1][space]
    return Evidence(space, best.score, everyday_similarity(embedder, retriever.vectors([query], "query", space)[0]))
