"""Answerers turn retrieved passages into a cited Answer; `load_answerer` picks one by name from the settings."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Protocol

from qa.search import Passage, Retriever
from qa.settings import Settings


@dataclass(frozen=True)
class Citation:
    """One quoted span: `quote == source_text[start:end]`; `[n]` marks it in the answer text.
    `page` is the 1-based page of a paged source (PDF), else None."""

    n: int
    source: str
    chunk_id: str
    start: int
    end: int
    quote: str
    page: int | None = None

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Answer:
    text: str
    abstained: bool
    passages: list[Passage] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    confidence: float = 0.0  # the judge's probability that the documents answer the question
    query: str = ""  # what was searched: the question, or joined with the earlier one it leans on

    def to_dict(self) -> dict:
        return {
            "answer": self.text,
            "abstained": self.abstained,
            "confidence": round(self.confidence, 3),
            "citations": [citation.to_dict() for citation in self.citations],
        }


class Answerer(Protocol):
    def answer(self, query: str, passages: list[Passage], retriever: Retriever) -> Answer:
        """Answer `query` (the question, with what the conversation implies) from `passages`, best first."""


def load_answerer(settings: Settings) -> Answerer:
    if settings.answerer == "extractive":
        from qa.answerers.extractive import ExtractiveAnswerer

        return ExtractiveAnswerer(settings)
    raise ValueError(f"unknown answerer {settings.answerer!r}")
