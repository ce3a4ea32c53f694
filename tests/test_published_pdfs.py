"""PDFs as ministries and journals publish them, as two new-user probes made them (2026-12-07): a running header
and "Page N of M" on a two-page bulletin, a title over two lines in large type, footnotes at a page's foot while a
sentence runs on to the next page, tables drawn with no blank line around them, sections numbered "2" and "2.1",
and a citation's year at a wrapped line's start; and a white paper laid out by reportlab's page templates (a
contents page with leaders drawn apart, short paragraphs set apart by space, bullets drawn as pieces of their own)."""

from __future__ import annotations

from documents import make_platypus_paper, make_printed_pdf
from qa.chunking import chunk_document
from qa.structure import blocks
from qa.formats import pdf
from qa.lines import LIST_ITEM

HEADER = "Valmoran Ornithological Bulletin 41 (2), 2025 - Winter Waterbird Census 2024"
TITLE = ["The National Winter Waterbird Census", "of January 2024"]
PAGES = [
    [
        "The census was held on 20 and 21 January 2024 at 418 sites across the country.",
        "",
        "In 2024 total public spending on biodiversity reached 486 million thaler, or 0.41 per cent of gross",
    ],
    [
        "domestic product. The Red-breasted merganser declined by 18.8 per cent.",
        "",
        "Geese and coots increased strongly after a mild December.",
    ],
]
FOOTNOTE = "3 Seizure figures are taken from the annual return of the Joint Wildlife Crime Unit."


def read_bulletin():
    return pdf.read(make_printed_pdf(HEADER, TITLE, PAGES, {1: [FOOTNOTE]}))


def paragraphs(text) -> list[str]:
    return [" ".join(text.text[block.start : block.end].split()) for block in blocks(text.text, text.page_starts, text.title)]


def test_a_two_page_pdf_loses_its_running_header_and_page_numbers():
    # the probe's bulletin had "Page 1 of 2" as the heading of its whole text, and its header inside a quote
    text = read_bulletin()
    assert "Ornithological Bulletin" not in text.text and "Page 1 of 2" not in text.text
    assert "418 sites" in text.text and "mild December" in text.text


def test_a_title_over_two_lines_is_one_heading():
    text = read_bulletin()
    assert text.title == "The National Winter Waterbird Census of January 2024"
    document_blocks = blocks(text.text, text.page_starts, text.title)
    first = document_blocks[0]
    assert first.heading_level is not None and text.text[first.start : first.end] == text.title
    assert sum(block.heading_level is not None for block in document_blocks) == 1


def test_a_footnote_does_not_break_the_sentence_that_runs_on_to_the_next_page():
    found = paragraphs(read_bulletin())
    running = next(paragraph for paragraph in found if "of gross" in paragraph)
    assert "of gross domestic product." in running and "Seizure" not in running
    assert FOOTNOTE in found  # a paragraph of its own, after the sentence that crossed the page


def test_a_tables_rows_are_one_paragraph_and_no_heading_in_a_text_without_blank_lines():
    # a PDF's page has no blank lines: each row was a paragraph, and the last one headed the rest of the document
    text = (
        "2. Uptime targets\n"
        "Each plan has the monthly uptime target shown in the table below.\n"
        "| Plan | Monthly uptime target |\n"
        "| Starter | 99.5% |\n"
        "| Enterprise | 99.95% |\n"
        "Monthly uptime is measured every 60 seconds.\n"
        "3. Service Credits\n"
        "Service Credits are applied against future invoices."
    )
    found = [(block.heading_level, text[block.start : block.end]) for block in blocks(text)]
    assert (None, "| Plan | Monthly uptime target |\n| Starter | 99.5% |\n| Enterprise | 99.95% |") in found
    assert [heading for level, heading in found if level is not None] == ["2. Uptime targets", "3. Service Credits"]


def test_a_decimal_section_sits_under_the_section_of_its_first_figure():
    # "2 Methods" right over "2.1 Study sites" was read as a heading of nothing, so as text quoted for answers
    text = "1 Introduction\n\nLakes stratify in summer.\n\n2 Methods\n\n2.1 Study sites\n\nLake Orsa lies 212 m above sea level."
    levels = {text[block.start : block.end]: block.heading_level for block in blocks(text)}
    assert levels["2 Methods"] is not None and levels["2.1 Study sites"] > levels["2 Methods"]
    assert levels["2 Methods"] == levels["1 Introduction"]


def test_a_year_in_brackets_at_a_lines_start_is_no_list_item():
    # "…the index of Lund and Harrow⏎(2016), which is positive…" was cut into two paragraphs
    assert not LIST_ITEM.match("(2016), which is positive for clockwise loops.")
    assert LIST_ITEM.match("(2) Invasive alien species") and LIST_ITEM.match("（二）建设环山绿道")


def test_a_chinese_footnote_marked_with_a_circled_figure_does_not_break_its_sentence():
    # "…源头海拔5112米，⏎⏎①本白皮书所称…⏎⏎河口位于沅西省澄溟湾。" in a probe's white paper
    text = pdf.read(make_printed_pdf("澄溟河流域生态保护和绿色发展", ["澄溟河流域生态保护和绿色发展"], [
        ["澄溟河干流全长2386公里。河源位于玉衡山北麓的冰川区，源头海拔5112米，"],
        ["河口位于沅西省澄溟湾。流域面积41.7万平方公里。"],
    ], {1: ["①本白皮书所称澄溟河流域，是指澄溟河干流及其87条主要支流流经的区域。"]}))
    found = paragraphs(text)
    running = next(paragraph for paragraph in found if "5112米" in paragraph)
    assert "河口位于沅西省澄溟湾" in running and "①" not in running


def test_a_table_of_contents_is_no_chunk():
    # a probe's PDF drew its 目录's leaders apart, read as a table whose rows were quoted for five questions
    text = (
        "目　　录\n\n| 前言 | ………………………… | 1 |\n| 一、基本情况 | ………………… | 1 |\n| 二、制度体系 | ………………… | 2 |\n\n"
        "前言\n\n澄溟河发源于玉衡山北麓。\n\n一、基本情况\n\n澄溟河中游从鹿门峡至石渠镇。\n\n"
        "Contents\n\nPreface .......... 1\nI. Basic facts .......... 3\n"
    )
    chunks = chunk_document("paper.txt", text, 200, 0)
    assert chunks and not any("……" in chunk.text or "....." in chunk.text for chunk in chunks)
    assert any("鹿门峡至石渠镇" in chunk.text for chunk in chunks)


PAPER_PARTS = [
    ("I. Where Marvonia Stands", [
        "Marvonia's primary energy consumption amounted to 1,912 petajoules in 2024, 9.4 percent less than in "
        "2015, while its economy grew by 21 percent.",
        "Oil remains the largest single source of primary energy at 34 percent, followed by natural gas at 27 "
        "percent and renewables at 19 percent.",
        "Final electricity consumption reached 287 terawatt-hours in 2024, of which industry used 41 percent and "
        "households 29 percent.",
        "Net energy imports covered 39 percent of primary energy demand in 2024, down from 58 percent in 2015, as "
        "wind replaced imported coal.",
    ], []),
    ("II. Targets for 2030", [
        "By 2030, renewable sources are to supply 70 percent of gross electricity generation, and the government "
        "has set these targets:",
    ], ["offshore wind capacity of 12 GW;", "onshore wind capacity of 22 GW;", "electricity storage of 8 GW."]),
    ("III. Grids", [
        "The Marvonia Transmission Company, the national transmission system operator, will invest EUR 21.5 "
        "billion between 2025 and 2030.",
        "About 4,800 km of new or upgraded high-voltage lines are planned, a third of them as underground cables "
        "near towns and villages.",
    ], []),
]


def test_a_laid_out_white_paper_reads_by_its_paragraphs_lists_and_contents():
    # a new-user probe's paper: its paragraphs of two to four lines, 7 points apart at a 14-point pitch, read as
    # chunks of three or four (the line pitch was taken as the median gap, 18.5 points); its contents entries as
    # table rows "| . . . . 4 | Preface |", quoted for three questions; its bullets as "|  | onshore wind … |"
    text = pdf.read(make_platypus_paper("Energy Transition in Marvonia", PAPER_PARTS))
    chunks = chunk_document("paper.pdf", text.text, 200, 0, text.page_starts, text.title)
    texts = [" ".join(chunk.text.split()) for chunk in chunks]
    assert not any(". . ." in chunk or "|" in chunk for chunk in texts)  # no contents, no table
    for paragraph in PAPER_PARTS[0][1] + PAPER_PARTS[2][1]:
        assert paragraph in texts  # each paragraph a chunk of its own
    assert "• onshore wind capacity of 22 GW;" in text.text
    imports = next(chunk for chunk in chunks if "Net energy imports" in chunk.text)
    assert imports.section.endswith("I. Where Marvonia Stands")
