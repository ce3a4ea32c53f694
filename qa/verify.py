"""Checking what a language model wrote against the passages, one sentence at a time, before it is shown.

A generated sentence is supported by a passage when it is a complete sentence (it ends with . ! ? 。 ！ or ？:
a heading, a list fragment or a sentence cut off by the token limit claims nothing that can be checked) and
1. every number it states (years and dates included) and every capitalised name in it appear in the passage
   (or in its document's title or section heading),
2. its words are the passage's (or the question's): at least `SUPPORT_COVERAGE` of its content terms' weight
   (IDF over the index) is found there, when both are in the same script, and
3. it is close in meaning to one of the passage's sentences, or two neighbouring ones taken together: cosine at
   least `SUPPORT_SIMILARITY` in the vector set that reads both languages, and
4. it negates what that span says ("not", "never", "不", "未"...) only if the span does too.
The passage the sentence cites (`[n]`) is tried first, then the other passages the model was given: models
often cite the wrong number. The citation then points at the exact span of the supporting sentence(s).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from qa.search import Passage, Retriever
from qa.lexical import terms
from qa.lines import CHINESE_NUMBER
from qa.sentences import has_cjk, sentence_spans

# Chosen by `bench/bench_llm.py --fit` on tests/data/verify/labelled-sentences.jsonl: 264 sentences SmolLM2 (and
# 5 the 1.5B Qwen) wrote for tuning questions, each labelled supported or not by reading it against its passages.
# These two keep 91 % precision (shown sentences that are supported) at 76 % recall; coverage 0.7 gave 73 %
# precision, similarity 0.8 lost 18 points of recall for 1 of precision.
SUPPORT_SIMILARITY = 0.6
SUPPORT_COVERAGE = 1.0  # every content word of the sentence is in the passage or the question
COMPLETE = re.compile(r"[.!?。！？][\"”’)）]?$")
MARKERS = re.compile(r"\s*\[(\d+(?:\s*[,;]\s*\d+)*)\]")
MARKERS_AFTER_STOP = re.compile(r"([.!?。！？])((?:\s*\[\d+(?:\s*[,;]\s*\d+)*\])+)")
NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
NAME = re.compile(r"(?<![\w'’])[A-Z][\w'’-]*[a-z][\w'’-]*")  # capitalised words; "I" and "UN" stay out
FIRST_WORD = re.compile(r"^\W*\w+")
# Words that turn a statement into its opposite: a sentence and its support must both say them or neither, since
# the word and meaning checks read "has not achieved" as close to "has achieved" (cosine 0.71).
NEGATION = re.compile(r"\b(?:not|no|never|none|nor|neither|cannot|without)\b|n[’']t\b|不|没|未|无|非|勿|别", re.IGNORECASE)
LIST_MARKER = re.compile(rf"^(?:(?:[-*•]|\d{{1,2}}[.)])\s+|[（(]?{CHINESE_NUMBER}[、)）]\s*)")  # "2. ", "（一）"


@dataclass(frozen=True)
class Support:
    sentence: str  # the generated sentence without its markers
    passage: Passage
    start: int  # the supporting span, as offsets in the passage's source document
    end: int
    similarity: float


def generated_sentences(text: str) -> list[tuple[str, list[int]]]:
    """The sentences of a model's answer, each without its `[n]` markers and with the numbers they cite."""
    text = MARKERS_AFTER_STOP.sub(lambda m: f"{m.group(2)}{m.group(1)}", text)
    result = []
    for start, end in sentence_spans(text):
        sentence = text[start:end]
        cited = [int(n) for group in MARKERS.findall(sentence) for n in re.split(r"[,;]", group)]
        plain = LIST_MARKER.sub("", MARKERS.sub("", sentence).strip())
        if re.search(r"\w", plain):
            result.append((plain, cited))
    return result


def normalised_numbers(text: str) -> set[str]:
    return {number.replace(",", "").rstrip(".") for number in NUMBER.findall(text)}


def claim_context(passage: Passage, question: str) -> str:
    """What a sentence may draw on: the passage with its document's title and heading, and the question, since
    restating it ("between the early 1960s and the late 1990s") claims nothing."""
    return f"{question} {passage.source} {passage.section} {passage.text}"


def facts_missing(sentence: str, passage: Passage, question: str = "") -> list[str]:
    """The numbers and names the sentence states that neither its passage nor the question does."""
    context = claim_context(passage, question)
    numbers = normalised_numbers(context)
    missing = [n for n in normalised_numbers(sentence) if n not in numbers]
    lowered = context.lower()
    first = FIRST_WORD.match(sentence)
    body = sentence[first.end() :] if first else sentence  # a sentence's first word is capitalised anyway
    missing += [name for name in NAME.findall(body) if name.lower() not in lowered]
    return missing


def negates_otherwise(sentence: str, span: str) -> bool:
    """Whether the sentence says "not" where its support does not ("has not achieved" for "has achieved"), or
    drops the "not" of a one-sentence support: in two neighbouring sentences the "not" may be the other's."""
    said, written = bool(NEGATION.search(sentence)), bool(NEGATION.search(span))
    return (said and not written) or (written and not said and len(sentence_spans(span)) == 1)


def passage_spans(passage: Passage) -> list[tuple[int, int]]:
    """Each sentence of the passage and each pair of neighbours, as offsets into the passage's text."""
    sentences = sentence_spans(passage.text)
    pairs = [(a[0], b[1]) for a, b in zip(sentences, sentences[1:])]
    return sentences + pairs


def word_coverage(sentence: str, passage: Passage, retriever: Retriever, question: str = "") -> float | None:
    """Share of the sentence's term weight that the passage (with its title and heading) or the question holds;
    None when the sentence is Chinese and the passage not, or the other way round, where words cannot meet."""
    if has_cjk(sentence) != has_cjk(passage.text):
        return None
    context = set(terms(claim_context(passage, question)))
    return retriever.term_weights().coverage(terms(sentence), context)


def closest_span(sentence: str, passage: Passage, retriever: Retriever) -> tuple[tuple[int, int], float] | None:
    """The passage's sentence (or neighbouring pair) closest in meaning, as offsets in its text, and the cosine."""
    spans = passage_spans(passage)
    if not spans:
        return None
    texts = [passage.text[start:end] for start, end in spans]
    space = retriever.space_for(sentence, passage.text)
    similarities = retriever.vectors(texts, space=space) @ retriever.vectors([sentence], space=space)[0]
    best = int(similarities.argmax())
    return spans[best], float(similarities[best])


def best_support(sentence: str, passage: Passage, retriever: Retriever, question: str = "") -> Support | None:
    if facts_missing(sentence, passage, question):
        return None
    coverage = word_coverage(sentence, passage, retriever, question)
    if coverage is not None and coverage < SUPPORT_COVERAGE - 1e-9:
        return None
    closest = closest_span(sentence, passage, retriever)
    if closest is None or closest[1] < SUPPORT_SIMILARITY:
        return None
    (start, end), similarity = closest
    if negates_otherwise(sentence, passage.text[start:end]):
        return None
    return Support(sentence, passage, passage.start + start, passage.start + end, similarity)


def verify(
    sentence: str, cited: list[int], passages: list[Passage], retriever: Retriever, question: str = ""
) -> Support | None:
    """The passage span that supports the sentence, written in answer to `question`: the cited passages first,
    then the others; None if none does."""
    if not COMPLETE.search(sentence):
        return None
    order = [n - 1 for n in cited if 0 < n <= len(passages)]
    order += [i for i in range(len(passages)) if i not in order]
    for i in order:
        support = best_support(sentence, passages[i], retriever, question)
        if support is not None:
            return support
    return None

