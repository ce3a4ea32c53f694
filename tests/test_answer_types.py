"""What a question asks for and whether a sentence holds it (qa/answer_types.py), on sentences of the shapes
the development corpora hold: news datelines, counts beside dates, names after titles."""

from __future__ import annotations

import pytest

from qa.answer_types import fits_question_type

HOW_MANY = "How many species have been recorded in the Greyfell Mountains National Park?"


@pytest.mark.parametrize(
    "sentence, fits",
    [
        # A full date, its year included, counts nothing: the dateline of a news item is not a count.
        ("BRANNOCK, 14 May 2023 — Valdemar's newest national park was formally opened on Sunday.", False),
        ("The park was opened on May 14, 2023 by the Prime Minister.", False),
        ("The census was published in March 2024.", False),
        ("Survey teams have catalogued 2,174 species inside the new boundary since May 2023.", True),
        ("On 14 May 2023 volunteers counted thirty-eight species of orchid.", True),
    ],
)
def test_a_how_many_question_needs_a_number_that_is_not_a_date(sentence, fits):
    assert fits_question_type(HOW_MANY, sentence) is fits


@pytest.mark.parametrize(
    "sentence, fits",
    [
        # The same in Chinese: "2023年12月16日" is one date, its year included.
        ("2023年12月16日至18日，保护站组织了第九次越冬水鸟同步调查。", False),
        ("2023年12月，保护站组织了越冬水鸟调查。", False),
        ("调查共记录到水鸟58种，比上一年多6种。", True),
        ("2023年共记录到水鸟58种。", True),
    ],
)
def test_a_chinese_how_many_question_needs_a_number_that_is_not_a_date(sentence, fits):
    assert fits_question_type("青湖湿地调查记录到多少种水鸟？", sentence) is fits


@pytest.mark.parametrize(
    "question, sentence, fits",
    [
        ("Who is the director of the Valdemar Institute?", "The Valdemar Institute was founded in 1988.", False),
        ("Who is the director of the Valdemar Institute?", "It is directed by Dr. Mira Kellenbeck.", True),
        ("When did the park open?", "The park opened on 14 May 2023.", True),
        ("How many cranes were counted in 2022?", "The count of 2022 was the largest so far.", False),
    ],
)
def test_who_when_and_how_many_need_a_new_name_date_or_number(question, sentence, fits):
    assert fits_question_type(question, sentence) is fits


@pytest.mark.parametrize(
    "question, sentence, fits",
    [
        # A follow-up joined to the question before it asks what its own turn asks: a number, not a person too.
        ("Who is the chief executive of Harrowgate General Hospital? And how many beds does it have?",
         "At the end of 2023 it had 642 staffed beds, including 38 intensive care beds.", True),
        ("Who is the chief executive of Harrowgate General Hospital? And how many beds does it have?",
         "Its chief executive is Mr. Oswin Threlkeld.", False),
        # A turn that asks for nothing of its own ("And in 2023?") asks what the question before it asked.
        ("How many beds did the hospital have in 2022? And in 2023?", "In 2023 it had 642 staffed beds.", True),
        ("How many beds did the hospital have in 2022? And in 2023?", "Its chief executive is Mr. Oswin Threlkeld.", False),
    ],
)
def test_a_follow_up_asks_for_what_its_own_turn_asks(question, sentence, fits):
    assert fits_question_type(question, sentence) is fits


@pytest.mark.parametrize(
    "sentence, context, fits",
    [
        ("The Council approved a net budget of 655.0 million crowns for 2022.", "", False),  # another year only
        ("The Council approved a net budget of 702.5 million crowns for 2024.", "", True),
        ("It rose to 702.5 million crowns.", "The budget was set in March 2024.", True),  # the year is just before
        ("| Hospitals | 538.4 | 561.8 |", "| Item | 2022 | 2024 |", True),  # the year is in the table's header row
        ("The budget has grown since the 1990s to 702.5 million crowns.", "", True),  # a decade is no year
    ],
)
def test_a_question_that_names_a_year_is_not_answered_by_a_sentence_on_other_years(sentence, context, fits):
    assert fits_question_type("How much did the council approve for health in 2024?", sentence, context) is fits


@pytest.mark.parametrize(
    "question, sentence, fits",
    [
        ("How many beds did it have in 2022? And in 2023?", "In 2023 it had 642 staffed beds.", True),
        ("How many beds did it have in 2022? And in 2023?", "In 2022 it had 610 staffed beds.", False),
        # The year says which committee; the answer is another year.
        ("When did the committee set up in 2015 first meet?", "It first met in March 2016.", True),
        # A year before a noun names the event a "who" question asks about (a probe's white paper); "in 2019" is
        # the time asked, and so is the year of a count.
        ("Who led the investigation into the 2007 disaster?", "An inquiry led by Judge Marit Olander reported in March 2008.", True),
        ("Who chaired the committee in 2019?", "Dr Lena Strand chaired it from 2021.", False),
        ("How many cranes were counted in the 2024 census?", "The 2022 census counted 4,210 cranes.", False),
    ],
)
def test_the_year_asked_is_the_latest_turns_and_none_for_a_when_question(question, sentence, fits):
    assert fits_question_type(question, sentence) is fits


@pytest.mark.parametrize(
    "sentence, fits",
    [
        ("Orvandy Province recorded 641 millimetres of rain in 2023.", False),  # another province
        ("Ostmere Province recorded 702 millimetres of rain in 2023.", True),
        ("Ostmere recorded 702 millimetres of rain in 2023, more than Orvandy Province.", True),  # its own name too
        ("The country recorded 655 millimetres of rain in 2023.", True),  # no province named
    ],
)
def test_a_sentence_on_another_thing_of_the_kind_the_question_names_does_not_fit(sentence, fits):
    assert fits_question_type("How much rain fell in Ostmere Province in 2023?", sentence) is fits


@pytest.mark.parametrize(
    "sentence, fits",
    [
        # A figure for a span of years is no figure for one year in it: a probe's "2019年…完成了多少…？" was
        # answered with the targets of its plan for 2016–2025.
        ("Under the 2016–2020 plan the council spent 410 million crowns on clinics.", False),
        ("Between 2016 and 2020 the council spent 410 million crowns on clinics.", False),
        ("《规划（2016—2025年）》提出到2025年新建社区诊所60家。", False),
        ("From 2016 to 2020 spending rose from 61 million crowns to 98 million crowns in 2018.", True),
    ],
)
def test_a_sentence_on_a_span_of_years_does_not_answer_for_one_year_inside_it(sentence, fits):
    assert fits_question_type("How much did the council spend on clinics in 2018?", sentence) is fits


@pytest.mark.parametrize(
    "question, fits",
    [
        ("How much did the council spend on clinics under the 2016–2020 plan?", True),
        ("How much did the council spend on clinics between 2016 and 2020?", True),
        ("“十三五”期间（2016年至2020年），全市在社区诊所上投入了多少？", True),
        ("How much did the council spend on clinics in 2016 and 2020?", False),  # two years, not a span
        ("How much did the council spend on clinics in 2021?", False),
    ],
)
def test_a_question_on_a_span_of_years_asks_about_every_year_in_it(question, fits):
    assert fits_question_type(question, "In 2018 the council spent 98 million crowns on clinics.") is fits
