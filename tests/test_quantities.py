"""What kind of quantity a question asks for and what kinds a sentence states (qa/quantities.py), and the
refusal of a question whose closest passages state none of the kind asked (qa/answerers/extractive.py)."""

from __future__ import annotations

import pytest

import qa
from qa.quantities import asked_quantity, holds_quantity, quantity_kinds
from conftest import index_of


@pytest.mark.parametrize(
    "question, kind",
    [
        ("How much does an entrance ticket to the park cost?", "money"),
        ("What is the entrance fee for the cave?", "money"),
        ("清洁村庄行动一共投入了多少资金？", "money"),
        ("草原生态管护员每月补助多少钱？", "money"),
        ("How many pale-throated cranes breed in the park?", "count"),
        ("托勒维克峡湾地区共记录了多少只熊蜂？", "count"),
        ("有几个省参与了试点？", "count"),
        ("How many hectares of salt marsh were restored?", "area"),
        ("How many square kilometres does the reserve cover?", "area"),
        ("How many hectares is the Brackley Fields site?", "area"),
        ("示范区的面积是多少？", "area"),
        ("How many tonnes of squid were landed?", "mass"),
        ("What was the mean body mass of the queens?", "mass"),
        ("How much electricity does the plant use per day?", "energy"),
        ("What is the population of the village?", "count"),
        # a crown-of-thorns starfish is no money; nor does a measure's word alone ask for it
        ("How many crown-of-thorns starfish did the volunteers remove?", "count"),
        ("How was the area of flowering meadow mapped?", None),
        ("What is intertegular distance used as a proxy for?", None),
        # a number of no telling kind: "多少…任务" was answered in hectares, "how long" is a length or a time
        ("2022年完成了多少荒漠化治理任务？", None),
        ("1962年到1998年间，瓦尔德马失去了多少天然湿地？", None),
        ("How long did the fishing ban last?", None),
        # a time, which no check reads: a probe's "多长时间" had been read as a length
        ("每次透析需要多长时间？", None),
        ("What is the average length of stay on the rehabilitation ward?", None),
        ("这条河有多长？", "length"),
        ("How large is the contingency held in the operating budget?", None),  # an amount, not an area
        ("Who chairs the committee?", None),
        # contact details, asked for by name; "phone" and "extension" alone ask for none
        ("What is the email address of the housing office?", "email"),
        ("What extension is the diabetes clinic?", "phone"),
        ("What is the phone number of the advocacy service?", "phone"),
        ("夜间医疗咨询电话是多少？", "phone"),
        ("中文技术支持邮箱是什么？", "email"),
        ("What is the library's website?", "web address"),
        ("What phone tool do the village volunteers use?", None),
        ("How can I phone the IT Service Desk?", "phone"),
        ("How do I call a function with keyword arguments?", None),
        ("Are alert emails sent for failed jobs?", None),
        ("How many new stops will the tram extension have?", "count"),
        ("How far ahead can group rooms be booked?", None),  # a time
        # the words after "how much" say what is asked, unless its own verb asks for money (an HR probe's)
        ("How much service do I need for enhanced maternity pay?", None),
        ("How much partner leave can I take?", None),
        ("How much private capital was invested in the programme?", "money"),
        ("How much more does the premium plan cost?", "money"),
        ("申请补贴需要准备几样材料？", "count"),
        # a share is a percentage, whatever it is a share of; "how far" a quantity fell is no distance; 容量 is a
        # battery's or a plant's power as often as a tank's volume (an energy white paper's probe)
        ("What share of electricity did wind supply in 2024?", "percent"),
        ("2024年风电发电量占比是多少？", "percent"),
        ("How far did CO2 emissions drop between 2015 and 2024?", None),
        ("How far is the plant from the coast?", "length"),
        ("2030年储能容量要达到多少？", None),
        ("水质优良比例是什么意思？", None),  # what the share means, not how large it is
    ],
)
def test_the_kind_of_quantity_a_question_asks_for(question, kind):
    assert asked_quantity(question) == kind


@pytest.mark.parametrize(
    "sentence, kinds",
    [
        ("The core zone admits no more than 3,000 visitors a day.", {"other"}),
        ("They breed more than 3,000 kilometres to the north.", {"length"}),
        ("It cost 2.3 billion krona, 6 percent above the budget.", {"money", "percent"}),
        ("Adult membership costs £30 a year.", {"money"}),
        ("示范区总面积15.3万公顷。", {"area"}),
        ("2023年吸引游客64万人次，来自30多个国家。", {"count"}),
        ("管护员每月补助1800元。", {"money"}),  # 1800 here is money, not a year
        ("处一万元以上五万元以下罚款。", {"money"}),  # Chinese numerals, with their unit
        ("统一管理一些事项。", set()),  # and without one, no quantity
        ("The plan ran from 1995 to 1999 and ended in 2024.", set()),
        ("10. Total landings reached 427,900 tonnes in 2024.", {"mass"}),
        ("The depot will stand on a 31-hectare site.", {"area"}),  # a list's number is no quantity
        ("Ostrel reopened its tram network in 2019 after 51 years without trams.", {"duration"}),
        # a currency's code before an amount (a probe's "OSC"); not a standard's or a goal's number
        ("Halvorsen gave OSC 12 million towards its construction.", {"money", "count"}),
        ("| BA History | OSC 2,780 | OSC 11,200 |", {"money"}),
        ("The site was certified to ISO 14001 and reports on SDG 15.1.", {"other"}),
        ("The bioenergy plants generated 1.9 terawatt-hours of electricity.", {"energy"}),
        # one word between a number and its unit says what is counted; two reach a rate's unit
        ("An appeal must be made within ten working days.", {"duration"}),
        ("Staff receive up to 4 paid days a year.", {"duration"}),
        ("The park admits 3,000 visitors a day.", {"other"}),
        ("省十三届人大常委会审议通过。", set()),  # a session's number is no count
    ],
)
def test_the_kinds_of_quantity_a_sentence_states(sentence, kinds):
    assert quantity_kinds(sentence) == kinds


def test_a_number_of_no_listed_unit_is_money_only_where_money_is_spoken_of():
    # A report's own currency is no listed unit: "valdems" are money in a sentence or under a heading on money.
    assert holds_quantity("money", "It has since allocated 18.6 billion valdems to 1,140 projects.")
    assert holds_quantity("money", "The Friends of Northfield General raised CM 1.3 million for new equipment.")
    assert holds_quantity("money", "The plan earmarked 18.4 billion thalers for prevention infrastructure.")
    assert not holds_quantity("money", "The park admits no more than 3,000 visitors a day.")
    row = "| Marine protected areas | 22.7 | 27.4 | 33.8 |"
    assert holds_quantity("money", row, "| Programme | 2022 | 2023 | 2024 | Part 6. Budget and finance")
    assert not holds_quantity("money", row, "| Programme | 2022 | 2023 | 2024 |")
    # A measure's table names its unit in the caption or the header.
    assert holds_quantity("mass", "| Spiny lobster | 2,140 | 1,760 |", "Landings by species, 2019–2024 (tonnes)")
    assert not holds_quantity("area", "The number of tern pairs rose to 88, up from 61 pairs.")
    assert holds_quantity("count", "More than 98 percent of fishers have been resettled.")
    # A unit the question names itself, in any form: a probe's configuration reference.
    assert holds_quantity("count", "Default: 8 weeks.", question="How many weekly snapshots are kept by default?")
    assert not holds_quantity("count", "Default: 8 weeks.", question="How many snapshots are kept by default?")
    # a share of a salary is an amount paid; a rise by a share is not an amount
    assert holds_quantity("money", "Income protection pays 60% of salary after 26 weeks.")
    assert not holds_quantity("money", "Costs rose by 12 per cent.")
    assert holds_quantity("money", "Costs rose by 12 per cent.", question="By what percentage did costs rise?")


@pytest.mark.parametrize(
    "kind, sentence, holds",
    [
        ("phone", "Call the advocacy service on 01632 771 204.", True),
        ("phone", "| Fracture Clinic | Ground floor | 3361 |", True),
        ("phone", "预约或更改时间请拨打总机后转分机3390。", True),
        ("phone", "The hall has 3,760 rooms and opened in 2024.", False),  # a figure and a year are no number to call
        ("email", "Write to housing@elmbridge.example with your student number.", True),
        ("email", "Write to the housing office with your student number.", False),
        ("web address", "Book a room at www.elmbridge.example/rooms.", True),
    ],
)
def test_a_contact_detail_is_told_by_its_form(kind, sentence, holds):
    assert holds_quantity(kind, sentence) == holds


def test_a_contact_detail_the_closest_passages_do_not_give_is_refused(tmp_path):
    # A probe's "What is the email address of the Calderwick Health Ombudsman?" was answered with the step that
    # names the ombudsman, which gives no address.
    index_dir = index_of(tmp_path, {"housing.md": (
        "# Student housing guide\n\n## Contacts\n\n"
        "The Accommodation Office is on the ground floor of Harwood House and is open from 9 am to 5 pm on "
        "weekdays. Email accommodation@elmbridge.example or call 01632 960 441.\n\n"
        "## Complaints\n\nIf a problem is not solved, you may take it to the Student Housing Ombudsman, who "
        "reviews complaints within 30 days.\n"
    )})
    office = qa.ask("What is the email address of the Accommodation Office?", index_dir=index_dir)
    assert not office.abstained and "accommodation@elmbridge.example" in office.citations[0].quote, office.text
    ombudsman = qa.ask("What is the email address of the Student Housing Ombudsman?", index_dir=index_dir)
    assert ombudsman.abstained, ombudsman.text
    assert ombudsman.text == "I could not find that in the documents: the closest passages give no email address."


def test_a_question_whose_closest_passages_state_no_quantity_of_its_kind_is_refused(tmp_path):
    # The subject is in the documents, the fact asked is not: the development corpus's "How much does an
    # entrance ticket to the Marrowfen Delta National Park cost?" was answered with the park's daily visitor cap.
    index_dir = index_of(tmp_path, {
        "visiting.md": (
            "# Visiting Kestrel Fen National Park\n\n"
            "The core zone of Kestrel Fen National Park admits no more than 2,500 visitors a day, and every visit "
            "must be booked in advance. Guided walks leave the Reedmere visitor centre at ten each morning.\n"
        ),
        "wildlife.md": (
            "# Kestrel Fen wildlife notes\n\n"
            "The park's wintering cranes breed on the Harrow Peninsula, more than 2,800 kilometres to the north, "
            "and return each October.\n"
        ),
        "budget.md": (
            "# Kestrel Fen budget 2024\n\n"
            "The park's budget for 2024 was 41.5 million valdems, of which 9.2 million valdems went to restoring "
            "the eastern reedbeds.\n"
        ),
    })
    cap = qa.ask("How many visitors may enter the core zone each day?", index_dir=index_dir)
    assert not cap.abstained and "2,500 visitors" in cap.citations[0].quote, cap.text
    budget = qa.ask("How much money went to restoring the eastern reedbeds?", index_dir=index_dir)
    assert not budget.abstained and "9.2 million valdems" in budget.citations[0].quote, budget.text
    ticket = qa.ask("What is the entrance fee for the core zone?", index_dir=index_dir)
    assert ticket.abstained, ticket.text
    assert ticket.text == "I could not find that in the documents: the closest passages give no amount of money."
    cranes = qa.ask("How many cranes breed in Kestrel Fen National Park?", index_dir=index_dir)
    assert cranes.abstained, cranes.text
    assert cranes.text.endswith("give no such number.")


def test_the_quote_that_states_the_quantity_asked_comes_first(tmp_path):
    # A probe's news item: its lead names the centre and its tonnes, and "The centre opened … at a cost of €12.4
    # million" came second for "How much did the … Recycling Centre cost to build?".
    index_dir = index_of(tmp_path, {"news.txt": (
        "Marsh Lane Recycling Centre handles record 28,400 tonnes\n\n4 February 2025\n\n"
        "The Marsh Lane Recycling Centre on Quarry Road handled a record 28,400 tonnes of material in 2024, "
        "6 percent more than in 2023, the council announced today.\n\n"
        "The centre received 312,000 visits by car and accepts 41 kinds of material, from garden waste to paint.\n\n"
        "The centre opened in 2018 at a cost of €10.8 million and employs 24 staff.\n"
    )})
    answer = qa.ask("How much did the Marsh Lane Recycling Centre cost to build?", index_dir=index_dir)
    assert not answer.abstained and "€10.8 million" in answer.citations[0].quote, answer.text


def test_a_share_written_in_words_is_a_percentage():
    # a probe's "What share of the bus fleet should be zero-emission by the end of 2025?" over "half of the fleet"
    assert holds_quantity("percent", "By the end of 2025, half of the fleet is to be zero-emission.")
    assert holds_quantity("percent", "到2025年，三分之一的公交车为新能源车。")
    assert holds_quantity("percent", "Wind supplied 23 percent of electricity.")
    assert not holds_quantity("percent", "The fleet has 412 buses.")
