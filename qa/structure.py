"""A document's structure: its paragraphs and heading lines (`Block`), each heading with its level.

Read from the text's lines alone, whatever the format it came from: Markdown's "#" headings, numbered ones
("I.", "1.", "(1)", "一、", "（一）", "2.1"), ones led by a word and its number ("Article 12", "第三章"), and short
lines on their own; then the passes that correct what lines alone mislead: a wrapped line that starts with a
number, a heading over nothing, a lead-in with its list, a FAQ's question with its answer, a caption with its
table. qa/chunking.py packs the paragraphs into chunks under their heading paths.
"""

from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass, replace

from qa.lines import (
    ASKS, BULLETED, CAPTION_LABEL, CHINESE_NUMBER, CJK_CHARACTER, DATE_LINE, DOCUMENT_NUMBER, FULL_LINE, LEADS_IN, LIST_ITEM,
    QUOTE_MARKS, TABLE_ROW, Span, announced, ends_sentence, full_line_length, quote_depth,
)
from qa.sentences import approx_tokens

MARKDOWN_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
# A heading led by a word and its number. Codes nest them in different orders (Part > Chapter > Section >
# Article in one, Article > Section in another, 编 > 章 > 节 in Chinese), so each document's are levelled in the
# order it first uses each word, all above "1." and "（一）".
WORD_LED_HEADING = re.compile(
    r"^(?:(?P<word>(?i:part|book|title|chapter|section|article))\s+(?:\d+[\w.]*|[IVXLCDM]+\b|[A-Z]\b)"
    rf"|第(?:{CHINESE_NUMBER}|\d+)(?P<unit>部分|[编章节篇]))"
)
# Numbered headings of the white paper and its translations, with the level each one opens: English runs
# I. > 1. > (1), Chinese 一、 > （一） > 1. > （1）, so "1." sits below "（一）" and "(1)" below "1.".
NUMBERED_HEADINGS = [
    (1, re.compile(r"^[IVXL]+\.\s+\S")),  # I. China's Biodiversity Conservation Philosophy
    (1, re.compile(rf"^{CHINESE_NUMBER}、\s*\S")),  # 一、秉持生物多样性保护理念
    (1, WORD_LED_HEADING),  # Chapter 3, Article 12, 第一章: levels set per document (word_led_levels)
    (2, re.compile(rf"^[(（]{CHINESE_NUMBER}[)）]\s*\S")),  # （一）建立国家公园体制
    (3, re.compile(r"^\d{1,2}(?:\.\d+)*\.?\s+\S")),  # 1. Building Nature Reserves / 2.1 Parks; not "2016 saw"
    (3, re.compile(rf"^\d{{1,2}}[.．、]\s*{CJK_CHARACTER.pattern}")),  # 1.三号线 / 1．三号线: no space in Chinese
    (4, re.compile(r"^[(（]\d{1,2}[)）]\s*\S")),  # (1) ...; not a year, "(2016), which…" of a wrapped citation
]
SENTENCE_FINAL = tuple(".,;:!?。，；：！？、")
HEADING_MAX_TOKENS = 25
# A Chinese notice's title runs to 27 characters and more ("澜川省林业局关于贯彻实施《湿地生态监测技术规范》的通知"):
# read as a paragraph, it was a passage of its own, quoted for any question that named the standard (a probe).
TITLE_MAX_TOKENS = 60
# An article written at the start of its paragraph, as Chinese laws write every one ("第九条　申请登记应当……") and
# English ones sometimes ("Article 5. The operator shall …"): it is the section of that paragraph and of those
# after it up to the next article or heading, so that a citation names it and "第九条说了什么？" finds it. Chinese
# laws indent each article's lines by two ideographic spaces ("　　第二十三条　……"); a probe's law so typed had no
# article found by its number.
INLINE_ARTICLE = re.compile(rf"[ \t\u3000]*(?P<article>第(?:{CHINESE_NUMBER}|\d+)条(?=[\s　])|Article\s+\d+[a-z]?(?=[\s.:—–-]))")
QUESTION_MAX_TOKENS = 60  # a FAQ's question paragraph: one sentence, however wordy
FAQ_LABEL = re.compile(r"(\w{1,10})\s*[:：]")  # "Q:", "A:", "问：", "Answer:" before a FAQ's question or answer
# A numbered line at least this share of the usual full line, that stops mid-sentence with text on the next line,
# is a numbered paragraph's wrapped first line, not a heading. Wrapped lines that start with a number ran 0.81 of
# the full line or more in the development white paper wrapped at 78 columns, 0.89 or more in its PDFs; no
# numbered heading there runs on into text (docs/quality-log.md, 2026-12-06).
NUMBERED_WRAPPED_LINE = 0.75
INDENT = (" ", "\t", "\u3000")
REPLY_QUOTE = re.compile(r"^[ \t]*>(?![ \t]*>)", re.MULTILINE)  # a line quoted one ">" deep
# The heading of a paper's or report's list of works cited. Its entries are other works' authors and titles, not
# what the document says, and their titles hold the very words a question uses: a new-user probe's paper quoted
# its reference list first for 11 of 91 questions, "Pollination Ecology 24, 88–99." among them. Its
# paragraphs are not chunks (the document's text keeps them, so offsets are unchanged).
WORKS_CITED = re.compile(
    r"^(?:\d+\.?\s+)?(?:references|bibliography|works cited|literature cited|reference list|references cited"
    r"|参考文献|引用文献)$",
    re.IGNORECASE,
)
# A table of contents' entry: a title, a run of leader dots and its page number ("前言 ………… 1", "I. Protected
# Areas .......... 3", or, read from a PDF that draws the leaders apart, "| 前言 | ………… | 1 |"). A probe's Chinese
# white paper quoted its 目录 for five questions, its entries holding the very words of the parts asked about. A
# paragraph of such entries is no chunk, as a list of works cited is none (the text keeps it).
CONTENTS_ENTRY = re.compile(r"(?:[.·•…‥・．]\s*){3,}\s*\|?\s*(?:\d{1,4}|[ivxlc]{1,6})\s*\|?\s*$", re.IGNORECASE)
CONTENTS_SHARE = 0.6  # of a paragraph's lines, at least


def is_contents(paragraph: str) -> bool:
    """Whether a paragraph is a table of contents: two of its lines or more, most of them, are entries."""
    lines = [line for line in paragraph.split("\n") if line.strip()]
    entries = sum(bool(CONTENTS_ENTRY.search(line)) for line in lines)
    return entries >= 2 and entries >= CONTENTS_SHARE * len(lines)


@dataclass(frozen=True)
class Block:
    """A paragraph or a heading line, as a span of the document."""

    start: int
    end: int
    heading_level: float | None  # None for a paragraph; a smaller level heads a larger one
    heading_text: str = ""
    marked_by: str = ""  # "#" (Markdown), "number", "" for a short line on its own; "line" for one read as text


def numbered(line: str) -> bool:
    return numbering(line) is not None


def numbering(line: str) -> str | None:
    """Which numbering a line opens with ("1." and "2.1" are one; "Chapter" and "Article" two), or None."""
    for kind, (_, pattern) in enumerate(NUMBERED_HEADINGS):
        if pattern.match(line):
            return f"{kind}:{leading_word(line) or ''}"
    return None


def leading_word(line: str) -> str | None:
    """The word a word-led heading opens with ("chapter", "节"), or None."""
    match = WORD_LED_HEADING.match(line)
    return (match.group("word") or match.group("unit")).lower() if match else None


# A decimal number's depth under its first figure: "2.1 Study sites" sits under "2 Methods", not beside it (a probe's
# papers, whose "2 Methods" right over "2.1 Study sites" was read as a heading of nothing, so as text).
DECIMAL_DEPTH = 0.1
DECIMAL_NUMBER = re.compile(r"\d{1,2}((?:\.\d+)*)")


def decimal_depth(line: str) -> int:
    match = DECIMAL_NUMBER.match(line)
    return match.group(1).count(".") if match else 0


def heading_level(line: str, standalone: bool, first: bool = False) -> tuple[float, str, str] | None:
    """(level, heading text, what marks it) when the stripped line reads as a heading, else None; the document's
    `first` line, its title, may be longer than other headings."""
    if match := MARKDOWN_HEADING.match(line):
        return len(match.group(1)), match.group(2), "#"
    too_long = approx_tokens(line) > (TITLE_MAX_TOKENS if first else HEADING_MAX_TOKENS)
    # a line that opens with a date is a dateline, with its byline ("12 May 2025 - From Harriet Vossberg, Chief
    # Executive Officer"), not a section "12" (a probe's announcements had every paragraph under it)
    if too_long or line.endswith(SENTENCE_FINAL) or DATE_LINE.match(line) or DOCUMENT_NUMBER.fullmatch(line):
        return None
    if TABLE_ROW.match(line):
        return None  # a table's row, "| Enterprise | 99.95% | Yes |", however short
    if CAPTION_LABEL.match(line):
        # a table's or figure's caption on its own line: in a PDF's page every line stands alone, and a probe's
        # "Table 2. Surface water quality by river basin, 2021" headed every section after it
        return None
    for level, pattern in NUMBERED_HEADINGS:
        if pattern.match(line):
            return level + DECIMAL_DEPTH * decimal_depth(line), line, "number"
    # An unnumbered short line on its own ("Preface", "结束语", a title) heads what follows it; a bulleted one
    # is an item of a list.
    if standalone and not BULLETED.match(line) and (CJK_CHARACTER.search(line) or len(line.split()) <= 15):
        return 1, line, ""
    return None


def word_led_levels(document_blocks: list[Block]) -> list[Block]:
    """The word-led headings' levels, from 1 for the word a document uses first to under 2 for the last: a
    regulation's "Chapter 1" then heads its "Article 1", and "第一章" its "第一节"."""
    levels: dict[str, float] = {}
    result = []
    for block in document_blocks:
        if block.marked_by == "number" and (word := leading_word(block.heading_text)):
            block = replace(block, heading_level=levels.setdefault(word, 1 + len(levels) / 10))
        result.append(block)
    return result


def beside_numbered_sections(document_blocks: list[Block]) -> list[Block]:
    """A short line on its own that heads text of its own before the document's numbered sections ("Summary",
    its paragraphs, then "1. Air Environment" … "7. Climate"; a paper's author line over its affiliations, then
    "Abstract", then "1 Introduction") is their sibling, not their parent: a probe's bulletin cited every section
    as "Summary > 5. Forests and Wetlands". The sections are the document's own
    when their numbers never repeat; "Methods" and "Results", each with its own "1." and "2.", head theirs. The
    document's first line, its title, heads everything."""
    result = list(document_blocks)
    numbers_by_level: dict[float, list[str]] = {}
    for block in result:
        if block.marked_by == "number":
            numbers_by_level.setdefault(block.heading_level, []).append(block.heading_text.split()[0])
    never_repeat = {level: len(numbers) == len(set(numbers)) for level, numbers in numbers_by_level.items()}
    next_numbered: list[int | None] = [None] * len(result)  # the first numbered heading after each block
    following_numbered = None
    for at in range(len(result) - 1, -1, -1):
        next_numbered[at] = following_numbered
        if result[at].marked_by == "number":
            following_numbered = at
    for at, block in enumerate(result):
        following = result[at + 1] if at + 1 < len(result) else None
        if at == 0 or block.heading_level is None or block.marked_by != "" or following is None or following.heading_level is not None:
            continue
        first_numbered = next_numbered[at]
        if first_numbered is None or result[first_numbered].heading_level <= block.heading_level:
            continue
        # a short line right over the first of them, with no text of its own, heads them ("Main provisions" over
        # "1. Minimum shares"): the line before it is their parent's sibling, not theirs
        if first_numbered - 1 > at and result[first_numbered - 1].heading_level is not None:
            continue
        if never_repeat[result[first_numbered].heading_level]:
            result[at] = replace(block, heading_level=result[first_numbered].heading_level)
    return result


def heads_nothing(block: Block, following: Block | None) -> bool:
    """A heading under which nothing is written: the document ends, or a heading of its own level or above comes
    next, or (for a short line on its own) another such line does. A short line over numbered ones heads them:
    "Main provisions" over "1. Minimum shares"."""
    if following is None:
        return True
    if following.heading_level is None or block.marked_by == "#":
        return False
    if block.marked_by == "" and following.marked_by == "":
        return True
    return following.heading_level <= block.heading_level


CONTENTS_MIN_ENTRIES = 3


def contents_lists(text: str, document_blocks: list[Block]) -> list[Block]:
    """A table of contents written without page numbers (`is_contents` reads those): CONTENTS_MIN_ENTRIES lines or
    more, in one paragraph or on lines of their own, each repeating a heading that comes later in the document,
    none twice. Read line by line, its entries were headings ("II. Restoring Wetlands" headed all that followed,
    the real parts under it) and a white paper's "Conclusion", written in it, counted as a term its document uses
    (qa/section_names.py), as a new-user probe's was. They are one paragraph marked "contents", which is no chunk
    (qa/chunking.py)."""
    last_at = {" ".join(block.heading_text.split()): at for at, block in enumerate(document_blocks) if block.heading_level is not None}
    if sum(block.heading_level is not None for block in document_blocks) <= CONTENTS_MIN_ENTRIES:
        return document_blocks

    def entries(block: Block) -> list[tuple[str, bool]]:
        # an entry's leader dots and page number make it one, whatever it names ("Preface . . . . 4", a line of
        # its own when a PDF sets its entries apart as paragraphs; the title's entry, which names no later heading)
        lines = [line for line in text[block.start : block.end].split("\n") if line.strip()]
        return [(" ".join(CONTENTS_ENTRY.sub("", line).split()), CONTENTS_ENTRY.search(line) is not None) for line in lines]

    result: list[Block] = []
    at = 0
    while at < len(document_blocks):
        run, listed = at, []
        while run < len(document_blocks):
            lines = entries(document_blocks[run])
            if not lines or not all(paged or (last_at.get(line, -1) > run and line not in listed) for line, paged in lines):
                break
            listed += [line for line, _ in lines]
            run += 1
        if len(listed) >= CONTENTS_MIN_ENTRIES:
            result.append(Block(document_blocks[at].start, document_blocks[run - 1].end, None, marked_by="contents"))
            at = run
            continue
        result.append(document_blocks[at])
        at += 1
    return result


def heading_nothing_as_paragraphs(document_blocks: list[Block]) -> list[Block]:
    """A short line or a numbered one that heads nothing (the last line; one of a run of short lines, "Entry
    fee: 6 euros" over "Closed on Mondays"; an item of a numbered list, "1. Dredge the channel to 11 metres")
    is content, not a heading: headings are never quoted, so it would be lost. The document's first line, its
    title, stays a heading when anything follows it. A document of headings alone is read as paragraphs, so
    that no document is indexed as nothing."""
    if all(block.heading_level is not None for block in document_blocks):
        return [Block(block.start, block.end, None) for block in document_blocks]
    result = list(document_blocks)
    for index in range(1, len(result)):
        block = result[index]
        following = document_blocks[index + 1] if index + 1 < len(document_blocks) else None
        if block.heading_level is not None and heads_nothing(block, following):
            result[index] = Block(block.start, block.end, None)
    return result


def line_spans(text: str) -> list[Span]:
    spans, start = [], 0
    for line in text.split("\n"):
        spans.append((start, start + len(line)))
        start += len(line) + 1
    return spans


def wrapped_lines(text: str, lines: list[Span], page_breaks: set[int]) -> list[bool]:
    """For each line, whether it continues the line before (across a page break), which was wrapped: that line
    ran at least FULL_LINE of the document's full line and stopped mid-sentence, and was not a numbered heading
    shorter than NUMBERED_WRAPPED_LINE of it, and this one does not start a list item. A numbered line that long
    starts a numbered paragraph ("4.1 The Central Library is open from 9:00 to 20:00 Monday to Friday and from" /
    "10:00 to 17:00 on Saturdays."): were it a heading, its facts could never be quoted."""
    usual = full_line_length([text[a:b] for a, b in lines])
    full = FULL_LINE * usual
    continues, previous, previous_heads, crossed = [], "", False, False
    for start, end in lines:
        line = text[start:end]
        if start in page_breaks:
            continues.append(False)
            crossed = True
            continue
        stopped = previous_heads or ends_sentence(previous)
        # a contents entry ends at its page number: the last one ran on into the first heading after a page break
        stopped = stopped or crossed and CONTENTS_ENTRY.search(previous) is not None
        # a line in capitals (a title) is not continued by one in lower case: "NOTICE TO ALL STAFF: …⏎14 April 2025 - From…"
        capitals_end = previous.isupper() and not line.isupper()
        continues.append(bool(line.strip()) and len(previous) >= full and not stopped and not LIST_ITEM.match(line) and not capitals_end)
        previous, crossed = line.rstrip(), False
        short_enough = len(previous) < NUMBERED_WRAPPED_LINE * usual
        previous_heads = not continues[-1] and short_enough and heading_level(line.strip(), False) is not None
    return continues


def blocks(text: str, page_starts: tuple[int, ...] = (), title: str = "") -> list[Block]:
    """Headings and paragraphs. A paragraph ends at a blank line, a heading, or an indented line; in a text
    with no blank lines at all (common for Chinese, and for the pages of a PDF: the blank lines between
    pages do not count), every line is a paragraph. A wrapped line's continuation is neither: it stays in
    its paragraph. A first line that is the document's `title` (as a PDF sets it in large type) is continued
    by nothing: a long title read the line under it as its own wrapped end."""
    lines = line_spans(text)
    page_breaks = {start - 1 for start in page_starts}  # the empty line before each page's first
    # An email quotes the mail it replies to one ">" deep; a Python session's ">>>" prompts alone are no quotes.
    quotes = ">" in text and REPLY_QUOTE.search(text) is not None
    depths = [quote_depth(text[a:b]) for a, b in lines] if quotes else [0] * len(lines)
    has_blank_lines = any(blank(text[a:b], quotes) and a not in page_breaks for a, b in lines[:-1])
    continues = wrapped_lines(text, lines, page_breaks)
    if title and len(lines) > 1 and text[slice(*lines[0])].strip() == title.strip():
        continues[1] = False
    continued = [*continues[1:], False]  # whether the next line continues this one
    for index in range(len(lines) - 2):  # across a page break, the line after the break's blank line
        if lines[index + 1][0] in page_breaks and continues[index + 2]:
            continued[index] = True
    result: list[Block] = []
    paragraph: list[Span] = []

    def close_paragraph() -> None:
        if paragraph:
            first = paragraph[0][0]
            if depths[bisect.bisect_left(lines, (first, first))]:  # a quoted paragraph starts after its marks
                first += QUOTE_MARKS.match(text, first).end() - first
            result.append(Block(first, paragraph[-1][1], None))
            paragraph.clear()

    for index, (start, end) in enumerate(lines):
        line = text[start:end]
        stripped = line.strip()
        if blank(line, quotes):
            # A page ends in the middle of a paragraph as often as not.
            if not (start in page_breaks and continued[index]):
                close_paragraph()
            continue
        if paragraph and depths[index] != depths[index - 1]:
            close_paragraph()  # an email's reply ends where the mail it quotes begins, and the other way round
        # A table's rows are one paragraph, and the line after its last row starts another, in a text without
        # blank lines too: a PDF's rows were each a paragraph and the last one, a short line on its own, headed
        # the rest of the document (a probe's "| Below 95.0% | 50% of the monthly fee |" over "4. Exclusions").
        after_row = bool(paragraph) and TABLE_ROW.match(text, paragraph[-1][0]) is not None
        if after_row and TABLE_ROW.match(line):
            paragraph.append((start, end))
            continue
        if after_row and not has_blank_lines:
            close_paragraph()
        elif continues[index] and paragraph:
            paragraph.append((start, end))
            continue
        previous_blank = index == 0 or blank(text[slice(*lines[index - 1])], quotes)
        next_blank = index + 1 == len(lines) or blank(text[slice(*lines[index + 1])], quotes)
        # An indented line between blank lines is a line of code or a quotation, not a heading; nor is a line
        # that the next one continues.
        standalone = not has_blank_lines or (previous_blank and next_blank and not line.startswith(INDENT))
        # Lines numbered alike one under the other, where paragraphs are set apart by blank lines, are a list ("1.
        # Dredge the channel", "2. Close the depot") or a table of contents, not headings; a part's heading over
        # its first sub-part's ("一、年度概况" over "（一）货物吞吐量") is no list.
        kind = numbering(stripped)
        listed = has_blank_lines and kind is not None and (
            (not previous_blank and numbering(text[slice(*lines[index - 1])].strip()) == kind)
            or (not next_blank and numbering(text[slice(*lines[index + 1])].strip()) == kind)
        )
        # A paper's one-word heading with its text right under it, as a PDF sets them ("Abstract⏎We resurveyed…",
        # "References⏎Aalto, R., …"): a capitalised word alone on a paragraph's first line that ends no sentence.
        standalone = standalone or (has_blank_lines and previous_blank and heads_its_paragraph(stripped))
        first = not result and not paragraph
        # a title with its dateline right under it ("ALL-STAFF ANNOUNCEMENT: …⏎12 May 2025 - From …")
        standalone = standalone or (first and index + 1 < len(lines) and DATE_LINE.match(text[slice(*lines[index + 1])].strip()) is not None)
        heading = None if continued[index] or listed or depths[index] else heading_level(stripped, standalone, first)
        if heading:
            close_paragraph()
            offset = start + line.index(stripped)
            result.append(Block(offset, offset + len(stripped), *heading))
            continue
        # An indented first line starts a paragraph; the indented lines after it (a code or quoted block) stay in it.
        previous_indented = index > 0 and text[slice(*lines[index - 1])].startswith(INDENT)
        if paragraph and (not has_blank_lines or (line.startswith(INDENT) and not previous_indented)):
            close_paragraph()
        paragraph.append((start, end))
    close_paragraph()
    found = heading_nothing_as_paragraphs(beside_numbered_sections(word_led_levels(marked_headings_only(contents_lists(text, result)))))
    return lists_with_their_lead(text, signature_as_text(text, found))


def signature_as_text(text: str, document_blocks: list[Block]) -> list[Block]:
    """A short line over the document's last, a date alone, is a signature ("澜川省生态环境厅⏎⏎2024年3月18日" under
    a notice), not a heading: read as one, it took the sender out of the text."""
    if len(document_blocks) < 2:
        return document_blocks
    *rest, signer, date = document_blocks
    if signer.marked_by == "" and signer.heading_level is not None and date.heading_level is None and DATE_LINE.fullmatch(text[date.start : date.end].strip()):
        return [*rest, Block(signer.start, signer.end, None), date]
    return document_blocks


def blank(line: str, quotes: bool = True) -> bool:
    """Whether a line holds nothing, an email's quote marks aside ("> " between two quoted paragraphs)."""
    return not line.strip() or (quotes and ">" in line and not QUOTE_MARKS.sub("", line, count=1).strip())


def heads_its_paragraph(line: str) -> bool:
    """Whether a paragraph's first line is one capitalised word and nothing else ("Abstract", "References")."""
    return line.isalpha() and line[:1].isupper() and not CJK_CHARACTER.search(line)


def marked_headings_only(document_blocks: list[Block]) -> list[Block]:
    """Where a document marks its headings (Markdown's `#`, an HTML page's <h1>-<h6>), a short line on its own is
    text: a table's caption ("Table 1: Capacity by site") or a byline under the title, read as headings, took
    the place of the title and of every section after them in a probe's Markdown report."""
    if not any(block.marked_by == "#" for block in document_blocks):
        return document_blocks
    return [
        Block(block.start, block.end, None, marked_by="line")
        if block.heading_level is not None and block.marked_by == ""
        else block
        for block in document_blocks
    ]


def lists_with_their_lead(text: str, document_blocks: list[Block]) -> list[Block]:
    """A paragraph that ends in a colon ("The main varieties are:", "allocated as follows:") is one block with
    what it announces (`qa.lines.announced`): the list after it (its items, set apart by blank lines or not), or
    else the one paragraph after it; so is a table's or list's caption with its rows. Apart, the lead-in is a
    chunk that holds no answer and the list one that no longer says what it lists, so "What varieties grow in
    the orchard?" met neither. A paragraph that asks, a FAQ's "Q: How long does the online theory test take?",
    is one block with the paragraph after it, its answer, unless that one asks too: apart, a probe's FAQ page
    refused its own question word for word (its answer, "You have 60 minutes…", is quoted in the question's
    place, qa/answerers/quotes.py). A dateline ("9 May 2024", `qa.lines.DATE_LINE`) is one block with the
    paragraph after it, whose "reopened today" it dates."""
    result: list[Block] = []
    index = 0
    while index < len(document_blocks):
        block = document_blocks[index]
        index += 1
        leads_in = text[block.start : block.end].rstrip().endswith(LEADS_IN)
        following = document_blocks[index] if index < len(document_blocks) else None
        answered = following is not None and following.heading_level is None and asks(text, block, following)
        dateline = block.heading_level is None and DATE_LINE.fullmatch(text[block.start : block.end].strip())
        if block.heading_level is None and (answered or (dateline and following is not None and following.heading_level is None)):
            block = Block(block.start, following.end, None)
            index += 1
        elif block.heading_level is None and (leads_in or captions(text, block, following)):
            # Read lazily, up to the first block the lead-in does not announce: a long text with many lead-ins
            # and few headings is not read again from each of them.
            after = (document_blocks[later] for later in range(index, len(document_blocks)))
            paragraphs = itertools.takewhile(lambda later: later.heading_level is None, after)
            count = announced(text[later.start : later.end] for later in paragraphs)
            if count:
                block = Block(block.start, document_blocks[index + count - 1].end, None)
                index += count
        result.append(block)
    return result


def asks(text: str, block: Block, following: Block) -> bool:
    """Whether the block is a question of a line's length answered by the next block: one that does not ask
    too (a FAQ's question and its answer, not a list of questions), and is labelled as the question is, with
    another label ("Q: …?" then "A: …", "问：…？" then "答：…") or, like it, with none. A labelled question over
    text without a label is a question the page leaves unanswered (a probe's "Q: Are guided tours offered in
    German?" over its rules for dogs)."""
    question, answer = text[block.start : block.end].strip(), text[following.start : following.end].strip()
    if not ASKS.search(question) or approx_tokens(question) > QUESTION_MAX_TOKENS or ASKS.search(answer):
        return False
    asked, answered = FAQ_LABEL.match(question), FAQ_LABEL.match(answer)
    return (asked is None) == (answered is None) and (asked is None or asked.group(1).lower() != answered.group(1).lower())


def captions(text: str, block: Block, following: Block | None) -> bool:
    """Whether the block is a short line on its own, read as text, right over a table or list (the block
    `following` it): its caption ("Table 1: Capacity by site at 30 June 2025"), which names what the rows hold;
    a line labelled as a caption is never a heading (`heading_level`)."""
    line = text[block.start : block.end].strip()
    if following is None or (block.marked_by != "line" and not (CAPTION_LABEL.match(line) and "\n" not in line)):
        return False
    return bool(LIST_ITEM.match(text[following.start : following.end]))
