"""Sentence and clause boundaries for English and Chinese text, as character spans into the original string."""

from __future__ import annotations

import re
from functools import lru_cache

import pysbd

Span = tuple[int, int]

# Chinese sentence ends are unambiguous, so a pattern is enough; closing quotes and brackets stay
# with the sentence they close. The semicolon counts: Chinese prose chains long clauses with it.
CJK_SENTENCE_END = re.compile(r"(?:[。！？；]|……)[”’」』）》】]*")
LATIN_SENTENCE_PUNCTUATION = re.compile(r"[.!?]")
CLAUSE_BREAK = re.compile(r"[,;:，；：、]")
CLAUSE_MIN_TOKENS = 4  # a shorter piece ("In 2021,") is joined to the clause after it
CJK_CHARACTER = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
# A line break (or a page break's two) between two characters that are not spaces, with the indentation after it.
IN_WORD_LINE_BREAK = re.compile(r"(?<=\S)(?:\n[ \t\u3000]*)+(?=\S)")
LINE_BREAK_WITH_SPACES = re.compile(r"[ \t]*(?:\n[ \t\u3000]*)+")
# A line that starts a list item: a bullet or dash, "1." / "2)" / "a)", "(1)" / "（一）", a circled number; or a
# table's row ("| Province | Area |", as Markdown and the HTML reader write tables).
BULLET = r"[-*•·●▪◦–]\s|——"
BULLETED = re.compile(rf"\s*(?:{BULLET})")
LIST_ITEM = re.compile(rf"\s*(?:{BULLET}|\||\(?\d{{1,2}}[.)]\s|\(?[a-z]\)\s|[(（][\d一二三四五六七八九十]+[)）]|[\u2460-\u2473])")


@lru_cache(maxsize=1)
def latin_segmenter() -> pysbd.Segmenter:
    # pysbd knows abbreviations ("Dr.", "U.S.", "e.g.") that a pattern would cut after.
    return pysbd.Segmenter(language="en", clean=False)


def latin_sentences(text: str) -> list[str]:
    """pysbd's sentences of `text`, as its processor returns them. `Segmenter.segment` would then find each in
    the text by a regex of its own, compiled once per sentence: 1.3 of a 21 s build of Python's reference
    topics (profiled), for offsets that `split_latin` finds with `str.find` anyway."""
    return latin_segmenter().processor(text).process()


def strip_span(text: str, start: int, end: int) -> Span | None:
    """The span without its surrounding whitespace, or None if nothing else is in it."""
    piece = text[start:end]
    stripped = piece.strip()
    if not stripped:
        return None
    offset = start + piece.index(stripped)
    return offset, offset + len(stripped)


def joined_lines(text: str) -> str:
    """The text with the line breaks of Chinese lines removed where they fall between two characters, for a
    reader that takes a line break as a space (jieba's words, the multilingual encoder's pieces, a figure):
    Chinese wraps anywhere, "1962年至19\n98年间". A break beside a Latin letter is kept: Latin lines break
    between words."""
    if "\n" not in text or not has_cjk(text):
        return text

    def join(match: re.Match) -> str:
        before, after = text[match.start() - 1], text[match.end()]
        if has_cjk(before + after):
            return ""
        line_start = text.rfind("\n", 0, match.start()) + 1
        latin = before.isascii() and before.isalpha() or after.isascii() and after.isalpha()
        return "" if has_cjk(text[line_start : match.start()]) and not latin else match.group()

    return IN_WORD_LINE_BREAK.sub(join, text)


def flowing(text: str) -> str:
    """The text as one run of prose, for a reader rather than for offsets: its line breaks, with the spaces
    around them, as one space (none inside Chinese). A quote keeps its exact span; the answer text reads this."""
    return LINE_BREAK_WITH_SPACES.sub(" ", joined_lines(text)) if "\n" in text else text


def indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def hard_line_breaks(text: str, start: int, end: int) -> list[Span]:
    """text[start:end] cut at the line breaks that end something: before a list item, or where the indentation
    changes (a code or quoted line), but for a paragraph's first line indented deeper than the rest and a list item
    continued on deeper-indented lines. Any other
    line break inside a paragraph is where a PDF or a text wrapped at a fixed width ran out of room."""
    lines = text[start:end].split("\n")
    segments, segment_start, offset = [], start, start
    for line, following in zip(lines, lines[1:]):
        first_line_indent = offset == start and indent(line) > indent(following)
        list_item_continued = LIST_ITEM.match(line) and indent(following) > indent(line)
        offset += len(line) + 1
        if LIST_ITEM.match(following) or (indent(line) != indent(following) and not (first_line_indent or list_item_continued)):
            segments.append((segment_start, offset - 1))
            segment_start = offset
    segments.append((segment_start, end))
    return segments


def split_latin(text: str, start: int, end: int) -> list[Span]:
    """Sentences of text[start:end] by pysbd, which ends a sentence at every line break: each run of lines
    between hard breaks is read with its other line breaks as spaces (same length, so offsets hold)."""
    return [span for segment in hard_line_breaks(text, start, end) for span in split_unwrapped(text, *segment)]


def split_unwrapped(text: str, start: int, end: int) -> list[Span]:
    piece = text[start:end].replace("\n", " ")
    if not LATIN_SENTENCE_PUNCTUATION.search(piece):
        return [span] if (span := strip_span(text, start, end)) else []
    spans, cursor = [], 0
    for sentence in latin_sentences(piece):
        sentence = sentence.strip()
        found = piece.find(sentence, cursor) if sentence else -1
        if found < 0:
            # pysbd changed the text it returned; keep the rest as one sentence rather than guess.
            break
        spans.append((start + found, start + found + len(sentence)))
        cursor = found + len(sentence)
    if cursor < len(piece) and (rest := strip_span(text, start + cursor, end)):
        spans.append(rest)
    return spans


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[Span]:
    """Sentences of text[start:end] as (start, end) offsets into `text`, whitespace trimmed."""
    return list(cached_sentence_spans(text, start, len(text) if end is None else end))


@lru_cache(maxsize=16384)
def cached_sentence_spans(text: str, start: int, end: int) -> tuple[Span, ...]:
    # Every question splits its passages again, and pysbd was most of a repeated question's time (profiled).
    spans: list[Span] = []
    piece_start = start
    for match in CJK_SENTENCE_END.finditer(text, start, end):
        spans.extend(split_latin(text, piece_start, match.end()))
        piece_start = match.end()
    spans.extend(split_latin(text, piece_start, end))
    return tuple(spans)


def clause_spans(text: str, start: int = 0, end: int | None = None) -> list[Span]:
    """Clauses of each sentence of text[start:end]: the pieces between commas, semicolons and colons, a
    piece shorter than CLAUSE_MIN_TOKENS joined to the next (the last to the one before), never across
    a sentence end. Long official sentences list many facts; each clause is one of them."""
    spans: list[Span] = []
    for sentence_start, sentence_end in sentence_spans(text, start, end):
        first = len(spans)
        piece_start = sentence_start
        breaks = [m.end() for m in CLAUSE_BREAK.finditer(text, sentence_start, sentence_end)]
        for cut in [*breaks, sentence_end]:
            span = strip_span(text, piece_start, cut)
            if span is None:
                continue
            if approx_tokens(text[span[0] : span[1]]) >= CLAUSE_MIN_TOKENS:
                spans.append(span)
                piece_start = cut
            elif cut == sentence_end and len(spans) > first:
                spans[-1] = (spans[-1][0], span[1])
            elif cut == sentence_end:
                spans.append(span)
    return spans


def approx_tokens(text: str) -> int:
    """A model-free size: one per Latin word or number, one per CJK character."""
    cjk = len(CJK_CHARACTER.findall(text))
    latin_words = len(CJK_CHARACTER.sub(" ", text).split())
    return cjk + latin_words


def has_cjk(text: str) -> bool:
    return CJK_CHARACTER.search(text) is not None
