"""A wiki's species and site pages, a law typed as Chinese laws are, its regulations and a second law, yearly
bulletins and a committee's minutes, as four new-user probes wrote them (2026-12-07): an image that opens each
page, fact-sheet lines that never name their page's subject, a glossary, a step cited in Chinese, articles
indented by ideographic spaces, an article of a law named by its title, a year a sentence compares with, a
summary over numbered sections, a table's caption in a PDF's page, a pollutant written with decimals, and
meetings numbered in their titles."""

from __future__ import annotations

import pytest

import qa
from conftest import index_of
from documents import make_printed_pdf
from qa.chunking import chunk_document
from qa.conversation import joined_turn
from qa.formats.markdown import plain_text
from qa.sentences import sentence_spans

SPECIES = {
    "species/brindlecombe-wren.md": """---
title: Brindlecombe Wren
updated: 2025-03-02
---

# Brindlecombe Wren

![Brindlecombe Wren](../images/brindlecombe-wren.jpg)

## Identification

- Body length: 10.5 cm
- Wingspan: 15–17 cm
- Weight: 9–11 g

## Status

The 2024 survey counted 318 territories across the three sites.
""",
    "species/marrowfen-shrike.md": """---
title: Marrowfen Shrike
updated: 2025-02-14
---

# Marrowfen Shrike

![Marrowfen Shrike](../images/marrowfen-shrike.jpg)

## Identification

- Body length: 24 cm
- Wingspan: 34–38 cm
- Weight: 58–72 g

## Status

The 2024 survey counted 41 pairs, most of them on the heath at Quillmoor.
""",
    "sites/quillmoor-heath.md": """---
title: Quillmoor Heath
updated: 2025-01-20
---

# Quillmoor Heath

![Heather in bloom at Quillmoor](../images/quillmoor.jpg)

Quillmoor Heath is the programme's dry heathland site, leased from the Ardwell Estate.

## Site facts

- Area: 212 hectares
- Coordinates: 51.7734° N, 1.2291° W
- Site lead: Tamsin Okonedo
""",
    "species/ashgrove-hawker.md": """# Ashgrove Hawker

## Identification

- Body length: 68 mm
- Wingspan: 94 mm

## Flight season

Adults fly from late June to early September over acid pools.
""",
    "glossary.md": """# Glossary

- Lek: a display ground where males gather to compete for females.
- Point count: a count of every bird seen or heard from one spot in a set time.
- Roost count: a count of bats leaving a roost at dusk.
""",
    "protocols/pond-survey-zh.md": """# 池塘夜间调查

## 调查步骤

1. 到达后记录水温和天气。
2. 沿岸慢行，用头灯照射浅水区。
3. 分别记录成体和幼体的数量。
4. 离开前清洗靴子。
""",
}

WILDLIFE_LAW_ZH = """澜川共和国鸟类保护法

第一章　总则

　　第一条　为了保护鸟类及其栖息地，制定本法。

　　第二条　本法适用于在澜川共和国境内从事鸟类保护活动。

第二章　保护措施

　　第十一条　禁止在鸟类繁殖期采伐巢树。

　　第二十二条　禁止使用粘网捕捉鸟类。
　　违反前款规定的，没收粘网，并处五千元罚款。
"""

BIRD_LAW = """# Bird Protection Law of the Republic of Lanchuan

## Chapter II Protection Measures

Article 11 Felling nest trees during the breeding season is prohibited.

Article 22 The use of mist nets to catch birds is prohibited.
"""

REGULATIONS = """# Implementing Regulations of the Bird Protection Law

Article 11 Forestry offices shall mark nest trees with a yellow band before 1 March.

Article 22 A mist net seized under the Law shall be destroyed within 30 days.

Article 26 These Regulations take effect on 1 July 2024.
"""

HEATH_LAW = """# Heathland Protection Law of the Republic of Lanchuan

Article 1 This Law protects lowland heath.

Article 9 Burning heath outside the winter months is prohibited.
"""


@pytest.fixture(scope="module")
def handbook(tmp_path_factory):
    return index_of(tmp_path_factory.mktemp("handbook"), SPECIES)


@pytest.fixture(scope="module")
def laws(tmp_path_factory):
    return index_of(tmp_path_factory.mktemp("laws"), {
        "bird-law-zh.txt": WILDLIFE_LAW_ZH, "bird-law.md": BIRD_LAW, "regulations.md": REGULATIONS, "heath-law.md": HEATH_LAW,
    })


def test_an_image_is_not_text():
    text = plain_text("# Wren\n\n![Brindlecombe Wren](wren.jpg)\n\nA small brown bird ![icon](i.png) of hedges.\n")
    assert "Brindlecombe" not in text and "icon" not in text and "A small brown bird" in text


@pytest.mark.parametrize("question, expect, source", [
    ("How long is the Brindlecombe Wren?", "Body length: 10.5 cm", "species/brindlecombe-wren.md"),
    ("How heavy is the Marrowfen Shrike?", "Weight: 58–72 g", "species/marrowfen-shrike.md"),
    ("What are the coordinates of Quillmoor Heath?", "51.7734° N", "sites/quillmoor-heath.md"),
    ("Who leads the Quillmoor Heath site?", "Tamsin Okonedo", "sites/quillmoor-heath.md"),
])
def test_a_fact_sheet_line_answers_for_its_page(handbook, question, expect, source):
    # the image's description was a passage of the page's name alone, quoted first; the lines name no subject
    answer = qa.ask(question, index_dir=handbook)
    assert not answer.abstained and answer.citations[0].source == source and expect in answer.citations[0].quote


def test_a_glossary_entry_answers_what_a_term_is(handbook):
    answer = qa.ask("What is a lek?", index_dir=handbook)
    assert not answer.abstained and answer.citations[0].quote.startswith("- Lek: a display ground")


def test_a_step_cited_in_chinese_is_the_numbered_step(handbook):
    answer = qa.ask("池塘夜间调查的第三步是什么？", index_dir=handbook)
    assert not answer.abstained and "分别记录成体和幼体的数量" in answer.citations[0].quote
    assert qa.ask("池塘夜间调查的第九步是什么？", index_dir=handbook).abstained


def test_an_indented_chinese_article_is_found_by_its_number(laws):
    # "　　第二十二条　…" opened no article: the law had no 第二十二条, and the question was refused as naming none
    answer = qa.ask("鸟类保护法第二十二条规定了什么？", index_dir=laws)
    assert not answer.abstained and answer.citations[0].source == "bird-law-zh.txt"
    assert "粘网" in answer.citations[0].quote and answer.citations[0].section.endswith("第二十二条")


def test_an_article_of_a_law_named_by_its_title_comes_from_that_law(laws):
    answer = qa.ask("What does Article 22 of the Bird Protection Law say?", index_dir=laws)
    assert not answer.abstained and answer.citations[0].source == "bird-law.md"
    answer = qa.ask("What does Article 22 of the Implementing Regulations say?", index_dir=laws)
    assert not answer.abstained and answer.citations[0].source == "regulations.md"


def test_an_article_the_named_law_does_not_have_is_refused(laws):
    # the regulations have an Article 26; the heathland law ends at Article 9
    answer = qa.ask("What does Article 26 of the Heathland Protection Law say?", index_dir=laws)
    assert answer.abstained and "Article 26" in answer.text


BULLETIN = """Larkmere State of the Environment Bulletin 2021

Summary

In 2021 the air was cleaner in every city of the province.

1. Air

1.1 Fine particles

The annual mean PM2.5 concentration was 29.4 µg/m³, down 2.2 µg/m³ on 2020.

Table 1. Air quality by city, 2021

| City | PM2.5 (µg/m³) |
| Orrow | 31.0 |

2. Water

2.1 Rivers

Of the monitored river sections, 88.5 per cent met Grade I–III standards.
"""


def test_a_summary_is_beside_the_numbered_sections_not_over_them():
    sections = {chunk.section for chunk in chunk_document("bulletin-2021.txt", BULLETIN, 200, 0)}
    assert any(section.endswith("2021 > Summary") for section in sections)
    assert any(section.endswith("2021 > 2. Water > 2.1 Rivers") for section in sections)
    assert not any("Summary >" in section for section in sections)


def test_a_caption_on_its_own_line_heads_nothing():
    lines = BULLETIN.replace("\n\n", "\n")  # a PDF's page: every line stands alone
    sections = {chunk.section for chunk in chunk_document("bulletin-2021.pdf", lines, 200, 0)}
    assert not any("Table 1." in section for section in sections)


def test_a_figure_compared_with_the_year_before_answers_for_the_bulletins_year(tmp_path):
    title, *lines = [line for line in BULLETIN.split("\n") if not line.startswith("|")]
    cut = lines.index("2. Water")
    pdf = make_printed_pdf("Larkmere Environment Bulletin", [title], [lines[1:cut], lines[cut:]])
    folder = index_of(tmp_path, {"larkmere-bulletin-2021.pdf": pdf})
    answer = qa.ask("What was the annual mean PM2.5 concentration in 2021?", index_dir=folder)
    assert not answer.abstained and "29.4" in answer.citations[0].quote


def test_a_pollutant_written_with_decimals_is_swapped_whole():
    assert joined_turn("What was the PM2.5 average in 2023?", "And PM10?").startswith("What was the PM10 average in 2023?")
    assert joined_turn("What was the PM2.5 average in Orrow in 2023?", "What about Tansby?").startswith(
        "What was the PM2.5 average in Tansby in 2023?"
    )


MINUTES = """# Heathland Committee: Minutes of the {ordinal} Meeting

**Date:** {date}
**Place:** {place}
**Chair:** {chair}

## Decisions

1. The committee approved the burning calendar for the winter.
"""


def test_labelled_lines_are_sentences_of_their_own():
    text = "Date: 4 March 2025\nPlace: Room 2, Ardwell Hall\nChair: Tamsin Okonedo"
    assert [text[start:end] for start, end in sentence_spans(text)] == text.split("\n")


def test_a_meeting_asked_by_its_number_is_answered_from_its_minutes(tmp_path):
    folder = index_of(tmp_path, {
        "minutes_2024-10-02.md": MINUTES.format(ordinal="Fourth", date="2 October 2024", place="Room 2, Ardwell Hall", chair="Tamsin Okonedo"),
        "minutes_2025-01-15.md": MINUTES.format(ordinal="Fifth", date="15 January 2025", place="Room 5, Quillmoor Lodge", chair="Idris Fenwick"),
        "minutes_2025-04-09.md": MINUTES.format(ordinal="Sixth", date="9 April 2025", place="Room 1, Ardwell Hall", chair="Maren Solberg"),
    })
    answer = qa.ask("Who chaired the fifth meeting?", index_dir=folder)
    assert not answer.abstained and answer.citations[0].source == "minutes_2025-01-15.md"
    assert "Idris Fenwick" in answer.citations[0].quote


def test_a_follow_up_citing_another_unit_asks_the_earlier_question_of_it(laws, handbook):
    # asked alone, "And Article 22?" quoted the regulations' Article 22, and "第二步呢？" another procedure's step 2
    answer = qa.ask("And Article 22?", history=["What does Article 11 of the Bird Protection Law say?"], index_dir=laws)
    assert not answer.abstained and answer.citations[0].source == "bird-law.md" and "mist nets" in answer.citations[0].quote
    answer = qa.ask("第二步呢？", history=["池塘夜间调查的第一步是什么？"], index_dir=handbook)
    assert not answer.abstained and "沿岸慢行" in answer.citations[0].quote


def test_a_measure_the_page_does_not_give_is_refused(handbook):
    answer = qa.ask("How much does the Ashgrove Hawker weigh?", index_dir=handbook)
    assert answer.abstained and "weight" in answer.text
