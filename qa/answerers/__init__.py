"""Answerers turn retrieved passages into a cited Answer. The extractive one (`load_answerer`) ends the evidence
stage: it decides refusals and quotes. With QA_ANSWERER=llm, qa/answerers/generative.py rewrites its answer with a
language model, sentence by checked sentence."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Protocol

from qa.search import Passage, Retriever
from qa.settings import Settings

RELATED_SHOWN = 3
# On the tuning sets, passages beside a refusal stay for 9 of 10 near-topic refusals and 6 of 8 answerable
# questions refused by mistake, and go for 87 of 113 off-topic ones, which had all shown them: bench/tune_related.py.
RELATED_MIN_CONFIDENCE = 0.05


@dataclass(frozen=True)
class Citation:
    """One quoted span: `quote == source_text[start:end]`; `[n]` marks it in the answer text.
    `page` is the 1-based page of a paged source (PDF), else None; `section` the heading path it stands under."""

    n: int
    source: str
    chunk_id: str
    start: int
    end: int
    quote: str
    page: int | None = None
    section: str = ""

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def of(cls, n: int, passage: Passage, start: int, end: int) -> Citation:
        """Citation [n] of the span start:end (document offsets) inside a retrieved passage, quoted verbatim."""
        quote = passage.text[start - passage.start : end - passage.start]
        return cls(n, passage.source, passage.chunk_id, start, end, quote, passage.page, passage.section)


@dataclass(frozen=True)
class Answer:
    text: str
    abstained: bool
    passages: list[Passage] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    confidence: float = 0.0  # the judge's probability that the documents answer the question
    query: str = ""  # what was searched: the question, or joined with the earlier one it leans on
    note: str = ""  # said under the answer: why a language model's answer is not shown, or was shortened
    generated: bool = False  # written by a language model (each sentence checked against its citation)
    dropped: int = 0  # sentences the language model wrote that no passage supports, left out
    question: str = ""  # the user's own words, whose language the words around the quotes take

    @property
    def related(self) -> list[Passage]:
        """After a refusal, the passages worth showing as possibly related: none when the judge is nearly sure the
        subject is not in the documents, where they would only mislead."""
        if not self.abstained or self.confidence < RELATED_MIN_CONFIDENCE:
            return []
        return self.passages[:RELATED_SHOWN]

    def to_dict(self) -> dict:
        return {
            "answer": self.text,
            "abstained": self.abstained,
            "confidence": round(self.confidence, 3),
            "citations": [citation.to_dict() for citation in self.citations],
            "generated": self.generated,
            **({"note": self.note} if self.note else {}),
        }


@dataclass(frozen=True)
class Draft:
    """A language model's answer while it is written: the sentences checked against the passages so far, and
    the one still being written, not yet checked (shown as such, and gone if it fails the check)."""

    checked: str
    writing: str


class Answerer(Protocol):
    def answer(self, query: str, passages: list[Passage], retriever: Retriever, turn: str | None = None) -> Answer:
        """Answer `query` (the question, with what the conversation implies) from `passages`, best first.
        `turn` is the question as the user asked it, when `query` joins it to earlier ones."""


def load_answerer(settings: Settings) -> Answerer:
    """The evidence stage's answerer: it decides refusals and quotes; a language model, when one is set,
    rewrites its answer afterwards (qa/answerers/generative.py)."""
    from qa.answerers.extractive import ExtractiveAnswerer

    return ExtractiveAnswerer(settings)
