"""A product's manual, as two new-user probes wrote theirs (2026-12-07): tables longer than a chunk, each row read,
found and quoted under its header (a dryer manual's programme and error-code tables had been split into chunks
whose rows were read under their first row); a procedure's steps written as a numbered list ("step 4 of cleaning
the plinth filter"); run-in labels ("Lower ground floor. The Mint Vaults, …") quoted with what they label."""

from __future__ import annotations

import pytest

import qa
from conftest import index_of
from qa.chunking import TABLE_MAX_TOKENS, chunk_document, is_table
from qa.conversation import contextual_query, names_in

MODES = [
    # mode, assistance, range, top speed, use
    ("Eco", "50 %", "140 km", "25 km/h", "long flat commutes"),
    ("Tour", "100 %", "110 km", "25 km/h", "everyday riding with luggage"),
    ("Sport", "180 %", "80 km", "25 km/h", "fast rides on rolling roads"),
    ("Turbo", "300 %", "55 km", "25 km/h", "steep climbs with a full load"),
    ("Trail", "adaptive", "70 km", "25 km/h", "gravel and forest tracks"),
    ("Cargo", "220 %", "60 km", "20 km/h", "a child seat or a full front basket"),
    ("Rain", "90 %", "105 km", "22 km/h", "wet roads, with gentler starts"),
    ("Walk", "push assist", "not rated", "6 km/h", "pushing the bike up ramps"),
    ("Night", "100 %", "100 km", "25 km/h", "dark roads, with the lights on full"),
    ("Winter", "120 %", "75 km", "23 km/h", "cold mornings below 5 °C"),
    ("Glide", "30 %", "160 km", "25 km/h", "tailwinds and gentle descents"),
    ("Coach", "varies", "90 km", "25 km/h", "training plans from the app"),
    ("Sprint", "250 %", "45 km", "25 km/h", "short bursts at junctions"),
    ("Hill Hold", "150 %", "85 km", "15 km/h", "stopping and starting on slopes"),
    ("Range Saver", "20 %", "190 km", "18 km/h", "reaching a charger with little battery"),
    ("Parade", "40 %", "150 km", "10 km/h", "riding in a procession"),
]


def manual() -> str:
    rows = "\n".join(f"| {mode} | {assist} | {reach} | {speed} | {use} |" for mode, assist, reach, speed, use in MODES)
    return (
        "# Kestrel E7 Owner's Manual\n\n## 5. Riding modes\n\n"
        "Press the mode button on the left grip to change the riding mode. Each mode sets how much the motor helps.\n\n"
        "| Mode | Assistance | Range | Top speed | Best for |\n| --- | --- | --- | --- | --- |\n" + rows + "\n\n"
        "## 6. Charging\n\nA full charge of the 630 Wh battery takes 4 hours 30 minutes with the supplied charger.\n\n"
        "## 7. Care\n\n### 7.1 Cleaning the chain\n\n"
        "1. Shift to the smallest rear sprocket.\n2. Wipe the chain with a dry cloth while turning the pedals backwards.\n"
        "3. Brush the links with a degreaser-free chain cleaner.\n4. Apply one drop of dry lube to each roller.\n"
        "5. Wipe off the excess lube after ten minutes.\n\n"
        "### 7.2 Checking the brakes\n\n"
        "1. Squeeze each lever: it must stop before touching the grip.\n2. Look at the pads through the caliper window.\n"
        "3. Replace the pads when less than 1.5 mm of lining is left.\n\n"
        "## 8. Controls\n\n"
        "**Left grip.** The mode button, the walk-assist button and the horn.\n\n"
        "**Right grip.** The gear shifter and the bell.\n\n"
        "**Top tube.** The colour display, which shows speed, range and the battery level.\n"
    )


QUICK_START = """Kestrel E7 quick start

1. Charge the battery fully before the first ride.
2. Switch on the display with the button under it.
3. Choose Tour mode for your first ride.
4. Check the tyre pressure: 2.5 to 3.5 bar.
"""


@pytest.fixture(scope="module")
def bike(tmp_path_factory):
    return index_of(tmp_path_factory.mktemp("bike"), {"kestrel-e7-manual.md": manual(), "quick-start.txt": QUICK_START})


def test_a_table_longer_than_a_chunk_is_one_chunk():
    chunks = chunk_document("kestrel-e7-manual.md", manual(), 160, 1)
    tables = [chunk for chunk in chunks if is_table(chunk.text)]
    assert len(tables) == 1 and all(f"| {mode} |" in tables[0].text for mode, *_ in MODES)
    assert tables[0].text.startswith("| Mode | Assistance |")
    # each row is read under the header, the last one too
    assert "Parade — Assistance: 40 %; Range: 150 km; Top speed: 10 km/h" in " ".join(filter(None, tables[0].clause_readings))
    assert not is_table("The motor helps in five modes.\nPress the button to change mode.")
    assert TABLE_MAX_TOKENS >= 1000


@pytest.mark.parametrize("question, row", [
    ("What is the range in Range Saver mode?", "| Range Saver | 20 % | 190 km |"),
    ("How fast can I ride in Parade mode?", "| Parade | 40 % | 150 km | 10 km/h |"),
    ("What is the Hill Hold mode for?", "| Hill Hold | 150 % |"),
])
def test_a_late_row_of_a_long_table_is_found_and_quoted(bike, question, row):
    answer = qa.ask(question, index_dir=bike)
    assert not answer.abstained and row in answer.citations[0].quote


@pytest.mark.parametrize("question, step", [
    ("What is step 4 of cleaning the chain?", "4. Apply one drop of dry lube to each roller."),
    ("What is step 3 of checking the brakes?", "3. Replace the pads when less than 1.5 mm of lining is left."),
])
def test_a_step_of_a_procedure_is_its_numbered_item_under_the_heading_asked(bike, question, step):
    # the quick-start card's own third and fourth steps had been quoted in their place, and the next step too
    answer = qa.ask(question, index_dir=bike)
    assert not answer.abstained and [citation.quote for citation in answer.citations] == [step]


def test_a_step_no_list_of_the_documents_has_is_refused(bike):
    answer = qa.ask("What is step 9 of cleaning the chain?", index_dir=bike)
    assert answer.abstained and "“step 9”" in answer.text


def test_a_run_in_label_is_quoted_with_the_sentence_it_labels(bike):
    answer = qa.ask("Where is the walk-assist button?", index_dir=bike)
    assert not answer.abstained
    assert answer.citations[0].quote.startswith("Left grip. The mode button, the walk-assist button")


def test_a_follow_up_on_another_model_asks_the_earlier_question_of_it():
    # a probe's "And for the AD9 Pro?" after a question on the AD8 was searched alone, and quoted release notes
    assert names_in("What is the net weight of the E7?") == ["E7"]
    query = contextual_query("And for the E9 Pro?", ["What is the net weight of the E7?"])
    assert query == "What is the net weight of the E9 Pro? And for the E9 Pro?"
