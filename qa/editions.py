"""Editions: one publication issued year after year, or meeting after meeting (annual reports, minutes); a
question is answered from the edition of the period it asks about, or from the latest.

Editions repeat most of their sentences with other figures, so a question on 2023 meets the 2022 and 2024
paragraphs as closely as the 2023 one, and a question that names no year meets whichever ranks first. A new-user
probe's three annual reports answered 14 of 24 questions on one year (the rest were refused as "about other
years", the right edition's paragraph ranked fifth or lower), and 3 of 10 questions that name no year
("Who is the park's director?") from the latest edition.

Documents are editions of one publication when their titles (or, untitled, their file names) read the same once
their dates are taken out, and their dates differ (`qa.periods.document_period`: a year, a month, a quarter, a
day).

- A question that names a period meets the documents dated to it before those dated to another within one year
  (`in_asked_period`), unless their text names the year asked too. This holds for any dated document,
  translations included: a Chinese question on 2023 met the Chinese 2024 report first.
- Among the passages a question ranks first, one from another edition than the one asked (the period's, or the
  latest when the question names none) gives its place to its counterpart in the asked edition
  (`in_asked_edition`): the chunk of that edition closest to it in MiniLM's set, closest both ways, at
  `COUNTERPART_COSINE` or more, when the question ranks the counterpart near it (`COUNTERPART_SCORE_SHARE`). A
  passage with no counterpart, or with one that lacks what was asked (the 2023 paragraph that adds the cave's
  reopening to the visitor centre's figures), keeps its place.
- A translation is one of the same edition (`same_edition`, qa/translations.py).
- Chinese editions are paired in the multilingual vector set, which reads Chinese; MiniLM's reads English.

Tuning set `editions` (a new-user probe's three annual reports, the Chinese 2024 one and two neighbours, 93
questions): recall@1 0.55 -> 0.79, right sentence cited 71 -> 82 %, another document cited 14 -> 5 %, answerable
answered 77 -> 96 %, near-topic refused 67 -> 58 % (`bench/tune_quality.py --sets editions`); every other
tuning set printed the same but the grassland's answerable answered, 91 -> 93 %.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import partial
from pathlib import PurePath

import numpy as np

from qa.answer_types import YEAR, turns_of, years_spanned
from qa.dense import closest_both_ways
from qa.lines import CHINESE_NUMBER, chinese_number_value
from qa.periods import Period, asked_months, covers_asked, document_period, months_named
from qa.store import StoredIndex

# Between any two of the three reports of the tuning set `editions` (2026-12-07), 35 or 36 of their 40 chunks pair
# closest both ways, at 0.75-0.99 (between 2022 and 2024 each pair is a paragraph and its next edition, under the
# same heading); a chunk that pairs with none comes as close as 0.64-0.80 to its closest, so closest both ways
# is what tells, and the floor only keeps leftovers apart.
COUNTERPART_COSINE = 0.75
# A counterpart takes a passage's place when it scores at least this share of the passage's score. Tuning set
# `editions`: the counterparts of the paragraphs that answer its questions score 0.95-1.07 of them ("Who is the
# park's director?": 0.504 against 0.531); the 2023 paragraph that alone tells of the cave's reopening has a
# counterpart outside the first 40 of "When did Lantern Cave reopen?".
COUNTERPART_SCORE_SHARE = 0.9
# "version 3.1", "v3.1", "the previous version": a procedure or a policy dated by its effective date and titled by
# its version (a new-user probe's "What was the soak time in the previous version?" quoted the current one).
VERSION_ASKED = re.compile(
    r"\b(?:version|v\.?)\s*(\d+(?:\.\d+)+|\d+)\b|\b(?:previous|earlier|old|older|former|superseded)\s+(?:version|edition)\b",
    re.IGNORECASE,
)
# "the eighth meeting", "the 8th meeting", "第八次会议": minutes titled by their meeting's number ("Minutes of the
# Eighth Meeting") and dated by their file names; a new-user probe's "Who chaired the ninth meeting?" quoted the
# latest minutes or another's (11 answers), where the same question by date was answered from the right ones.
ORDINAL_WORDS = (
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth fourteenth "
    "fifteenth sixteenth seventeenth eighteenth nineteenth twentieth"
).split()
ORDINAL = re.compile(
    rf"\b(?P<word>{'|'.join(ORDINAL_WORDS)})\s+(?P<kind>[a-z]+)|\b(?P<figure>\d{{1,3}})(?:st|nd|rd|th)\s+(?P<figure_kind>[a-z]+)"
    rf"|第(?P<chinese>{CHINESE_NUMBER}|\d{{1,3}})(?P<chinese_kind>次|届|期)",
    re.IGNORECASE,
)
SAME_TITLE_WORDS = 0.75  # the share of two titles' words (Jaccard) from which they name one publication
MAX_TITLES_COMPARED = 1_000  # dated titles compared two by two (half a million pairs, a third of a second here)


def document_periods(index: StoredIndex) -> dict[str, Period]:
    """Each document that its title, else its file name, else the date it shows (a web page's date line, or its
    metadata's "date") dates (`qa.periods.document_period`), read once per build."""
    if "document periods" not in index.cache:
        found = {}
        documents = index.manifest.get("documents", {})
        for source, rows in index.document_rows().items():
            chunk = index.chunks[int(rows[0])]
            title = chunk.title or chunk.section.split(" > ")[0]
            shown = str(documents.get(source, {}).get("date") or "")
            named = PurePath(source).stem
            if YEAR.search(title):
                named = title
            elif shown and not YEAR.search(named):
                named = f"{title or named} {shown}"  # what it is, and when: editions share the first
            period = document_period(named)
            if period is not None and period.publication:
                found[source] = period
        index.cache["document periods"] = found
    return index.cache["document periods"]


def editions(index: StoredIndex) -> dict[str, dict[tuple[int, int, int], str]]:
    """Each document's editions by date ((year, month, day), itself included), for documents with an edition of
    another date; read once per build."""
    if "editions" not in index.cache:
        periods = document_periods(index)
        publication = in_series(periods, same_publications(sorted({period.publication for period in periods.values()})))
        by_publication: dict[str, dict[tuple[int, int, int], list[str]]] = {}
        for source, period in periods.items():
            by_publication.setdefault(publication[period.publication], {}).setdefault(period.when, []).append(source)
        index.cache["editions"] = {
            source: {when: sources[0] for when, sources in dates.items()}
            for dates in by_publication.values() if len(dates) > 1
            for sources in dates.values() for source in sources
        }
    return index.cache["editions"]


def in_series(periods: dict[str, Period], publication: dict[str, str]) -> dict[str, str]:
    """`publication` (a title's publication -> the name standing for it) with the documents whose file names read
    the same but for their dates in one publication, whatever their titles: a news archive's
    "2024-01-15-crane-count-2024.md" and "2025-01-13-crane-count-2025.md", titled "Winter crane count 2024: over a
    hundred cranes" and "Winter crane count 2025: a record 131 cranes" (a new-user probe asked "How many cranes
    were counted at the winter crane count?" and was answered from 2024's)."""
    standing = {name: name for name in set(publication.values())}
    root = partial(standing_for, standing)
    first_of_series: dict[str, str] = {}
    for source, period in periods.items():
        named = document_period(PurePath(source).stem)
        if named is None or not named.publication:
            continue
        here = root(publication[period.publication])
        there = root(first_of_series.setdefault(named.publication, here))
        if here != there:
            standing[here] = there
    return {name: root(standing_name) for name, standing_name in publication.items()}


def standing_for(standing: dict[str, str], name: str) -> str:
    """The name that stands for `name` and all those joined with it (`standing` maps each name to the one it was
    joined to, the name standing for its group to itself)."""
    while standing[name] != name:
        name = standing[name]
    return name


def same_publications(names: list[str]) -> dict[str, str]:
    """Each publication's name (a title without its dates) with the name that stands for all those it shares
    at least SAME_TITLE_WORDS of its words with (as sets, any order): a city's reports were titled "City of
    Orrinford: State of the Environment Report 2021", "Orrinford State of the Environment Report 2022" and
    "State of the Environment Report 2023: City of Orrinford" (0.86 of their words alike, a new-user probe)."""
    words = {name: frozenset(name.split()) for name in names}
    if len(names) > MAX_TITLES_COMPARED:  # pair by pair would take minutes: only the same words in any order
        by_words = {}
        return {name: by_words.setdefault(words[name], name) for name in names}
    standing = {name: name for name in names}
    root = partial(standing_for, standing)
    for position, name in enumerate(names):
        for other in names[position + 1 :]:
            shared = len(words[name] & words[other]) / len(words[name] | words[other])
            if shared >= SAME_TITLE_WORDS:
                standing[root(other)] = root(name)
    return {name: root(name) for name in names}


def edition_asked(index: StoredIndex, years: frozenset[str], months: frozenset[int], dated: dict) -> str | None:
    """The edition a question that asks about `years` and `months` (`qa.periods.asked_months`) asks about: the
    one whose period holds them; the latest when it names no period, or names months of no year that several
    hold ("in July", of annual reports); None when no edition holds them, or several hold the years named (a
    question comparing 2022 with 2024)."""
    holding = {when: source for when, source in dated.items() if covers_asked(document_periods(index)[source], years, months)}
    if not holding or (years and len(holding) > 1):
        return None
    return holding[max(holding)]


def version_asked(question: str) -> str | None:
    """The version a question asks about ("3.1" of "under version 3.1", "v3.1"), or "previous" for "the previous
    (earlier, old, former) version"; None when it names none."""
    match = VERSION_ASKED.search(question)
    return None if match is None else (match.group(1) or "previous")


def ordinals_in(text: str) -> set[tuple[int, str]]:
    """The ordinals a text names, each with the word it numbers: "the Eighth Meeting" (8, "meeting"), "8th
    meetings" (8, "meeting"), "第八次会议" (8, "次")."""
    found = set()
    for match in ORDINAL.finditer(text):
        if match.group("word"):
            value, kind = ORDINAL_WORDS.index(match.group("word").lower()) + 1, match.group("kind")
        elif match.group("figure"):
            value, kind = int(match.group("figure")), match.group("figure_kind")
        else:
            numeral = match.group("chinese")
            value, kind = chinese_number_value(numeral), match.group("chinese_kind")
        if value:
            found.add((value, kind.lower().removesuffix("s")))
    return found


def ordinals_asked(question: str) -> tuple[set[tuple[int, str]], ...]:
    """The ordinals of the question's latest turn, then of the whole question (`ordinals_in`)."""
    turns = turns_of(question)
    return ordinals_in(turns[-1] if turns else question), ordinals_in(question)


def title_ordinals(index: StoredIndex, source: str) -> set[tuple[int, str]]:
    """The ordinals a document's title and file name number it by (`ordinals_in`); once per document and build."""
    key = ("title ordinals", source)
    if key not in index.cache:
        rows = index.document_rows()
        index.cache[key] = ordinals_in(f"{index.chunks[int(rows[source][0])].title}\n{PurePath(source).stem}")
    return index.cache[key]


def edition_of_ordinal(index: StoredIndex, asked: tuple[set[tuple[int, str]], ...], dated: dict) -> str | None:
    """Of a publication's editions (`dated`: date -> document), the one whose title numbers it as the question's
    latest turn, else the question, does (`asked`, from `ordinals_asked`: "Who chaired the ninth meeting?" of
    minutes titled "… Minutes of the Ninth Meeting"); None when it names no such ordinal."""
    for ordinals in asked:
        for ordinal in ordinals:
            holding = [source for source in dated.values() if ordinal in title_ordinals(index, source)]
            if len(holding) == 1:
                return holding[0]
    return None


def edition_of_version(index: StoredIndex, version: str, dated: dict) -> str | None:
    """Of a publication's editions (`dated`: date -> document), the one whose title or file name gives the
    version asked ("Version 3.1", "SOP-v3.1.docx"), or the one before the latest for "previous"."""
    if version == "previous":
        return dated[sorted(dated)[-2]] if len(dated) > 1 else None
    named = re.compile(rf"(?<![\d.])(?:v|version\s*){re.escape(version)}(?![\d]|\.\d)", re.IGNORECASE)
    rows = index.document_rows()
    for source in dated.values():
        chunk = index.chunks[int(rows[source][0])]
        if named.search(f"{chunk.title}\n{PurePath(source).stem}"):
            return source
    return None


def in_asked_time(index: StoredIndex, query: str, ranked: list[tuple[int, float]], k: int) -> list[tuple[int, float]]:
    """`ranked` as the period a question asks about (`qa.periods.asked_months`, read once) orders it
    (`in_asked_period`), then with its first `k` rows in the edition asked (`in_asked_edition`): the version
    it names, if it names one."""
    asked = asked_months(query)
    # A question that asks for a time is about no year, but the year it names says which edition: "When was the
    # 2022 winter crane count held?" was answered from 2025's item.
    turns = turns_of(query)
    edition = asked if any(asked) else (frozenset(years_spanned(turns[-1] if turns else query)), frozenset())
    return in_asked_edition(index, edition, in_asked_period(index, asked, ranked), k, version_asked(query), ordinals_asked(query))


def in_asked_period(
    index: StoredIndex, asked: tuple[frozenset[str], frozenset[int]], ranked: list[tuple[int, float]]
) -> list[tuple[int, float]]:
    """`ranked` reordered by what the documents' dates say of the period asked, when a document dated to it ranks:
    first the rows of the documents dated most narrowly to it (a quarter's bulletin before the year's report,
    for a question on a month or a quarter), then the rest; the rows of documents dated to another period within
    one year whose text does not name it (the year asked; for a month or quarter, one of its months) are left
    out, as no evidence of it (`period_order`). Before, "2023年有多少名志愿者？" met the Chinese 2024 report before the English 2023
    one, as a Chinese question meets Chinese text first; "Who sent apologies for the June 2024 board meeting?"
    met the March minutes; "What was the PM2.5 average in Q2 2023?" quoted the first quarter's bulletin, whose
    sentence said "quarter" where the second's said it only in its title. A title that names a span of years
    ("Plan for 2016–2025") dates no single year: counted as dated, a fisheries report on 2019–2024 answered
    "What were Ostrevia's total landings in 2019?", a question on its neighbour's figures that had been refused
    (tuning set `fisheries`)."""
    order = period_order(index, asked, ranked)
    if order is None:
        return ranked
    return sorted((item for item in ranked if order(item[0]) < 2), key=lambda item: order(item[0]))


def period_order(
    index: StoredIndex, asked: tuple[frozenset[str], frozenset[int]], ranked: list[tuple[int, float]]
) -> Callable[[int], int] | None:
    """How a row stands to the period asked (`in_asked_period`): 0 for a row of the documents dated most narrowly
    to it, 1 for another row that may speak of it, 2 for one of a document dated to another period within one
    year that does not name it; None when the question names no period or no ranked document is dated to it."""
    years, months = asked
    if not years and not months:
        return None
    periods = {source: period for source, period in document_periods(index).items() if period.single_year}
    holding = {source for row, _ in ranked if (source := index.chunks[row].source) in periods and covers_asked(periods[source], years, months)}
    if not holding:
        return None
    # dated within a year, as a month's or a quarter's bulletin is; a document of the year is no narrower than one
    # that covers more years, or none
    narrowest = min(len(periods[source].months) for source in holding) if months else 0
    narrowest = narrowest if narrowest < 12 else 0

    def order(row: int) -> int:
        period = periods.get(index.chunks[row].source)
        if period is None:
            return 1
        if covers_asked(period, years, months):
            return 0 if len(period.months) == narrowest else 1
        # its heading path counts: a 2024 work report reviews 2023 under "一、2023年工作回顾" (a probe's)
        text = f"{index.chunks[row].section} {index.chunks[row].text}"
        names_it = months_named(text) & months if months else years & set(YEAR.findall(text))
        return 1 if names_it else 2

    return order


def outside_asked_period(index: StoredIndex, query: str, ranked: list[tuple[int, float]]) -> Callable[[int], bool]:
    """Whether a row is of a document dated to another period than the question's, within one year, and does not
    name it (`period_order`): no evidence of the period asked, wherever it comes from."""
    order = period_order(index, asked_months(query), ranked)
    return (lambda row: False) if order is None else (lambda row: order(row) == 2)


def in_asked_edition(
    index: StoredIndex,
    asked_period: tuple[frozenset[str], frozenset[int]],
    ranked: list[tuple[int, float]],
    k: int,
    version: str | None = None,
    ordinals: tuple[set[tuple[int, str]], ...] = (),
) -> list[tuple[int, float]]:
    """`ranked` (rows and scores, best first) with each row that comes before `k` rows are listed and is from
    another edition than the one asked replaced, at its place and score, by its counterpart there when that
    ranks near it (left out when the counterpart is already listed)."""
    by_source = editions(index)
    if not by_source or not ranked:
        return ranked
    scores = dict(ranked)
    asked_years, asked_months_of_year = asked_period
    result: list[tuple[int, float]] = []
    listed: set[int] = set()
    for row, score in ranked:
        dated = by_source.get(index.chunks[row].source)
        if len(result) < k and dated:
            asked = edition_of_version(index, version, dated) if version else None
            asked = asked or edition_of_ordinal(index, ordinals, dated)
            asked = asked or edition_asked(index, asked_years, asked_months_of_year, dated)
            if asked and asked != index.chunks[row].source:
                counterpart = counterparts(index, index.chunks[row].source, asked).get(row)
                if counterpart in scores and scores[counterpart] >= COUNTERPART_SCORE_SHARE * score:
                    row = counterpart
        if row not in listed:
            result.append((row, score))
            listed.add(row)
    return result


def counterparts(index: StoredIndex, source: str, edition: str) -> dict[int, int]:
    """Each chunk of `source` with its counterpart in `edition`: the two closest to each other in MiniLM's set,
    at `COUNTERPART_COSINE` or more. Found once per pair of documents and build."""
    key = ("counterparts", source, edition)
    if key not in index.cache:
        rows, other_rows = index.document_rows()[source], index.document_rows()[edition]
        # Chinese editions are compared where Chinese is read: MiniLM, which reads English, put a standard's two
        # editions' "6.6.1 无人机飞行高度不超过150 m…" and "…120 m…" closest to other clauses (a new-user probe)
        chinese = bool(index.cjk_rows[rows].mean() > 0.5 and index.cjk_rows[other_rows].mean() > 0.5)
        vectors = index.vector_sets["multilingual" if chinese and "multilingual" in index.vector_sets else "dense"]
        cosines = np.asarray(vectors.chunks[rows]) @ np.asarray(vectors.chunks[other_rows]).T
        index.cache[key] = {
            int(rows[a]): int(other_rows[b]) for a, b, cosine in closest_both_ways(cosines) if cosine >= COUNTERPART_COSINE
        }
    return index.cache[key]


def same_edition(index: StoredIndex, source: str, other: str) -> bool:
    """Whether two documents are not editions of different periods (a translation of the 2024 report translates
    no paragraph of the 2023 one, however alike they read)."""
    periods = document_periods(index)
    return source not in periods or other not in periods or bool(periods[source].months & periods[other].months)
