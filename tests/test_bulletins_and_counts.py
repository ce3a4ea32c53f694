"""Monthly bulletins on one template, a "how many" question whose closest sentence counts something else, and
Chinese questions that name money but ask for a time, as three new-user probes met them (2026-12-08): a district
named as a section in every month's bulletin, a month with no bulletin, "How many rangers …" over a sentence on
beds, "补偿办法从什么时候开始施行？", "N个工作日", gigawatts, and a province's whole name in a refusal."""

from __future__ import annotations

import pytest

import qa
from conftest import index_of
from qa.quantities import asked_quantity, counted_in, counted_thing, holds_quantity


def bulletin(month: str, number: str, readings: dict[str, tuple[float, int]], note: str) -> str:
    blocks = "\n\n".join(
        f"{district}\nPM2.5 monthly mean: {pm25} µg/m³\nOzone (highest 8-hour mean): {ozone} µg/m³"
        for district, (pm25, ozone) in readings.items()
    )
    return f"""KESTERFORD ENVIRONMENT OFFICE
Monthly Air Bulletin: {month} 2025

Bulletin number: KAB-2025-{number}

Summary
{note}

District results

{blocks}
"""


BULLETINS = {
    # the February one names Halden Weir station in its summary, so "Halden" is no section name of it alone
    "bulletin-2025-02.txt": bulletin("February", "02", {"Orrin": (24.6, 52), "Halden": (27.3, 48), "Tessmoor": (21.9, 55)},
                                     "Data capture at Halden Weir station fell to 84% after a cable fault."),
    "bulletin-2025-05.txt": bulletin("May", "05", {"Orrin": (14.2, 118), "Halden": (16.8, 131), "Tessmoor": (12.5, 109)},
                                     "Two ozone alerts were issued in the month."),
    "bulletin-2025-09.txt": bulletin("September", "09", {"Orrin": (15.9, 87), "Halden": (17.4, 92), "Tessmoor": (13.1, 80)},
                                     "The new roadside station on Mercer Street began reporting."),
    "hospitals.md": """# Health services in Kesterford

St Brenna's Hospital in Kesterford has 540 beds and 3,120 staff. Its director is Dr. Ilse Marrow.

Pellow Cottage Hospital has 36 beds and is run by its hospital manager, Mr. Owen Tarrant.

Of the 214 incidents reported in 2024, 3 were never events.
""",
    "compensation-zh.md": """# 鹭川省野生动物致害补偿办法问答

问：补偿办法从什么时候开始施行？

答：《鹭川省野生动物致害补偿办法》自2024年3月1日起施行。

问：接到报告后多久组织核定？

答：县级林业主管部门应当在接到报告后5个工作日内组织核定损失。

问：补偿标准是多少？

答：农作物损失按当年市场价格的80%给予补偿。
""",
}


@pytest.fixture(scope="module")
def bulletins(tmp_path_factory):
    return index_of(tmp_path_factory.mktemp("bulletins"), BULLETINS)


def test_the_month_asked_is_answered_from_that_months_bulletin(bulletins):
    # every bulletin has a "Halden" block; February's was put into the passages, as the section named, for a
    # question on September
    answer = qa.ask("How high did ozone get in Halden in September 2025?", index_dir=bulletins)
    assert not answer.abstained
    assert answer.citations[0].source == "bulletin-2025-09.txt"
    assert "92" in answer.citations[0].quote


def test_a_month_without_a_bulletin_is_refused_as_about_other_months(bulletins):
    answer = qa.ask("What was the PM2.5 monthly mean in Orrin in July 2025?", index_dir=bulletins)
    assert answer.abstained
    assert "July 2025" in answer.text and "other months" in answer.text


def test_a_count_of_another_thing_does_not_answer_how_many(bulletins):
    refused = qa.ask("How many rangers work at Pellow Cottage Hospital?", index_dir=bulletins)
    assert refused.abstained, refused.text
    answered = qa.ask("How many staff work at St Brenna's Hospital?", index_dir=bulletins)
    assert not answered.abstained and "3,120 staff" in answered.citations[0].quote
    # the words after its number say what it counts, however the question says it
    paraphrased = qa.ask("How many employees does St Brenna's Hospital have?", index_dir=bulletins)
    assert not paraphrased.abstained and "3,120 staff" in paraphrased.citations[0].quote
    # a verb the question adds need not be in the sentence
    events = qa.ask("How many never events occurred in 2024?", index_dir=bulletins)
    assert not events.abstained and "3 were never events" in events.citations[0].quote


def test_what_a_count_counts():
    assert counted_thing("How many rangers work in the park?") == "rangers work"
    assert counted_thing("How many of them are researchers?") is None
    assert counted_thing("How many hectares were planted?") is None  # a unit: the quantity check reads it
    assert counted_in("The hospital has 540 beds and 3,120 staff.") == ["beds", "staff"]
    assert counted_in("Trams carried 29 million passengers in 2024.") == ["passengers"]


def test_a_chinese_question_that_names_money_may_ask_for_a_time(bulletins):
    assert asked_quantity("补偿办法从什么时候开始施行？") is None
    assert asked_quantity("补偿款多长时间内发放？") is None
    assert asked_quantity("How much compensation is paid when a protected animal kills a person?") == "money"
    answer = qa.ask("补偿办法从什么时候开始施行？", index_dir=bulletins)
    assert not answer.abstained and "2024年3月1日" in answer.citations[0].quote
    days = qa.ask("接到报告后多少天内组织核定？", index_dir=bulletins)
    assert not days.abstained and "5个工作日" in days.citations[0].quote


def test_working_days_and_gigawatts_are_units():
    assert holds_quantity("duration", "应当在接到报告后5个工作日内组织核定。")
    assert holds_quantity("energy", "The wind farms have a capacity of 7.4 gigawatts.")


def test_a_province_the_documents_never_name_is_refused_by_its_whole_name(bulletins):
    answer = qa.ask("瓦尔纳省的补偿办法从什么时候开始施行？", index_dir=bulletins)
    assert answer.abstained
    assert "瓦尔纳省" in answer.text


def test_a_follow_up_swaps_the_place_not_the_month():
    from qa.conversation import POINTING, with_name_swapped

    assert with_name_swapped("What was the monthly mean PM2.5 in Northbank in January 2024?", "What about Millbrook?") == (
        "What was the monthly mean PM2.5 in Millbrook in January 2024?"
    )
    assert with_name_swapped("How many days of good air did Westharbour have in June?", "And in August?") == (
        "How many days of good air did Westharbour have in August?"
    )
    # jieba's tagger reads the invented city short ("湄市"); the whole name is replaced
    assert with_name_swapped("石湄市2023年PM2.5平均浓度是多少？", "那北垣市呢？") == "北垣市2023年PM2.5平均浓度是多少？"
    assert POINTING.search("她从哪一年开始任职？")  # "she" points back as "it" does
