"""Adding documents: safe names inside corpus/, type and size limits, and `qa add` updating the index."""

from __future__ import annotations

import pytest

import qa
from documents import ENGLISH_PAGES, make_pdf
from qa.ingest import safe_name
from test_cli import run_qa


@pytest.mark.parametrize(
    "given, stored",
    [
        ("../../etc/passwd.txt", "passwd.txt"),
        ("..\\..\\windows\\evil.md", "evil.md"),
        (".hidden.txt", "hidden.txt"),
        ("报告 2021.DOCX", "报告 2021.docx"),
        ("a<b>|c?.html", "a_b_c.html"),
        ("....pdf", "document.pdf"),
        ("x" * 300 + ".txt", "x" * 116 + ".txt"),
    ],
)
def test_names_are_made_safe(given, stored):
    assert safe_name(given) == stored


@pytest.fixture
def folders(tmp_path, own_corpus):
    corpus, index_dir = own_corpus, tmp_path / "index"
    qa.build_index(corpus, index_dir)
    return corpus, index_dir


def test_qa_add_copies_and_updates_incrementally(folders, tmp_path):
    corpus, index_dir = folders
    outside = tmp_path / "incoming"
    outside.mkdir()
    (outside / "..grassland report.pdf").write_bytes(make_pdf(ENGLISH_PAGES))
    (outside / "notes.exe").write_bytes(b"MZ")
    result = run_qa("add", str(outside / "..grassland report.pdf"), str(outside / "notes.exe"),
                    "--corpus", str(corpus), "--index", str(index_dir))
    assert result.returncode == 0, result.stderr
    assert "added grassland report.pdf" in result.stdout and "incremental; 2 added, 0 removed, 8 unchanged" in result.stdout
    assert "notes.exe: the type .exe is not supported" in result.stderr
    assert sorted(p.name for p in corpus.iterdir() if not p.name.endswith(".json")) == [
        "china-biodiversity-white-paper-summary.txt",
        "grassland report.pdf",
    ]
    answer = qa.ask("How do herders help pastures recover?", index_dir=index_dir)
    assert answer.citations[0].source == "grassland report.pdf" and answer.citations[0].page == 2
    again = run_qa("add", str(outside / "..grassland report.pdf"), "--corpus", str(corpus), "--index", str(index_dir))
    assert again.returncode == 0, again.stderr
    assert "added grassland" not in again.stdout and "grassland report.pdf is already in the corpus" in again.stderr


def test_a_copy_under_another_name_is_not_stored_again(folders, tmp_path):
    """A new-user probe's copy of a news item under another name was added silently and filled two of the
    five passages its questions read."""
    corpus, index_dir = folders
    copy = tmp_path / "summary-copy.txt"
    copy.write_bytes((corpus / "china-biodiversity-white-paper-summary.txt").read_bytes())
    report = qa.add([copy], corpus_dir=corpus, index_dir=index_dir)
    assert report.added == report.already == ["china-biodiversity-white-paper-summary.txt"] and report.stored == []
    assert report.notes == [
        "summary-copy.txt has the same content as china-biodiversity-white-paper-summary.txt, already in the corpus,"
        " so it was not stored again"
    ]
    assert not (corpus / "summary-copy.txt").exists() and report.build.up_to_date


def test_nothing_addable_is_a_clear_error(folders, tmp_path, monkeypatch):
    corpus, index_dir = folders
    big = tmp_path / "big.txt"
    big.write_bytes(b"a" * (1024 * 1024 + 1))
    monkeypatch.setenv("QA_UPLOAD_MAX_MB", "1")
    result = run_qa("add", str(big), str(tmp_path / "missing.md"), "--corpus", str(corpus), "--index", str(index_dir))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "big.txt: it is larger than 1 MB" in result.stderr and "missing.md: no such file" in result.stderr
    assert not (corpus / "big.txt").exists()


def test_a_folder_adds_the_documents_below_it(folders, tmp_path):
    corpus, index_dir = folders
    given = tmp_path / "reports"
    (given / "2021").mkdir(parents=True)
    (given / "crane survey.md").write_text("The Velmora crane survey counted 412 red-crowned cranes in 2021.\n")
    (given / "2021" / "snails.txt").write_text("The Velmora snail programme is directed by Tomas Reinholt.\n")
    (given / "notes.xyz").write_text("not a document type")
    (given / ".hidden.txt").write_text("left out, as a build leaves it out")
    (tmp_path / "nothing").mkdir()
    result = run_qa("add", str(given), str(tmp_path / "nothing"), "--corpus", str(corpus), "--index", str(index_dir))
    assert result.returncode == 0, result.stderr
    assert (corpus / "crane survey.md").is_file() and (corpus / "snails.txt").is_file()
    assert not (corpus / "hidden.txt").exists()
    assert "notes.xyz: the type .xyz is not supported" in result.stderr
    assert "nothing: the folder holds no documents" in result.stderr
    answer = qa.ask("Who directs the Velmora snail programme?", index_dir=index_dir)
    assert answer.citations and answer.citations[0].source == "snails.txt"


def test_a_documents_metadata_file_is_added_with_it(folders, tmp_path):
    corpus, index_dir = folders
    given = tmp_path / "reports"
    given.mkdir()
    (given / "crane survey.md").write_text("The Velmora crane survey counted 412 red-crowned cranes in 2021.\n")
    (given / "crane survey.md.meta.json").write_text('{"title": "Velmora Crane Survey 2021", "publisher": "VWS"}')
    report = qa.add([given / "crane survey.md"], corpus, index_dir)
    assert report.added == ["crane survey.md"]
    document = next(d for d in qa.load_corpus(corpus).documents if d.source == "crane survey.md")
    assert document.metadata["title"] == "Velmora Crane Survey 2021"
