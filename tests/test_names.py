"""Names a question writes (qa/names.py): one the documents never write is refused, and so is a proper name they
write only far from the sentence that would be quoted; a name in the answer's paragraph, or one the document
opens with (the country a report is about), is no reason to refuse. On a fisheries report of my own."""

from __future__ import annotations

import pytest

import qa
from conftest import index_of
from qa.store import load_index
from qa.names import question_names, unknown_names

REPORT = (
    "Fisheries of Ostrevia: Annual Report 2024\n\n"
    "Ostrevia is a small coastal country whose fishing fleet works the cold shelf waters of the Northern Gulf. "
    "This report describes the fleet, its catches, the state of the main stocks and the measures the Fisheries "
    "Agency took during the year.\n\n"
    "1. The fleet\n\n"
    "At the end of 2024 the national register held 2,418 vessels, 112 fewer than a year earlier. Most are small "
    "boats under twelve metres that fish with hand lines and pots within a day's sailing of their home harbour. "
    "The number of larger trawlers has been stable for five years, at about 140 vessels.\n\n"
    "2. Ports\n\n"
    "Kessin Bay is the largest fishing port, with 612 registered vessels and the country's only fish auction that "
    "sells by electronic bidding. Marrow Point, on the eastern coast, is home to 87 vessels, most of them trawlers "
    "that land their catch directly to the processing plants beside the quay.\n\n"
    "3. Catches\n\n"
    "Total landings reached 186,000 tonnes in 2024, 4 percent more than in 2023. Herring made up almost half of "
    "the catch, followed by mackerel, cod and sprat. Shellfish landings, mostly brown crab and lobster, rose to "
    "9,300 tonnes after two poor seasons.\n\n"
    "4. State of the stocks\n\n"
    "Scientists of the Marine Institute judged eleven of the sixteen assessed stocks to be fished sustainably. "
    "The coastal cod stock remains below its safe biological limit, and its quota was cut by a fifth for 2025. "
    "Sprat has recovered strongly since the closure of its spawning grounds in spring.\n\n"
    "5. The Fleet Renewal Fund\n\n"
    "The Fleet Renewal Fund was set up in 2019 to help owners of small boats replace old engines with cleaner and "
    "more efficient ones. By the end of 2024 it had paid out 41 million crowns for 1,270 new engines, and the "
    "fuel used per tonne of fish landed had fallen by 18 percent.\n\n"
    "6. Enforcement\n\n"
    "Fisheries inspectors boarded 3,905 vessels at sea and in port during the year. They found 214 breaches of "
    "the rules, most of them undersized fish or missing logbook entries, and the courts imposed fines totalling "
    "2.6 million crowns.\n"
)


@pytest.fixture(scope="module")
def fisheries_index(tmp_path_factory):
    return index_of(tmp_path_factory.mktemp("names"), {"fisheries-report-2024.txt": REPORT})


@pytest.mark.parametrize(
    "question, names",
    [
        ("How many cranes breed in Pellan Peatlands National Park?", [["Pellan", "Peatlands", "National", "Park"]]),
        ("What does Valdemar's Biosafety Act say?", [["Valdemar"], ["Biosafety", "Act"]]),  # a possessive ends one
        ("Thanks. Which port lands the most herring?", []),  # a sentence's first word is no name
        ("What does error LS-E104 mean?", []),
        ("Who sent apologies for the March meeting on Tuesday?", []),  # dates, which minutes write as 2024-03-12
        ("Can I pick the hospital I'm referred to?", []),  # a letter alone is no name
        ("What share of A&E patients were seen within four hours?", [["A&E"]]),  # an identifier is read as one (qa/identifiers.py)
    ],
)
def test_what_counts_as_a_name(question, names):
    assert question_names(question) == names


def test_a_name_the_documents_never_write_is_refused(fisheries_index):
    answer = qa.ask("How many vessels are registered at the port of Brindlecove?", index_dir=fisheries_index)
    assert answer.abstained, answer.text
    assert answer.text == "The documents have no “Brindlecove”: I could not find an answer to that in them."


def test_a_name_written_far_from_the_answer_is_refused(fisheries_index):
    # The fund's paragraph never speaks of Kessin Bay: its total is no answer for the port.
    answer = qa.ask("How much has the Fleet Renewal Fund paid to boat owners in Kessin Bay?", index_dir=fisheries_index)
    assert answer.abstained, answer.text
    assert answer.text == "I could not find that in the documents: the closest passages do not name “Kessin Bay”."


def test_names_at_hand_are_answered(fisheries_index):
    # in the answer's own paragraph
    answer = qa.ask("How many vessels are registered at Marrow Point?", index_dir=fisheries_index)
    assert not answer.abstained and "home to 87 vessels" in answer.citations[0].quote, answer.text
    # the country the report opens with, which the paragraph that answers does not write again
    answer = qa.ask("How much money has Ostrevia's Fleet Renewal Fund paid out?", index_dir=fisheries_index)
    assert not answer.abstained and "41 million crowns" in answer.citations[0].quote, answer.text
    # a capitalised word the documents also write in lower case is no proper name: "Agency", "Fund" of "fund"
    answer = qa.ask("How many vessels did the Inspectors board during the year?", index_dir=fisheries_index)
    assert not answer.abstained and "boarded 3,905 vessels" in answer.citations[0].quote, answer.text


SCHEDULE = (
    "# Childhood and adult vaccination schedule 2025\n\n"
    "| Vaccine | Age | Doses |\n|---|---|---|\n"
    "| 6-in-1 (diphtheria, tetanus, polio, hepatitis B) | 8, 12 and 16 weeks | 3 |\n"
    "| MMR | 1 year and 3 years 4 months | 2 |\n"
    "| Shingles | 65 years | 2 |\n\n"
    "Genetically modified organisms are not used in any vaccine we offer.\n"
)
STRATEGY = (
    "Calderwick Health Strategy 2025-2030\n\n"
    "1. Waiting times\n\n1.1 Cut the median wait for planned treatment to 8 weeks by March 2028.\n\n"
    "2. Care closer to home\n\n"
    "2.1 Move 40 percent of outpatient follow-ups to video or telephone appointments.\n\n"
    "2.2 Open three community diagnostic centres: Harlow Vale in 2025, Saltmere in 2027 and Marrowbridge in 2029.\n\n"
    "3. Workforce\n\n3.1 Bring the nursing vacancy rate down to 4 percent by 2027.\n"
)
MINUTES = (
    "Board meeting, 22 January 2025\n\n"
    "The Board approved the business case for the Saltmere Community Diagnostic Centre at a capital cost of CM 14.2 "
    "million. The centre will offer CT, ultrasound and blood tests and is due to open in spring 2027.\n"
)


@pytest.fixture(scope="module")
def health_index(tmp_path_factory):
    return index_of(tmp_path_factory.mktemp("health"), {
        "vaccination-schedule.md": SCHEDULE, "strategy.txt": STRATEGY, "board-minutes.md": MINUTES,
    })


def test_a_letter_the_documents_never_write_after_its_word_is_refused(health_index):
    # A probe's "hepatitis A" question was answered with the hepatitis B row.
    answer = qa.ask("At what age is the hepatitis A vaccine offered?", index_dir=health_index)
    assert answer.abstained and answer.text.startswith("The documents have no “hepatitis A”"), answer.text
    answer = qa.ask("At what age is the hepatitis B vaccine given?", index_dir=health_index)
    assert not answer.abstained and "8, 12 and 16 weeks" in answer.text, answer.text


def test_an_acronym_the_documents_spell_out_is_known(health_index):
    assert unknown_names("Are GMOs used in the vaccines?", load_index(health_index)) == []
    assert unknown_names("Is the BCG vaccine offered?", load_index(health_index)) == ["BCG"]


def test_a_sentence_written_around_the_name_asked_about_is_quoted_first(health_index):
    # A probe's question was refused as answered only by another centre's opening, which the ranker put first.
    answer = qa.ask("When will the Marrowbridge diagnostic centre open?", index_dir=health_index)
    assert not answer.abstained and "Marrowbridge in 2029" in answer.citations[0].quote, answer.text


def test_a_count_of_towns_names_no_place():
    # a probe's "…一共有多少个市镇？" was refused: "The documents have no “少个市”"
    from qa.names import place_before, place_suffixes

    question = "北马克省一共有多少个市镇？"
    names = {name for end in place_suffixes(question) for length in (2, 3, 4) if (name := place_before(question, end, length))}
    assert names == {"马克省", "北马克省"}  # the province, read two and three characters long; no "少个市"
