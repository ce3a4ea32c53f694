"""Words as terms: one tokenizer for BM25 and word overlap (English stems, Chinese words by jieba), and IDF weights."""

from __future__ import annotations

import logging
import math
import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

from qa.lines import has_cjk, joined_lines

WORD = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*|[\u3400-\u9fff\uf900-\ufaff]+")
CJK_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
# Function words carry no topic; question words are the asking, not the asked-about.
STOPWORDS = frozenset(
    """a about above after again all also am an and any are as at be been being both but by can could did do does
    doing done during each for from further had has have having he her here hers him his how i if in into is it its
    itself just me more most my no nor not now of off on once only or other our ours out over own same she should so
    some such than that the their theirs them then there these they this those through to too under until up very
    was we were what when where which while who whom why will with would you your yours tell give explain describe
    please know about say said says kind sort thing things one ones many much way ways
    的 了 和 是 在 有 与 及 等 对 也 就 都 而 及其 什么 怎么 如何 哪些 哪个 为什么 吗 呢 吧 多少 时候 哪里 多大 多长 多久 那么
    主要 具体 一下 介绍 概括 总结 简要 内容 规定 包括 要求""".split()
)
SUFFIXES = ("ational", "ization", "ations", "ation", "ments", "ment", "ness", "ities", "ity", "ing", "ies", "ied",
            "ed", "es", "s", "al", "ly")


def stem(word: str) -> str:
    """Strip one common English suffix, so "protected", "protecting" and "protection" meet."""
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


@lru_cache(maxsize=1)
def chinese_segmenter():
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()  # loads its dictionary once (about a second), only when Chinese text appears
    return jieba


@lru_cache(maxsize=1)
def chinese_tagger():
    import jieba.posseg

    chinese_segmenter()
    return jieba.posseg  # its part-of-speech tables load on first use (about half a second)


@lru_cache(maxsize=4096)
def tagged_words(text: str) -> tuple[tuple[str, str], ...]:
    """The words of a Chinese text with jieba's part-of-speech flags; a text is tagged once, whether its places
    (`chinese_place_names`) or its names (`chinese_proper_names`) are asked for."""
    return tuple((pair.word, pair.flag) for pair in chinese_tagger().cut(text))


@lru_cache(maxsize=4096)
def chinese_proper_names(text: str) -> tuple[str, ...]:
    """The names of places and bodies in a Chinese text: the words of three characters or more that jieba's
    tagger marks as places (ns), and a proper noun it marks as a person's or another name (nr, nz) with the
    one-character noun after it that says what it names. The tagger knows "岭川省" as a place but cuts an
    invented "江岚省" as "江岚" (nr) and "省" (n); it also marks the common noun "城市" as a place."""
    pairs = tagged_words(text)
    names = []
    for position, (word, flag) in enumerate(pairs):
        following = pairs[position + 1] if position + 1 < len(pairs) else ("", "")
        if flag == "ns" and len(word) > 2:  # a place with what it is ("岭川省"), not "城市", which the tagger marks too
            names.append(word)
        elif flag in ("nr", "nz", "ns") and following[1] == "n" and len(following[0]) == 1 and has_cjk(word):
            names.append(word + following[0])
    return tuple(names)


# How often jieba's dictionary must hold a word for it to be a common word: "城市" (25,084), "超市" (534), "节省"
# (695), "厅长" (406), but "州市" (115, of 杭州市 and the like), "江省" (0), "责人" (3, of 负责人).
COMMON_WORD_FREQUENCY = 200


def is_common_word(word: str) -> bool:
    return chinese_segmenter().dt.FREQ.get(word, 0) >= COMMON_WORD_FREQUENCY


def chinese_place_names(text: str) -> tuple[str, ...]:
    """The place names of a Chinese text, as jieba's part-of-speech tagger reads them ("杭州市", "宁波"); a
    follow-up's turn is read for them twice (qa/conversation.py), and its earlier question once per turn."""
    return tuple(word for word, flag in tagged_words(text) if flag == "ns")


@lru_cache(maxsize=1)
def traditional_to_simplified():
    import opencc

    return opencc.OpenCC("t2s")


def simplified(run: str) -> str:
    """Chinese text in simplified characters (OpenCC's t2s): a question typed in simplified characters meets a
    traditional text's words, and one typed in traditional a simplified text's. A probe's "台中市水利局局长是谁？"
    over a Big5 notice's "局長" met another document's "副局长" instead."""
    return traditional_to_simplified().convert(run)


def chinese_words(run: str) -> list[str]:
    # Search mode also yields the short words inside long compounds (生物安全法 -> 生物, 安全, 生物安全法),
    # so a question's 生物安全 still meets a text's 生物安全法.
    return [w for w in chinese_segmenter().lcut_for_search(run) if w not in STOPWORDS and (len(w) > 1 or run == w)]


def terms(text: str) -> list[str]:
    """Content terms: stemmed English words without stopwords; Chinese words as jieba segments them, in simplified
    characters."""
    return list(cached_terms(text))


@lru_cache(maxsize=16384)
def cached_terms(text: str) -> tuple[str, ...]:
    # The same passages and sentences are read again by every question that finds them.
    result = []
    for token in WORD.findall(joined_lines(text).lower()):
        if CJK_RUN.fullmatch(token):
            result.extend(chinese_words(simplified(token)))
        elif token not in STOPWORDS and len(token) > 1:
            result.append(stem(token))
            if "-" in token:  # "wi-fi" meets "wifi", and "state-owned" meets "owned by the state"
                result.append(stem(token.replace("-", "")))
                result.extend(stem(part) for part in token.split("-") if part not in STOPWORDS and len(part) > 1)
    return tuple(result)


class TermWeights:
    """Inverse document frequency of each term over a set of texts; unseen terms weigh the most."""

    def __init__(self, texts: Iterable[str], build_id: str = "") -> None:
        self.build_id = build_id
        frequencies: Counter[str] = Counter()
        count = 0
        for text in texts:
            frequencies.update(set(terms(text)))
            count += 1
        self.count = count
        self.frequencies = frequencies

    @classmethod
    def from_counts(cls, count: int, frequencies: dict[str, int], build_id: str = "") -> TermWeights:
        """Weights from counts made elsewhere (a BM25 index over the same terms)."""
        weights = cls([], build_id)
        weights.count, weights.frequencies = count, Counter(frequencies)
        return weights

    # Words of the headings and titles over the texts, which they hold too: a wiki's species page says "- Body
    # length: 10.5 cm" under "# Brindlecombe Wren" and nowhere else names the bird, and "How long is the
    # Brindlecombe Wren?" was refused as naming nothing the documents hold (a probe's).
    heading_terms: frozenset[str] = frozenset()

    def idf(self, term: str) -> float:
        return math.log(1 + (self.count + 1) / (self.frequencies.get(term, 0) + 0.5))

    def knows(self, term: str) -> bool:
        """Whether the texts hold the term. A Chinese word does when it is a word of theirs with one character
        glued on: jieba cuts a name it does not know together with the character before or after it, so a
        probe's "那云溪市呢？" ("and Yunxi city?") held the word 那云溪市, which no text holds, and was refused as if
        it named nothing of the documents' (their word is 云溪市)."""
        if self.frequencies.get(term, 0) > 0 or term in self.heading_terms:
            return True
        glued = len(term) > 2 and has_cjk(term)
        return glued and (self.frequencies.get(term[1:], 0) > 0 or self.frequencies.get(term[:-1], 0) > 0)

    def coverage(self, question_terms: list[str], text_terms: set[str]) -> float:
        """Share of the question's term weight found in the text, 0..1."""
        unique = set(question_terms)
        total = sum(self.idf(t) for t in unique)
        return sum(self.idf(t) for t in unique if t in text_terms) / total if total else 0.0
