"""The period a document is dated to by its title or file name, and the period a question asks about: years,
months and quarters, as calendar months.

"Annual Report 2023" covers the twelve months of 2023, "Air Quality Bulletin Q3 2023" July to September,
"minutes-2024-06-18.md" June 2024, "Plan (2016–2025)" every month of ten years. A question covers the months
of the years it names (`qa.answer_types.years_asked`), narrowed by the months or quarters it names ("in June
2024", "the third quarter of 2023", "第三季度", "6月"); a month named without a year is that month of any year.
qa/editions.py reads both.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

from qa.answer_types import ASKS_FOR_TIME, MONTH, YEAR, asking_part, turns_of, years_asked, years_spanned

MONTHS = {name: number for number, name in enumerate(MONTH.strip("(?:)").split("|"), 1)}
# A month by its name, capitalised; "May" only with a day or year after it ("May I bring a dog?").
ENGLISH_MONTH = re.compile(rf"\b({MONTH})\b(?<!May)|\bMay(?=\s+\d)")
CHINESE_MONTH = re.compile(r"(?<![\d.])(1[0-2]|[1-9])\s*月(?!份?[\d])")
CHINESE_DAY = re.compile(r"(?<![\d.])(1[0-2]|0?[1-9])\s*月\s*(?:[12]\d|3[01]|0?[1-9])\s*[日号]")  # "4月13日"
ORDINAL_QUARTER = {"first": 1, "second": 2, "third": 3, "fourth": 4, "一": 1, "二": 2, "三": 3, "四": 4}
QUARTER = re.compile(r"\bQ([1-4])\b|\b(first|second|third|fourth) quarter\b|第?([一二三四1-4])季度", re.IGNORECASE)
ISO_DATE = re.compile(r"(?<!\d)((?:19|20)\d\d)[-_./](0?[1-9]|1[0-2])(?:[-_./](0?[1-9]|[12]\d|3[01]))?(?!\d)")
ENGLISH_DATE = re.compile(
    rf"(?:\b(\d{{1,2}})\s+)?\b({MONTH})\b(?:\s+(\d{{1,2}}),?)?\s+((?:19|20)\d\d)\b", re.IGNORECASE
)
CHINESE_DATE = re.compile(r"((?:19|20)\d\d)\s*年\s*(1[0-2]|0?[1-9])\s*月(?:\s*([12]\d|3[01]|0?[1-9])\s*日)?")
SEPARATORS = re.compile(r"[\W_]+")
Month = tuple[int, int]  # (year, month)
QUARTER_MONTHS = 3


class Period(NamedTuple):
    """What a document's title (or, untitled, its file name) says of when it is."""

    publication: str  # the name without its dates, lower-cased: what its editions share
    when: tuple[int, int, int]  # (year, month, day), 0 where not named: the order of editions
    months: frozenset[Month]  # the calendar months it covers

    @property
    def single_year(self) -> bool:
        return len({year for year, _ in self.months}) == 1


def dates_written(text: str) -> Iterator[tuple[re.Match, int, int, int]]:
    """The first date the text writes in each form (ISO, Chinese, English), with its year, month and day (0 where
    it gives none): "2024-06", "2024年6月12日", "12 June 2024"."""
    for pattern, order in ((ISO_DATE, (1, 2, 3)), (CHINESE_DATE, (1, 2, 3)), (ENGLISH_DATE, (4, 2, 1))):
        match = pattern.search(text)
        if match:
            year, month, day = (match.group(group) for group in order)
            if pattern is ENGLISH_DATE:
                day = match.group(1) or match.group(3)
            yield match, int(year), int(month) if month.isdigit() else MONTHS[month.capitalize()], int(day or 0)


def dated_in(text: str) -> str:
    """The first full date the text writes (a year, its month and day: "2024-06-12", "12 June 2024",
    "2024年6月12日"), as ISO; "" when it writes none."""
    return next((f"{year:04d}-{month:02d}-{day:02d}" for _, year, month, day in dates_written(text) if day), "")


def document_period(named: str) -> Period | None:
    """The period a title or file name dates its document to, or None when it names no year."""
    if date := next(dates_written(named), None):
        match, year, month, day = date
        return Period(publication_of(named, match), (year, month, day), frozenset({(year, month)}))
    years = YEAR.findall(named)
    if not years:
        return None
    quarter = QUARTER.search(named)
    if quarter:
        number = quarter_number(quarter)
        months = frozenset((int(years[-1]), month) for month in range(3 * number - 2, 3 * number + 1))
        return Period(publication_of(named, quarter), (int(years[-1]), 3 * number - 2, 0), months)
    months = frozenset((int(year), month) for year in years_spanned(named) for month in range(1, 13))
    return Period(publication_of(named, None), (int(years[-1]), 0, 0), months)


def publication_of(named: str, date: re.Match | None) -> str:
    """The title or file name without its date and years: "minutes-2024-06-18" -> "minutes"."""
    if date is not None:
        named = named[: date.start()] + " " + named[date.end() :]
    return SEPARATORS.sub(" ", YEAR.sub(" ", named)).strip().lower()


def quarter_number(match: re.Match) -> int:
    """1-4 for "Q3", "third quarter", "第三季度" or "3季度"."""
    number = next(group for group in match.groups() if group)
    return int(number) if number.isdigit() else ORDINAL_QUARTER[number.lower()]


def asked_months(question: str) -> tuple[frozenset[str], frozenset[int]]:
    """The years a question asks about (`years_asked`) and the months it narrows them to (none: all of them):
    those its latest turn names, else its earlier turns'. None of either for a question that asks for a time."""
    asking = asking_part(question)
    if ASKS_FOR_TIME.search(asking):
        return frozenset(), frozenset()
    turns = turns_of(question)
    for text in [*(turns[-1:] if turns else []), question]:
        months = months_named(text)
        if months:
            return frozenset(years_asked(question, asking)), months
    return frozenset(years_asked(question, asking)), frozenset()


def months_named(text: str) -> frozenset[int]:
    """The months a text names: by name, as "6月", or as a quarter's three."""
    months = {MONTHS[match.group(0)] for match in ENGLISH_MONTH.finditer(text)}
    months |= {int(number) for number in CHINESE_MONTH.findall(text)}
    for quarter in QUARTER.finditer(text):
        number = quarter_number(quarter)
        months |= set(range(3 * number - 2, 3 * number + 1))
    return frozenset(months)


def months_written(text: str) -> frozenset[int]:
    """The months a passage's text names (`months_named`), a day's month too ("出现在4月13日8时")."""
    return months_named(text) | {int(number) for number in CHINESE_DAY.findall(text)}


def covers_asked(period: Period, years: frozenset[str], months: frozenset[int]) -> bool:
    """Whether a document's period holds a month the question asks about."""
    return any(
        (not years or str(year) in years) and (not months or month in months) for year, month in period.months
    )
