"""A "who" question on a post (the deputy director, 副厅长) that the documents fill for a neighbouring post only,
and a question on what each one got where the documents give only the total, as new-user probes and the tuning
white paper met them: the person named in the post next to it is no answer, nor the sum shared out."""

from __future__ import annotations

import pytest

import qa
from conftest import index_of
from qa.answer_types import role_asked, writes_role
from qa.quantities import asks_per_one, states_rate

DOCUMENTS = {
    "agency.md": """# The Harrowmere Water Agency

The Harrowmere Water Agency was set up in March 2016 to license abstraction from the Harrow and its tributaries.
It is led by Director-General Petra Wendholm, who came to the agency from the Ministry of Environment.

The agency employs 412 staff in four regional offices. Its chief scientist, Dr. Tomas Achterberg, leads the
monitoring of the basin's 63 gauging stations.

The agency's board has nine members and meets four times a year.

After the 2023 drought the agency paid 4.2 million euros in compensation to 1,850 farming households.
Licence holders pay an abstraction fee of 38 euros per megalitre.
""",
    "water-bureau-zh.md": """# 鹭川省水利厅2024年工作情况

鹭川省水利厅厅长邵志强在全省水利工作会议上作工作报告。

2024年，全省完成水利建设投资186亿元，新建改造农村供水工程412处。

全省共设立省、市、县、乡、村五级河湖长2.84万名。

全年共发放水毁补偿资金3,460万元，惠及农户1.2万户。
""",
}


@pytest.fixture(scope="module")
def posts(tmp_path_factory):
    return index_of(tmp_path_factory.mktemp("posts"), DOCUMENTS)


def test_the_post_a_who_question_asks_about_is_read_as_written():
    assert role_asked("Who is the deputy director-general of the agency?") == "deputy director-general"
    assert role_asked("Who is Ostrevia's fisheries minister?") == "fisheries minister"
    assert role_asked("Who is the current director?") == "director"  # any holder the documents name answers
    assert role_asked("省水利厅副厅长是谁？") == "副厅长"
    assert role_asked("国家湿地委员会的副主任是谁？") == "副主任"  # jieba cuts 副 off
    assert role_asked("Who chairs it?") is None
    assert role_asked("这份工作报告是谁作的？") is None
    # a post's last word may be written otherwise ("head" for a director), the words before it not
    assert writes_role("deputy director-general", "Deputy Director-General Anna Ruud")
    assert not writes_role("deputy director-general", "It is led by Director-General Petra Wendholm.")
    assert not writes_role("副厅长", "鹭川省水利厅厅长邵志强")
    assert writes_role("负责人", "由欧阳瀚兼任首任局长")  # a title whole: a 局长 is the 负责人


def refusal(question: str, index) -> str:
    answer = qa.ask(question, index_dir=index)
    assert answer.abstained, answer.text
    return answer.text


def first_quote(question: str, index) -> str:
    answer = qa.ask(question, index_dir=index)
    assert not answer.abstained, answer.text
    return answer.citations[0].quote


def test_the_holder_of_the_post_next_to_the_one_asked_is_no_answer(posts):
    assert "deputy director-general" in refusal("Who is the deputy director-general of the Harrowmere Water Agency?", posts)
    assert "副厅长" in refusal("鹭川省水利厅副厅长是谁？", posts)


def test_the_post_written_is_answered(posts):
    assert "Petra Wendholm" in first_quote("Who is the director-general of the Harrowmere Water Agency?", posts)
    assert "Tomas Achterberg" in first_quote("Who is the agency's chief scientist?", posts)
    assert "邵志强" in first_quote("鹭川省水利厅厅长是谁？", posts)


def test_a_figure_for_each_one_is_a_rate():
    assert asks_per_one("How much did each household receive?")
    assert asks_per_one("每户农户平均获得多少补偿？")
    assert asks_per_one("How many tonnes were caught each year?")  # a yearly figure
    assert not asks_per_one("How much compensation was paid?")
    assert states_rate("a fee of 38 euros per megalitre") and states_rate("每户平均获得补偿18.6万元")
    assert states_rate("about 2.1 million tonnes a year") and states_rate("an annual allowance of 9,600 valdems")
    assert not states_rate("4.2 million euros in compensation to 1,850 farming households")


def test_a_total_shared_out_is_no_answer_for_each_one(posts):
    refusal("How much compensation did each household get after the 2023 drought?", posts)
    refusal("每户农户平均获得多少水毁补偿？", posts)
    assert "4.2 million euros" in first_quote("How much compensation did the agency pay after the 2023 drought?", posts)
    assert "38 euros" in first_quote("How much is the abstraction fee per megalitre?", posts)
