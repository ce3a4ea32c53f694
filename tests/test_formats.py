"""Every format, English and Chinese: text, sections and page numbers reach passages and citations."""

from __future__ import annotations

import pytest

import qa
from documents import (
    CHINESE_PAGES, ENGLISH_PAGES, make_bulleted_pdf, make_docx, make_html, make_laid_out_pdf, make_ligature_pdf,
    make_pdf, make_table_pdf, make_unmapped_pdf,
)
from qa.chunking import chunk_document
from qa.corpus import load_corpus

HTML_SECTIONS = [
    ("Wetlands", "Wetland parks protect migratory birds and store carbon in peat."),
    ("Grasslands", "Rotational grazing lets grassland recover after years of overuse."),
]
CHINESE_HTML_SECTIONS = [
    ("湿地", "湿地被称为地球之肾，能够净化水质、调节气候。中国已建立大量湿地公园，保护迁徙候鸟的栖息地，并开展退耕还湿工程。"),
    ("草原", "轮牧让草原得以恢复。牧民在春季休牧可以获得补贴，草原植被覆盖度逐年提高，草畜平衡制度全面推行。"),
]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("formats")
    (folder / "paper.pdf").write_bytes(make_pdf(ENGLISH_PAGES))
    (folder / "论文.pdf").write_bytes(make_pdf(CHINESE_PAGES))
    (folder / "article.html").write_bytes(make_html("Nature news", HTML_SECTIONS))
    (folder / "文章.htm").write_bytes(make_html("自然新闻", CHINESE_HTML_SECTIONS, encoding="gbk"))
    (folder / "report.docx").write_bytes(
        make_docx(
            [
                ("h1", "Forest report"),
                ("p", "Forest cover reached a quarter of the land."),
                ("h2", "Tree planting"),
                ("p", "Volunteers planted millions of trees along the desert edge."),
                ("table", "Province|Trees planted\nGansu|41 million\nNingxia|17 million"),
                ("h2", "Grasslands"),
                ("p", "Herders moved their flocks to summer pastures to rest the winter ones."),
            ]
        )
    )
    (folder / "报告.docx").write_bytes(make_docx([("h1", "森林报告"), ("p", "森林覆盖率达到四分之一。")]))
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4 this is not really a pdf")
    (folder / "broken.docx").write_bytes(b"PK not a zip")
    (folder / "empty.html").write_bytes(b"<html><head><title>x</title></head><body></body></html>")
    # A page saved before a script loaded its text: trafilatura gave its menu back as the text (a probe).
    (folder / "menu-only.html").write_bytes(
        "<html><body><nav>首页 新闻 通知公告</nav><footer>版权所有 联系我们</footer></body></html>".encode()
    )
    return folder


@pytest.fixture(scope="module")
def documents(corpus):
    loaded = load_corpus(corpus)
    return {d.source: d for d in loaded.documents}, {s.source: s.reason for s in loaded.skipped}


@pytest.fixture(scope="module")
def index_dir(corpus, tmp_path_factory):
    folder = tmp_path_factory.mktemp("formats-index")
    qa.build_index(corpus, folder)
    return folder


def test_unreadable_files_are_named_with_a_reason(documents):
    _, skipped = documents
    assert set(skipped) == {"broken.pdf", "broken.docx", "empty.html", "menu-only.html"}
    assert "PDF" in skipped["broken.pdf"] and ".docx" in skipped["broken.docx"] and "article" in skipped["empty.html"]
    assert "only menus, headers or footers" in skipped["menu-only.html"]


def test_pdf_pages_are_kept_apart_with_their_starts(documents):
    paper = documents[0]["paper.pdf"]
    assert len(paper.page_starts) == 2
    second = paper.text[paper.page_starts[1] :]
    assert second.startswith("II. Grasslands") and "Rotational grazing" in second
    assert "湿地被称为地球之肾" in documents[0]["论文.pdf"].text


def test_html_keeps_the_article_and_drops_menus_and_footers(documents):
    for name, sections in (("article.html", HTML_SECTIONS), ("文章.htm", CHINESE_HTML_SECTIONS)):
        text = documents[0][name].text
        assert all(body in text for _, body in sections), text
        assert "cookies" not in text and "Copyright" not in text and "Log in" not in text


def test_docx_headings_become_sections(index_dir):
    passages = qa.retrieve("How many trees did volunteers plant?", k=1, index_dir=index_dir)
    assert passages[0].source == "report.docx"
    assert passages[0].section == "Forest report > Tree planting"
    assert qa.retrieve("森林覆盖率是多少？", k=1, index_dir=index_dir)[0].source == "报告.docx"


def test_a_docx_table_is_one_passage_under_its_heading(index_dir):
    passage = qa.retrieve("How many trees were planted in Ningxia?", k=1, index_dir=index_dir)[0]
    assert passage.source == "report.docx" and passage.section == "Forest report > Tree planting"
    assert "| Gansu | 41 million |\n| Ningxia | 17 million |" in passage.text
    after = qa.retrieve("Where do herders move their flocks in summer?", k=1, index_dir=index_dir)[0]
    assert after.section == "Forest report > Grasslands", "the rows do not stand in for the next heading"


def test_a_pdf_citation_carries_its_page(index_dir, documents):
    answer = qa.ask("How do herders help pastures recover?", index_dir=index_dir)
    assert not answer.abstained
    citation = answer.citations[0]
    assert citation.source == "paper.pdf" and citation.page == 2
    assert documents[0]["paper.pdf"].text[citation.start : citation.end] == citation.quote
    assert answer.passages[0].page == 2


def test_chinese_pdf_and_html_answer_chinese_questions(index_dir):
    assert qa.retrieve("牧民春季休牧有补贴吗？", k=1, index_dir=index_dir)[0].source == "论文.pdf"
    assert qa.retrieve("湿地有什么作用？", k=2, index_dir=index_dir)[0].source in {"论文.pdf", "文章.htm"}
    page = qa.retrieve("牧民春季休牧有补贴吗？", k=1, index_dir=index_dir)[0].page
    assert page == 2


def test_pdf_ligatures_are_read_as_their_letters(tmp_path):
    lines = ["Reed \ufb01elds and \ufb02ooded meadows shelter 74 kinds of \ufb01sh.", "Nothing else grows there."]
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "meadows.pdf").write_bytes(make_ligature_pdf(lines))
    assert load_corpus(tmp_path / "corpus").documents[0].text.startswith("Reed fields and flooded meadows")
    qa.build_index(tmp_path / "corpus", tmp_path / "index")
    passage = qa.retrieve("How many kinds of fish live in the flooded meadows?", k=1, index_dir=tmp_path / "index", mode="bm25")[0]
    assert passage.text.startswith("Reed fields and flooded meadows shelter 74 kinds of fish.")


def test_a_pdf_bullet_that_maps_to_no_character_is_dropped(tmp_path):
    (tmp_path / "rules.pdf").write_bytes(
        make_bulleted_pdf("In this regulation:", ["A member holds a valid card.", "An item is anything that may be lent."])
    )
    text = load_corpus(tmp_path).documents[0].text
    assert "A member holds a valid card." in text and "An item is anything" in text
    assert not any(ord(character) < 32 and character not in "\n\t" or ord(character) == 0x7F for character in text)


def test_a_pdf_whose_glyphs_map_to_no_characters_is_rejected_with_its_reason(tmp_path):
    # A browser printing Chinese with no Chinese font installed: every character but the digits is glyph 0.
    (tmp_path / "report.pdf").write_bytes(make_unmapped_pdf(40, "2024"))
    (tmp_path / "notes.txt").write_text("Forest cover reached 63.42% in 2024.", encoding="utf-8")
    corpus = load_corpus(tmp_path)
    assert [document.source for document in corpus.documents] == ["notes.txt"]
    assert corpus.skipped[0].source == "report.pdf"
    assert "91% of its characters are glyphs its fonts map to no letter" in corpus.skipped[0].reason
    (tmp_path / "report.pdf").write_bytes(make_unmapped_pdf(1, "2024" * 3))  # a stray glyph is dropped, not fatal
    assert [document.source for document in load_corpus(tmp_path).documents] == ["notes.txt", "report.pdf"]


def test_an_html_tables_caption_is_a_line_above_its_rows(tmp_path):
    (tmp_path / "pavements.html").write_bytes(
        "<html><body><article><h1>Cool pavements</h1><p>We measured surface temperatures on coated and plain streets "
        "in Marisol City during the summer of 2023.</p><table><caption>Table 1. Mean afternoon surface temperature by "
        "street type</caption><thead><tr><th>Street</th><th>Coated</th><th>Plain</th></tr></thead><tbody><tr><td>North"
        "</td><td>41.2</td><td>47.9</td></tr></tbody></table><p>Coated streets were cooler by 6.4 degrees.</p>"
        "</article></body></html>".encode()
    )
    text = load_corpus(tmp_path).documents[0].text
    assert "Table 1. Mean afternoon surface temperature by street type\n\n| Street | Coated | Plain |\n| North |" in text
    assert "---" not in text


def test_indented_one_line_paragraphs_one_under_another_stay_apart(tmp_path):
    # A probe's Chinese report listed its figures as one-line paragraphs, each indented: each sat under a line as
    # far right as itself, so none read as indented, and they ran together with the next paragraph's lines.
    paragraphs = [
        ["The port handled 84.6 million tonnes of cargo in 2024, five percent more than", "the year before."],
        ["Car imports fell by eight percent to 142,000 vehicles, reflecting weak demand", "in the first half."],
        ["The busiest month was October, when the quays handled 7.9 million tonnes of", "cargo in all."],
        ["Ship calls rose by four percent to 9,870, the most since the harbour was", "deepened in 2009."],
        ["Container traffic reached 3.12 million units."],
        ["Dry bulk came to 21.3 million tonnes."],
        ["Liquid bulk came to 14.9 million tonnes."],
        ["The quietest month was February, when the quays handled 6.1 million tonnes of", "cargo."],
    ]
    (tmp_path / "port.pdf").write_bytes(make_laid_out_pdf([paragraphs], paragraph_gap=2, indent=20))
    document = load_corpus(tmp_path).documents[0]
    chunks = chunk_document(document.source, document.text, 160, 1, document.page_starts)
    assert [" ".join(chunk.text.split()) for chunk in chunks] == [" ".join(lines) for lines in paragraphs]


def test_html_text_reads_as_the_page_shows_it(tmp_path):
    (tmp_path / "notice.html").write_bytes(
        b"<html><head><title>Water notice</title></head><body><article><h1>Water notice</h1>"
        b"<p>From <b>1 July 2024</b> bills are sent <em>monthly</em>; the code is ACCT_2024_07 and the form "
        b"<code>opt_out_paper</code>.</p><p>Water costs 2.10 euros per m<sup>3</sup>, and 5 * 3 = 15 [note].</p>"
        b"<h2>Details</h2><p>The meters are read twice a year by the Water Authority of Brannock.</p></article></body></html>"
    )
    text = load_corpus(tmp_path).documents[0].text
    assert "From 1 July 2024 bills are sent monthly; the code is ACCT_2024_07 and the form opt_out_paper." in text
    assert "2.10 euros per m3, and 5 * 3 = 15 [note]." in text
    assert "## Details" in text, "headings stay marked, so they become sections"


def test_markdown_reads_as_the_page_shows_it_and_quotes_index_that_text(tmp_path):
    # A probe's cycling guide answered "Helmets are *mandatory*…" and "Read the [club rules](https://…)…".
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "guide.md").write_text(
        "# Velmont Cycling Club\n\nWelcome to the **Velmont Cycling Club**. Read the [club rules](https://example.org/rules) "
        "first.\n\n## Fees\n\n| Category | Annual fee |\n| --- | --- |\n| Adult | 45 euros |\n| Student | 20 euros |\n\n"
        "## Safety\n\nHelmets are *mandatory* on every ride, and snake_case stays as written. Email `secretary@velmont.example`.\n\n"
        "The rides are:\n\n1. Tuesday at 18:30, 35 km\n2. Saturday at 8:00, 90 km\n\n```\nride_leader --check-in\n```\n",
        encoding="utf-8",
    )
    text = load_corpus(tmp_path / "corpus").documents[0].text
    assert "Welcome to the Velmont Cycling Club. Read the club rules first." in text
    assert "Helmets are mandatory on every ride, and snake_case stays as written. Email secretary@velmont.example." in text
    assert "## Fees\n\n| Category | Annual fee |\n| Adult | 45 euros |\n| Student | 20 euros |" in text
    assert "The rides are:\n\n1. Tuesday at 18:30, 35 km\n2. Saturday at 8:00, 90 km" in text
    assert "ride_leader --check-in" in text and "*" not in text and "](" not in text
    qa.build_index(tmp_path / "corpus", tmp_path / "index")
    answer = qa.ask("Do riders have to wear a helmet?", index_dir=tmp_path / "index")
    quote = answer.citations[0]
    assert quote.quote == text[quote.start : quote.end] and quote.quote.startswith("Helmets are mandatory")
    assert [c.section for c in qa.retrieve("How much is the adult fee?", k=1, index_dir=tmp_path / "index")] == [
        "Velmont Cycling Club > Fees"
    ]
    # a table's row is quoted under its header, which says what its cells are
    answer = qa.ask("How much does a student pay to join?", index_dir=tmp_path / "index")
    assert answer.citations[0].quote == "| Category | Annual fee |\n| Adult | 45 euros |\n| Student | 20 euros |", answer.text


def test_markdown_setext_headings_front_matter_and_raw_html_read_as_shown(tmp_path):
    # A second probe: "===" headings became "= Title", front matter a list item, an HTML comment a heading.
    (tmp_path / "club.md").write_text(
        "---\ntitle: Harbour Kayak Club\nauthor: Mira Tollan\n---\n\nClub history\n============\n\n"
        "The club was founded in 1987.\n\nEarly boats\n-----------\n\n<!-- internal note: change the code in May -->\n\n"
        '<div class="warning">\nThe shed door sticks &amp; jams.\n</div>\n\nRead this first.<br>Then launch.\n',
        encoding="utf-8",
    )
    assert load_corpus(tmp_path).documents[0].text == (
        "# Club history\n\nThe club was founded in 1987.\n\n## Early boats\n\nThe shed door sticks & jams.\n\n"
        "Read this first.\nThen launch.\n"
    )
    (tmp_path / "club.md").write_text("---\n\nA text that opens with a rule.\n\n---\n\nMore.\n", encoding="utf-8")
    assert load_corpus(tmp_path).documents[0].text == "A text that opens with a rule.\n\nMore.\n"


def test_html_without_an_article_element_keeps_its_headings_and_lists(tmp_path):
    # A probe's kettle manual had its text directly in <body>: the headings and the safety list were dropped,
    # and "Can children use the kettle?" was answered with the manual's greeting.
    (tmp_path / "kettle.html").write_bytes(
        b"<!DOCTYPE html><html><head><title>K7 Kettle manual</title></head><body>"
        b"<nav><ul><li><a href='/'>Home</a></li><li><a href='/shop'>Shop</a></li></ul></nav>"
        b"<h1>K7 Kettle</h1><p>Thank you for choosing the K7. This manual explains how to use and clean it.</p>"
        b"<h2>1. Safety instructions</h2><ul><li>Do not immerse the base in water.</li>"
        b"<li>Children under 8 years must not use or clean the kettle.</li></ul>"
        b"<h2>2. Cleaning</h2><p>Descale the kettle every four weeks in hard-water areas.</p>"
        b"<footer><p>Copyright 2024 Example Appliances. All rights reserved.</p></footer></body></html>"
    )
    text = load_corpus(tmp_path).documents[0].text
    assert "## 1. Safety instructions\n\n- Do not immerse the base in water.\n- Children under 8 years" in text, text
    assert "## 2. Cleaning" in text and "Copyright" not in text and "Shop" not in text
    qa.build_index(tmp_path, tmp_path / "index")
    answer = qa.ask("Can children use the kettle?", index_dir=tmp_path / "index")
    assert "Children under 8 years must not use" in answer.text, answer.text
    assert answer.citations[0].section == "K7 Kettle > 1. Safety instructions"
    # the manual's own "Thank you for choosing the K7" does not make thanks a question about it
    for small_talk in ("ok thanks", "Thanks!"):
        assert qa.ask(small_talk, index_dir=tmp_path / "index").abstained, small_talk
    # nor after a real question: a probe's lone "thanks" (0.34 from "OK, thanks!" in MiniLM) was answered again
    for small_talk in ("ok thanks", "thanks", "thank you", "bye"):
        after = qa.ask(small_talk, history=["Can children use the kettle?"], index_dir=tmp_path / "index")
        assert after.abstained, (small_talk, after.text)


def test_html_headings_that_the_article_extractor_leaves_out_are_put_back(tmp_path):
    # trafilatura left every heading of a probe's Chinese report out of its article (the <h1>, the parts' <h2>
    # and the sub-parts' <h3>), so each citation carried the last plain line as its section.
    from qa.formats.html import parsed, read, with_headings

    paragraphs = "".join(f"<p>第{n}段。全年新建管网{n}公里，改造泵站{n + 3}座，完成投资{n}.5亿元。</p>" for n in range(1, 4))
    page = (
        "<html><head><meta charset='utf-8'><title>报告</title></head><body>"
        "<div class='nav'><h2>网站导航</h2><a href='/'>首页</a></div><div class='article'>"
        "<h1>澜江省2025年供水工作报告</h1><p class='info'>发布日期：2026年1月15日</p><h2>前言</h2>"
        f"<p>供水是城市运行的生命线。</p>{paragraphs}<h2>一、主要成效</h2><h3>（一）供水能力提升</h3>"
        f"<p>全省供水能力达到1286万吨/日。</p>{paragraphs}<h3>（二）污水处理提高</h3><p>污水处理率达到97.1%。</p>"
        "</div></body></html>"
    ).encode()
    text = read(page).text
    headings = [line for line in text.split("\n") if line.startswith("#")]
    assert headings == ["# 澜江省2025年供水工作报告", "## 前言", "## 一、主要成效", "### （一）供水能力提升", "### （二）污水处理提高"]
    sections = {chunk.text[:8]: chunk.section for chunk in chunk_document("r.html", text, 160, 0)}
    assert sections["全省供水能力达到"] == "澜江省2025年供水工作报告 > 一、主要成效 > （一）供水能力提升"
    assert sections["污水处理率达到9"] == "澜江省2025年供水工作报告 > 一、主要成效 > （二）污水处理提高"
    # As trafilatura wrote that report: the article without its headings. Each goes back before the text that
    # follows it on the page; the menu's heading, whose text is not in the article, stays out.
    article = "发布日期：2026年1月15日\n\n供水是城市运行的生命线。\n\n全省供水能力达到1286万吨/日。\n\n污水处理率达到97.1%。"
    assert with_headings(parsed(page), article) == (
        "# 澜江省2025年供水工作报告\n\n发布日期：2026年1月15日\n\n## 前言\n\n供水是城市运行的生命线。\n\n"
        "## 一、主要成效\n\n### （一）供水能力提升\n\n全省供水能力达到1286万吨/日。\n\n### （二）污水处理提高\n\n污水处理率达到97.1%。"
    )


def test_an_html_table_inside_markdown_keeps_its_cells_apart(tmp_path):
    # A probe's Markdown report held an HTML table of district spending: its rows read "Old Harbour 9.8 14".
    (tmp_path / "report.md").write_text(
        "# Spending\n\nSpending by district:\n\n<table>\n<tr><th>District</th><th>Capital works</th><th>Mains (km)</th></tr>\n"
        "<tr><td>Old <b>Harbour</b></td><td>9.8</td><td>14</td></tr>\n<tr><td>Eastgate</td><td></td><td>7</td></tr>\n"
        "</table>\n\n<p>Figures in million crowns.<br>Unaudited.</p>\n",
        encoding="utf-8",
    )
    assert load_corpus(tmp_path).documents[0].text == (
        "# Spending\n\nSpending by district:\n\n| District | Capital works | Mains (km) |\n| Old Harbour | 9.8 | 14 |\n"
        "| Eastgate |  | 7 |\n\nFigures in million crowns.\nUnaudited.\n"
    )


def test_a_docx_list_keeps_its_bullets_and_numbers():
    # Word draws the marker from the list's style or numbering; a probe's report lost every one of them, so its
    # lead-in "… on the following matters:" was read with one item and the items as paragraphs of their own.
    from qa.formats import docx

    text = docx.read(make_docx([
        ("p", "The Council advised the Agency in 2024 on the following matters:"),
        ("bullet", "the closed season for spiny lobster;"),
        ("bullet", "the rollout of the electronic logbook."),
        ("p", "The Agency's priorities for the next two years are to:"),
        ("number", "designate the Ferrow Trench marine protected area;"),
        ("number", "present a new Fisheries Bill to Parliament."),
        ("p", "Its other aims:"),
        ("numbered", "extend vessel monitoring to small boats;"),
        ("numbered", "report landings electronically."),
    ])).text
    # and its items are one to a line, as Markdown writes a list (a new-user probe's procedure in Word never
    # paired its lists with the same lists in its next version's Markdown)
    assert "\n\n- the closed season for spiny lobster;\n- the rollout" in text
    assert "\n\n1. designate the Ferrow Trench marine protected area;\n2. present a new Fisheries Bill" in text
    assert "\n\n1. extend vessel monitoring to small boats;\n2. report landings electronically." in text


def test_a_pdf_tables_cells_are_read_as_rows(tmp_path):
    # pypdf gives each cell of a drawn table as a line of its own: a probe's yearbook chapter read its tables as
    # one long sentence, and 4 of its 14 table questions came right.
    (tmp_path / "yearbook.pdf").write_bytes(make_table_pdf(
        "The breakdown of visits by museum is shown in Table 2, which starts in 2020.",
        "Table 2. Visits by museum, 2020–2022",
        [["Museum", "2020", "2021", "2022"], ["Harbour Museum", "48,310", "71,925", "103,460"],
         ["Museum of Fine Arts", "39,870", "55,140", "82,305"], ["Total", "88,180", "127,065", "185,765"]],
        "About 38 per cent of museum visits in 2022 were free visits, most of them by school groups.",
    ))
    text = load_corpus(tmp_path).documents[0].text
    assert "Table 2. Visits by museum, 2020–2022\n| Museum | 2020 | 2021 | 2022 |\n| Harbour Museum | 48,310 | 71,925 | 103,460 |" in text
    assert "| Total | 88,180 | 127,065 | 185,765 |" in text
    assert "The breakdown of visits by museum is shown in Table 2, which starts in 2020." in text  # prose stays prose
    qa.build_index(tmp_path, tmp_path / "index")
    answer = qa.ask("How many visits did the Harbour Museum have in 2021?", index_dir=tmp_path / "index")
    assert not answer.abstained and "| Harbour Museum | 48,310 | 71,925 |" in answer.citations[0].quote, answer.text
