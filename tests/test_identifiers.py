"""Identifiers a question names (qa/identifiers.py): a heading led by one is named by it alone, one the documents
never write is refused; and a short labelled value ("Default: zstd.") is quoted with the sentence it belongs to
(qa/answerers/extractive.py). On documents of the shape a new-user probe's product documentation had."""

from __future__ import annotations

import pytest

import qa
from conftest import index_of
from qa.identifiers import identifiers

TROUBLESHOOTING = (
    "Larkspur Sync Troubleshooting Guide\n\n"
    "Every error the sync server reports has a code of the form LS-E followed by three digits. The codes below are "
    "the ones customers meet most often.\n\n"
    "LS-E104 Vault locked\n\n"
    "Another job, or a server that stopped without warning, still holds the vault lock. Wait for running jobs to "
    "finish; if none is running, run larkspur vault unlock.\n\n"
    "LS-E231 Certificate expired\n\n"
    "The server's TLS certificate has expired, so clients refuse to connect. Renew it with larkspur-setup "
    "--renew-cert and restart the service.\n\n"
    "LS-E318 Clock skew\n\n"
    "The client's clock differs from the server's by more than 300 seconds. Enable NTP on the client.\n"
)
CONFIGURATION = (
    "# Larkspur Sync Configuration Reference\n\n## Storage options\n\n"
    "### compression\n\nThe compression algorithm applied to each block before encryption: zstd, lz4 or none.\n"
    "Default: zstd.\n\n"
    "### retry_interval_seconds\n\nHow long the scheduler waits before retrying a failed job.\nDefault: 240 seconds.\n\n"
    "### keep_weekly\n\nHow many weekly snapshots are kept.\nDefault: 6 weeks.\n"
)


CHANGELOG = (
    "# Changelog\n\n## [2.4.1] - 2022-03-08\n\n### Fixed\n\n- The vault lock is released when a job is cancelled.\n\n"
    "## [3.0.0] - 2022-09-20\n\n### Changed\n\n- Blocks are compressed with zstd by default instead of lz4.\n"
)


@pytest.mark.parametrize(
    "text, found",
    [
        ("What does error TW-E909 mean?", ["TW-E909"]),
        ("What is the default of cache_ttl_seconds?", ["cache_ttl_seconds"]),
        ("What happened at COP15?", ["COP15"]),
        ("Who has led the agency since mid-2020?", []),  # a word and a year
        ("How did COVID-19 change visits?", []),
        ("How much CO2 was emitted in 2024?", []),  # too short to be told from a word
        ("When was version 3.5 released?", []),
    ],
)
def test_what_counts_as_an_identifier(text, found):
    assert identifiers(text) == found


@pytest.fixture(scope="module")
def product_index(tmp_path_factory):
    return index_of(tmp_path_factory.mktemp("product"), {
        "troubleshooting.txt": TROUBLESHOOTING, "configuration.md": CONFIGURATION, "CHANGELOG.md": CHANGELOG,
    })


def test_a_heading_led_by_an_identifier_is_named_by_it_alone(product_index):
    # A probe's guide: "What does error TW-E101 mean?" was answered with the guide's introduction to error codes.
    answer = qa.ask("What does error LS-E104 mean?", index_dir=product_index)
    assert not answer.abstained and "holds the vault lock" in answer.citations[0].quote, answer.text
    answer = qa.ask("How do I fix error LS-E231?", index_dir=product_index)
    assert not answer.abstained and "certificate has expired" in answer.citations[0].quote, answer.text


def test_an_identifier_the_documents_never_write_is_refused(product_index):
    # "What does error TW-E909 mean?" and "What is the default of cache_ttl_seconds?" were answered with another
    # error's or another option's text.
    answer = qa.ask("What does error LS-E909 mean?", index_dir=product_index)
    assert answer.abstained and answer.text == "The documents have no “LS-E909”: I could not find an answer to that in them."
    assert qa.ask("What is the default value of max_parallel_jobs?", index_dir=product_index).abstained
    # written without its hyphen or with a space, it is the same code
    assert not qa.ask("What does error LS E104 mean?", index_dir=product_index).text.startswith("The documents have no")
    assert not qa.ask("What does error LSE104 mean?", index_dir=product_index).text.startswith("The documents have no")


def test_a_labelled_value_is_quoted_with_the_sentence_it_belongs_to(product_index):
    answer = qa.ask("Which compression algorithm is used by default?", index_dir=product_index)
    assert not answer.abstained and answer.citations[0].quote.rstrip().endswith("Default: zstd."), answer.text
    answer = qa.ask("How long does the scheduler wait before it retries a failed job?", index_dir=product_index)
    assert "Default: 240 seconds." in answer.citations[0].quote, answer.text
    # counted in weeks, as the question's "weekly" says
    answer = qa.ask("How many weekly snapshots are kept by default?", index_dir=product_index)
    assert not answer.abstained and "Default: 6 weeks." in answer.citations[0].quote, answer.text


def test_a_version_the_documents_never_write_is_refused(product_index):
    # a probe's "What changed in 2.5.0?" of a changelog that goes from 2.4.1 to 3.0.0 was answered with another
    # release's notes
    answer = qa.ask("What changed in version 2.5.0?", index_dir=product_index)
    assert answer.abstained and "“2.5.0”" in answer.text
    assert "The vault lock is released" in qa.ask("What was fixed in 2.4.1?", index_dir=product_index).citations[0].quote
    assert not qa.ask("What changed in 3.0.0?", index_dir=product_index).abstained
