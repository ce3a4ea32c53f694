"""Names a question writes that the documents do not hold, or not where the answer is.

A capitalised word inside a question's sentence is a name, or a word of one ("Brindlecove", "Pellan Peatlands
National Park"). One that no chunk of the build writes names something the documents do not hold: "How many
vessels are registered at the port of Brindlecove?" of a fisheries report that never names the port was answered
with another port's count. A proper name (a word the documents write only capitalised: "Orvandy", not "Park",
"May" or "Python", which they also write in lower case) that the documents hold, but not around the sentence
about to be quoted, marks a question that joins two things the documents never speak of together: "How much money
has the National Wetland Restoration Fund given to projects in Orvandy Province?" was answered with the fund's
total. A letter after a word tells one of a kind ("hepatitis A" of a schedule that lists hepatitis B; "Grade C" of
a clause on "Grades A and B"); an acronym the documents spell out ("GMOs") is written. A Chinese question is read
for the provinces, cities and counties it names, by their suffix ("嵘江省", "青崖市"). Measured on the tuning sets and six new-user probes
(docs/quality-log.md, "Names the question writes", 2026-12-07).
"""

from __future__ import annotations

import calendar
import re

from qa.identifiers import is_identifier
from qa.lexical import STOPWORDS, chinese_segmenter, is_common_word
from qa.lines import LOWER, UPPER, has_cjk
from qa.section_names import CITED
from qa.store import StoredIndex

CAPITALISED = re.compile(rf"(?<![\w'’&-])[{UPPER}][{UPPER}{LOWER}0-9]*(?:['’&-][{UPPER}{LOWER}0-9]+)*")
# What an apostrophe ends a word with: a possessive, or a verb after a pronoun ("I'm", "We've").
ENDING = re.compile(r"['’][a-z]{1,2}$")
# A letter that tells one of a kind from the others: "hepatitis A", "Zone D", "Plan B".
DESIGNATION = re.compile(r"(?<![\w'’&-])(?P<kind>[A-Za-z][a-z]+)[ -](?P<letter>[A-HJ-Z])(?![\w'’&.-])")
LETTER = r"(?-i:[A-HJ-Z])(?![a-z])"  # one such letter in a list or a range: "Grades C and D", "Zones A–C"
# An acronym ("GP", "BCG", "GMOs"), which documents may spell out ("genetically modified organisms").
ACRONYM = re.compile(r"(?P<letters>[A-Z]{2,6})s?")
SENTENCE_START = re.compile(r"(?:^|[.!?]\s+)\W*$")
# Months and weekdays are dates, which documents also write in figures ("2024-03-12", "12/03"), not names.
CALENDAR_WORDS = frozenset(
    word for word in (*calendar.month_name, *calendar.month_abbr, *calendar.day_name, *calendar.day_abbr) if word
)
# Letters and figures apart: a PDF's superscripts run into the word before them ("Priya Raghunathan2", a
# probe's affiliations), which then never wrote the name a question asks about.
WORD = re.compile(rf"[{LOWER}]+|[0-9]+")
TOKEN = re.compile(rf"[{LOWER}0-9]+")  # a word as a question writes it: "P4" is no "P1" of a table
LOWER_CASE_WORD = re.compile(rf"(?<![{UPPER}{LOWER}])[{LOWER}]+")


def words_of(text: str) -> set[str]:
    """The text's words, letters and figures apart ("raghunathan", "2") and together ("p4", "raghunathan2")."""
    lowered = text.lower()
    return set(WORD.findall(lowered)) | set(TOKEN.findall(lowered))


def written_words(index: StoredIndex) -> tuple[frozenset[str], frozenset[str]]:
    """Every word the build writes in lower case, and those it writes in lower case somewhere, once per build."""
    if "written words" not in index.cache:
        text = index.written_text()
        index.cache["written words"] = (frozenset(words_of(text)), frozenset(LOWER_CASE_WORD.findall(text)))
    return index.cache["written words"]


def word_forms(word: str) -> set[str]:
    """The forms a document may write a question's word in: "Conventions" as "convention", "Ranger" as "rangers"."""
    forms = {word, word + "s", word + "es"}
    if word.endswith("s"):
        forms.add(word[:-1])
    if word.endswith("es"):
        forms.add(word[:-2])
    if word.endswith("ies"):
        forms.add(word[:-3] + "y")
    return forms


def question_names(question: str) -> list[list[str]]:
    """The names inside the question's sentences, each as its run of capitalised words ("Pellan Peatlands National
    Park"), possessives cut: "Valdemar" and "Biosafety Act" of "Valdemar's Biosafety Act". A letter alone is no
    name ("I'm", "A&E" is read whole); one after a word tells one of a kind (`DESIGNATION`)."""
    runs: list[list[str]] = []
    joins = False
    cited = cited_spans(question)
    for match in CAPITALISED.finditer(question):
        word = ENDING.sub("", match.group(0))
        if (
            SENTENCE_START.search(question[: match.start()]) or is_identifier(word) or word in CALENDAR_WORDS
            or len(word) == 1 or within(match.start(), cited)
        ):
            joins = False
            continue
        if joins and question[previous_end : match.start()] == " ":
            runs[-1].append(word)
        else:
            runs.append([word])
        joins, previous_end = word == match.group(0), match.end()
    return runs


def cited_spans(question: str) -> list[tuple[int, int]]:
    """Where the question cites a numbered unit ("Part V", "Section 4.2", "Appendix A"): no name and no one of a
    kind told by a letter, but a unit that qa/section_names.py looks up (and refuses when no heading numbers it
    so). A probe's "What does Part V say about citizen science?" was refused as naming "Part" and "Part V"."""
    return [match.span() for match in CITED.finditer(question)]


def within(offset: int, spans: list[tuple[int, int]]) -> bool:
    return any(start <= offset < end for start, end in spans)


def missing_from(word: str, words: set[str] | frozenset[str]) -> bool:
    """Whether a part of the word of two letters or more is missing from `words` in all its forms."""
    return any(len(part) > 1 and not word_forms(part) & words for part in TOKEN.findall(word.lower()))


def spelled_out(word: str, index: StoredIndex) -> bool:
    """Whether the word is an acronym whose letters begin consecutive words the build writes ("GMO" of
    "genetically modified organisms")."""
    acronym = ACRONYM.fullmatch(word)
    if acronym is None:
        return False
    words = r"[\s-]+".join(f"{letter}\\w*" for letter in acronym.group("letters"))
    return re.search(rf"\b{words}", index.written_text(), re.IGNORECASE) is not None


def unknown_designations(question: str, index: StoredIndex) -> list[str]:
    """The one-of-a-kind letters the question names that the build never writes after their word, alone or in a
    list or range ("Grades C and D"): "hepatitis A" of a schedule that lists hepatitis B."""
    cited = cited_spans(question)
    return [
        match.group(0) for match in DESIGNATION.finditer(question)
        if match.group("kind").lower() not in STOPWORDS and not SENTENCE_START.search(question[: match.start()])
        and not within(match.start(), cited)
        and not names_letter(index.written_text(), match.group("kind"), match.group("letter"))
    ]


def unknown_names(question: str, index: StoredIndex) -> list[str]:
    """The names the question writes with a word the build never writes in any form."""
    written, _ = written_words(index)
    return [
        " ".join(run) for run in question_names(question)
        if any(missing_from(word, written) and not spelled_out(word, index) for word in run)
    ] + unknown_designations(question, index)


def names_away_from(question: str, chunk_id: str, index: StoredIndex) -> list[str]:
    """The names the question writes with a proper name that the chunk `chunk_id` does not write, nor its
    neighbours, headings and title, nor its document's opening (where a report names the country or body it is
    about)."""
    written, lower_case = written_words(index)
    proper = [
        (run, [word for word in run if not missing_from(word, written) and missing_from(word, lower_case)])
        for run in question_names(question)
    ]
    row = index.rows_by_id.get(chunk_id)
    if row is None or not any(words for _, words in proper):
        return []
    source = index.chunks[row].source
    nearby = [index.chunks[near] for near in (row - 1, row, row + 1) if 0 <= near < len(index.chunks)]
    around = words_of("\n".join(
        f"{chunk.title}\n{chunk.section}\n{chunk.text}"
        for chunk in (*nearby, index.first_chunk(source)) if chunk is not None and chunk.source == source
    ))
    return [" ".join(run) for run, words in proper if any(missing_from(word, around) for word in words)]


def designations_asked(question: str) -> list[tuple[str, str]]:
    """The ones of a kind the question tells by a letter ("Grade C", "Zone D"), as (kind in lower case, letter);
    a kind that is a stopword ("a B") tells nothing."""
    cited = cited_spans(question)
    return [
        (match.group("kind").lower(), match.group("letter"))
        for match in DESIGNATION.finditer(question)
        if match.group("kind").lower() not in STOPWORDS and not within(match.start(), cited)
    ]


def letters_named(text: str, kind: str) -> dict[str, set[str]]:
    """Each place a text writes letters after a kind's word, in lists and ranges, with its letters: "Grades C and
    D" {C, D}, "Zones A–C" {A, B, C}, "Grade E" {E}."""
    found: dict[str, set[str]] = {}
    pattern = rf"(?<![\w-]){re.escape(kind)}(?:s|es)?[\s-]+(?P<run>{LETTER}(?:\s*(?:,|and|or|&|/|to|–|-)\s*{LETTER})*)(?![\w'’&.-])"
    for match in re.finditer(pattern, text, re.IGNORECASE):
        run = match.group("run")
        letters = set(re.findall(LETTER, run))
        for first, last in re.findall(rf"({LETTER})\s*(?:to|–|-)\s*({LETTER})", run):
            letters.update(chr(code) for code in range(ord(first), ord(last) + 1))
        found.setdefault(match.group(0), set()).update(letters)
    return found


def names_letter(text: str, kind: str, letter: str) -> bool:
    return any(letter in letters for letters in letters_named(text, kind).values())


def other_ones_told(designations: list[tuple[str, str]], text: str) -> str | None:
    """Where the text names other ones of a kind the question tells by a letter, and not that one ("Grades A and
    B" in "Employees at Grades A and B must give one month's notice", for a question on Grade C: a probe's
    handbook); None when it names the one asked or none of its kind."""
    told = told_apart(designations, text)
    return told[1] if told else None


def told_apart(designations: list[tuple[str, str]], text: str) -> tuple[tuple[str, str], str] | None:
    """The first designation asked (kind, letter) of which the text names only others, with where it names them."""
    for kind, letter in designations:
        named = letters_named(text, kind)
        if named and not any(letter in letters for letters in named.values()):
            return (kind, letter), next(iter(named))
    return None


# A Chinese place of a kind the suffix says: a province, a city, a county ("嵘江省", "青崖市", "图门县"), two to four
# characters before it; "全省", "本市", "地级市" and "多少个市" name none (a probe's "…有多少个市镇？" was refused as
# naming "少个市").
NOT_A_PLACE = re.compile(r"[全本该各每此这那其我级的了和与及在是为从到向对省市县个几少]")
# A suffix that begins a word of its own is none: "省级", "省会", "市场", "县长", "市镇".
SUFFIX_BEGINS_WORD = re.compile(r"[级会长委内外属直政场民镇]")


def place_suffixes(question: str) -> list[int]:
    """Where a Chinese question writes 省, 市 or 县 as the end of a place's name, two characters or more after
    its start: not "省级", "市场"."""
    return [
        end for end, character in enumerate(question)
        if character in "省市县" and end >= 2 and not SUFFIX_BEGINS_WORD.match(question, end + 1)
    ]


def place_before(question: str, end: int, length: int) -> str | None:
    """The run of `length` Chinese characters before the suffix at `end`, with it, if it can be a place's name."""
    name = question[end - length : end + 1]
    if end - length < 0 or not re.fullmatch(r"[\u4e00-\u9fff]+", name) or NOT_A_PLACE.search(name[:-1]):
        return None
    return name


def chinese_places(question: str, index: StoredIndex) -> list[str]:
    """The provinces, cities and counties a Chinese question names that the build writes: of the runs that end in
    省, 市 or 县, the shortest the build writes ("澜川省" of "请问澜川省…")."""
    written = index.written_text()
    places = []
    for end in place_suffixes(question):
        for length in range(2, 5):
            name = place_before(question, end, length)
            if name is None:
                break
            if name in written:
                places.append(name)
                break
    return places


def chinese_place_away(question: str, quoted: str, chunk_id: str, index: StoredIndex) -> str | None:
    """The province, city or county a Chinese question names (`chinese_places`) that neither the quote (with the
    sentence before it), its headings nor its document's title and opening write, when that opening names
    another of the same kind: the document is about another place. A probe's "嵘江省有多少名生态护林员？" was
    answered with 澜川省's rangers ("全省选聘生态护林员2.3万名", under a white paper on 澜川省)."""
    row = index.rows_by_id.get(chunk_id)
    if row is None or not has_cjk(question):
        return None
    chunk = index.chunks[row]
    opening = index.first_chunk(chunk.source)
    about = f"{chunk.title}\n{opening.text if opening is not None else ''}"
    for place in chinese_places(question, index):
        if place in f"{quoted}\n{chunk.section}\n{about}":
            continue
        others = {name for name in re.findall(rf"[\u4e00-\u9fff]{{2,3}}{place[-1]}", about) if not NOT_A_PLACE.search(name[:-1])}
        if any(other != place and other in index.written_text() for other in others):
            return place
    return None


def unknown_chinese_places(question: str, index: StoredIndex) -> list[str]:
    """The provinces, cities and counties a Chinese question names that the build never writes, with or without
    their suffix: a probe's "青崖市2023年PM2.5是多少？" was answered with another city's figure."""
    written = index.written_text()
    unknown = []
    for end in place_suffixes(question):
        name = place_before(question, end, 2)
        if name is None:
            continue
        # a common word ending in the suffix is no place's name: "城市", "超市", "节省"; "州市" and "江省" are tails of names
        if is_common_word(name[-2:]) or is_common_word(name[:-1]):
            continue  # "大城市", "新超市"
        if not any(question[start:end] in written for start in range(max(end - 4, 0), end - 1)):
            unknown.append(place_named(question, end) or name)
    return unknown


def place_named(question: str, end: int) -> str | None:
    """The whole name before the suffix at `end`, when jieba cuts a word of two characters or more right before it:
    "瓦尔纳省", not the two characters before the suffix, "尔纳省" (a probe's refusal named the latter)."""
    at = 0
    for word in chinese_segmenter().lcut(question):
        at += len(word)
        if at == end:
            return f"{word}{question[end]}" if len(word) >= 2 and re.fullmatch(r"[\u4e00-\u9fff]+", word) else None
        if at > end:
            return None
    return None
