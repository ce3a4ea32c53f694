"""A report issued every year: a question on one year is answered from that year's edition, one that names no
year from the latest, and a paragraph only one edition has is still found."""

from __future__ import annotations

import pytest

import qa
from conftest import index_of
from qa.editions import MAX_TITLES_COMPARED, counterparts, editions, same_publications
from qa.periods import asked_months, document_period

YEARS = {
    # visits, volunteers, hours, wildfires, hectares burned, director
    2022: ("412,300", "1,120", "38,600", "23", "146", "Helena Marsh"),
    2023: ("468,900", "1,265", "42,150", "11", "39", "Helena Marsh"),
    2024: ("503,750", "1,390", "47,900", "17", "72", "Rafael Brandt"),
}


def edition(year: int) -> str:
    visits, volunteers, hours, fires, burned, director = YEARS[year]
    parts = [
        # titles drift from year to year, as real ones do
        f"# Harrowdale National Park Authority: Annual Report {year}" if year < 2024 else f"# Annual Report {year}: Harrowdale National Park Authority",
        "## Foreword",
        f"This report sets out what the Authority did in {year}, what it cost and what we learned. Its chapters "
        "follow the same order every year, so that figures can be compared from one edition to the next.",
        f"{director}, Director",
        "## 1. Visitors",
        f"The park recorded {visits} visits in {year}, counted by the automatic counters at its eleven entrances. "
        "July and August were the busiest months, and most visitors still arrived by car.",
        "## 2. Fire and hazards",
        f"This year the park recorded {fires} wildfires, which burned {burned} hectares of moor in total. Most "
        "began near roads and picnic sites, and none reached a village.",
        "## 3. Staff and volunteers",
        f"This year {volunteers} volunteers gave {hours} hours of work, from path repair to guided walks. New "
        "volunteers spend their first two days on an induction course.",
    ]
    if year == 2023:
        parts.insert(6, "Marren Cave reopened to visitors on 1 April 2023 after its walkway was rebuilt.")
    return "\n\n".join(parts) + "\n"


CHINESE_2024 = """# 哈罗代尔国家公园管理局2024年度报告

## 前言

本报告介绍管理局2024年的工作、开支和经验。各章顺序每年相同，便于逐年比较各项数字。

拉斐尔·布兰特，局长

## 一、游客

根据公园十一个入口的自动计数器，2024年公园共接待游客503750人次。七月和八月最为繁忙，大多数游客仍然驾车前来。

## 二、火灾与灾害

今年公园共发生野火17起，烧毁荒原72公顷。大多数野火起于道路和野餐点附近，没有一起蔓延到村庄。

## 三、员工与志愿者

今年共有1390名志愿者贡献了47900小时，工作内容从修路到带领导览步行。新志愿者的头两天参加入职培训。
"""


@pytest.fixture(scope="module")
def editions_index(tmp_path_factory):
    documents = {f"annual-report-{year}.md": edition(year) for year in YEARS}
    documents["年度报告-2024.md"] = CHINESE_2024
    documents["visitor-rules.md"] = (
        "# Harrowdale National Park: Rules for Visitors\n\nDogs must be kept on a lead between March and July. "
        "Fires and barbecues are not allowed anywhere in the park.\n"
    )
    return index_of(tmp_path_factory.mktemp("editions"), documents)


def first_quote(answer: qa.Answer) -> tuple[str, str]:
    assert not answer.abstained, answer.text
    return answer.citations[0].source, answer.citations[0].quote


def test_documents_whose_titles_differ_only_by_year_are_editions(editions_index):
    index, _ = qa.retriever(editions_index).current()
    found = editions(index)
    assert found["annual-report-2022.md"] == {(year, 0, 0): f"annual-report-{year}.md" for year in (2022, 2023, 2024)}
    assert "visitor-rules.md" not in found and "年度报告-2024.md" not in found


@pytest.mark.parametrize("year", sorted(YEARS))
def test_a_question_on_one_year_is_answered_from_that_years_edition(editions_index, year):
    visits, _, _, fires, _, _ = YEARS[year]
    for question, expected in (
        (f"How many visits did the park record in {year}?", visits),
        (f"How many wildfires were there in {year}?", f"{fires} wildfires"),
    ):
        source, quote = first_quote(qa.ask(question, index_dir=editions_index))
        assert source == f"annual-report-{year}.md" and expected in quote, (question, source, quote)


def test_a_question_that_names_no_year_is_answered_from_the_latest_edition(editions_index):
    source, quote = first_quote(qa.ask("How many wildfires does the park have?", index_dir=editions_index))
    assert source == "annual-report-2024.md" and "17 wildfires" in quote


def test_a_paragraph_only_one_edition_has_is_still_found(editions_index):
    source, quote = first_quote(qa.ask("When did Marren Cave reopen?", index_dir=editions_index))
    assert source == "annual-report-2023.md" and "1 April 2023" in quote


def test_a_chinese_question_on_an_older_year_is_answered_from_that_years_edition(editions_index):
    # the Chinese translation of 2024 reads like every edition, and a Chinese question meets Chinese text first
    source, quote = first_quote(qa.ask("2023年有多少名志愿者？", index_dir=editions_index))
    assert source == "annual-report-2023.md" and "1,265" in quote
    source, quote = first_quote(qa.ask("2024年有多少名志愿者？", index_dir=editions_index))
    assert source == "年度报告-2024.md" and "1390" in quote


def test_a_year_no_edition_covers_is_refused(editions_index):
    answer = qa.ask("How many visits did the park record in 2019?", index_dir=editions_index)
    assert answer.abstained, answer.text


def test_titles_and_file_names_date_their_documents_and_questions_ask_for_periods():
    assert document_period("minutes-2024-06-18") == ("minutes", (2024, 6, 18), frozenset({(2024, 6)}))
    quarter = document_period("Air Quality Bulletin Q3 2023")
    assert quarter.publication == "air quality bulletin" and quarter.months == {(2023, 7), (2023, 8), (2023, 9)}
    assert len(document_period("Annual Report 2023").months) == 12 and document_period("no date") is None
    assert not document_period("Plan (2016-2025)").single_year
    assert document_period("2024年6月空气质量月报").when == (2024, 6, 0)
    assert asked_months("Who sent apologies for the June 2024 board meeting?") == ({"2024"}, {6})
    assert asked_months("What was the PM2.5 average in the third quarter of 2023?") == ({"2023"}, {7, 8, 9})
    assert asked_months("2023年第三季度PM2.5是多少？") == ({"2023"}, {7, 8, 9})
    assert asked_months("May I bring a dog?") == (set(), set())  # "May" is a month only with a date after it


MINUTES = {
    "03-12": ("Ines Carvalho", "approved a budget of £86,000 for planting 12,000 trees at Hollin Brook"),
    "06-18": ("Kwame Asante", "approved a revised budget of £104,500 for planting 15,000 trees at Hollin Brook"),
    "09-24": ("Priya Natarajan", "heard that planting at Hollin Brook will begin on 16 November 2024"),
}


@pytest.fixture(scope="module")
def minutes_index(tmp_path_factory):
    documents = {
        f"minutes-2024-{day}.md": (
            "# Kestrel Vale Conservation Trust: Minutes of the Board of Trustees\n\n"
            f"## 1. Welcome and apologies\n\nThe Chair welcomed trustees. Apologies were received from {absent}.\n\n"
            f"## 2. Hollin Brook woodland\n\nThe board {decision}.\n"
        )
        for day, (absent, decision) in MINUTES.items()
    }
    return index_of(tmp_path_factory.mktemp("minutes"), documents)


def test_a_question_on_one_meeting_is_answered_from_that_meetings_minutes(minutes_index):
    for month, (absent, _) in zip(("March", "June", "September"), MINUTES.values()):
        source, quote = first_quote(qa.ask(f"Who sent apologies for the {month} 2024 board meeting?", index_dir=minutes_index))
        assert absent in quote, (month, source, quote)


def test_a_question_on_a_quarter_is_answered_from_that_quarters_bulletin(tmp_path):
    averages = {1: "15.9", 2: "9.8", 3: "8.4", 4: "12.2"}
    documents = {
        # only the first quarter's bulletin says "quarter" in its text; the others say it in their titles alone
        f"aq-bulletin-2023-q{quarter}.md": (
            f"# Air Quality Bulletin Q{quarter} 2023\n\n## Summary\n\n"
            + (f"The average PM2.5 concentration in the first quarter of 2023 was {average} µg/m³, the highest of the year."
               if quarter == 1 else f"The network's average PM2.5 concentration was {average} µg/m³.")
            + "\n"
        )
        for quarter, average in averages.items()
    }
    documents["soe-2023.md"] = (
        "# State of the Environment Report 2023\n\n## Air quality\n\nThe annual average PM2.5 concentration was 11.6 "
        "µg/m³, and the limit was exceeded on 17 days, eight of them in the first quarter.\n"
    )
    index = index_of(tmp_path, documents)
    for quarter, average in averages.items():
        source, quote = first_quote(qa.ask(f"What was the PM2.5 average in Q{quarter} 2023?", index_dir=index))
        assert source == f"aq-bulletin-2023-q{quarter}.md" and average in quote, (quarter, source, quote)


def test_titles_that_share_most_of_their_words_name_one_publication():
    names = ["city of orrinford state of the environment report", "orrinford state of the environment report",
             "state of the environment report city of orrinford", "air quality bulletin", "kestlebury environment excerpt"]
    roots = same_publications(names)
    assert len({roots[name] for name in names[:3]}) == 1 and len(set(roots.values())) == 3
    # past MAX_TITLES_COMPARED titles only the same words in any order name one publication
    many = [*names, *(f"weekly notice {number}" for number in range(MAX_TITLES_COMPARED))]
    roots = same_publications(many)
    assert roots[names[0]] == roots[names[2]] != roots[names[1]]


def test_a_report_of_the_year_asked_answers_with_its_target_for_a_later_year(tmp_path):
    # dated by its file name alone: neither its title nor its headings say 2023
    index = index_of(tmp_path, {"soe-2023.md": (
        "# State of the Environment Report\n\n## Water\n\nLeakage was 17.8 per cent of water put into "
        "supply, against a target of 15 per cent by 2025. Water use per person fell to 131 litres a day.\n\n## Waste\n\nThe recycling rate reached 44.7 per cent.\n"
    )})
    source, quote = first_quote(qa.ask("What was the leakage rate in 2023?", index_dir=index))
    assert "17.8 per cent" in quote
    assert qa.ask("What was the leakage rate in 2019?", index_dir=index).abstained


def test_a_question_on_a_version_is_answered_from_that_version(tmp_path):
    """A procedure titled by its version and dated by its effective date: "the previous version" and "version 3.1"
    name an edition as a year does (a new-user probe's version questions quoted the current figures)."""
    def procedure(version: str, effective: str, soak: int, temperature: int) -> str:
        return (
            f"# Standard Operating Procedure: Pond Survey, Version {version} (effective {effective})\n\n"
            "## 1. Scope\n\nThis procedure covers every pond survey made by the Agency's staff and volunteers.\n\n"
            f"## 2. Disinfection\n\nNets and traps are left to soak in the disinfectant for at least {soak} minutes.\n\n"
            f"## 3. Torch surveys\n\nA torch survey goes ahead only when the water is at least {temperature} °C.\n"
        )
    index = index_of(tmp_path, {
        "pond-survey-sop-v3.1.md": procedure("3.1", "1 April 2022", 10, 4),
        "pond-survey-sop-v3.2.md": procedure("3.2", "1 March 2025", 15, 5),
    })
    for question, figure in [
        ("How long must the nets soak?", "15 minutes"),
        ("How long did the nets have to soak in the previous version?", "10 minutes"),
        ("What was the minimum water temperature for torch surveys under version 3.1?", "4 °C"),
    ]:
        answer = qa.ask(question, index_dir=index)
        assert not answer.abstained and figure in answer.citations[0].quote, (question, answer.text)


def test_news_items_whose_file_names_read_the_same_but_for_their_dates_are_one_series(tmp_path):
    """A news archive names each year's item on the same event alike ("2024-01-15-crane-count-2024.md"), and titles
    each afresh ("… over a hundred cranes", "… a record 131 cranes"): a question that names no year is answered
    from the latest, one that names a year (even asking when) from that year's (a new-user probe)."""
    def item(date: str, year: int, title: str, count: int) -> str:
        return (f"# Winter crane count {year}: {title}\n\n*{date}*\n\nVolunteers counted {count} common cranes in the "
                f"Morrow Valley during the trust's winter crane count, held on Saturday {date}.\n\nThe count covers "
                "eleven counting points along the river, each staffed by two volunteers.\n")
    index = index_of(tmp_path, {
        "2022-01-18-crane-count-2022.md": item("15 January 2022", 2022, "64 cranes", 64),
        "2024-01-15-crane-count-2024.md": item("13 January 2024", 2024, "over a hundred cranes", 103),
        "2025-01-13-crane-count-2025.md": item("11 January 2025", 2025, "a record 131 cranes", 131),
    })
    latest = qa.ask("How many cranes were counted at the winter crane count?", index_dir=index)
    assert not latest.abstained and "131 common cranes" in latest.citations[0].quote, latest.text
    held = qa.ask("When was the 2022 winter crane count held?", index_dir=index)
    assert not held.abstained and "15 January 2022" in held.citations[0].quote, held.text


def test_a_chinese_standards_latest_edition_answers_a_question_that_names_none(tmp_path):
    """Chinese editions pair their clauses in the vector set that reads Chinese: in MiniLM's a probe's 2019
    clause "6.6.1 无人机飞行高度不超过150 m…" paired with no 2025 clause, and its stale figure was quoted."""
    def standard(year: int, height: int, overlap: int) -> str:
        return "\n\n".join([
            f"DB41/T 2188—{year} 湿地生态监测技术规范", "6 监测方法",
            "6.1.1　固定监测样地应覆盖监测区域内的主要植被类型，每种主要植被类型至少布设1个固定监测样地。",
            "6.2.2　水质采样点位间距不小于500 m，入湖河口处应加密布设。",
            "6.3.1　水鸟调查采用直接计数法，集群数量大于1000只时可采用集团估计法。",
            f"6.6.1　无人机飞行高度不超过{height} m，航向重叠度不低于{overlap}%，旁向重叠度不低于65%。",
            "6.6.2　无人机在水鸟集群上空及周边作业时，与集群的水平距离不小于100 m。",
            *(f"{7 + n // 4}.{n % 4 + 1}　{topic}应按本文件执行，记录保存不少于{10 + n}年。" for n, topic in enumerate(
                ["水质样品", "底泥样品", "植物样方", "鸟类记录", "鱼类调查", "两栖类调查", "土壤样品", "遥感影像",
                 "野外照片", "录音资料", "标本", "数据报表"])),
        ]) + "\n"
    index = index_of(tmp_path, {
        "DB41-T 2188-2019 湿地生态监测技术规范.txt": standard(2019, 150, 70),
        "DB41-T 2188-2025 湿地生态监测技术规范.txt": standard(2025, 120, 75),
    })
    answer = qa.ask("无人机飞行高度上限是多少？", index_dir=index)
    assert not answer.abstained and "120 m" in answer.citations[0].quote, answer.text
    assert answer.citations[0].source == "DB41-T 2188-2025 湿地生态监测技术规范.txt"
    # every clause of the older edition pairs with its own in the newer
    built = qa.retriever(index).current()[0]
    older, newer = "DB41-T 2188-2019 湿地生态监测技术规范.txt", "DB41-T 2188-2025 湿地生态监测技术规范.txt"
    pairs = counterparts(built, older, newer)
    clause = lambda row: built.chunks[row].text.split("\u3000")[0]  # noqa: E731
    assert len(pairs) >= 15 and all(clause(a) == clause(b) for a, b in pairs.items())
