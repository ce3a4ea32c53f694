"""A software company's legal documents and a white paper's parts, as two new-user probes wrote them
(2026-12-07): a Word contract titled by Word's Title style, a defined term that is also a section's name, a
question on one sentence of a named section, a plan's priority that a table does not list, parts numbered "IV."
and "V.", a section cited inside a part, and names written with accented letters or a PDF's superscripts."""

from __future__ import annotations

import pytest

import qa
from conftest import index_of
from documents import make_docx
from qa.conversation import names_in
from qa.formats import docx
from qa.names import question_names

TERMS = """# Tallyspire Terms of Service

## 1. Definitions

1.1 "Customer" means the entity that accepts these Terms.

1.2 "Service Credits" means the percentage of the monthly Subscription Fee that Brackenfold credits against the Customer's next invoice when an uptime target is missed.

## 4. Term and termination

4.1 These Terms start on the Effective Date and continue until the subscription ends.

4.3 After the subscription ends, the Customer may export its data for 30 days.
"""

SLA = """# Tallyspire Service Level Agreement

## 3. Service Credits

If monthly uptime falls below the plan's target, a Growth or Enterprise customer is entitled to Service Credits as follows.

| Monthly uptime | Service Credit |
| --- | --- |
| Below the target but at least 99.0% | 10% of the monthly fee |
| Below 99.0% | 25% of the monthly fee |

Service Credits in any month are capped at 50% of that month's fee.

Service Credits are applied against future invoices and are never paid out in cash.

## 5. Support response times

| Priority | Growth | Enterprise |
| --- | --- | --- |
| P1 (service down) | 2 hours | 30 minutes |
| P2 (major feature impaired) | 8 business hours | 4 hours |
"""

MSA = [
    ("title", "Master Subscription Agreement"),
    ("p", "This Master Subscription Agreement is made on 1 April 2024 between Brackenfold Analytics Ltd and Harrowgate Freight Holdings plc."),
    ("h1", "3. Term and renewal"),
    ("p", "3.1 The Initial Term is 36 months from the Start Date."),
    ("h1", "4. Termination for convenience"),
    ("p", "4.1 The Customer may terminate this Agreement for convenience after the first 18 months by giving 120 days' written notice."),
    ("p", "4.3 Brackenfold may not terminate for convenience."),
]

WHITE_PAPER = """# Biodiversity Conservation in Valmora

## I. Protected Areas

Valmora has 48 national parks covering 12 per cent of its land.

## IV. Species Recovery and Ex-situ Conservation

### 1. Flagship Species

The Valmoran lynx, reduced to about 42 animals in 2005, numbered 187 in the winter count of February 2024.

### 2. Ex-situ Conservation

The National Seed Vault at Korsby, opened in 2008, holds 38,450 seed samples.

## V. Sustainable Use and Public Participation

### 1. Financing Nature

The National Biodiversity Fund has paid out 1.2 billion thaler to 3,940 projects.

### 2. Citizen Science

Citizen science volunteers submitted 2.4 million records through the NatureCount app in 2024.

## VI. International Cooperation

Valmora ratified the Meridian Accord in 2019.
"""

PAPER = """# Storm-driven nitrate export from three forested headwater streams

Jonas Ekwall1, Priya Raghunathan2, Lars-Erik Moberg1
1 Kelderwick Institute for Freshwater Ecology, Tarnland
2 School of Earth Sciences, Marlow Polytechnic, Marlow

## 3 Results

Nitrate peaked at 4.8 mg/L in Brattå Brook and at 3.1 mg/L in Lindel Creek during the October storm.
"""


@pytest.fixture(scope="module")
def legal(tmp_path_factory):
    return index_of(tmp_path_factory.mktemp("legal"), {
        "terms-of-service.md": TERMS, "service-level-agreement.md": SLA, "master-subscription-agreement.docx": make_docx(MSA),
    })


@pytest.fixture(scope="module")
def white_paper(tmp_path_factory):
    return index_of(tmp_path_factory.mktemp("parts"), {"white-paper.md": WHITE_PAPER, "streams-paper.md": PAPER})


def test_a_word_documents_headings_sit_under_its_title():
    text = docx.read(make_docx(MSA)).text
    assert text.startswith("# Master Subscription Agreement\n") and "\n## 3. Term and renewal\n" in text


def test_a_question_naming_a_titled_contract_is_answered_from_its_clauses(legal):
    # beside its clauses' headings, the title was a section of its own: every question naming the contract was refused
    answer = qa.ask("What is the initial term of the Master Subscription Agreement?", index_dir=legal)
    assert not answer.abstained and "36 months" in answer.citations[0].quote
    answer = qa.ask("What does clause 4.1 of the Master Subscription Agreement say?", index_dir=legal)
    assert not answer.abstained and answer.citations[0].quote.startswith("4.1 The Customer may terminate")


def test_a_defined_term_is_answered_by_its_definition_not_its_namesake_section(legal):
    answer = qa.ask("What does 'Service Credits' mean?", index_dir=legal)
    assert not answer.abstained and '"Service Credits" means' in answer.citations[0].quote


def test_a_question_on_one_sentence_of_a_named_section_quotes_that_sentence(legal):
    answer = qa.ask("Can Service Credits be paid out in cash?", index_dir=legal)
    assert not answer.abstained and "never paid out in cash" in answer.citations[0].quote


def test_a_priority_the_table_does_not_list_is_refused(legal):
    answer = qa.ask("What is the response time for a P4 incident?", index_dir=legal)
    assert answer.abstained and "“P4”" in answer.text


@pytest.mark.parametrize("question, expect", [
    ("What does Part V say about citizen science?", "2.4 million records"),
    ("What does Part IV say about the lynx?", "numbered 187"),
    ("What does section 2 of Part IV say?", "National Seed Vault at Korsby"),
])
def test_a_part_numbered_in_roman_figures_is_found(white_paper, question, expect):
    # "IV. Species…" was read as an "I" numbered V: "Part IV" was never found, "Part V" refused as naming "Part"
    answer = qa.ask(question, index_dir=white_paper)
    assert not answer.abstained and expect in answer.citations[0].quote


def test_a_part_beyond_the_last_one_is_refused_by_its_name(white_paper):
    answer = qa.ask("What does Part VIII say?", index_dir=white_paper)
    assert answer.abstained and "“Part VIII”" in answer.text


def test_names_keep_their_accented_letters():
    assert question_names("What was the peak in Svartå Brook near Łódź?") == [["Svartå", "Brook"], ["Łódź"]]
    assert names_in("What about Brattå Brook?") == ["Brattå Brook"]


def test_a_name_a_superscript_runs_into_is_still_written(white_paper):
    answer = qa.ask("Where does Priya Raghunathan work?", index_dir=white_paper)
    assert not answer.abstained and "Marlow Polytechnic" in answer.citations[0].quote
    assert qa.ask("What was the nitrate peak in Svartå Brook?", index_dir=white_paper).abstained
