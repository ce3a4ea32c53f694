"""A research paper: its list of works cited is not quoted as what it says, a one-word heading set right over
its text ("Abstract", "References", as a PDF sets them) heads it, and a caption is read with its label and
not quoted for what its table holds."""

from __future__ import annotations

import pytest

import qa
from conftest import index_of
from documents import make_titled_pdf
from qa.chunking import chunk_document
from qa.corpus import load_corpus
from qa.sentences import sentence_spans

BODY = """Upslope retreat of wild bees in the Karsavin Highlands

Abstract
We resampled wild bees on 14 permanent transects first surveyed in 2009-2011. Bee abundance fell by 37.4
percent, and losses were largest below 1,400 metres.

1. Methods

Bees were caught with coloured pan traps and by hand-netting on sunny days with little wind. Pan traps are
known to under-sample large bees, so every transect was also walked with a net for 30 minutes.

2. Results

Across both periods we recorded 11,482 bee specimens belonging to 164 species. Bumblebees moved upslope by
212 metres at their lower range limit.

Table 1. Bee specimens and species richness by elevation band in the two surveys of the Karsavin Highlands.

References
Aalto, R., Ferreira, J., 2023. Restoring hay-making on abandoned meadows benefits wild bees: a ten-year
experiment. Restoration Ecology Letters 8, 1-12.
Kerrigan, D., Moss, L., 2015. Pan traps under-sample large bees where flowers are scarce. Methods in Insect
Ecology 5, 77-90.
Marlow, J., Petersen, K., 2019. A baseline survey of the wild bee fauna on 14 permanent transects.
Pollination Ecology 24, 88-99.
"""

MARKDOWN = """# Bumblebees of the Tollervik Fjordlands

## Results

We counted 3,106 bumblebees of 17 species on six transects in 2022-2023, a fifth fewer than ten years before.

## References

- Fenwick, H., Adeyemi, T., 2021. Asymmetric shifts of lower and upper range limits in bumblebees. Ecography
  Letters 14, 55-67.
- Gunnarsdottir, E., 2018. Transect walks for counting bumblebees in wet coastal landscapes. Journal of
  Insect Monitoring 4, 12-25.
"""


@pytest.fixture(scope="module")
def papers_index(tmp_path_factory):
    return index_of(tmp_path_factory.mktemp("papers"), {"karsavin.txt": BODY, "tollervik.md": MARKDOWN})


def test_a_list_of_works_cited_is_no_chunk_and_a_one_word_heading_heads_its_text():
    chunks = chunk_document("karsavin.txt", BODY, max_tokens=200, overlap=1)
    assert not any("Pollination Ecology" in chunk.text or "Aalto" in chunk.text for chunk in chunks)
    abstract = next(chunk for chunk in chunks if "37.4" in chunk.text)
    assert abstract.section.endswith("Abstract") and not abstract.text.startswith("Abstract")
    # its offsets still index the document's text, which keeps the list
    assert all(BODY[chunk.start : chunk.end] == chunk.text for chunk in chunks)


def test_a_question_in_the_words_of_a_cited_title_is_answered_from_the_body(papers_index):
    for question, expected in (
        ("Do pan traps under-sample large bees?", "Pan traps are"),
        ("How many permanent transects were used in the baseline survey?", "14 permanent transects"),
        ("How many bumblebees were counted in the Tollervik Fjordlands?", "3,106"),
    ):
        answer = qa.ask(question, index_dir=papers_index)
        assert not answer.abstained and expected in answer.citations[0].quote, (question, answer.text)
        assert not any("Letters" in citation.quote or "Ecology 2" in citation.quote for citation in answer.citations)


def test_a_document_that_is_only_a_reading_list_is_still_indexed():
    reading_list = "References\n\nAalto, R., 2023. Restoring hay-making on abandoned meadows. Restoration Ecology Letters 8.\n"
    assert chunk_document("reading.txt", reading_list, max_tokens=200, overlap=1)


def test_a_captions_label_is_one_sentence_with_its_caption():
    text = "Table 2. Mean visitation rates on four plants. Bees visited clover most. See Fig. 3: a map of the sites."
    assert [text[a:b] for a, b in sentence_spans(text)] == [
        "Table 2. Mean visitation rates on four plants.", "Bees visited clover most.", "See Fig. 3: a map of the sites."
    ]


def test_the_years_a_caption_covers_are_no_figures_of_it():
    from qa.answerers.quotes import captions_without_figures

    # a Word table's caption, its own passage apart from the table: a probe's budget question was answered with it
    assert captions_without_figures("Table 1. Spending by project and year, 2025–2029 (million euros).")
    assert not captions_without_figures("Table 3. Landings fell by 12 percent in 2024.")


def test_a_caption_that_holds_no_figure_is_not_quoted(papers_index):
    for question in (
        "How many bee specimens were recorded in the Karsavin Highlands?",
        "How many bee species were found in each elevation band in the two surveys?",
    ):
        answer = qa.ask(question, index_dir=papers_index)
        assert not any(citation.quote.startswith("Table 1.") for citation in answer.citations), answer.text
    assert "11,482" in qa.ask("How many bee specimens were recorded?", index_dir=papers_index).citations[0].quote


def test_a_pdf_is_titled_by_its_largest_type_not_by_its_running_header(tmp_path):
    title = ["Bumblebee range contraction on the coastal slopes", "of the Tollervik Fjordlands: a ten-year resurvey"]
    body = ["We resurveyed bumblebees on six transects in the Tollervik Fjordlands.", "We recorded 3,106 bumblebees."]
    (tmp_path / "tollervik.pdf").write_bytes(make_titled_pdf("Norvanian Journal of Entomology 71: 44-52 (2025)", title, body))
    document = load_corpus(tmp_path).documents[0]
    assert document.title == " ".join(title)
    chunks = chunk_document(document.source, document.text, 200, 1, document.page_starts, document.title)
    assert {chunk.title for chunk in chunks} == {" ".join(title)}
    # a PDF set in one size has no title but its first heading
    (tmp_path / "tollervik.pdf").write_bytes(make_titled_pdf("Norvanian Journal", [], body))
    assert load_corpus(tmp_path).documents[0].title == ""
