"""Pages saved from a government site, as a new-user probe saved them (2026-12-08): the title in an <h1> and the
date line above the article's <div>, outside it; a white paper whose contents list names its "Conclusion"; and a
documentation site's FAQ page, its questions as headings over short answers, with a "Note" box."""

from __future__ import annotations

import pytest

import qa
from conftest import index_of
from qa.editions import document_periods
from qa.formats.html import read


def saved_page(title: str, date_line: str, article: str) -> str:
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title} - Information Office of Norvania</title></head>
<body>
<div class="header"><a href="/">Information Office of Norvania</a>
<ul class="nav"><li><a href="/">Home</a></li><li><a href="/news/">News</a></li><li><a href="/papers/">White Papers</a></li></ul></div>
<div class="breadcrumb"><a href="/">Home</a> &gt; <a href="/news/">News</a></div>
<div class="main">
<div class="tools"><a href="#">Print</a> | <a href="#">Share</a></div>
<h1 class="title">{title}</h1>
<div class="info">{date_line}</div>
<div class="article" id="content">
{article}
</div>
</div>
<div class="footer">Copyright Information Office of Norvania. Contact: office@norvania.example</div>
</body></html>
"""


NEWS = saved_page(
    "Brackwater Marine Park opens to visitors",
    "Updated: 2025-05-14 09:30 &nbsp; Source: Norvanian News Agency",
    """<p>ESKEL, May 14 (NNA) -- Brackwater Marine Park opened to visitors on Wednesday, five months after the
cabinet approved it.</p>
<p>The park covers 84,000 hectares of sea and protects a kelp forest first mapped in 1998.</p>
<p>"Visitors can watch the kelp from glass-bottom boats," said Mira Holt, the park's director.</p>""",
)
PAPER = saved_page(
    "Full Text: Coastal Conservation in Norvania",
    "Updated: 2025-03-02 10:00",
    """<p>Contents</p>
<p>Foreword<br>I. Protecting Coastal Waters<br>II. Restoring Wetlands<br>Conclusion</p>
<h2>Foreword</h2>
<p>Norvania is a coastal country with 4,120 kilometres of mainland coastline and 812 islands.</p>
<h2>I. Protecting Coastal Waters</h2>
<p>Marine protected areas covered 14.2 percent of the coastal waters at the end of 2024.</p>
<h2>II. Restoring Wetlands</h2>
<p>Since 2016 the country has restored 23,600 hectares of coastal wetlands, most of them salt marsh.</p>
<h2>Conclusion</h2>
<p>Norvania's coasts are cleaner than they were a decade ago, but the work is far from finished.</p>
<p>By 2035 marine protected areas are to cover a fifth of the coastal waters.</p>""",
)


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    return index_of(tmp_path_factory.mktemp("pages"), {"brackwater-park-opens.html": NEWS, "coastal-paper.html": PAPER})


def test_a_title_and_date_above_the_article_are_the_pages():
    extracted = read(NEWS.encode())
    assert extracted.title == "Brackwater Marine Park opens to visitors"
    assert extracted.date == "2025-05-14"
    assert "Updated" not in extracted.text and "Print" not in extracted.text  # still not part of the text


def test_a_page_is_dated_by_the_date_it_shows(pages):
    index = qa.retriever(pages).current()[0]
    period = document_periods(index)["brackwater-park-opens.html"]
    assert period.when == (2025, 5, 14)
    answer = qa.ask("Who is the director of Brackwater Marine Park?", index_dir=pages)
    assert not answer.abstained and "Mira Holt" in answer.citations[0].quote


def test_a_conclusion_named_in_a_contents_list_is_still_a_section(pages):
    answer = qa.ask("What does the Conclusion say?", index_dir=pages)
    assert not answer.abstained
    assert answer.citations[0].section.endswith("Conclusion")
    assert "far from finished" in answer.citations[0].quote


def test_a_contents_list_without_page_numbers_is_no_heading_and_no_chunk():
    from qa.chunking import chunk_document

    text = (
        "Coastal Conservation in Norvania\n\nContents\n\nForeword\nI. Protecting Coastal Waters\nII. Restoring Wetlands\n"
        "Conclusion\n\nForeword\n\nNorvania has 812 islands.\n\nI. Protecting Coastal Waters\n\nProtected areas cover 14.2 percent.\n\n"
        "II. Restoring Wetlands\n\nSince 2016, 23,600 hectares were restored.\n\nConclusion\n\nThe work is far from finished.\n"
    )
    chunks = chunk_document("paper.txt", text, 200, 0)
    sections = {chunk.text: chunk.section for chunk in chunks}
    assert sections["Norvania has 812 islands."].endswith("Foreword")
    assert "Restoring Wetlands" not in sections["Norvania has 812 islands."]
    assert sections["The work is far from finished."].endswith("Conclusion")
    assert not any("Protecting Coastal Waters\nII." in chunk.text for chunk in chunks)  # the list is no passage


DOCS_FAQ = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>FAQ - Sluiceway 3.2</title></head>
<body>
<nav class="md-nav"><ul><li><a href="#windows">Can I run Sluiceway on Windows?</a></li><li><a href="#telemetry">Does Sluiceway send telemetry?</a></li></ul></nav>
<article class="md-content__inner">
<a href="https://example.org/edit/faq.md" title="Edit this page">Edit on GitHub</a>
<h1>Frequently asked questions</h1>
<h2 id="windows">Can I run Sluiceway on Windows?</h2>
<p>Not natively. Run the Linux binary under WSL2, or run the container image with Docker Desktop.</p>
<h2 id="telemetry">Does Sluiceway send telemetry?</h2>
<p>No. Sluiceway never contacts any server of the project.</p>
<h2 id="dry-run">How do I test a pipeline?</h2>
<div class="admonition note"><p class="admonition-title">Note</p><p>Run it with --dry-run: every stage runs and nothing is written to the sinks.</p></div>
<h2 id="memory">How much memory does it need?</h2>
<p>A typical pipeline uses 150 to 300 MB of memory.</p>
</article>
<footer class="md-footer">Copyright 2024 The Sluiceway authors</footer>
</body></html>
"""


@pytest.fixture(scope="module")
def docs_faq(tmp_path_factory):
    return index_of(tmp_path_factory.mktemp("faq"), {"faq.html": DOCS_FAQ})


def test_a_question_asked_as_the_faq_heading_is_answered(docs_faq):
    # asked word for word, it was refused at 0.00: the judge read the short answer "Not natively." alone
    answer = qa.ask("Can I run Sluiceway on Windows?", index_dir=docs_faq)
    assert not answer.abstained
    assert "WSL2" in answer.text


def test_a_box_title_is_never_the_answer(docs_faq):
    answer = qa.ask("How can I try a pipeline without writing anything to the sinks?", index_dir=docs_faq)
    assert all(citation.quote.strip() != "Note" for citation in answer.citations)
    assert not answer.abstained and "--dry-run" in answer.citations[0].quote
