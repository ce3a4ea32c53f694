"""Editions: one publication issued year after year (annual reports); a question is answered from the edition
of the year it asks about, or from the latest.

Editions repeat most of their sentences with other figures, so a question on 2023 meets the 2022 and 2024
paragraphs as closely as the 2023 one, and a question that names no year meets whichever ranks first. A new-user
probe's three annual reports answered 14 of 24 questions on one year (the rest were refused as "about other
years", the right edition's paragraph ranked fifth or lower), and 3 of 10 questions that name no year
("Who is the park's director?") from the latest edition.

Documents are editions of one publication when their titles (or, untitled, their file names) read the same once
their years are taken out, and their years differ; a document's edition is the last year its title names.

- A question that names a year meets the documents whose title names that year before those whose title names
  another (`in_asked_year`), unless their text names the year asked too. This holds for any document titled by
  its year, translations included: a Chinese question on 2023 met the Chinese 2024 report first.
- Among the passages a question ranks first, one from another edition than the one asked (the year's, or the
  latest when the question names none) gives its place to its counterpart in the asked edition
  (`in_asked_edition`): the chunk of that edition closest to it in MiniLM's set, closest both ways, at
  `COUNTERPART_COSINE` or more, when the question ranks the counterpart near it (`COUNTERPART_SCORE_SHARE`). A
  passage with no counterpart, or with one that lacks what was asked (the 2023 paragraph that adds the cave's
  reopening to the visitor centre's figures), keeps its place.
- A translation is one of the same edition (`same_edition`, qa/translations.py).

Tuning set `editions` (a new-user probe's three annual reports, the Chinese 2024 one and two neighbours, 93
questions): recall@1 0.55 -> 0.79, right sentence cited 71 -> 82 %, another document cited 14 -> 5 %, answerable
answered 77 -> 96 %, near-topic refused 67 -> 58 % (`bench/tune_quality.py --sets editions`); every other
tuning set printed the same but the grassland's answerable answered, 91 -> 93 %.
"""

from __future__ import annotations

import re
from pathlib import PurePath
from typing import NamedTuple

import numpy as np

from qa.answer_types import YEAR, asking_part, years_asked, years_spanned
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
NOT_TITLE = re.compile(r"[\W_]+")


class Dated(NamedTuple):
    """What a document's title (or, untitled, its file name) says of its years."""

    publication: str  # the name without its years
    year: int  # its edition: the last year named
    covers: frozenset[str]  # the years it is about: those named, each year of a span included ("2016–2025")


def edition_years(index: StoredIndex) -> dict[str, Dated]:
    """Each document that names a year in its title (or, untitled, in its file name), read once per build."""
    if "edition years" not in index.cache:
        first_chunks = {}
        for chunk in index.chunks:
            first_chunks.setdefault(chunk.source, chunk)
        found = {}
        for source, chunk in first_chunks.items():
            title = chunk.title or chunk.section.split(" > ")[0]
            named = title if YEAR.search(title) else PurePath(source).stem
            years = YEAR.findall(named)
            publication = NOT_TITLE.sub(" ", YEAR.sub(" ", named)).strip().lower()
            if years and publication:
                found[source] = Dated(publication, int(years[-1]), frozenset(years_spanned(named)))
        index.cache["edition years"] = found
    return index.cache["edition years"]


def editions(index: StoredIndex) -> dict[str, dict[int, str]]:
    """Each document's editions by year (itself included), for documents with an edition of another year;
    read once per build."""
    if "editions" not in index.cache:
        by_publication: dict[str, dict[int, list[str]]] = {}
        for source, (publication, year, _) in edition_years(index).items():
            by_publication.setdefault(publication, {}).setdefault(year, []).append(source)
        index.cache["editions"] = {
            source: {year: sources[0] for year, sources in years.items()}
            for years in by_publication.values() if len(years) > 1
            for sources in years.values() for source in sources
        }
    return index.cache["editions"]


def edition_asked(asked: set[str], years: dict[int, str]) -> str | None:
    """The edition a question that asks about the years `asked` (`years_asked`) asks about: that of the one
    year, the latest when it names none; None when it names a year no edition has, or several."""
    if not asked:
        return years[max(years)]
    return years.get(int(next(iter(asked)))) if len(asked) == 1 else None


def in_asked_year(index: StoredIndex, query: str, ranked: list[tuple[int, float]]) -> list[tuple[int, float]]:
    """`ranked` with the rows of documents whose title names one other year than the one asked, and whose
    text does not name it, after the others, when a document titled with the year asked ranks too:
    "2023年有多少名志愿者？" met the Chinese 2024 report before the English 2023 one, as a Chinese question meets
    Chinese text first. A title that names a span ("Plan for 2016–2025") dates no single year: counted as dated,
    a fisheries report on 2019–2024 answered "What were Ostrevia's total landings in 2019?", a question on its
    neighbour's figures that had been refused (tuning set `fisheries`)."""
    asked = years_asked(query, asking_part(query))
    if not asked:
        return ranked
    years = {source: dated.year for source, dated in edition_years(index).items() if len(dated.covers) == 1}

    def of_other_year(row: int) -> bool:
        year = years.get(index.chunks[row].source)
        return year is not None and str(year) not in asked and not asked & set(YEAR.findall(index.chunks[row].text))

    if not any(str(years.get(index.chunks[row].source)) in asked for row, _ in ranked):
        return ranked
    return [item for item in ranked if not of_other_year(item[0])] + [item for item in ranked if of_other_year(item[0])]


def in_asked_edition(index: StoredIndex, query: str, ranked: list[tuple[int, float]], k: int) -> list[tuple[int, float]]:
    """`ranked` (rows and scores, best first) with each row that comes before `k` rows are listed and is from
    another edition than the one asked replaced, at its place and score, by its counterpart there when that
    ranks near it (left out when the counterpart is already listed)."""
    by_source = editions(index)
    if not by_source or not ranked:
        return ranked
    scores = dict(ranked)
    asked_years = years_asked(query, asking_part(query))
    result: list[tuple[int, float]] = []
    listed: set[int] = set()
    for row, score in ranked:
        years = by_source.get(index.chunks[row].source)
        if len(result) < k and years:
            asked = edition_asked(asked_years, years)
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
        rows, other_rows = (
            np.array([n for n, chunk in enumerate(index.chunks) if chunk.source == name], dtype=np.int64)
            for name in (source, edition)
        )
        vectors = index.vector_sets["dense"]
        cosines = np.asarray(vectors.chunks[rows]) @ np.asarray(vectors.chunks[other_rows]).T
        closest, closest_back = cosines.argmax(axis=1), cosines.argmax(axis=0)
        index.cache[key] = {
            int(rows[a]): int(other_rows[b])
            for a, b in enumerate(closest)
            if closest_back[b] == a and cosines[a, b] >= COUNTERPART_COSINE
        }
    return index.cache[key]


def same_edition(index: StoredIndex, source: str, other: str) -> bool:
    """Whether two documents are not editions of different years (a translation of the 2024 report translates
    no paragraph of the 2023 one, however alike they read)."""
    years = edition_years(index)
    return source not in years or other not in years or years[source].year == years[other].year
