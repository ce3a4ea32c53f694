"""Answers written by a language model (QA_ANSWERER=llm), shown only where the passages support them.

It starts from the evidence stage's answer (qa/answerers/extractive.py): a refusal there is final and the model is
never called, since models invent answers to questions the documents cannot answer. Otherwise the model is given
the numbered passages and its reply is streamed; each sentence is checked as soon as it is complete
(qa/verify.py) and shown only when a passage supports it, cited by the exact span that does. When the server
fails, or nothing the model wrote is supported, the extractive answer is shown with a one-line note.

With QA_LLM_JUDGE=on the same model first reranks the passages and confirms that the best one answers
(qa/llm_judge.py); a refusal by the judge is final too.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator

from qa import templates
from qa.answerers import Answer, Citation, Draft
from qa.llm import LLMClient, LLMError, shared_client
from qa.llm_judge import judge_passages
from qa.search import Retriever
from qa.settings import Settings
from qa.verify import MARKERS, Support, generated_sentences, verify

SENTENCE_END = re.compile(r"[.!?。！？\n\]]")


class GenerativeAnswerer:
    def __init__(self, settings: Settings, client: LLMClient | None = None) -> None:
        self.settings = settings
        self.client = client or shared_client(settings)

    def stream(self, evidence: Answer, retriever: Retriever) -> Iterator[Draft | Answer]:
        """The answer so far, each time the model writes, then the final Answer. `evidence` is the extractive
        answer to the same query over the same passages."""
        if evidence.abstained:  # final: the model is never called, not even as the judge
            yield evidence
            return
        if self.settings.llm_judge == "on":
            try:
                reranked, confidence = judge_passages(evidence.query, evidence.passages, self.client, self.settings)
            except LLMError as error:
                yield self.fallback(evidence, templates.LLM_FAILED.format(reason=error))
                return
            evidence = dataclasses.replace(evidence, passages=reranked, confidence=confidence)
            if confidence < self.settings.llm_judge_threshold:
                refusal = templates.no_answer(evidence.question)
                yield dataclasses.replace(
                    evidence, text=refusal, abstained=True, citations=[], note=templates.LLM_JUDGE_REFUSED
                )
                return
        passages = evidence.passages[: self.settings.llm_passages]
        written, checked, supported, tail = "", 0, [], ""
        try:
            for piece in self.client.stream(templates.llm_messages(evidence.query, passages)):
                written += piece
                if SENTENCE_END.search(piece):  # a sentence may be complete: check it
                    sentences = generated_sentences(written)
                    for sentence, cited in sentences[checked : len(sentences) - 1]:  # the last may go on
                        if support := verify(sentence, cited, passages, retriever, evidence.query):
                            supported.append(support)
                    checked = max(checked, len(sentences) - 1)
                    tail = sentences[-1][0] if sentences else ""
                else:
                    tail += piece
                yield Draft(" ".join(s.sentence for s in supported), MARKERS.sub("", tail).strip())
        except LLMError as error:
            yield self.fallback(evidence, templates.LLM_FAILED.format(reason=error))
            return
        sentences = generated_sentences(written)
        for sentence, cited in sentences[checked:]:
            if support := verify(sentence, cited, passages, retriever, evidence.query):
                supported.append(support)
        dropped = len(sentences) - len(supported)
        if not supported:
            yield dataclasses.replace(self.fallback(evidence, templates.LLM_UNSUPPORTED), dropped=dropped)
            return
        note = templates.LLM_DROPPED.format(count=dropped) if dropped else ""
        yield dataclasses.replace(self.cited_answer(evidence, supported, note), dropped=dropped)

    @staticmethod
    def fallback(evidence: Answer, note: str) -> Answer:
        return dataclasses.replace(evidence, note=note)

    @staticmethod
    def cited_answer(evidence: Answer, supported: list[Support], note: str) -> Answer:
        """The supported sentences, each followed by the marker of the span that supports it; two sentences
        supported by the same span share its number."""
        citations: list[Citation] = []
        numbers: dict[tuple[str, int, int], int] = {}
        parts = []
        for support in supported:
            key = (support.passage.source, support.start, support.end)
            if key not in numbers:
                numbers[key] = len(citations) + 1
                citations.append(Citation.of(numbers[key], support.passage, support.start, support.end))
            parts.append(f"{support.sentence} {templates.CITATION_MARKER.format(n=numbers[key])}")
        return Answer(
            " ".join(parts), False, evidence.passages, citations, evidence.confidence, evidence.query, note, True,
            question=evidence.question,
        )
