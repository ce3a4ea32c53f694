"""Sentence and clause boundaries for English and Chinese text, as character spans into the original string."""

from __future__ import annotations

import re
from functools import lru_cache

import pysbd

from qa.lines import (  # noqa: F401 (has_cjk: also read from here)
    CAPTION_LABEL, CJK_CHARACTER, DATE_LINE, TABLE_ROW, TABLE_RULE, Span, approx_tokens, hard_line_breaks, has_cjk,
)

# Chinese sentence ends are unambiguous, so a pattern is enough; closing quotes and brackets stay
# with the sentence they close. The semicolon counts: Chinese prose chains long clauses with it.
CJK_SENTENCE_END = re.compile(r"(?:[。！？；]|……)[”’」』）》】]*")
# A dateline that opens a passage is a sentence of its own (qa/structure.py keeps it with the paragraph it dates):
# the year it was written is not the year the sentence after it speaks of.
OPENING_DATELINE = re.compile(rf"\s*(?P<date>{DATE_LINE.pattern})[ \t]*\n\s*\n")
LATIN_SENTENCE_PUNCTUATION = re.compile(r"[.!?]")
# A comma between two digits groups a number's thousands ("1,350", "148,200"): it cut a table's every row, and
# every figure of a sentence, into pieces that each held half a number.
CLAUSE_BREAK = re.compile(r"(?<!\d),|,(?!\d)|[;:，；：、]")
CLAUSE_MIN_TOKENS = 4  # a shorter piece ("In 2021,") is joined to the clause after it
# pysbd's time grows with the square of the text it is given (2,000 characters 0.04 s, 20,000 0.76 s here), so
# a 2 MB paragraph would take hours: a longer run of text is read a window at a time, each window starting
# at the last sentence the one before may have cut. The longest paragraph of the development corpora and
# Python's reference topics is 7,395 characters.
SEGMENTER_WINDOW = 5_000


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


def split_latin(text: str, start: int, end: int) -> list[Span]:
    """Sentences of text[start:end] by pysbd, which ends a sentence at every line break: each run of lines
    between hard breaks is read with its other line breaks as spaces (same length, so offsets hold). A table's
    row is one unit, whatever its cells say ("| Adult | 45 euros. |" lost its closing bar to the next
    sentence); its rules are none."""
    spans = []
    for segment in hard_line_breaks(text, start, end):
        if TABLE_RULE.fullmatch(text, *segment):
            continue
        if TABLE_ROW.match(text, *segment):
            spans.extend(filter(None, [strip_span(text, *segment)]))
        else:
            spans.extend(split_unwrapped(text, *segment))
    return spans


def split_unwrapped(text: str, start: int, end: int) -> list[Span]:
    piece = text[start:end].replace("\n", " ")
    if not LATIN_SENTENCE_PUNCTUATION.search(piece):
        return [span] if (span := strip_span(text, start, end)) else []
    spans, cursor = [], 0
    while True:
        last = len(piece) - cursor <= SEGMENTER_WINDOW
        window_end = len(piece) if last else window_cut(piece, cursor)
        found, complete = sentences_in(piece, cursor, window_end)
        if not last and complete and len(found) > 1:
            found.pop()  # the window may have cut the last one short: it is read again with what follows
        elif not last and not found:  # a "sentence" longer than the window is cut where the window ends
            found = [whole] if (whole := strip_span(piece, cursor, window_end)) else []
        spans.extend((start + first, start + stop) for first, stop in found)
        cursor = found[-1][1] if found else cursor if last else window_end
        if last:
            break
    if cursor < len(piece) and (rest := strip_span(text, start + cursor, end)):
        spans.append(rest)
    return with_caption_labels(text, spans)


def with_caption_labels(text: str, spans: list[Span]) -> list[Span]:
    """The sentences with a caption's label ("Table 1.", "Figure 3:") that pysbd made a sentence of its own
    joined to the sentence after it, the caption it labels."""
    joined: list[Span] = []
    for span in spans:
        if joined and CAPTION_LABEL.fullmatch(text, *joined[-1]):
            joined[-1] = (joined[-1][0], span[1])
        else:
            joined.append(span)
    return joined


def window_cut(piece: str, cursor: int) -> int:
    """Where a window of at most SEGMENTER_WINDOW characters from `cursor` ends: at a space, not inside a word."""
    space = piece.rfind(" ", cursor + 1, cursor + SEGMENTER_WINDOW)
    return space if space > cursor else cursor + SEGMENTER_WINDOW


def sentences_in(piece: str, start: int, end: int) -> tuple[list[Span], bool]:
    """pysbd's sentences of piece[start:end] as offsets into `piece`, and whether each was found in it
    (False when pysbd changed the text it returned: the rest is then kept as one sentence rather than guessed)."""
    window, spans, cursor = piece[start:end], [], 0
    for sentence in latin_sentences(window):
        sentence = sentence.strip()
        found = window.find(sentence, cursor) if sentence else -1
        if found < 0:
            return spans, False
        spans.append((start + found, start + found + len(sentence)))
        cursor = found + len(sentence)
    return spans, True


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[Span]:
    """Sentences of text[start:end] as (start, end) offsets into `text`, whitespace trimmed."""
    return list(cached_sentence_spans(text, start, len(text) if end is None else end))


@lru_cache(maxsize=16384)
def cached_sentence_spans(text: str, start: int, end: int) -> tuple[Span, ...]:
    # Every question splits its passages again, and pysbd was most of a repeated question's time (profiled).
    spans: list[Span] = []
    piece_start = start
    if dateline := OPENING_DATELINE.match(text, start, end):
        spans.append(dateline.span("date"))
        piece_start = dateline.end()
    for match in CJK_SENTENCE_END.finditer(text, piece_start, end):
        spans.extend(split_latin(text, piece_start, match.end()))
        piece_start = match.end()
    spans.extend(split_latin(text, piece_start, end))
    return tuple(spans)


def clause_spans(text: str, start: int = 0, end: int | None = None) -> list[Span]:
    """Clauses of each sentence of text[start:end]: the pieces between commas, semicolons and colons, a
    piece shorter than CLAUSE_MIN_TOKENS joined to the next (the last to the one before), never across
    a sentence end. Long official sentences list many facts; each clause is one of them. A table's row is
    one clause, whatever its cells hold (`Chunk.clause_readings`)."""
    spans: list[Span] = []
    for sentence_start, sentence_end in sentence_spans(text, start, end):
        if TABLE_ROW.match(text, sentence_start, sentence_end):  # a row is one fact: read under its header
            spans.append((sentence_start, sentence_end))
            continue
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
