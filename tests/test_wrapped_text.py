"""Text whose lines were wrapped at a fixed width (a PDF, a plain text from a mail or a book, Python's reference
topics): sentences and paragraphs are read across the line breaks, with offsets into the text as it is."""

from __future__ import annotations

import textwrap

import pytest

import qa
from documents import make_laid_out_pdf, make_pdf
from qa.chunking import chunk_document
from qa.structure import blocks
from qa.corpus import load_corpus
from qa.formats.pdf import TYPESET_HYPHEN_AT_LINE_END
from qa.lexical import terms
from qa.render import sources_html
from qa.lines import flowing, joined_lines, row_read_under_header, table_start
from qa.sentences import sentence_spans

PARAGRAPHS = [
    "Lake Varn Restoration Report",
    "1. Background",
    "Lake Varn lies in the lowlands east of the Tamsk hills and drains a catchment of about 2,300 square "
    "kilometres. For most of the last century it received untreated water from three paper mills and the town "
    "of Orlov, and by 1990 its clear water had turned green for half of each summer. The restoration programme "
    "began in 2016 under the direction of the regional water board, which reports to the Ministry of Water.",
    "2. Measures",
    "The board closed the last outfall of the paper mills in March 2017 and built two treatment plants for the "
    "town. Farmers along the northern shore were paid to turn 1,150 hectares of maize fields into wet meadows "
    "that hold back nutrients before they reach the lake. The board also stocked the lake with young pike and "
    "perch, which hunt the bream whose feeding stirs mud from the bottom and clouds the water for weeks.",
    "The programme was funded as follows:",
    "- the regional budget paid 41 million crowns",
    "- the national water fund paid 27 million crowns",
    "3. Results",
    "By the summer of 2023 the water was clear to a depth of 2.4 metres, against 0.6 metres in 2015, and the "
    "green blooms had not returned for three summers. Fifteen pairs of great crested grebes nested in the new "
    "reed beds, a bird that had not bred at the lake since 1978 according to the records of the county museum.",
]
# Wrapped at 70 columns, with the first word of each line chosen by the width alone: some wrapped lines begin
# with a figure ("2,300 square ..."), one begins with "2016", none ends a paragraph.
WRAPPED_LINES = [line for paragraph in PARAGRAPHS for line in (textwrap.wrap(paragraph, 70) or [""])]
# A PDF's pages, as pypdf gives them back: one line of text per printed line, no blank line between paragraphs,
# and the page break in the middle of the Measures paragraph.
PAGE_BREAK = 13


def unwrapped(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def pdf_text(tmp_path_factory):
    folder = tmp_path_factory.mktemp("wrapped-pdf")
    (folder / "lake-varn.pdf").write_bytes(make_pdf(["\n".join(WRAPPED_LINES[:PAGE_BREAK]), "\n".join(WRAPPED_LINES[PAGE_BREAK:])]))
    document = load_corpus(folder).documents[0]
    return folder, document


def test_the_page_break_falls_inside_a_sentence():
    broken = [p for p in PARAGRAPHS if WRAPPED_LINES[PAGE_BREAK - 1] in p and WRAPPED_LINES[PAGE_BREAK] in p]
    assert broken and not WRAPPED_LINES[PAGE_BREAK - 1].endswith(".")


def test_a_wrapped_paragraph_splits_into_the_sentences_it_has_unwrapped():
    paragraph = PARAGRAPHS[2]
    wrapped = "\n".join(textwrap.wrap(paragraph, 70))
    assert [unwrapped(wrapped[a:b]) for a, b in sentence_spans(wrapped)] == [paragraph[a:b] for a, b in sentence_spans(paragraph)]


def test_table_rows_stay_apart():
    text = "| Province | Wetland area in hectares, surveyed in 2023 |\n| Halvern | 412,600 |\n| Kessmoor | 388,100 |"
    assert len(sentence_spans(text)) == 3
    assert len([b for b in blocks(text + "\n\nAfter the table.") if b.heading_level is None]) == 2


def test_a_table_row_is_one_sentence_whatever_its_cells_say_and_its_rules_are_none():
    text = "| Category | Fee |\n|---|:--:|\n| Adult | 45 euros. Payable in advance. |\nText after it."
    assert [text[a:b] for a, b in sentence_spans(text)] == [
        "| Category | Fee |", "| Adult | 45 euros. Payable in advance. |", "Text after it."
    ]


def test_a_grid_tables_row_runs_over_its_lines_until_the_next_rule():
    # reStructuredText's and pandoc's grid tables, as in Python's reference topics: a cell wraps onto the next
    # line, under an empty first cell. Each line was a sentence, and "|    | space." was quoted as the answer.
    def row(first: str, second: str) -> str:
        return f"| {first:<6} | {second:<36} |"

    rule, header_rule = "+" + "-" * 8 + "+" + "-" * 38 + "+", "|" + "=" * 8 + "|" + "=" * 38 + "|"
    text = "\n".join([
        rule, row("Option", "Meaning"), header_rule,
        row('"<"', "Forces the field to be left-aligned"), row("", "within the available space."), rule,
        row('"^"', "Forces the field to be centered"), row("", "within the available space."), rule,
        "The default depends on the type.",
    ])
    spans = sentence_spans(text)
    assert [text[a:b].split("\n")[0].split("|")[1].strip() for a, b in spans[:3]] == ["Option", '"<"', '"^"']
    assert [text[a:b].count("\n") for a, b in spans[:3]] == [0, 1, 1] and text[slice(*spans[3])] == "The default depends on the type."
    assert all(table_start(text, a) == text.index("| Option") for a, _ in spans[:3])
    # Shown to a reader, a row is one line of cells, with or without the rules around it in the quote.
    centred = '| "^" | Forces the field to be centered within the available space. |'
    assert flowing(text[slice(*spans[2])]) == centred and centred in flowing(text)
    assert "====" not in flowing(text) and "+---" not in flowing(text)
    # A Markdown table's rows stay apart, an empty first cell included (it groups rows; it continues none).
    assert flowing("| Fee | Adult | 45 |\n|---|---|---|\n| | Student | 20 |") == "| Fee | Adult | 45 | | | Student | 20 |"
    assert flowing("Run it as\n| grep wetland\nand read.") == "Run it as | grep wetland and read."  # no row: left as written
    # Chinese rows too: a probe's answer read "| 云溪市 | 98.6 || 鹤鸣市 | 97.3 |", its lines joined as Chinese text is
    assert flowing("| 设区市 | 比例 |\n| 云溪市 | 98.6 |\n| 鹤鸣市 | 97.3 |") == "| 设区市 | 比例 | | 云溪市 | 98.6 | | 鹤鸣市 | 97.3 |"


def test_list_items_and_indented_lines_stay_apart():
    text = "  The measures were\ntwo:\n- close the outfall\n- pay the farmers to\n  rewet their fields\n    x = 1\nDone."
    assert [text[a:b] for a, b in sentence_spans(text)] == [
        "The measures were\ntwo:", "- close the outfall", "- pay the farmers to\n  rewet their fields", "x = 1", "Done."
    ]


def test_pdf_paragraphs_and_headings_come_back_across_lines_and_pages(pdf_text):
    _, document = pdf_text
    found = blocks(document.text, document.page_starts)
    headings = [b.heading_text for b in found if b.heading_level is not None]
    assert headings == ["Lake Varn Restoration Report", "1. Background", "2. Measures", "3. Results"]
    paragraphs = [unwrapped(document.text[b.start : b.end]) for b in found if b.heading_level is None]
    assert PARAGRAPHS[2] in paragraphs and PARAGRAPHS[4] in paragraphs and PARAGRAPHS[-1] in paragraphs
    chunks = chunk_document("lake-varn.pdf", document.text, 160, 1, document.page_starts)
    measures = next(c for c in chunks if "maize" in c.text)
    assert unwrapped(measures.text) == PARAGRAPHS[4] and measures.page == 1 and measures.section == "Lake Varn Restoration Report > 2. Measures"


LATER_PARAGRAPHS = [
    "The county council has since asked the board to prepare a plan for the smaller lakes of the district, "
    "beginning with Lake Sedd and Lake Ammer, whose water has been green every summer since the 1980s.",
    "Monitoring continues each month at six fixed points, and the results are published on the board's website "
    "within two weeks of each survey.",
    "Anglers report that pike of more than five kilograms are again being caught near the western shore, where "
    "none had been landed for twenty years.",
]


def laid_out(tmp_path, paragraph_gap: float, indent: float, heading_gap: float = 0):
    """The report and three later paragraphs as a two-page PDF at 60 columns, where a sentence of the Measures
    paragraph ends at a line's end ("... plants for the town."), which line lengths alone read as the
    paragraph's end."""
    paragraphs = [textwrap.wrap(paragraph, 60) for paragraph in PARAGRAPHS + LATER_PARAGRAPHS]
    assert paragraphs[4][1].endswith("town.")
    (tmp_path / "lake-varn.pdf").write_bytes(make_laid_out_pdf([paragraphs[:4], paragraphs[4:]], paragraph_gap, indent, heading_gap))
    document = load_corpus(tmp_path).documents[0]
    return [unwrapped(document.text[b.start : b.end]) for b in blocks(document.text, document.page_starts)]


def test_a_pdf_whose_paragraphs_are_spaced_apart_keeps_each_one_whole(tmp_path):
    # Each paragraph whole; the one that ends "as follows:" is one block with the list items it announces.
    with_list = PARAGRAPHS[:5] + [" ".join(PARAGRAPHS[5:8])] + PARAGRAPHS[8:]
    assert laid_out(tmp_path, paragraph_gap=8, indent=0) == with_list + LATER_PARAGRAPHS


def test_a_pdf_whose_paragraphs_are_indented_keeps_each_one_whole(tmp_path):
    # Its list items are drawn as far right as the line that leads into them, so they stay with it.
    with_list = PARAGRAPHS[:5] + [" ".join(PARAGRAPHS[5:8])] + PARAGRAPHS[8:]
    assert PARAGRAPHS[5].endswith("follows:") and PARAGRAPHS[8] == "3. Results"
    assert laid_out(tmp_path, paragraph_gap=0, indent=21, heading_gap=10) == with_list + LATER_PARAGRAPHS


def test_a_pdf_that_spaces_only_its_headings_does_not_run_a_sections_paragraphs_together(tmp_path):
    # The space around headings is no sign of where the paragraphs between them end: line lengths decide.
    found = laid_out(tmp_path, paragraph_gap=0, indent=0, heading_gap=10)
    apart = [paragraph for paragraph in PARAGRAPHS[2:] if paragraph not in PARAGRAPHS[6:8]]  # items stay with their lead-in
    assert all(sum(paragraph in block for paragraph in apart + LATER_PARAGRAPHS) <= 1 for block in found)
    assert PARAGRAPHS[2] in found and LATER_PARAGRAPHS[-1] in found


def test_a_word_hyphenated_at_a_lines_end_is_read_whole(tmp_path):
    lines = [
        "The board began the conservation of the wetlands of the south-east in 2016, and the conser-",
        "vation of the marshes of the south-",
        "east coast followed. Their restor-",
        "ation took six years.",
    ]
    (tmp_path / "report.pdf").write_bytes(make_laid_out_pdf([[lines]], paragraph_gap=8, indent=0))
    text = load_corpus(tmp_path).documents[0].text
    # The layout's hyphens go; a compound that the document writes with its hyphen elsewhere keeps it.
    assert flowing(text) == (
        "The board began the conservation of the wetlands of the south-east in 2016, and the conservation of the "
        "marshes of the south-east coast followed. Their restoration took six years."
    )
    assert "restoration\ntook" in text


def test_a_word_broken_by_a_typeset_hyphen_is_read_whole(tmp_path):
    # A browser's "Save as PDF" breaks words at soft hyphens, which pypdf gives with a space before them.
    lines = [
        "Bees were counted along the whole eleva \u00ad",
        "tional gradient, and the models were compared by the cri\u00ad",
        "terion of Akaike.",
    ]
    (tmp_path / "paper.pdf").write_bytes(make_laid_out_pdf([[lines]], paragraph_gap=8, indent=0))
    text = load_corpus(tmp_path).documents[0].text
    assert flowing(text) == "Bees were counted along the whole elevational gradient, and the models were compared by the criterion of Akaike."
    assert TYPESET_HYPHEN_AT_LINE_END.sub("-", "eleva \u2010\ntional") == "eleva-\ntional"


def test_chinese_lines_are_read_as_one_text():
    assert joined_lines("1962年至19\n98年间，金纹\n  豹的数量") == "1962年至1998年间，金纹豹的数量"
    assert joined_lines("two lines\nof English") == "two lines\nof English"
    assert terms("保护金纹\n豹的栖息地") == terms("保护金纹豹的栖息地")
    assert flowing("金纹\n  豹 lives in\n   the hills") == "金纹豹 lives in the hills"


def test_a_question_on_a_wrapped_pdf_quotes_the_whole_sentence(pdf_text, tmp_path):
    folder, document = pdf_text
    qa.build_index(folder, tmp_path)
    answer = qa.ask("What did the fish put into the lake feed on?", index_dir=tmp_path)
    assert not answer.abstained
    quote = answer.citations[0].quote
    assert unwrapped(quote) == "The board also stocked the lake with young pike and perch, which hunt the bream " \
        "whose feeding stirs mud from the bottom and clouds the water for weeks."
    assert "\n" in quote and document.text[answer.citations[0].start : answer.citations[0].end] == quote
    assert answer.text.startswith(f"{unwrapped(quote)} [1]")  # it reads as prose; the citation keeps the exact span
    assert f'<mark class="qa-quote">{unwrapped(quote)}</mark>' in sources_html(answer)
    answer = qa.ask("When did grebes last breed at Lake Varn before the restoration?", index_dir=tmp_path)
    assert not answer.abstained and "1978" in answer.text and unwrapped(answer.citations[0].quote).startswith("Fifteen pairs")


@pytest.mark.parametrize("page_count", [None, 3])
def test_running_headers_and_page_numbers_are_left_out(tmp_path, page_count):
    body = WRAPPED_LINES[1:]  # the title is printed once, above the first page's text
    pages, lines_per_page = [], -(-len(body) // page_count) if page_count else 7
    for number, first in enumerate(range(0, len(body), lines_per_page), 1):
        header = [] if number == 1 else ["Lake Varn Restoration Report"]
        pages.append("\n".join([*header, *body[first : first + lines_per_page], f"- {number} -"]))
    pages[0] = "Lake Varn Restoration Report\n" + pages[0]
    (tmp_path / "lake-varn.pdf").write_bytes(make_pdf(pages))
    document = load_corpus(tmp_path).documents[0]
    assert len(document.page_starts) == page_count if page_count else len(document.page_starts) > 3
    assert document.text.count("Lake Varn Restoration Report") == 1 and "- 2 -" not in document.text
    found = blocks(document.text, document.page_starts)
    assert [b.heading_text for b in found if b.heading_level is not None] == [
        "Lake Varn Restoration Report", "1. Background", "2. Measures", "3. Results"
    ]
    chunks = chunk_document("lake-varn.pdf", document.text, 160, 1, document.page_starts)
    assert {c.section.rsplit(" > ", 1)[-1] for c in chunks} == {"1. Background", "2. Measures", "3. Results"}
    results = next(c for c in chunks if "grebes" in c.text)
    assert unwrapped(results.text).startswith("By the summer of 2023") and results.text.endswith("county museum.")


def test_a_page_number_drawn_before_the_page_text_is_left_out(tmp_path):
    paragraphs = [textwrap.wrap(paragraph, 60) for paragraph in PARAGRAPHS]
    pages = [paragraphs[:3], paragraphs[3:6], paragraphs[6:]]
    (tmp_path / "lake-varn.pdf").write_bytes(make_laid_out_pdf(pages, paragraph_gap=8, indent=0, numbered=True))
    document = load_corpus(tmp_path).documents[0]
    assert "Page" not in document.text  # pypdf reads each number first, at the top of its page's text
    assert unwrapped(document.text).startswith("Lake Varn Restoration Report 1. Background")


CHINESE_PARAGRAPHS = [
    "瓦恩湖治理报告",
    "一、治理成效",
    "经过七年治理，瓦恩湖的透明度由2015年的0.6米提高到2023年的2.4米，连续三个夏季未再出现蓝藻水华。"
    "新建的芦苇湿地里有十五对凤头䴙䴘筑巢繁殖，这是该物种自1978年以来首次在湖区繁殖。",
    "二、资金来源",
    "治理工程共投入资金六千八百万克朗，其中地区财政出资四千一百万克朗，国家水利基金出资二千七百万克朗。",
]


LATER_CHINESE_PARAGRAPHS = [  # each but the last ends on a short line, as most paragraphs do
    "当地渔民组成了护湖队，共有四十二名队员，负责巡查偷排和非法捕捞行为。",
    "湖边新修了一条步道，全长六公里，每年接待游客约八万人次。",
    "下一步，地区政府计划把治理经验推广到周边的塞德湖和阿默湖。",
    "治理期间，县政府每年两次向公众通报水质监测结果，并在湖边设立了三块公示牌。",
]


def test_a_chinese_pdf_whose_paragraphs_open_with_two_ideographic_spaces_keeps_each_one_whole(tmp_path):
    paragraphs = [p if len(p) < 12 else "\u3000\u3000" + p for p in CHINESE_PARAGRAPHS + LATER_CHINESE_PARAGRAPHS]
    lines = [p[i : i + 14] for p in paragraphs for i in range(0, len(p), 14)]
    assert "续三个夏季未再出现蓝藻水华。" in lines  # a sentence ends at a full line's end, inside its paragraph
    (tmp_path / "wanhu.pdf").write_bytes(make_pdf(["\n".join(lines)]))
    document = load_corpus(tmp_path).documents[0]
    found = ["".join(document.text[b.start : b.end].split()) for b in blocks(document.text, document.page_starts)]
    assert found == CHINESE_PARAGRAPHS + LATER_CHINESE_PARAGRAPHS


def test_a_chinese_pdf_wrapped_inside_its_words_is_read_as_one_text(tmp_path):
    lines = [p[i : i + 23] for p in CHINESE_PARAGRAPHS for i in range(0, len(p), 23)]  # breaks inside words
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "wanhu.pdf").write_bytes(make_pdf(["\n".join(lines)]))
    qa.build_index(tmp_path / "corpus", tmp_path / "index")
    answer = qa.ask("凤头䴙䴘上一次在湖区繁殖是哪一年？", index_dir=tmp_path / "index")
    assert not answer.abstained and "1978" in answer.text and "\n" not in answer.text and " " not in answer.text[:-4]
    assert "\n" in answer.citations[0].quote  # the citation is the PDF's text as it is
    assert qa.retrieve("国家水利基金出资多少？", k=1, index_dir=tmp_path / "index", mode="bm25")[0].text.startswith("治理工程")


def test_a_table_row_reads_with_its_cells_named_by_the_header_after_the_caption():
    text = (
        "Table 1. Landings by species, 2019–2021 (tonnes)\n\n"
        "| Species | 2019 | 2020 | 2021 |\n|---|---|---|---|\n"
        "| Spiny lobster | 2,140 | 1,760 | 1,980 |\n"
    )
    row = text.index("| Spiny")
    assert row_read_under_header(text, row, len(text) - 1) == (
        "Table 1. Landings by species, 2019–2021 (tonnes): Spiny lobster — 2019: 2,140; 2020: 1,760; 2021: 1,980"
    )
    assert row_read_under_header(text, text.index("| Species"), text.index("\n|---")) is None  # the header itself
    grid = "+-----+------------------+\n| Opt | Meaning          |\n+=====+==================+\n| '<' | Forces the field |\n|     | to be left.      |\n+-----+------------------+"
    row = grid.index("| '<'")
    assert row_read_under_header(grid, row, grid.rindex("\n+")) == "'<' — Meaning: Forces the field to be left."


EMAIL = """From: Jo Penhallow <jo@kestrelvale.example>
Subject: Re: payment terms

Hi Declan,

We can accept your figure of £160 per month for the extended helpdesk hours, with invoices payable within
21 days. Both changes will start on 1 July 2024.

On Tue, 4 Jun 2024, Declan Pike wrote:
> Hi Jo,
>
> Thanks for your note. We can live with 21 days rather than 14 if that
> helps your finance team.
>
> On Mon, 3 Jun 2024, Jo Penhallow wrote:
>> Thanks for the proposal. Our finance team runs one payment run every
>> fortnight, so 14 days would be hard for us to meet. We could
>> agree to pay within 21 days instead of the current 30.
"""


def test_an_emails_quoted_mails_are_paragraphs_of_their_own_and_read_without_their_marks():
    chunks = chunk_document("thread.txt", EMAIL, max_tokens=200, overlap=1)
    texts = [chunk.text for chunk in chunks]
    # each quoted mail's paragraphs stand apart, and start after their marks
    assert any(text.startswith("Thanks for your note.") for text in texts)
    # (a mail's "… wrote:" line is read with the paragraph it announces)
    assert any(text.startswith("On Mon, 3 Jun 2024") and text.endswith("current 30.") for text in texts)
    assert not any("21 days rather than 14" in text and "payment run" in text for text in texts)
    assert all(EMAIL[chunk.start : chunk.end] == chunk.text for chunk in chunks)
    quoted = next(text for text in texts if text.startswith("On Mon, 3 Jun 2024"))
    assert flowing(quoted).endswith("We could agree to pay within 21 days instead of the current 30.")
    # a Python session's prompts are no quotes
    session = "Lists grow in place:\n\n>>> items = [1, 2]\n>>> items.append(3)\n>>> items\n[1, 2, 3]\n"
    assert [chunk.text for chunk in chunk_document("lists.txt", session, 200, 1)] == [session.strip()]
