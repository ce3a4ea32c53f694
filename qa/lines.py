"""Line breaks: which ones the writer made and which ones a layout made, in text wrapped at a fixed width (a
PDF's lines, a plain text wrapped at 70-80 columns); the text with the layout's breaks undone, for readers; and
the words a layout hyphenated at a line's end, written whole."""

from __future__ import annotations

import re
from collections.abc import Iterable

Span = tuple[int, int]

CJK_CHARACTER = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
# Latin letters with their accents, for names' patterns: "Svartå Brook", "Dr Aino Perälä", "Łódź" (regular
# expressions' [A-Z] cut a probe's names at the first accented letter).
UPPER = "A-Z" + "".join(character for character in map(chr, range(0xC0, 0x250)) if character.isupper())
LOWER = "a-z" + "".join(character for character in map(chr, range(0xC0, 0x250)) if character.islower())
MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
# A question that asks for a time: a date, a year, a day ("When was …", "哪一年", "什么时候").
ASKS_FOR_TIME = re.compile(r"\bwhen\b|\bwhat (?:year|date|day|month)\b|\bwhich year\b|何时|什么时候|哪一?年|哪天", re.IGNORECASE)
# A line that is a date and nothing else ("9 May 2024", "Thursday, May 9, 2024", "2024-05-09", "2024年5月9日"): a
# news item's dateline under its headline, not a section "9" of it (a new-user probe's three datelines headed
# every paragraph of their items, and were never quoted).
DATE_LINE = re.compile(
    r"(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+)?"
    rf"(?:\d{{1,2}}\s+{MONTH},?\s+\d{{4}}|{MONTH}\s+\d{{1,2}},?\s+\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}}|"
    r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)\s*"
)
# A Chinese official document's number under its title ("澜环发〔2024〕15号"): what it is cited by, not a heading
# over its text (a probe's notice had every article under it).
DOCUMENT_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,12}\s*[〔\[［（(]\d{4}[〕\]］）)]\s*\d+\s*号")
# A line break (or a page break's two) between two characters that are not spaces, with the indentation after it.
IN_WORD_LINE_BREAK = re.compile(r"(?<=\S)(?:\n[ \t\u3000]*)+(?=\S)")
LINE_BREAK_WITH_SPACES = re.compile(r"[ \t]*(?:\n[ \t\u3000]*)+")
# An email's quoted lines: "> " for the mail replied to, ">> " for the one before it. A line break followed by its
# marks reads, for a reader, as the line break alone.
QUOTE_MARKS = re.compile(r"[ \t]*>(?:[ \t]*>)*[ \t]?")
LINE_BREAK_WITH_QUOTE_MARKS = re.compile(r"[ \t]*(?:\n(?:[ \t]*>)*[ \t\u3000]*)+")
# A Chinese ordinal as headings, list items and articles write it: 三、, （十二）, 第一百零五条.
CHINESE_NUMBER = "[一二三四五六七八九十百零〇]+"
CHINESE_DIGITS = "〇一二三四五六七八九"


def chinese_number_value(numeral: str) -> int | None:
    """A Chinese ordinal's value below a thousand: "三" 3, "十二" 12, "二十" 20, "一百零五" 105, or one written in
    figures ("12", as in "第12步"); None for anything else."""
    if numeral.isdigit():
        return int(numeral)
    total = digit = 0
    for character in numeral.replace("零", "〇"):
        if character in CHINESE_DIGITS:
            digit = CHINESE_DIGITS.index(character)
        elif character in "十百":
            total += (digit or 1) * (10 if character == "十" else 100)
            digit = 0
        else:
            return None
    return total + digit if numeral else None


# A line that starts a list item: a bullet or dash, "1." / "2)" / "a)", "(1)" / "（一）", a circled number; or a
# table's row ("| Province | Area |", as Markdown and the HTML reader write tables).
BULLET = r"[-*•·●▪◦–]\s|——"
BULLETED = re.compile(rf"\s*(?:{BULLET})")
LIST_ITEM = re.compile(rf"\s*(?:{BULLET}|\||\(?\d{{1,2}}[.)]\s|\(?[a-z]\)\s|[(（](?:\d{{1,2}}|{CHINESE_NUMBER})[)）]|[\u2460-\u2473])")

TABLE_ROW = re.compile(r"\s*\|")  # a table's row as Markdown and the HTML reader write it: "| Adult | 45 euros |"
# A table's rule, no row of its own: a grid table's "+-------+------+" or "|=======|======|" (reStructuredText,
# Python's reference topics, pandoc), a Markdown table's "|---|:--:|".
TABLE_RULE = re.compile(r"\s*[+|][-=+|: \t]*[-=][-=+|: \t]*$")
GRID_RULE = re.compile(r"\s*(?:\+[-=+: \t]*[-=]|\|[=|+: \t]*=)[-=+|: \t]*$")  # Markdown's rules hold no "="

# A paragraph or sentence ending so announces what follows it: "The main varieties are:" and the list after it.
LEADS_IN = (":", "：")
# A sentence that asks ("Q: When is the library open?" in a FAQ): what follows it answers the question it asks.
ASKS = re.compile(r"[?？][\"'”’)）]*\s*$")

# A line ending in one of these (before any closing quote or bracket) ended where its sentence or lead-in did.
SENTENCE_END = tuple(".!?:;。！？：；…")
CLOSING = "\"'”’」』）》】)]"
# A line that stops short of this share of the document's usual full line (its 90th percentile of lengths) ended
# where its writer ended it; a longer one that ends mid-sentence ran out of room, in a PDF or a text wrapped at a
# fixed width, and the next line continues it. Set before measuring; bench/bench_formats.py prints the same
# tuning figures for every shape of the white paper from 0.4 to 0.8.
FULL_LINE = 0.6


def ends_sentence(line: str) -> bool:
    return line.rstrip().rstrip(CLOSING).endswith(SENTENCE_END)


def full_line_length(lines: list[str]) -> float:
    """The document's usual full line: the 90th percentile of its lines' lengths."""
    lengths = sorted(len(line.rstrip()) for line in lines if line.strip())
    return lengths[int(0.9 * (len(lengths) - 1))] if lengths else 0


def has_cjk(text: str) -> bool:
    return CJK_CHARACTER.search(text) is not None


def approx_tokens(text: str) -> int:
    """A model-free size: one per Latin word or number, one per CJK character."""
    cjk = len(CJK_CHARACTER.findall(text))
    latin_words = len(CJK_CHARACTER.sub(" ", text).split())
    return cjk + latin_words


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
    around them, as one space (none inside Chinese), an email's quote marks after them with them ("We could⏎>>
    agree" reads "We could agree"), and its tables' rows as `table_rows_read` gives them. A quote keeps its
    exact span; the answer text reads this."""
    if text.startswith(">"):
        text = QUOTE_MARKS.sub("", text, count=1)  # a quoted sentence that starts its line
    if "\n" not in text:
        return text
    if "|" in text:
        lines = table_rows_read(text.split("\n"))
        if any(TABLE_ROW.match(line) for line in lines):
            # a row ends at its line's end, in Chinese too ("| 云溪市 | 98.6 | | 鹤鸣市 | 97.3 |", not "…||…")
            return " ".join(line.strip() if TABLE_ROW.match(line) else flowing(line) for line in lines if line.strip())
        text = "\n".join(lines)
    breaks = LINE_BREAK_WITH_QUOTE_MARKS if "\n>" in text or "\n >" in text else LINE_BREAK_WITH_SPACES
    return breaks.sub(" ", joined_lines(text))


def quote_depth(line: str) -> int:
    """How deep in an email's quoted replies a line is: the count of its leading ">" marks."""
    marks = QUOTE_MARKS.match(line)
    return marks.group(0).count(">") if marks else 0


def table_rows_read(lines: list[str]) -> list[str]:
    """The lines with each table row's cells stripped of their padding, a grid table's row written on one line
    (its cells joined across the lines it runs over) and the tables' rules left out: "| "'^'" | Forces the field
    to be centered within the available space. |", not the same with "|      | space.     |" in the middle. A
    line continues the row above inside a grid table (`grid_row_continues`), or, in a quote of one grid row (no
    rule in it), where its first cell is empty and its bars stand where the line above has them."""
    read: list[str] = []
    no_rules = not any(TABLE_RULE.match(line) for line in lines)
    for number, (line, continues_grid) in enumerate(zip(lines, grid_row_continues(lines))):
        if TABLE_RULE.match(line):
            continue
        if not is_table_row(line):
            read.append(line)
            continue
        cells = [cell.strip() for cell in line.strip()[1:-1].split("|")]
        above = lines[number - 1] if number else ""
        continues = continues_grid or (no_rules and is_table_row(above) and not cells[0] and bars(line) == bars(above))
        if continues and read[-1].count("|") == len(cells) + 1:
            above_cells = [cell.strip() for cell in read[-1][1:-1].split("|")]
            cells = [" ".join(filter(None, pair)) for pair in zip(above_cells, cells)]
            read.pop()
        read.append("|" + "|".join(f" {cell} " if cell else " " for cell in cells) + "|")
    return read


def is_table_row(line: str) -> bool:
    return bool(TABLE_ROW.match(line)) and line.rstrip().endswith("|") and not TABLE_RULE.match(line)


def grid_row_continues(lines: list[str]) -> list[bool]:
    """For each line, whether it continues the row of the line above inside a grid table, whose row runs over
    lines until the next `+----+` rule: both are rows, not rules, below a grid rule with no other line between."""
    continues, in_grid = [], False
    for above, line in zip(["", *lines], lines):
        in_grid = bool(GRID_RULE.match(above)) or (in_grid and is_table_row(above))
        continues.append(in_grid and is_table_row(above) and is_table_row(line))
    return continues


def bars(line: str) -> list[int]:
    return [position for position, char in enumerate(line) if char == "|"]


def indent(line: str) -> int:
    return len(line) - len(line.lstrip())


# A line led by a label of a few words and a colon: "Date: 20 February 2025", "Minutes taken by: Wen Shiqi",
# "主持人：乔云飞". Lines so labelled one under the other are fields, each its own (a minutes' header block, an
# email's "From:" and "Subject:"), not one sentence: a probe's minutes quoted their whole header block, 300
# characters, for "Who chaired the ninth meeting?".
# A label may hold a decimal point: a bulletin's "PM2.5 monthly mean: 29.6 µg/m³" over "PM10 monthly mean: …".
LABELLED_LINE = re.compile(r"[ \t]*(?:[A-Z][\w'’()&/.-]*(?:[ \t]+[\w'’()&/.-]+){0,4}[ \t]*:|[\u4e00-\u9fff]{1,8}：)[ \t]*\S")


def hard_line_breaks(text: str, start: int, end: int) -> list[Span]:
    """text[start:end] cut at the line breaks that end something: before a list item, between two labelled lines
    (`LABELLED_LINE`), or where the indentation
    changes (a code or quoted line), but for a paragraph's first line indented deeper than the rest and a list item
    continued on deeper-indented lines; around a table's rows and rules, but inside a grid table's row, whose
    cells run over lines until the next rule. Any other
    line break inside a paragraph is where a PDF or a text wrapped at a fixed width ran out of room."""
    lines = text[start:end].split("\n")
    segments, segment_start, offset = [], start, start
    continued = grid_row_continues(lines)
    for number, (line, following) in enumerate(zip(lines, lines[1:])):
        first_line_indent = offset == start and indent(line) > indent(following)
        list_item_continued = LIST_ITEM.match(line) and indent(following) > indent(line)
        offset += len(line) + 1
        if continued[number + 1]:
            continue
        table_edge = TABLE_RULE.match(line) or TABLE_RULE.match(following) or (
            TABLE_ROW.match(line) and not TABLE_ROW.match(following)
        )
        indent_changes = indent(line) != indent(following) and not (first_line_indent or list_item_continued)
        fields = LABELLED_LINE.match(line) and LABELLED_LINE.match(following)
        if table_edge or LIST_ITEM.match(following) or indent_changes or fields:
            segments.append((segment_start, offset - 1))
            segment_start = offset
    segments.append((segment_start, end))
    return segments


# A word a layout broke over two lines with a hyphen: "conser-⏎vation" (letters on both sides), with the rest
# of its second line's first token, the spaces after it, and the line's end when nothing else is on it.
HYPHENATED_LINE_END = re.compile(r"([^\W\d_]+)-\n([^\W\d_]+)(\S*)[ \t]*(\n?)")
PAGE_END_HYPHEN = re.compile(r"([^\W\d_]+)-$")
PAGE_START_WORD = re.compile(r"([^\W\d_]+)(\S*)[ \t]*(\n?)")
LETTER_WORD = re.compile(r"[^\W\d_]+")
HYPHENATED_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)+")
BROKEN_WORD = re.compile(r"[^\W\d_]+-\n[^\W\d_]+")


def rejoined_words(pages: list[str]) -> list[str]:
    """The pages (a text is one) with each word that a layout hyphenated at a line's end, or a page's, written
    whole where it starts: "conser-⏎vation of" becomes "conservation⏎of". The hyphen stays where the word is a
    compound, read off the document's own words: it is not written whole anywhere, and it is written with its
    hyphen elsewhere or both its parts are words of their own ("flood-⏎prone", "south-⏎east"). A typesetter
    breaks a compound at its hyphen and adds one only inside a word ("tribu-⏎taries")."""
    if not any("-\n" in page or page.endswith("-") for page in pages):
        return pages
    text = BROKEN_WORD.sub(" ", "\n".join(pages).lower())  # the words as written whole elsewhere
    words, compounds = set(LETTER_WORD.findall(text)), set(HYPHENATED_WORD.findall(text))

    def whole(first: str, second: str) -> str:
        joined, hyphenated = (first + second).lower(), f"{first}-{second}".lower()
        compound = hyphenated in compounds or (first.lower() in words and second.lower() in words)
        return f"{first}-{second}" if compound and joined not in words else first + second

    def rejoin(match: re.Match) -> str:
        first, second, rest, line_end = match.groups()
        return whole(first, second) + rest + (line_end or "\n")

    pages = [HYPHENATED_LINE_END.sub(rejoin, page) for page in pages]
    for number in range(len(pages) - 1):
        end, start = PAGE_END_HYPHEN.search(pages[number]), PAGE_START_WORD.match(pages[number + 1])
        if end and start:
            pages[number] = pages[number][: end.start()] + whole(end.group(1), start.group(1)) + start.group(2)
            pages[number + 1] = pages[number + 1][start.end() :]
    return pages


def announced(texts: Iterable[str]) -> int:
    """How many of the texts after a lead-in ("… allocated as follows:") it announces: the list items that come
    first, or else the one text after it."""
    count = 0
    for text in texts:
        if not LIST_ITEM.match(text):
            return count or 1
        count += 1
    return count


def table_start(text: str, row_start: int) -> int:
    """Where the table whose row starts at `row_start` in the text begins: its header row's start, so that
    "| Student | 20 euros |" is read and quoted under "| Category | Annual fee |". A grid table's rules are
    inside the table; the one above its header is not where it begins."""
    first = row_start
    while first > 0:
        line_start = text.rfind("\n", 0, first - 1) + 1
        line = text[line_start : first - 1]
        if not (TABLE_ROW.match(line) or GRID_RULE.match(line)):
            break
        first = line_start
    while first < row_start and TABLE_RULE.match(text, first, text.find("\n", first)):
        first = text.find("\n", first) + 1
    return first


# A caption's label, which no sentence ends after ("Table 2. Mean visitation rates…", "Fig. 3: Map of…"): pysbd
# cut a new-user probe's "Table 2." off its caption, and "What does Table 2 show?" met a sentence of two words.
CAPTION_LABEL = re.compile(r"(?:Table|Figure|Fig\.|Box|Plate|Map|Chart|Exhibit)\s+[A-Z]?\d+[a-z]?[.:]", re.IGNORECASE)

# A table's caption: a line right above it (blank lines between allowed) that ends no sentence and is short,
# as a heading is (qa/structure.py's HEADING_MAX_TOKENS): "Table 1. Landings by species, 2019–2024 (tonnes)".
CAPTION_MAX_TOKENS = 25


def table_caption(text: str, table_begins: int) -> Span | None:
    """The span of the caption of the table that begins at `table_begins` in the text, or None."""
    before = text[:table_begins].rstrip()
    line_start = before.rfind("\n") + 1
    while line_start and TABLE_RULE.match(before[line_start:]):  # a grid table's top rule
        before = before[:line_start].rstrip()
        line_start = before.rfind("\n") + 1
    line = before[line_start:].strip()
    if not line or TABLE_ROW.match(line) or TABLE_RULE.match(line) or ends_sentence(line):
        return None
    if approx_tokens(line) > CAPTION_MAX_TOKENS:
        return None
    return line_start + (len(before[line_start:]) - len(before[line_start:].lstrip())), len(before)


def row_read_under_header(text: str, row_start: int, row_end: int) -> str | None:
    """A table's row as a sentence that says what each of its cells is, after the table's caption: "Landings
    by species, 2019–2024 (tonnes): Spiny lobster — 2019: 2,140; 2020: 1,760; …". A row of numbers under a
    header of years says little to a question on one of them: embedded so, a probe's "How many tonnes of spiny
    lobster were landed in 2022?" met the row at a cosine of 0.82 (MiniLM), where the row pooled from its
    table's passage met it at 0.39 and a press release's sentence on 2022's landings at 0.55. None for what is
    no table row below a header (the header row itself, a rule, any other text)."""
    if not TABLE_ROW.match(text, row_start) or TABLE_RULE.match(text[row_start:row_end]):
        return None
    begins = table_start(text, row_start)
    if begins >= row_start:
        return None
    read = [line for line in table_rows_read(text[begins:row_end].split("\n")) if line.strip()]
    if len(read) < 2:
        return None
    header, row = ([cell.strip() for cell in line.strip()[1:-1].split("|")] for line in (read[0], read[-1]))
    if len(header) != len(row):
        cells = "; ".join(cell for cell in row if cell)
    else:
        cells = f"{row[0]} — " + "; ".join(f"{name}: {cell}" for name, cell in zip(header[1:], row[1:]) if cell)
    caption = table_caption(text, begins)
    return f"{text[caption[0]:caption[1]]}: {cells}" if caption else cells
