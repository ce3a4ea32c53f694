"""A company's policies and a province's notices, as two new-user probes wrote them (2026-12-07): clauses cited by
number with any verb of saying, ones of a kind told by a letter ("Grade C"), days counted as "working days", pay
as a share of salary, announcements under a dateline with its byline, a Chinese notice's number and signature, a
work report that reviews last year under a heading, Chinese follow-ups that end in 呢 or leave the subject out,
and Chinese questions that name a province or a city."""

from __future__ import annotations

import pytest

import qa
from conftest import index_of
from qa.answer_types import asked_for
from qa.answerers.extractive import row_of_year_first
from qa.answerers.quotes import first_at, quote_span
from qa.structure import blocks
from qa.conversation import contextual_query, leans_on_context, names_no_topic
from qa.evidence import candidates
from qa.names import designations_asked, letters_named, other_ones_told

HANDBOOK = """# Harwick Optics Ltd — Staff Handbook

## 1. About this Handbook

1.1 This Handbook covers every Employee of Harwick Optics Ltd and states the rules that apply to them.

1.2 The Handbook is not part of any contract of employment, unless a clause expressly says that it is contractual.

## 4. Working Time

4.1 The normal working week is 37.5 hours, Monday to Friday.

4.2 Overtime must be approved in advance by the Line Manager.

4.3 Night work is paid at 1.25 times the hourly rate.

## 7. Discipline

7.1 A disciplinary hearing is chaired by a manager who was not involved in the investigation.

7.2 An Employee may appeal against a disciplinary decision within eight working days of receiving it.

## 9. Leaving the Company

9.1 After probation, Employees at Grades A and B must give one month's notice.

9.2 After probation, Employees at Grades C and D must give two months' notice.

9.3 Employees at Grade E must give three months' notice.

## 10. Confidentiality

10.1 Customer lists are confidential and must not be copied to personal devices.

10.2 Confidential information must not be disclosed during employment or for three years after leaving.
"""

BENEFITS = """Harwick Optics Ltd — Benefits Summary 2025

Income protection

If an Employee cannot work because of a long illness, income protection pays 55% of salary after 28 weeks of absence.

Enhanced sick pay

Enhanced sick pay is available to Employees with at least 13 weeks of Continuous Service.

Study leave

Employees taking an approved qualification receive up to 6 paid days a year for exams and revision.
"""

ANNOUNCEMENT = """NOTICE TO ALL STAFF: A NEW OFFICE IN GDANSK
14 April 2025 - From Wiktoria Halloran, Managing Director

Harwick Optics will open its sixth office, in Gdansk, on 2 October 2025.

The Gdansk office has 48 desks and a lens testing laboratory.
"""

TRAVEL_CHANGES = """# All-staff announcement: changes to the travel policy

3 March 2025 · From Ines Okafor, Finance Director

From 1 April 2025 the mileage rate for private cars rises to 47p per mile.
"""

NOTICE_ZH = """青川省水利厅关于开展2024年全省河道采砂专项整治的通知

青水发〔2024〕27号

各市水利局：

为规范河道采砂管理，省水利厅决定开展河道采砂专项整治。现通知如下：

第一条　本次专项整治的范围为青川江干流及其主要支流。

第二条　专项整治自2024年5月1日起至2024年10月31日止。

第三条　省级财政安排专项资金8,600万元，用于采砂监管设施建设。

青川省水利厅

2024年4月12日
"""

WORK_REPORT_ZH = """# 2024年青川省政府工作报告

## 一、2023年工作回顾

过去一年，全省经济社会发展主要目标任务圆满完成。

### （一）经济运行

全省地区生产总值达到2.48万亿元，比上年增长5.2%。

### （二）民生保障

城镇新增就业41.6万人，城镇调查失业率为5.0%。

## 二、2024年主要目标任务

### （一）主要预期目标

- 地区生产总值增长5%左右；
- 城镇新增就业40万人以上。

### （二）重点工作

1. 扩大有效投资。安排省级重点项目960个。
2. 建设青川江生态屏障。完成造林6万公顷。
3. 办好民生实事。新增养老床位1.8万张。
"""


NEIGHBOUR_ZH = """# 岚江省发布2023年生态环境状况公报

岚江省生态环境厅日前发布2023年生态环境状况公报。

2023年，全省建成美丽河湖37条，选聘生态护林员1.6万名。
"""

# dated to 2023 by its title: a question on 2023 meets it first, and documents dated to another year only where
# they name 2023
BULLETIN_ZH = """# 2023年青川省生态环境统计公报

2023年，全省空气质量优良天数比例为90.4%，酸雨频率为2.8%。

2023年，全省国控断面水质优良比例为94.1%，比上年提高1.8个百分点，水质优良比例连续三年提升。

表1　青川省主要生态环境指标（2021—2023年）

| 指标 | 2021年 | 2022年 | 2023年 |
| --- | --- | --- | --- |
| 森林覆盖率（%） | 50.2 | 51.0 | 51.8 |
| 可再生能源装机容量（万千瓦） | 1,820 | 2,050 | 2,310 |
| 国控断面水质优良比例（%） | 90.6 | 92.3 | 94.1 |

2023年，全省森林覆盖率达到51.8%，可再生能源装机容量达到2,310万千瓦。
"""

WHITE_PAPER_ZH = """# 青川省生态文明建设

## 一、制度体系日臻完善

2019年5月，青川省生态文明建设领导小组成立，省长葛临渊任组长，常务副省长沈兆川任副组长，办公室设在省发展改革委。

## 二、水环境质量持续改善

2023年，全省86个国控断面水质优良比例达到94.1%，劣Ⅴ类断面全部消除。

注：水质优良比例是指达到或好于Ⅲ类水质的断面占全部国控断面的比例。
"""


@pytest.fixture(scope="module")
def policies(tmp_path_factory):
    folder = tmp_path_factory.mktemp("policies")
    return index_of(folder, {
        "staff_handbook.md": HANDBOOK, "benefits_summary.txt": BENEFITS, "gdansk_office.txt": ANNOUNCEMENT,
        "travel_changes.md": TRAVEL_CHANGES,
    })


@pytest.fixture(scope="module")
def province(tmp_path_factory):
    folder = tmp_path_factory.mktemp("province")
    return index_of(folder, {
        "caisha_tongzhi.txt": NOTICE_ZH, "2024_gongzuo_baogao.md": WORK_REPORT_ZH, "2023_tongji_gongbao.md": BULLETIN_ZH,
        "lanjiang_xinwen.md": NEIGHBOUR_ZH, "baipishu.md": WHITE_PAPER_ZH,
    })


@pytest.mark.parametrize("question, clause", [
    ("What does clause 10.2 say?", "10.2 Confidential information"),
    ("What does clause 10.2 cover?", "10.2 Confidential information"),
    ("What does clause 4.3 state?", "4.3 Night work"),
])
def test_a_clause_cited_by_its_number_is_quoted_whatever_the_verb(policies, question, clause):
    answer = qa.ask(question, index_dir=policies)
    assert not answer.abstained and answer.citations[0].quote.startswith(clause)


@pytest.mark.parametrize("question, clause", [
    ("What does clause 4.7 say?", "clause 4.7"),
    ("What does clause 12.1 of the handbook say?", "clause 12.1"),
])
def test_a_clause_the_documents_do_not_number_is_refused(policies, question, clause):
    # only clause 1.2 writes the word "clause": it was quoted for every missing clause
    answer = qa.ask(question, index_dir=policies)
    assert answer.abstained and f"“{clause}”" in answer.text


def test_an_article_cited_after_a_chinese_word_is_looked_for(province):
    answer = qa.ask("通知第十五条规定了什么？", index_dir=province)
    assert answer.abstained and "第十五条" in answer.text
    answer = qa.ask("通知第三条规定了什么？", index_dir=province)
    assert not answer.abstained and answer.citations[0].quote.startswith("第三条")


def test_letters_a_text_writes_after_a_kind():
    assert designations_asked("What notice must a Grade C employee give?") == [("grade", "C")]
    assert letters_named("Employees at Grades C and D must give two months' notice.", "grade") == {"Grades C and D": {"C", "D"}}
    assert letters_named("Zones A–C are closed.", "zone") == {"Zones A–C": {"A", "B", "C"}}
    assert other_ones_told([("grade", "C")], "Employees at Grades A and B must give one month's notice.") == "Grades A and B"
    assert other_ones_told([("grade", "C")], "Employees at Grades C and D must give two months' notice.") is None
    assert other_ones_told([("grade", "C")], "A grade of B or better is needed.") is None


def test_one_of_a_kind_told_by_a_letter_is_answered_of_that_one(policies):
    answer = qa.ask("What notice must Grade D employees give?", index_dir=policies)
    assert not answer.abstained and "Grades C and D" in answer.citations[0].quote
    follow = qa.ask("And for Grade E?", history=["What notice must Grade D employees give?"], index_dir=policies)
    assert not follow.abstained and "Grade E must give three months" in follow.citations[0].quote
    assert all("Grades A and B" not in citation.quote for citation in follow.citations)


@pytest.mark.parametrize("question, expect", [
    ("Within how many days can I appeal against a disciplinary decision?", "within eight working days"),
    ("How many days of study leave do I get?", "up to 6 paid days a year"),
    ("What does income protection pay?", "55% of salary"),
    ("How much service do I need for enhanced sick pay?", "at least 13 weeks of Continuous Service"),
])
def test_days_counted_with_a_word_between_and_pay_as_a_share_of_salary(policies, question, expect):
    # each was refused as "the closest passages give no length of time" or "no amount of money"
    answer = qa.ask(question, index_dir=policies)
    assert not answer.abstained and expect in answer.citations[0].quote


def test_a_dateline_with_its_byline_is_no_heading():
    kinds = [(block.heading_level is not None, ANNOUNCEMENT[block.start : block.end]) for block in blocks(ANNOUNCEMENT)]
    assert kinds[0] == (True, "NOTICE TO ALL STAFF: A NEW OFFICE IN GDANSK")  # the title, over its dateline
    assert kinds[1] == (False, "14 April 2025 - From Wiktoria Halloran, Managing Director")
    assert not any(heading for heading, _ in kinds[1:])


def test_a_chinese_notices_number_and_signature_are_text():
    found = {NOTICE_ZH[block.start : block.end]: block.heading_level for block in blocks(NOTICE_ZH)}
    assert found["青水发〔2024〕27号"] is None
    assert found["青川省水利厅"] is None and found["2024年4月12日"] is None
    assert found["青川省水利厅关于开展2024年全省河道采砂专项整治的通知"] is not None


def test_the_dateline_of_an_announcement_heads_nothing(policies):
    # read as a section "3", it headed the announcement's text
    answer = qa.ask("What will the mileage rate for private cars be?", index_dir=policies)
    assert not answer.abstained and "47p per mile" in answer.citations[0].quote
    assert "3 March 2025" not in answer.citations[0].section


def test_a_year_in_a_heading_counts_for_a_report_dated_the_year_after(province):
    # the 2024 work report reviews 2023 under "一、2023年工作回顾": its figures are evidence of 2023
    answer = qa.ask("2023年城镇新增就业多少人？", index_dir=province)
    assert not answer.abstained and "41.6万人" in answer.citations[0].quote


def test_a_chinese_follow_up_that_ends_in_ne_leans_on_the_turn_before(province):
    assert leans_on_context("第二项呢？") and leans_on_context("2024年的目标呢？")
    # a date is no topic word: a probe's "8月份最高呢？" was asked alone, its "8月份" written "8月" in the paper
    known = {"最高", "叶绿素", "天气"}.__contains__
    assert leans_on_context("8月份最高呢？", known) and leans_on_context("8月呢？", known)
    assert not leans_on_context("明天8月1日下雨呢？", known)
    assert names_no_topic("增长了多少？")
    assert not names_no_topic("And pandas?")  # it may ask the earlier question of another thing
    query = contextual_query("第二项呢？", ["2024年重点工作的第一项是什么？"])
    assert "重点工作" in query


def test_a_chinese_follow_up_without_a_subject_is_asked_of_the_turn_before(province):
    # Chinese leaves the subject out: a probe's "谁担任副组长？" after a question on the leading group was refused
    earlier = ["青川省生态文明建设领导小组是哪一年成立的？"]
    answer = qa.ask("谁担任副组长？", history=earlier, index_dir=province)
    assert not answer.abstained and "沈兆川任副组长" in answer.citations[0].quote
    assert qa.ask("讲个笑话吧", history=earlier, index_dir=province).abstained
    assert qa.ask("今天天气怎么样？", history=earlier, index_dir=province).abstained


def test_a_part_cited_as_di_n_bufen_is_the_part_numbered_so(province):
    # a probe's "第三部分讲了什么？" of a white paper whose parts are "一、" … "六、" quoted a press transcript
    answer = qa.ask("生态文明建设白皮书第二部分讲了什么？", index_dir=province)
    assert not answer.abstained and "86个国控断面" in answer.citations[0].quote
    answer = qa.ask("白皮书第五部分讲了什么？", index_dir=province)
    assert answer.abstained and "“第五部分”" in answer.text


def test_a_meaning_asked_is_answered_by_the_sentence_that_defines_it(province):
    # "水土保持率是什么意思？" quoted a sentence with the rate's figure ahead of the footnote that defines it
    for question in ("水质优良比例是什么意思？", "水质优良比例是怎么定义的？"):
        answer = qa.ask(question, index_dir=province)
        assert not answer.abstained and "水质优良比例是指" in answer.citations[0].quote


def test_a_chinese_question_on_one_province_is_not_answered_from_another(province):
    # a probe's "嵘江省有多少名生态护林员？" was answered with its own province's rangers ("全省选聘生态护林员…")
    answer = qa.ask("岚江省城镇新增就业多少人？", index_dir=province)
    assert answer.abstained and "“岚江省”" in answer.text
    answer = qa.ask("青川省2023年建成了多少条美丽河湖？", index_dir=province)
    assert answer.abstained and "“青川省”" in answer.text
    answer = qa.ask("岚江省选聘了多少名生态护林员？", index_dir=province)
    assert not answer.abstained and "1.6万名" in answer.citations[0].quote


def test_a_city_the_documents_never_name_is_refused(province):
    answer = qa.ask("白崖市2023年的空气质量优良天数比例是多少？", index_dir=province)
    assert answer.abstained and "“白崖市”" in answer.text
    answer = qa.ask("全省的省级重点项目有多少个？", index_dir=province)  # "省级" names no province
    assert not answer.abstained and "960个" in answer.citations[0].quote


@pytest.mark.parametrize("question, row", [
    ("2022年可再生能源装机容量是多少？", "| 可再生能源装机容量（万千瓦） | 1,820 | 2,050 |"),
])
def test_a_year_asked_is_answered_from_the_row_under_its_column(province, question, row):
    # the row's label names its unit ("万千瓦"), and 装机容量 asks for power, not a volume
    answer = qa.ask(question, index_dir=province)
    assert not answer.abstained and row in answer.citations[0].quote


def test_a_row_under_the_year_asked_goes_before_a_sentence_on_another_year(province):
    # a probe's "2020年国控断面水质优良比例是多少？" met a white paper's sentence on 2023 first and the bulletin's row
    # second, and was refused as about other years
    search = qa.retriever(province)
    index = search.current()[0]
    question = "2021年国控断面水质优良比例是多少？"
    quotable = [(c, span) for c in candidates(question, search.search(question, 5), search) if (span := quote_span(c))]
    on_2023 = next(at for at, (candidate, _) in enumerate(quotable) if candidate.text.startswith("2023年，全省86个"))
    reordered = row_of_year_first(asked_for(question), first_at(quotable, on_2023), index)
    assert reordered[0][0].text.startswith("| 国控断面水质优良比例（%） | 90.6 |")


ANNUAL_REPORT = """# Harwick Optics Ltd: Annual Report 2024

## Our sites

| Site | Staff | Floor area (m²) |
| --- | --- | --- |
| Leeds | 212 | 6,400 |
| Dundee | 87 | 2,100 |
| Gdansk | 41 | 900 |

Each site has its own health and safety officer.
"""


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    return index_of(tmp_path_factory.mktemp("report"), {"annual-report-2024.md": ANNUAL_REPORT, "staff_handbook.md": HANDBOOK})


def test_a_sentence_that_names_no_year_speaks_of_its_documents(report):
    # the 2024 report's row answered a question on 2022 (a tuning set's region table, once a table was one chunk)
    answer = qa.ask("How many staff worked at the Leeds site in 2022?", index_dir=report)
    assert answer.abstained and "2022" in answer.text
    answer = qa.ask("How many staff worked at the Leeds site in 2024?", index_dir=report)
    assert not answer.abstained and "| Leeds | 212 |" in answer.citations[0].quote
