"""Chunking: exact offsets, sections kept, English and Chinese sentences and clauses, sizes respected."""

from __future__ import annotations

from qa.chunking import Chunk, chunk_document
from qa.structure import blocks
from qa.sentences import CLAUSE_MIN_TOKENS, SEGMENTER_WINDOW, approx_tokens, clause_spans, sentence_spans, split_latin

LONG_PAPER = """China's Biodiversity Conservation

Preface

Biodiversity makes the earth vibrant. It is the foundation for human survival and development. Dr. Li said so in the U.S. in 2021.

I. China's Biodiversity Conservation Philosophy

1. Respecting Nature

China respects nature. It follows the ways of nature. It protects nature. """ + " ".join(
    f"Measure number {n} strengthens the protection of habitats and species across the country." for n in range(30)
) + """

2. Working for Sustainable Development

China pursues green development. It shares the benefits.

II. Improving the In-situ Conservation System

China has set up national parks.
"""

CHINESE_PAPER = """中国的生物多样性保护
前言
生物多样性使地球充满生机，也是人类生存和发展的基础。保护生物多样性有助于维护地球家园。
一、秉持生物多样性保护理念
（一）尊重自然、顺应自然、保护自然
中国坚持尊重自然；推动绿色发展！人与自然和谐共生？是的。
二、提高生物多样性治理能力
中国颁布实施《生物安全法》。
"""


def test_offsets_round_trip_on_every_chunk(shipped_text):
    for text in (shipped_text, LONG_PAPER, CHINESE_PAPER, "A\r\nB. " * 3, "no punctuation at all"):
        for max_tokens in (16, 40, 160):
            for chunk in chunk_document("doc.txt", text, max_tokens, 1):
                assert text[chunk.start : chunk.end] == chunk.text
                assert chunk.text.strip() == chunk.text and chunk.text


def test_shipped_paragraphs_stay_whole_at_default_size(shipped_text):
    chunks = chunk_document("summary.txt", shipped_text, 160, 1)
    paragraphs = [b for b in blocks(shipped_text) if b.heading_level is None]
    assert [c.text for c in chunks] == [shipped_text[b.start : b.end].strip() for b in paragraphs]
    assert len(chunks) == 8
    assert {c.section for c in chunks} == {"White paper: China's biodiversity conservation has achieved remarkable results"}


def test_no_chunk_crosses_a_section():
    chunks = chunk_document("paper.txt", LONG_PAPER, 40, 1)
    heading_offsets = [b.start for b in blocks(LONG_PAPER) if b.heading_level is not None]
    for chunk in chunks:
        assert not any(chunk.start <= offset < chunk.end for offset in heading_offsets)
    sections = {c.section for c in chunks}
    assert "China's Biodiversity Conservation > Preface" not in sections  # same level replaces, not nests
    assert "I. China's Biodiversity Conservation Philosophy > 1. Respecting Nature" in sections
    assert "II. Improving the In-situ Conservation System" in sections
    respecting = [c for c in chunks if c.section.endswith("1. Respecting Nature")]
    assert len(respecting) > 3, "the long section is split into several chunks"
    assert all("Sustainable" not in c.text for c in respecting)


def test_chunks_respect_the_size_and_overlap():
    chunks = chunk_document("paper.txt", LONG_PAPER, 40, 1)
    assert all(approx_tokens(c.text) <= 40 for c in chunks)
    respecting = [c for c in chunks if c.section.endswith("1. Respecting Nature")]
    for first, second in zip(respecting, respecting[1:]):
        last_sentence = LONG_PAPER[slice(*sentence_spans(LONG_PAPER, first.start, first.end)[-1])]
        assert second.text.startswith(last_sentence), "one sentence of overlap"


def test_a_sentence_longer_than_a_chunk_is_cut_without_losing_text():
    text = "word " * 500 + "end."
    chunks = chunk_document("long.txt", text, 50, 0)
    assert all(approx_tokens(c.text) <= 50 for c in chunks)
    assert sum(approx_tokens(c.text) for c in chunks) == approx_tokens(text)


def test_chinese_text_splits_into_sentences():
    text = "中国颁布实施《生物安全法》。将生物安全纳入国家安全体系；他说：“很好。”然后呢？是的！"
    assert [text[a:b] for a, b in sentence_spans(text)] == [
        "中国颁布实施《生物安全法》。",
        "将生物安全纳入国家安全体系；",
        "他说：“很好。”",
        "然后呢？",
        "是的！",
    ]


def test_clauses_split_at_commas_and_semicolons_and_join_short_pieces(shipped_text):
    spans = clause_spans(shipped_text)
    sentences = sentence_spans(shipped_text)
    for start, end in spans:
        piece = shipped_text[start:end]
        assert piece == piece.strip() and piece
        assert any(a <= start and end <= b for a, b in sentences), piece  # never across a sentence end
    text = "In 2021, China promulgated the biosafety law, incorporated biosafety into national security; and so on."
    assert [text[a:b] for a, b in clause_spans(text)] == [
        "In 2021, China promulgated the biosafety law,",
        "incorporated biosafety into national security; and so on.",
    ]
    assert all(approx_tokens(text[a:b]) >= CLAUSE_MIN_TOKENS for a, b in clause_spans(text))


def test_a_comma_that_groups_digits_cuts_no_clause():
    # It cut a table's every row, and every figure of a sentence, into pieces holding half a number (a probe).
    text = "The Fund has allocated 18,600 million valdems to 1,140 projects, with priority for the north.\n"
    row = "| Spiny lobster | 2,140 | 1,760 | 1,980 | 2,210 |"
    assert [text[a:b] for a, b in clause_spans(text)] == [
        "The Fund has allocated 18,600 million valdems to 1,140 projects,",
        "with priority for the north.",
    ]
    assert [row[a:b] for a, b in clause_spans(row)] == [row]


def test_chinese_clauses_split_at_chinese_commas():
    text = "中国持续推进自然保护地建设，启动国家公园体制试点；率先提出生态保护红线制度。"
    assert [text[a:b] for a, b in clause_spans(text)] == [
        "中国持续推进自然保护地建设，",
        "启动国家公园体制试点；",
        "率先提出生态保护红线制度。",
    ]


def test_a_one_clause_chunk_has_no_clauses_of_its_own():
    assert Chunk("id", "a.txt", 0, 20, "Parks protect birds.", "").clauses == []
    two = Chunk("id", "a.txt", 0, 60, "Wetland parks protect birds, and grassland is restored.", "")
    assert two.clauses == ["Wetland parks protect birds,", "and grassland is restored."]


def test_english_sentences_keep_abbreviations():
    text = "Dr. Li went to the U.S. in 2021. He said e.g. parks work! Did they? Yes."
    assert [text[a:b] for a, b in sentence_spans(text)] == [
        "Dr. Li went to the U.S. in 2021.",
        "He said e.g. parks work!",
        "Did they?",
        "Yes.",
    ]


def test_a_paragraph_longer_than_the_segmenter_window_splits_as_if_read_whole(monkeypatch):
    sentences = [
        f"Dr. Li of wetland {n} counted {n * 3} cranes in 2021, e.g. at dawn{'!' if n % 7 == 0 else '.'}"
        for n in range(400)
    ]
    paragraph = " ".join(sentences)
    assert len(paragraph) > 3 * SEGMENTER_WINDOW
    windowed = [paragraph[a:b] for a, b in sentence_spans(paragraph)]
    monkeypatch.setattr("qa.sentences.SEGMENTER_WINDOW", 10 * len(paragraph))
    whole = [paragraph[a:b] for a, b in split_latin(paragraph, 0, len(paragraph))]
    assert windowed == whole == sentences


def test_a_sentence_longer_than_the_segmenter_window_is_cut_without_losing_text():
    text = "word " * (3 * SEGMENTER_WINDOW // 5) + "end. Next one."
    spans = sentence_spans(text)
    assert [text[a:b] for a, b in spans][-1] == "Next one."
    assert all(b - a <= SEGMENTER_WINDOW for a, b in spans)
    assert "".join(text[a:b] for a, b in spans).replace(" ", "") == text.replace(" ", "")


def test_chinese_headings_nest_and_lines_are_paragraphs():
    chunks = chunk_document("zh.txt", CHINESE_PAPER, 160, 1)
    assert [c.section for c in chunks] == [
        "前言",
        "一、秉持生物多样性保护理念 > （一）尊重自然、顺应自然、保护自然",
        "二、提高生物多样性治理能力",
    ]
    assert chunks[-1].text == "中国颁布实施《生物安全法》。"
    assert approx_tokens("中国颁布 the law") == 6


def test_chunk_ids_come_from_content():
    first = chunk_document("paper.txt", LONG_PAPER, 40, 1)
    edited = LONG_PAPER.replace("China has set up national parks.", "China has set up ten national parks.")
    second = chunk_document("paper.txt", edited, 40, 1)
    assert [c.chunk_id for c in first[:-1]] == [c.chunk_id for c in second[:-1]]
    assert first[-1].chunk_id != second[-1].chunk_id
    repeated = chunk_document("r.txt", "Same words.\n\nSame words.", 40, 0)
    assert len({c.chunk_id for c in repeated}) == 2


PLAIN_TEXT_WITH_CODE = """The "assert" statement
**********************

Assert statements are a convenient way to insert debugging assertions
into a program:

   assert_stmt ::= "assert" expression ["," expression]

The simple form is equivalent to

   if __debug__:
       if not expression: raise AssertionError

These equivalences assume that "__debug__" and "AssertionError" refer
to the built-in variables with those names.
"""


def test_an_indented_block_stays_one_paragraph_and_an_indented_line_is_no_heading():
    chunks = chunk_document("assert.txt", PLAIN_TEXT_WITH_CODE, 160, 1)
    texts = [chunk.text for chunk in chunks]
    assert "if __debug__:\n       if not expression: raise AssertionError" in texts  # one chunk, not a chunk a line
    # a line of code is text, not a section; after "into a program:" it is in the chunk that announces it
    assert any(text.endswith('into a program:\n\n   assert_stmt ::= "assert" expression ["," expression]') for text in texts)
    assert all("assert_stmt" not in chunk.section for chunk in chunks)
    for chunk in chunks:
        assert PLAIN_TEXT_WITH_CODE[chunk.start : chunk.end] == chunk.text


def test_a_short_line_that_heads_no_paragraph_is_content_not_a_heading():
    text = (
        "Museum guide\n\nOpening\n\nThe museum opens daily at nine.\n\n"
        "Entry fee: 6 euros for adults\n\nClosed on Mondays and on 25 December\n"
    )
    chunks = chunk_document("museum.txt", text, max_tokens=200, overlap=0)
    assert [(c.title, c.section, c.text) for c in chunks] == [
        ("Museum guide", "Opening", "The museum opens daily at nine."),
        ("Museum guide", "Opening", "Entry fee: 6 euros for adults"),
        ("Museum guide", "Opening", "Closed on Mondays and on 25 December"),
    ]


def test_a_document_of_one_short_line_or_of_headings_alone_is_still_indexed():
    for text in ("Entry fee: 6 euros\n", "# Opening hours\n\n## Monday to Friday 9 to 5\n"):
        chunks = chunk_document("note.md", text, max_tokens=200, overlap=0)
        assert "".join(c.text for c in chunks).replace("#", "").split() == text.replace("#", "").split()


def test_a_numbered_list_and_a_table_of_contents_are_text_not_headings():
    text = (
        "# Harbour report\n\nContents\nI. Recommendations\nII. Outlook\n\n## I. Recommendations\n\n"
        "The panel recommends:\n\n1. Dredge the channel to 11 metres\n2. Close the Pier 4 depot\n\nThe Board agreed.\n\n"
        "(1) Dredging will cost 8.2 million dollars\n\n(2) Work starts in May\n\n## II. Outlook\n\nTraffic will grow.\n"
    )
    chunks = {c.text: c.section for c in chunk_document("report.md", text, max_tokens=200, overlap=0)}
    recommended = "The panel recommends:\n\n1. Dredge the channel to 11 metres\n2. Close the Pier 4 depot"
    assert chunks[recommended] == "Harbour report > I. Recommendations"
    assert chunks["The Board agreed."] == "Harbour report > I. Recommendations"
    assert chunks["(1) Dredging will cost 8.2 million dollars"] == "Harbour report > I. Recommendations"
    assert chunks["(2) Work starts in May"] == "Harbour report > I. Recommendations"  # the last item heads nothing
    assert chunks["Traffic will grow."] == "Harbour report > II. Outlook"


def test_chinese_numbering_nests_as_written():
    text = "一、总体情况\n\n（二）水环境\n\n1. 河流水质\n\n白龙江水质全部达标。\n\n（1）监测断面\n\n共设断面42个。\n"
    sections = [c.section for c in chunk_document("报告.txt", text, max_tokens=200, overlap=0)]
    assert sections == ["一、总体情况 > （二）水环境 > 1. 河流水质", "一、总体情况 > （二）水环境 > 1. 河流水质 > （1）监测断面"]


def test_chinese_numbers_without_a_space_are_headings_too():
    # Chinese sets no space after "1." (or writes "1．", "1、"); a probe's "1.三号线" was read as a paragraph of
    # its own, and the line under it lost its section.
    text = "三、轨道交通\n\n（一）克斯特拉瓦地铁\n\n1.三号线\n\n三号线全长18.4公里，设15座车站。\n\n2．四号线\n\n四号线预计2027年开通。\n"
    chunks = chunk_document("报告.txt", text, max_tokens=200, overlap=0)
    assert [c.section for c in chunks] == ["三、轨道交通 > （一）克斯特拉瓦地铁 > 1.三号线", "三、轨道交通 > （一）克斯特拉瓦地铁 > 2．四号线"]
    assert [c.text for c in chunks] == ["三号线全长18.4公里，设15座车站。", "四号线预计2027年开通。"]


def test_a_short_line_over_numbered_headings_heads_them():
    # A probe's regulation summary: "Main provisions" was read as a paragraph, and its numbered parts sat under
    # the section before it.
    text = "Summary\n\nPurpose\n\nThe rule sets shares.\n\nMain provisions\n\n1. Minimum shares\n\nAt least half.\n\n2. Reporting\n\nEach year.\n"
    chunks = chunk_document("rule.txt", text, max_tokens=200, overlap=0)
    assert [(c.section, c.text) for c in chunks] == [
        ("Purpose", "The rule sets shares."),
        ("Main provisions > 1. Minimum shares", "At least half."),
        ("Main provisions > 2. Reporting", "Each year."),
    ]


def test_a_paragraph_ending_in_a_colon_is_one_chunk_with_the_list_it_announces():
    # A probe's orchard page: "The main varieties are:" and its bullets were two chunks, and "What apple varieties
    # grow in the orchard?" was refused, the lead-in holding no variety and the list no longer saying what it lists.
    text = (
        "# Orchard\n\nThe orchard was planted in 1998.\n\nThe main varieties are:\n\n- Egremont Russet\n- Bramley\n\n"
        "- Cox\n\nVisitors are welcome.\n\nThe rule is short:\n\nNo ladders.\n\nNo dogs.\n"
    )
    assert [c.text for c in chunk_document("orchard.md", text, max_tokens=200, overlap=0)] == [
        "The orchard was planted in 1998.",
        "The main varieties are:\n\n- Egremont Russet\n- Bramley\n\n- Cox",
        "Visitors are welcome.",
        "The rule is short:\n\nNo ladders.",  # with no list after it, the one paragraph it announces
        "No dogs.",
    ]


def test_a_colon_before_a_heading_joins_nothing():
    text = "Parts\n\nIt has two parts:\n\nPart one\n\nThe first part.\n"
    chunks = chunk_document("parts.txt", text, max_tokens=200, overlap=0)
    assert [c.text for c in chunks] == ["It has two parts:", "The first part."]


WRAPPED_REGULATION = """Regulation No. 3/2025 on Allotment Gardens

Chapter 1 — General Provisions

Article 1 — Scope

1.1 This Regulation governs the letting, use and care of the allotment gardens
owned by the Town of Ashby at Mill Lane, Rowan Fields and the Old Quarry.

1.2 It applies to every tenant and to every person working a plot on a
tenant's behalf.

Article 2 — Rents

2.1 The annual rent of a full plot is 48 pounds and of a half plot 26 pounds,
payable by 31 March of each year.

2.2 Tenants over 65 pay half rent.

Chapter 2 — Use of Plots

Article 3 — Cultivation

3.1 At least three quarters of each plot shall be cultivated between 1 April
and 30 September; a plot left untended for eight weeks may be re-let.
"""


def test_a_wrapped_numbered_clause_is_a_paragraph_under_its_chapter_and_article():
    # Its first line, numbered and as long as the others, was read as a heading: "1.1 This Regulation governs
    # the letting, use and care of the allotment gardens" became a section and its facts could not be quoted.
    chunks = chunk_document("allotments.txt", WRAPPED_REGULATION, 160, 1)
    by_start = {chunk.text.split()[0]: chunk for chunk in chunks}
    assert by_start["1.1"].text.startswith("1.1 This Regulation governs the letting")
    assert by_start["1.1"].text.endswith("Rowan Fields and the Old Quarry.")
    assert by_start["1.1"].section == "Chapter 1 — General Provisions > Article 1 — Scope"
    assert by_start["2.1"].section == "Chapter 1 — General Provisions > Article 2 — Rents"
    assert "payable by 31 March" in by_start["2.1"].text
    assert by_start["2.2"].text == "2.2 Tenants over 65 pay half rent."
    assert by_start["3.1"].section == "Chapter 2 — Use of Plots > Article 3 — Cultivation"
    assert not any(chunk.text.startswith("Chapter") for chunk in chunks)


def test_word_led_headings_nest_in_the_order_a_document_uses_them():
    constitution = (
        "Article I — The Assembly\n\nSection 1. The Assembly has 41 members elected for four years.\n\n"
        "Section 2. It meets at least six times a year.\n\nArticle II — The Council\n\n"
        "Section 1. The Council has seven members.\n"
    )
    assert [c.section for c in chunk_document("c.txt", constitution, 160, 1)] == [
        "Article I — The Assembly", "Article I — The Assembly", "Article II — The Council",
    ]
    headed = (
        "Article I — The Assembly\n\nSection 1 — Members\n\nThe Assembly has 41 members elected for four years.\n\n"
        "Section 2 — Sittings\n\nIt meets at least six times a year.\n"
    )
    assert [c.section for c in chunk_document("c.txt", headed, 160, 1)] == [
        "Article I — The Assembly > Section 1 — Members", "Article I — The Assembly > Section 2 — Sittings",
    ]
    chinese = "第一章 总则\n第一节 适用范围\n本办法适用于全市所有公园。\n第二节 管理机构\n市园林局负责公园管理。\n第二章 附则\n本办法自2025年1月1日起施行。\n"
    assert [c.section for c in chunk_document("z.txt", chinese, 160, 1)] == [
        "第一章 总则 > 第一节 适用范围", "第一章 总则 > 第二节 管理机构", "第二章 附则",
    ]


def test_a_part_heading_right_over_its_first_sub_part_heading_heads_it():
    # Numbered lines one under another are a list where blank lines part the paragraphs; a probe's Chinese PDF
    # set "一、年度概况" right over "（一）货物吞吐量", and both were read as text of the paragraph after them.
    text = (
        "梅港年度报告\n\n前言\n\n本报告总结了全年工作。\n\n一、年度概况\n（一）货物吞吐量\n\n2024年货物吞吐量达到8460万吨。\n\n"
        "（二）治理\n\n董事会由九名董事组成。\n\n二、建议\n\n1. 疏浚航道至15米\n2. 关闭四号码头仓库\n"
    )
    chunks = chunk_document("report.txt", text, 160, 1)
    assert [(chunk.section, chunk.text.split("\n")[0]) for chunk in chunks] == [
        ("前言", "本报告总结了全年工作。"),
        ("一、年度概况 > （一）货物吞吐量", "2024年货物吞吐量达到8460万吨。"),
        ("一、年度概况 > （二）治理", "董事会由九名董事组成。"),
        ("二、建议", "1. 疏浚航道至15米"),
    ]


def test_where_headings_are_marked_a_short_line_is_text_and_a_caption_stays_with_its_table():
    # A probe's Markdown report: its byline under the title and a table's caption were read as headings, so the
    # title was lost and every section after the caption sat under "Table 1: ...".
    text = (
        "# Offshore Wind Review 2025\n\nNational Energy Agency (NEA)\n\nPublished 18 September 2025.\n\n"
        "## 2. Capacity\n\n### 2.1 Overview\n\nFive sites are licensed.\n\nTable 1: Capacity by site\n\n"
        "| Site | Turbines |\n| Skarvik Bank | 84 |\n| Hollin Deep | 62 |\n\n### 2.2 Skarvik Bank\n\n"
        "Skarvik Bank lies 48 km north-west of Harwick.\n"
    )
    chunks = chunk_document("review.md", text, 160, 0)
    assert [(chunk.section, chunk.text.split("\n")[0]) for chunk in chunks] == [
        ("Offshore Wind Review 2025", "National Energy Agency (NEA)"),
        ("Offshore Wind Review 2025", "Published 18 September 2025."),
        ("Offshore Wind Review 2025 > 2. Capacity > 2.1 Overview", "Five sites are licensed."),
        ("Offshore Wind Review 2025 > 2. Capacity > 2.1 Overview", "Table 1: Capacity by site"),
        ("Offshore Wind Review 2025 > 2. Capacity > 2.2 Skarvik Bank", "Skarvik Bank lies 48 km north-west of Harwick."),
    ]
    assert chunks[3].text.endswith("| Hollin Deep | 62 |"), "the caption is one passage with its rows"
    # Without marked headings, a short line on its own still heads what follows it.
    plain = chunk_document("notes.txt", "Opening hours\n\nThe pool opens at 7.\n\nPrices\n\nA swim costs 5 euros.\n", 160, 0)
    assert [chunk.section for chunk in plain] == ["Opening hours", "Prices"]


def test_a_dateline_is_no_heading_and_stays_with_its_paragraph():
    """A news item's dateline under its headline ("9 May 2024", as Markdown's *9 May 2024* or an HTML page's
    <p class="dateline"> read) had headed every paragraph, and was never quoted (a new-user probe)."""
    for dateline in ("9 May 2024", "Thursday, May 9, 2024", "2024-05-09", "2024年5月9日"):
        text = f"# Sedge Brook boardwalk reopens\n\n{dateline}\n\nThe boardwalk reopened today.\n\nIt is 140 metres long.\n"
        chunks = chunk_document("news.md", text, max_tokens=200, overlap=0)
        assert {chunk.section for chunk in chunks} == {"Sedge Brook boardwalk reopens"}, dateline
        assert chunks[0].text == f"{dateline}\n\nThe boardwalk reopened today.", dateline
    numbered = chunk_document("report.txt", "Report\n\n1 Introduction\n\nThe survey began in 2021.\n", 200, 0)
    assert numbered[-1].section == "Report > 1 Introduction", "a numbered heading without a dot is still one"


def test_a_long_chinese_title_on_the_first_line_heads_the_document():
    """A notice's title of 27 characters, over its document number: read as a paragraph, it was a passage of its
    own that a probe's questions naming the standard quoted."""
    text = ("澜川省林业局关于贯彻实施《湿地生态监测技术规范》的通知\n\n澜林湿〔2025〕37号\n\n各市、县（区）林业主管部门：\n\n"
            "一、组织宣贯培训\n\n省林业局定于2025年5月20日至22日在青梧市举办宣贯培训班。\n")
    chunks = chunk_document("notice.txt", text, max_tokens=200, overlap=0)
    assert all(chunk.text != "澜川省林业局关于贯彻实施《湿地生态监测技术规范》的通知" for chunk in chunks)
    assert {chunk.title for chunk in chunks} == {"澜川省林业局关于贯彻实施《湿地生态监测技术规范》的通知"}
