"""Sections a question names. A report written region by region ("III. Regional Reports > 4. Western Estuary
> (2) Species and habitats", the same sub-parts under each region) says the same things of every region in
the same words. "How many seahorses were counted in the Western Estuary?" names the section "4. Western
Estuary", so a sentence under one of its sibling sections ("3. Southern Lagoons"), or one that names a sibling
and not the Western Estuary, speaks of another region, however alike its words; a probe's report was answered
so with the Southern Lagoons' seahorses. The sibling headings say what counts as the same kind of thing,
where a name's own words do not ("Western Estuary", "Central Bay" and "Island District" share none).

A regulation's "Article 12" is a sibling of every other article of its document, whatever chapter holds it:
headings led by a word and a number (`WORD_LED`) are grouped by that word too. "What does Article 12 say?"
shares no word with the article's own text, so the search looks under a named section as well (qa/search.py).
So is a heading led by an identifier (qa/identifiers.py), by it alone: "TW-E101 Repository locked".
"""

from __future__ import annotations

import re
from collections import OrderedDict
from dataclasses import dataclass

from qa.identifiers import is_identifier, leading_identifier, unknown_identifiers
from qa.lexical import terms
from qa.lines import CHINESE_NUMBER, chinese_number_value, has_cjk
from qa.store import StoredIndex
from qa.titles import documents_named

SECTION_JOIN = " > "  # how qa/chunking.py joins a chunk's heading path
# A heading's numbering, as qa/structure.py's NUMBERED_HEADINGS read it: "III.", "4.", "2.1", "(1)", "一、",
# "（一）", "第三章".
NUMBERING = re.compile(
    rf"^(?:[IVXL]+\.|\d{{1,2}}(?:\.\d+)*[.．、]?|[(（](?:\d+|{CHINESE_NUMBER})[)）]|{CHINESE_NUMBER}、|"
    rf"第(?:{CHINESE_NUMBER}|\d+)(?:部分|[编章节篇条]))\s*"
)
# A heading led by a word and its number, as qa/structure.py's WORD_LED_HEADING reads them ("Article 12",
# "Chapter II Registration", "第二章　河湖保护", "第九条"): the word and number name it, whatever title follows. A
# Chinese chapter's title is no name: a probe's "谁来统一监管河湖保护和节水工作？" was refused as a question on the
# chapter "第二章　河湖保护", its answer being in "第一章　总则".
WORD_LED_NAME = (
    r"(?:(?P<word>article|chapter|section|part|rule|clause|schedule)\s+(?:\d+[a-z]?|[IVXLC]+)\b"
    rf"|第(?:{CHINESE_NUMBER}|\d+)(?P<unit>部分|[编章节篇条]))"
)
WORD_LED = re.compile(rf"^{WORD_LED_NAME}", re.IGNORECASE)
# such a name anywhere in a question, after any Chinese word too: a probe's "通知第十五条规定了什么？"
MENTIONED = re.compile(rf"(?<![A-Za-z]){WORD_LED_NAME}", re.IGNORECASE)
# A Chinese heading's name must be this long to be looked for in a question: a two-character heading (湿地,
# 资金) is a topic word, not a name.
CHINESE_NAME_MIN_CHARACTERS = 3
LOWER_CASE_NAME_WORDS = frozenset({"of", "and", "the", "de", "la"})
# A number a question cites with the word for its kind: "section 4.2", "clause 7", "Step 5", "Appendix A", "part
# III", "§ 12". A procedure numbers its sections "### 4.2 Weather and water conditions" and its clauses "8.3 The
# Biosecurity Officer may close a site…" with no word before them; a new-user probe's "What does section 4.2
# say?" and "What is in Appendix A?" met neither (1 of 12 such questions answered).
CITED = re.compile(
    r"(?P<word>(?<![^\W\d_])(?i:sections?|subsections?|clauses?|paragraphs?|paras?\.?|items?|points?|steps?|articles?|"
    r"rules?|parts?|chapters?|appendix|appendices|annex(?:es)?|schedules?)|§|附录|附件)\s*"
    r"(?P<number>\d{1,3}(?:\.\d+)*[a-z]?|[IVXLC]+|[A-Z])(?![A-Za-z0-9_]|\.\d)"
    # a Chinese standard's clause, "5.2.3条" or "第5.2.3条", and its chapter "第6章" (headed "6 监测方法")
    r"|第?(?P<clause>\d{1,3}(?:\.\d+)+)\s*条|第(?P<chapter>\d{1,2})\s*章"
    # a white paper's part "第三部分", headed "三、统筹推进…" (a probe's 第三部分讲了什么？ quoted a transcript)
    rf"|第(?P<part>{CHINESE_NUMBER})部分"
    # a procedure's step, "第三步", numbered "3." as English steps are (a probe's 两栖动物夜间调查的第三步是什么？)
    rf"|第(?P<step>\d{{1,2}}|{CHINESE_NUMBER})步"
)
# The words that cite any numbered unit, whatever word (or none) it is written with: "section 4.2" is the heading
# "4.2 Weather…" and the clause "4.2 …"; "step 5" is only "Step 5 …".
ANY_UNIT = frozenset({"section", "subsection", "clause", "paragraph", "para", "item", "point", "part", "chapter", "§"})
# A numbered unit as a heading or a paragraph opens: its word, if any, and its number ("Step 5 Leave…", "4.2.1
# Before…", "Appendix A: Data…", "VII. Cooperation", "附录A（规范性）…", "5.2.3　水鸟同步调查…"). A word
# is set apart from its number: "IV. Finance" is part IV, not an "I" numbered V (a probe's "Part IV" was never found).
UNIT = re.compile(
    r"^[ \t\u3000]*(?:(?P<word>[A-Za-z]+(?=[ \t])|§|附录|附件)[ \t]*)?"
    rf"(?P<number>\d{{1,3}}(?:\.\d+)*[a-z]?|[IVXLC]+|[A-Z]|{CHINESE_NUMBER}(?=、))"
    r"(?:(?P<mark>[.:)．、]|[ \t]*[—–-])?[ \t\u3000]+\S|(?P<bracket>[（(])|(?P<chinese_mark>、)\S)",
    re.MULTILINE,
)
# Another word and a figure ("ward 8"); a letter after any word is no number ("Do I have to pay…?").
WORD_AND_NUMBER = re.compile(r"(?<![^\W\d_])(?P<word>[A-Za-z]{2,})\s+(?P<number>\d{1,3}(?:\.\d+)*[a-z]?)(?![A-Za-z0-9_]|\.\d)")
UNIT_WORDS = {"appendices": "appendix", "annexes": "annex", "附录": "appendix", "附件": "appendix", "条": "article"}
RECENT_QUESTIONS = 64  # the questions whose named sections are kept, per build


def heading_name(heading: str) -> str:
    """What names a heading in a question: "4. The Western Estuary" -> "Western Estuary", "Article 12" and
    "Chapter II Registration" -> "Article 12", "Chapter II"."""
    heading = heading.strip()
    if led := word_led(heading):
        return led[0]
    name = re.sub(r"^the\s+", "", NUMBERING.sub("", heading), flags=re.IGNORECASE).strip()
    return leading_identifier(name) or name  # "TW-E101 Repository locked" -> "TW-E101"


def named_in(name: str, question: str) -> bool:
    """Whether the question names the heading's name: verbatim, and as a name, with its capitals ("the
    Western Estuary", not "western estuaries" nor a topic word such as "Budget" that begins the question). A
    word and its number ("Article 12") are a name however they are written."""
    if has_cjk(name):
        return len(name) >= CHINESE_NAME_MIN_CHARACTERS and name in question
    if name.lower() not in question.lower():
        return False  # most headings, told at the cost of a substring search
    if is_identifier(name):  # "chunk_size_mb", "TW-E101": as written, in any case
        return bool(re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", question, re.IGNORECASE))
    pattern = rf"(?<!\w){re.escape(name)}(?!\w|\.\d)"  # "Article 12.3" names no "Article 12"
    if (led := word_led(name)) and led[0] == name:
        return bool(re.search(pattern, question, re.IGNORECASE))
    words = name.split()
    if not words or not all(word[0].isupper() for word in words if word.lower() not in LOWER_CASE_NAME_WORDS):
        return False
    found = [match.start() for match in re.finditer(pattern, question)]
    # A single capitalised word that begins a sentence is capitalised for the sentence, not as a name.
    return any(len(words) > 1 or not re.search(r"(?:^|[.?!。？！]\s*)$", question[:start]) for start in found)


@dataclass(frozen=True)
class Group:
    """Sibling headings of one document: those under one parent path, or those led by one word ("article")."""

    source: str
    parent: tuple[str, ...] | None
    word: str | None
    names: frozenset[str]

    def name_at(self, path: tuple[str, ...]) -> str | None:
        """The name of the heading of this group that the path runs through, if any."""
        if self.word is not None:
            return next((led[0] for heading in path if (led := word_led(heading)) and led[1] == self.word), None)
        if path[: len(self.parent)] == self.parent and len(path) > len(self.parent):
            return heading_name(path[len(self.parent)])
        return None


@dataclass(frozen=True)
class NamedSections:
    """The sibling groups in which the question names a heading, each with the names it names."""

    groups: tuple[tuple[Group, frozenset[str]], ...]
    missing: tuple[str, ...] = ()  # names such as "Article 40" that no heading of their kind in the build has
    # Where each numbered unit the question cites opens (`cited_units`): (document, chunk row, offset in its text).
    cited: tuple[tuple[str, int, int], ...] = ()
    cited_words: tuple[str, ...] = ()  # how the question cites them: "section 4.2"

    def openings(self, index: StoredIndex) -> dict[str, tuple[int, int]]:
        """Where each document's named or cited unit opens, as (chunk row, offset in its text): the first chunk
        under a named section (one that heads others too: "大气环境部分说了什么？" of a bulletin whose "一、大气环境"
        opens with "（一）环境空气质量"), or the line a cited number opens."""
        found: dict[str, tuple[int, int]] = {}
        for source, row, offset in self.cited:
            found.setdefault(source, (row, offset))
        for row in sorted(self.rows(index)) if self.groups else []:
            found.setdefault(index.chunks[row].source, (row, 0))
        return found

    def opening_source(self, index: StoredIndex, query: str, ranked: list[str]) -> str | None:
        """Of the documents where a named or cited unit opens, the one ranked first (`ranked`: documents in the
        order the search or the ranker puts them), unless the first cited unit sits under a heading that shares
        more of the question's words: "step 3 of cleaning the fluff filter" is the item under "6.1 Cleaning the
        fluff filter", not a quick-start card's third step (a probe's manual)."""
        openings = self.openings(index)
        first = next((source for source in ranked if source in openings), next(iter(openings), None))
        if not self.cited or first is None or self.cited[0][0] == first:
            return first
        asked = {term[:4] for term in terms(query)}
        cited_source = self.cited[0][0]
        overlap = lambda source: heading_overlap(asked, index.chunks[openings[source][0]].section)  # noqa: E731
        return cited_source if overlap(cited_source) > overlap(first) else first

    def elsewhere(self, source: str, section: str, text: str, passage_text: str = "") -> str | None:
        """The sibling of a named section that a passage of `source` under `section` sits under, in that
        section's document, or that the text (a sentence of the passage, `passage_text`) names when it names
        none of the named sections; None when neither. An article under another that names the one asked
        about anywhere in the passage is about it: "第二十五条　违反本条例第十三条规定，…；逾期不改正的，处…罚款"."""
        path = section_path(section)
        for group, named in self.groups:
            under = group.name_at(path) if group.source == source else None
            if group.word:
                # "违反本条例第十七条规定的，处…罚款" under another article speaks of the one named, and "as
                # required by Article 7" is not about Article 7
                if under and under not in named and not any(named_in(name, passage_text or text) for name in named):
                    return under
                continue
            if under and under not in named:
                return under
            mentioned = sorted(name for name in group.names - named if named_in(name, text))
            if mentioned and not any(named_in(name, text) for name in named):
                return mentioned[0]
        return None

    def holds(self, source: str, section: str) -> bool:
        """Whether a passage of `source` under `section` sits under a section the question names."""
        path = section_path(section)
        return any(group.source == source and group.name_at(path) in named for group, named in self.groups)

    def is_named(self, source: str, section: str) -> bool:
        """Whether `section` itself, its last heading, is one the question names (not a section inside it)."""
        path = section_path(section)
        for group, named in self.groups:
            if group.source != source or not path:
                continue
            if group.word is not None and group.name_at(path[-1:]) in named:
                return True
            if group.word is None and len(path) == len(group.parent) + 1 and group.name_at(path) in named:
                return True
        return False

    def rows(self, index: StoredIndex) -> list[int]:
        """The rows of the build's chunks that sit under a section the question names."""
        sources = {group.source for group, _ in self.groups}
        return [
            row
            for (source, section), rows in rows_by_section(index).items()
            if source in sources and self.holds(source, section)
            for row in rows
        ]

    def names(self) -> list[str]:
        return sorted({name for _, named in self.groups for name in named})


def named_sections(question: str, index: StoredIndex) -> NamedSections:
    """The sections of the build that the question names (`named_in`), in groups of two headings or more; read
    once per question and build (the search, the evidence stage and the answer each ask)."""
    recent = index.cache.setdefault("named_sections", OrderedDict())
    named = recent.get(question)
    if named is None:
        named = recent[question] = read_named_sections(question, index)
        while len(recent) > RECENT_QUESTIONS:
            try:
                recent.popitem(last=False)
            except KeyError:  # another thread asking at the same time emptied it first
                break
    return named


def read_named_sections(question: str, index: StoredIndex) -> NamedSections:
    found = []
    for group in section_groups(index):
        named = frozenset(
            name for name in group.names
            if named_in(name, question) and (group.word is not None or not used_throughout(index, group, name))
        )
        if named and len(group.names) > len(named):
            found.append((group, named))
    # a question that names its document ("Article 23 of the Wildlife Protection Law") asks of its sections only
    titled = documents_named(question, index)
    cited, cited_words, cited_headings, uncited = cited_units(question, index)
    if titled:
        found = [(group, named) for group, named in found if group.source in titled]
        cited = tuple(place for place in cited if place[0] in titled)
        cited_headings = tuple(place for place in cited_headings if place[0] in titled)
    # a cited heading is named as its name would name it: "How many new trees does ward 8 get?" is not answered
    # from ward 2's section, as "… Old Quarry get?" is not
    for source, path in cited_headings:
        group = next((group for group in section_groups(index)
                      if group.source == source and group.word is None and group.parent == path[:-1]), None)
        name = heading_name(path[-1])
        if group is None or len(group.names) < 2:
            continue
        at = next((at for at, (known, _) in enumerate(found) if known == group), None)
        if at is None:
            found.append((group, frozenset({name})))
        else:
            found[at] = (group, found[at][1] | {name})
    kinds = word_led_names(index, titled)
    missing = [
        mention.group(0)
        for mention in MENTIONED.finditer(question)
        if (led := word_led(mention.group(0))) and led[1] in kinds and " ".join(led[0].lower().split()) not in kinds[led[1]]
    ] + unknown_identifiers(question, index) + uncited  # "TW-E909" of a guide that lists no such error; "step 8"
    missing = list({name.lower(): name for name in missing}.values())  # "Article 25" is mentioned and cited
    return NamedSections(tuple(found), tuple(missing), cited, cited_words)


def cited_units(question: str, index: StoredIndex) -> tuple[tuple, tuple[str, ...], tuple, list[str]]:
    """Where the numbered units the question cites (`CITED`) open in the build, the citations, the cited
    headings' paths, and the citations of units the build numbers with that word but not with that number ("step
    8" of procedures whose steps end at 6): headings first (the heading "4.2 Weather…" for "section 4.2"), else
    paragraphs. A paragraph opened by a bare number is cited only by a number of two levels or more ("8.3 The
    Biosecurity Officer…", "Article 12.3" of an article's clause "12.3 A resit…"): "section 1" is no list's "1.
    Dredge…". Of one document's units of the same number (two procedures' "Step 4."), the one under a heading
    that shares the most words with the question comes first."""
    headings, paragraphs, paths = numbered_units(index)
    matches = list(CITED.finditer(question))
    citations = [(match.group(0), *cited_as(match)) for match in matches]
    # any other word before a number that heads a section so, as the document writes it: "ward 8" of a strategy
    # whose wards are "### Ward 8 – Old Quarry" (a new-user probe's "What about ward 8?")
    cited_spans = [match.span() for match in matches]
    citations += [
        (match.group(0), word, match.group("number"))
        for match in WORD_AND_NUMBER.finditer(question)
        if (word := unit_word(match.group("word"))) not in ANY_UNIT and (word, match.group("number")) in headings
        and not any(start <= match.start() < end for start, end in cited_spans)
    ]
    if not citations:
        return (), (), (), []
    found: list[tuple[str, int, int]] = []
    named: list[tuple[str, tuple[str, ...]]] = []
    # the latest first: "And ward 2?" after a question on ward 8 is searched joined to it
    citations.sort(key=lambda citation: -question.rfind(citation[0]))
    asked = {term[:4] for term in terms(question)}
    uncited = []
    cited_paths = [[place for key in unit_keys(word, number) for place in paths.get(key, [])] for _, word, number in citations]
    inner, outer = nested_paths(cited_paths)
    for position, ((cited, word, number), places) in enumerate(zip(citations, cited_paths)):
        if position in outer:
            continue  # "Part IV" of "section 2 of Part IV": the unit asked is the "2." under "IV."
        keys = unit_keys(word, number)
        opened = [place for key in keys for place in headings.get(key, [])]
        if inner.get(position):
            places = inner[position]
            opened = [
                place for place in opened
                if any(place[0] == source and section_path(index.chunks[place[1]].section)[: len(path)] == path for source, path in places)
            ]
        named += places
        if not opened:
            keys = keys if "." in number else keys[:1]
            keys += [(None, number)] if "." in number and (None, number) not in keys else []
            opened = [place for key in keys for place in paragraphs.get(key, [])]
        if not opened and word == "step" and not numbered_with("step", (*headings, *paragraphs)):
            # a procedure's steps written as a numbered list: "step 4 of cleaning the plinth filter" is the item
            # "4. Take out the foam filter…" under "6.3 Cleaning the plinth filter" (a probe's manual)
            opened = list(paragraphs.get((None, number), []))
        if not opened and numbers_alike(word, number, (*headings, *paragraphs)):
            uncited.append(cited)
        found += sorted(opened, key=lambda place: (-heading_overlap(asked, index.chunks[place[1]].section), place[1]))
    return tuple(dict.fromkeys(found)), tuple(cited for cited, _, _ in citations), tuple(dict.fromkeys(named)), uncited


def cited_as(match: re.Match) -> tuple[str, str]:
    """A `CITED` citation's (word, number): "section 4.2" ("section", "4.2"), "5.2.3条" ("clause", "5.2.3"),
    "第6章" ("chapter", "6"), "第三部分" ("part", "三"), "第三步" ("step", "3")."""
    for word in ("clause", "chapter", "part"):
        if match.group(word):
            return word, match.group(word)
    if step := match.group("step"):
        return "step", step if step.isdigit() else str(chinese_number_value(step))
    return unit_word(match.group("word")), match.group("number")


def unit_keys(word: str, number: str) -> list[tuple[str | None, str]]:
    """The (word, number) keys a citation may be numbered by: "section 4.2" is also the bare "4.2"."""
    return [(word, number), *([(None, number)] if word in ANY_UNIT else [])]


def nested_paths(cited_paths: list[list[tuple[str, tuple[str, ...]]]]) -> tuple[dict[int, list], set[int]]:
    """Of citations' heading paths, those inside another citation's ("section 2 of Part IV": the "2." under
    "IV."), by citation, and the citations that hold them; a probe's question was looked for in every "2."."""
    inner: dict[int, list] = {}
    outer: set[int] = set()
    for number, places in enumerate(cited_paths):
        for other, around in enumerate(cited_paths):
            if other == number:
                continue
            held = [
                (source, path) for source, path in places
                if any(source == outside and len(path) > len(prefix) and path[: len(prefix)] == prefix for outside, prefix in around)
            ]
            if held:
                inner.setdefault(number, []).extend(held)
                outer.add(other)
    return inner, outer - set(inner)


ROMAN = re.compile(r"[IVXLC]+")
CHINESE_NUMERALS = re.compile(CHINESE_NUMBER)


def numbers_alike(word: str, number: str, units) -> bool:
    """Whether the build numbers units as a citation it does not hold would be: "step 8" of procedures numbered by
    "Step N", or "clause 4.7" (any unit's word, two levels or more) of a handbook whose clauses run "4.1 …" to
    "4.6 …" and "6.2.1 …" (a probe's, whose missing clauses were answered with the one paragraph that says
    "clause"), or "Part VIII" of parts numbered "I." to "VI.". A single figure cited by such a word is left alone:
    "part 2" may be a "Part II"."""
    if word == "step" and not numbered_with("step", units):
        return any(key[0] is None and "." not in key[1] and key[1].isdigit() for key in units)  # list items
    if word not in ANY_UNIT:
        return numbered_with(word, units)
    for numeral in (ROMAN, CHINESE_NUMERALS):
        if numeral.fullmatch(number):
            return any(numeral.fullmatch(key[1]) for key in units)  # "Part VIII" of parts ending at "VI.", 第七部分
    depth = number.count(".")
    return depth > 0 and any(key[1].count(".") == depth and key[1][0].isdigit() for key in units)



def numbered_with(word: str, units) -> bool:
    """Whether the build numbers units with that word ("Step 4 …"), among (word, number) keys."""
    return any(key[0] == word for key in units)


def heading_overlap(asked: set[str], section: str) -> int:
    """How many of the question's words (their first four letters: "exam" of "examination") a heading path holds."""
    return len(asked & {term[:4] for term in terms(section)})


def unit_word(word: str | None) -> str | None:
    """A unit's word as one form: "Sections" -> "section", "Paras." -> "para", "appendices" and "附录" -> "appendix"."""
    if word is None:
        return None
    word = word.lower().rstrip(".")
    return UNIT_WORDS.get(word, word[:-1] if word.endswith("s") and word != "§" else word)


def unit_key(match: re.Match) -> tuple[str | None, str] | None:
    """A numbered unit's (word, number); None for a sentence that opens with "A" or "I" (a letter is a unit's
    number only after a word or before a mark: "Appendix A", "B. Methods")."""
    word, number = unit_word(match.group("word")), match.group("number")
    if word is None and number.isascii() and number.isalpha() and not (match.group("mark") or match.group("bracket")):
        return None
    return word, number


def numbered_units(index: StoredIndex) -> tuple[dict, dict, dict]:
    """The build's numbered headings and numbered paragraphs, by (word, number): where each opens, as (document,
    chunk row, offset), a heading with the first chunk under it; and each numbered heading's path, as (document,
    heading path). Once per build."""
    if "numbered units" not in index.cache:
        headings: dict[tuple[str | None, str], list[tuple[str, int, int]]] = {}
        paragraphs: dict[tuple[str | None, str], list[tuple[str, int, int]]] = {}
        paths: dict[tuple[str | None, str], list[tuple[str, tuple[str, ...]]]] = {}
        seen: set[tuple[str, tuple[str, ...]]] = set()
        for row, chunk in enumerate(index.chunks):
            path = section_path(chunk.section)
            for depth in range(len(path)):
                if (chunk.source, path[: depth + 1]) in seen:
                    continue
                seen.add((chunk.source, path[: depth + 1]))
                # "4.2 Weather…" is numbered 4.2; "4. Stage 2: review" is also its section's "Stage 2"
                for heading in dict.fromkeys((path[depth], heading_name(path[depth]))):
                    if (match := UNIT.match(heading)) and (key := unit_key(match)):
                        headings.setdefault(key, []).append((chunk.source, row, 0))
                        paths.setdefault(key, []).append((chunk.source, path[: depth + 1]))
            for match in UNIT.finditer(chunk.text):
                if key := unit_key(match):
                    opens = match.start("word") if match.group("word") else match.start("number")
                    paragraphs.setdefault(key, []).append((chunk.source, row, opens))
        index.cache["numbered units"] = (headings, paragraphs, paths)
    return index.cache["numbered units"]


def used_throughout(index: StoredIndex, group: Group, name: str) -> bool:
    """Whether a heading's name is a term its document uses throughout rather than the name of its section: more
    of the document's chunks outside the section say it than inside. A contract's heading "3. The Services"
    names what every clause speaks of (16 chunks outside it, 2 inside), so "What is the day rate for project
    work outside the Services?" was refused as a question on that clause; a report's regions are named 1-3
    times outside their sections and 4-5 times inside (tuning set `coastal`). Once per name and build."""
    key = ("used throughout", group.source, group.parent, name)
    if key not in index.cache:
        pattern = re.compile(rf"(?<!\w){re.escape(name)}(?!\w)")
        inside = outside = 0
        for (source, section), rows in rows_by_section(index).items():
            if source != group.source:
                continue
            under = group.name_at(section_path(section)) == name
            for row in rows:
                text = index.chunks[row].text
                if name in text and pattern.search(text):
                    inside, outside = (inside + 1, outside) if under else (inside, outside + 1)
        index.cache[key] = outside > inside
    return index.cache[key]


def section_groups(index: StoredIndex) -> list[Group]:
    """Every document's sibling headings, once per build."""
    if "section_groups" not in index.cache:
        by_parent: dict[tuple[str, tuple[str, ...]], set[str]] = {}
        by_word: dict[tuple[str, str], set[str]] = {}
        for path, source in {(section_path(chunk.section), chunk.source) for chunk in index.chunks}:
            for depth, heading in enumerate(path):
                if name := heading_name(heading):
                    by_parent.setdefault((source, path[:depth]), set()).add(name)
                if led := word_led(heading):
                    by_word.setdefault((source, led[1]), set()).add(led[0])
        index.cache["section_groups"] = [
            *(Group(source, parent, None, frozenset(names)) for (source, parent), names in by_parent.items()),
            *(Group(source, None, word, frozenset(names)) for (source, word), names in by_word.items()),
        ]
    return index.cache["section_groups"]


def rows_by_section(index: StoredIndex) -> dict[tuple[str, str], list[int]]:
    """The chunk rows of each (document, section) of the build, once per build."""
    if "rows_by_section" not in index.cache:
        rows: dict[tuple[str, str], list[int]] = {}
        for row, chunk in enumerate(index.chunks):
            rows.setdefault((chunk.source, chunk.section), []).append(row)
        index.cache["rows_by_section"] = rows
    return index.cache["rows_by_section"]


def word_led_names(index: StoredIndex, sources: frozenset[str] = frozenset()) -> dict[str, set[str]]:
    """Every name led by a word and its number in the build, by that word ("article": {"article 12", …}),
    lower-cased and single-spaced; of the documents `sources` when any of them has such names, else of all.
    Once per build and documents."""
    key = ("word_led_names", sources)
    if key not in index.cache:
        kinds: dict[str, set[str]] = {}
        for group in section_groups(index):
            if group.word is not None and (not sources or group.source in sources):
                kinds.setdefault(group.word, set()).update(" ".join(name.lower().split()) for name in group.names)
        index.cache[key] = kinds if kinds or not sources else word_led_names(index)
    return index.cache[key]


def section_path(section: str) -> tuple[str, ...]:
    return tuple(section.split(SECTION_JOIN)) if section else ()


def word_led(heading: str) -> tuple[str, str] | None:
    """A heading led by a word and its number: that name ("Article 12", "第九条") and its word ("article", "条")."""
    match = WORD_LED.match(heading.strip())
    return (match.group(0), (match.group("word") or match.group("unit")).lower()) if match else None
