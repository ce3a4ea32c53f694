"""Bad input and damaged states: a message and no lost data, never a traceback (issue: hardening)."""

from __future__ import annotations

import io
import json
import threading
import zipfile

import numpy as np
import pytest

import qa
from documents import ENGLISH_PAGES, make_docx, make_pdf
from qa import store
from qa.limits import InputTooLargeError
from qa.vector_stores.faiss import chunks_file, clauses_file
from qa.sentences import SEGMENTER_WINDOW
from test_cli import run_qa

QUESTION = "What is the ecological protection red line?"


def broken_docx() -> bytes:
    """A valid zip whose main XML part is cut off: python-docx raised on it before readers were guarded."""
    source = zipfile.ZipFile(io.BytesIO(make_docx([("p", "Wetland parks protect migratory birds.")])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            content = source.read(name)
            target.writestr(name, content[: len(content) // 2] if name == "word/document.xml" else content)
    return out.getvalue()


@pytest.fixture
def folders(tmp_path, own_corpus):
    index_dir = tmp_path / "index"
    qa.build_index(own_corpus, index_dir)
    return own_corpus, index_dir


# 1. Damaged files -------------------------------------------------------------------------------------------


def test_a_damaged_docx_in_the_corpus_is_skipped_with_its_reason_and_the_build_goes_on(tmp_path, own_corpus):
    (own_corpus / "broken.docx").write_bytes(broken_docx())
    result = run_qa("build", "--corpus", str(own_corpus), "--index", str(tmp_path / "index"))
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "skipped broken.docx: it is not a readable .docx file" in result.stderr
    assert "indexed 1 document(s)" in result.stdout


# 2. Concurrent builds ---------------------------------------------------------------------------------------


def test_a_build_waits_for_another_build_of_the_same_index_then_gives_up_with_a_reason(folders, setting):
    corpus, index_dir = folders
    setting(build_wait_seconds=0.5)
    held, release = threading.Event(), threading.Event()

    def other_build():  # holds the lock as a build in another process would
        with store.build_lock(index_dir, 60):
            held.set()
            release.wait(30)

    holder = threading.Thread(target=other_build)
    holder.start()
    held.wait(10)
    try:
        with pytest.raises(qa.QAError, match="another build of .* has been running"):
            qa.build_index(corpus, index_dir)
    finally:
        release.set()
        holder.join()
    assert qa.build_index(corpus, index_dir).documents == 1  # the lock is free again


# 3. Size limits ---------------------------------------------------------------------------------------------


def test_a_huge_question_is_refused_before_any_work(tmp_path, setting):
    setting(max_question_chars=100)
    missing_index = tmp_path / "no-index"  # any work at all would fail on it first
    with pytest.raises(InputTooLargeError, match="101 characters long; the limit is 100"):
        qa.ask("x" * 101, index_dir=missing_index)
    with pytest.raises(InputTooLargeError):
        qa.retrieve("x" * 101, index_dir=missing_index)
    with pytest.raises(InputTooLargeError, match="earlier turn"):
        qa.ask("And then?", history=[{"role": "user", "content": "y" * 101}], index_dir=missing_index)
    setting(max_history_turns=2)
    with pytest.raises(InputTooLargeError, match="3 earlier questions; the limit is 2"):
        qa.ask("And then?", history=["a?", "b?", "c?"], index_dir=missing_index)


def test_the_cli_refuses_a_huge_question_in_one_line(shipped_index):
    result = run_qa("ask", "why " * 5000, "--index", str(shipped_index))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "the limit is 4,000 (QA_MAX_QUESTION_CHARS)" in result.stderr


# 4 and 5. Uploads: no silent overwrite; unreadable files named and not kept ---------------------------------


def test_adding_a_file_named_like_a_corpus_file_keeps_both(folders, tmp_path, shipped_text):
    corpus, index_dir = folders
    incoming = tmp_path / "incoming"
    incoming.mkdir()
    twin = incoming / "china-biodiversity-white-paper-summary.txt"
    twin.write_text("Dragonflies in the Qinling mountains eat midges.\n", encoding="utf-8")
    report = qa.add([twin], corpus, index_dir)
    assert report.added == ["china-biodiversity-white-paper-summary-2.txt"] and report.already == []
    assert "stored as china-biodiversity-white-paper-summary-2.txt" in report.notes[0] and "--replace" in report.notes[0]
    assert (corpus / "china-biodiversity-white-paper-summary.txt").read_text(encoding="utf-8") == shipped_text
    again = qa.add([incoming / "china-biodiversity-white-paper-summary.txt"], corpus, index_dir)
    assert again.added == ["china-biodiversity-white-paper-summary-2.txt"], "the same content is not stored twice"
    assert "already in the corpus" in again.notes[0] and again.already == again.added
    replaced = qa.add([twin], corpus, index_dir, replace=True)
    assert replaced.added == ["china-biodiversity-white-paper-summary.txt"] and not replaced.notes
    assert "Dragonflies" in (corpus / "china-biodiversity-white-paper-summary.txt").read_text(encoding="utf-8")


def test_unreadable_uploads_are_named_with_their_reason_and_not_kept(folders, tmp_path):
    corpus, index_dir = folders
    before = sorted(p.name for p in corpus.iterdir())
    incoming = tmp_path / "incoming"
    incoming.mkdir()
    (incoming / "binary.txt").write_bytes(bytes(range(256)) * 4)
    (incoming / "corrupt.pdf").write_bytes(make_pdf(ENGLISH_PAGES)[:200])
    (incoming / "zip.docx").write_bytes(zipfile_bytes())
    (incoming / "good.pdf").write_bytes(make_pdf(ENGLISH_PAGES))
    report = qa.add(sorted(incoming.iterdir()), corpus, index_dir)
    assert report.added == ["good.pdf"]
    reasons = dict(line.split(": ", 1) for line in report.rejected)
    assert set(reasons) == {"binary.txt", "corrupt.pdf", "zip.docx"}
    assert "NUL bytes" in reasons["binary.txt"] and "PDF" in reasons["corrupt.pdf"] and ".docx" in reasons["zip.docx"]
    assert sorted(p.name for p in corpus.iterdir()) == sorted([*before, "good.pdf"])


def zipfile_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("notes.txt", "not a Word document")
    return out.getvalue()


# 6. Recovery ------------------------------------------------------------------------------------------------


def test_start_up_brings_the_index_up_to_date_with_files_added_while_it_was_down(folders, capsys):
    from qa.ui import ensure_index

    corpus, index_dir = folders
    (corpus / "dragonflies.txt").write_text("Dragonflies in the Qinling mountains eat midges.\n", encoding="utf-8")
    ensure_index(corpus, index_dir)  # what `python app.py` does before serving
    assert "changed since the index was built: 1 new (dragonflies.txt)" in capsys.readouterr().err
    assert qa.index_info(index_dir)["documents"] == 2
    ensure_index(corpus, index_dir)
    assert capsys.readouterr().err == "", "an index that is up to date is left alone"


def test_a_corpus_emptied_after_a_build_says_what_still_serves_and_the_chat_starts_on_it(folders, capsys):
    from qa.ui import ensure_index

    corpus, index_dir = folders
    for path in corpus.iterdir():
        path.unlink()
    with pytest.raises(qa.QAError, match=r"(?s)no readable documents.*still answers from the 1 document\(s\) of its last build"):
        qa.build_index(corpus, index_dir)
    ensure_index(corpus, index_dir)  # what `python app.py` does before serving: it no longer exits
    assert "warning: the index was not updated: no readable documents" in capsys.readouterr().err
    assert not qa.ask("What is the ecological protection red line?", index_dir=index_dir).abstained


@pytest.mark.parametrize("content", [b"\x00\x00\xff\xfe", b"build-../../etc\n", b"build-20260101T000000-deadbeef\n"])
def test_a_damaged_current_pointer_gives_one_line_and_qa_build_repairs_it(folders, content):
    corpus, index_dir = folders
    (index_dir / store.CURRENT).write_bytes(content)
    searched = run_qa("search", QUESTION, "--index", str(index_dir))
    assert searched.returncode == 2 and "Traceback" not in searched.stderr and "qa build" in searched.stderr
    built = run_qa("build", "--corpus", str(corpus), "--index", str(index_dir))
    assert built.returncode == 0, built.stderr
    assert run_qa("search", QUESTION, "--index", str(index_dir)).returncode == 0


def test_vectors_of_the_wrong_dimension_are_rebuilt_by_qa_build(folders):
    corpus, index_dir = folders
    build_dir = index_dir / store.current_build_id(index_dir)
    for name in (chunks_file("dense"), clauses_file("dense")):
        rows = len(np.load(build_dir / name))
        np.save(build_dir / name, np.ones((rows, 16), dtype=np.float32))
    qa.retriever(index_dir).index = None  # as a new process would see it
    with pytest.raises(qa.IndexMismatchError, match="qa build"):
        qa.retrieve(QUESTION, index_dir=index_dir)
    report = qa.build_index(corpus, index_dir)
    assert "16 dimensions" in report.full_rebuild_reason
    assert qa.retrieve(QUESTION, index_dir=index_dir)


def test_an_index_path_that_is_a_file_gives_one_line(tmp_path, shipped_corpus):
    index_file = tmp_path / "index"
    index_file.write_text("my notes", encoding="utf-8")
    for args in (["build", "--corpus", str(shipped_corpus)], ["search", QUESTION]):
        result = run_qa(*args, "--index", str(index_file))
        assert result.returncode == 2 and "Traceback" not in result.stderr
        assert "is a file, not an index folder" in result.stderr
    assert index_file.read_text(encoding="utf-8") == "my notes", "the user's file is left alone"


def test_a_file_dropped_in_with_an_uppercase_suffix_is_not_added_twice(folders, tmp_path):
    corpus, index_dir = folders
    (corpus / "CRANES.TXT").write_text("The Velmora crane survey counted 412 cranes.\n", encoding="utf-8")
    incoming = tmp_path / "CRANES.TXT"
    incoming.write_text("The Velmora crane survey counted 412 cranes.\n", encoding="utf-8")
    report = qa.add(str(incoming), corpus, index_dir)  # one path, not a list: not read character by character
    assert report.already == ["CRANES.TXT"] and "already in the corpus" in report.notes[0]
    assert sorted(p.name for p in corpus.iterdir() if p.suffix.lower() == ".txt") == [
        "CRANES.TXT",
        "china-biodiversity-white-paper-summary.txt",
    ]
    incoming.write_text("The Velmora crane survey counted 415 cranes.\n", encoding="utf-8")
    replaced = qa.add(incoming, corpus, index_dir, replace=True)
    assert replaced.added == ["CRANES.TXT"] and "415" in (corpus / "CRANES.TXT").read_text(encoding="utf-8")
    # Two files whose names differ only in case: the one of the very name is replaced, and either one's
    # content is found already there.
    (corpus / "cranes.txt").write_text("Cranes roost on the sandbars of the Velm.\n", encoding="utf-8")
    lower = tmp_path / "lower" / "cranes.txt"
    lower.parent.mkdir()
    lower.write_text("Cranes roost on the islands of the Velm.\n", encoding="utf-8")
    assert qa.add(lower, corpus, index_dir, replace=True).added == ["cranes.txt"]
    assert "415" in (corpus / "CRANES.TXT").read_text(encoding="utf-8"), "the other case's file is left alone"
    again = tmp_path / "again" / "Cranes.txt"
    again.parent.mkdir()
    again.write_text("The Velmora crane survey counted 415 cranes.\n", encoding="utf-8")
    assert qa.add(again, corpus, index_dir).already == ["CRANES.TXT"]


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda tmp: qa.add([], tmp / "corpus", tmp / "index"), "no files were given"),
        (lambda tmp: qa.add([None], tmp / "corpus", tmp / "index"), "None is not one"),
        (lambda tmp: qa.add({"a": 1}, tmp / "corpus", tmp / "index"), "not dict"),
        (lambda tmp: qa.ask("What is protected?", index_dir=5), "index folder must be a path, not int"),
        (lambda tmp: qa.build_index(5, tmp / "index"), "corpus folder must be a path, not int"),
        (lambda tmp: qa.build_index(tmp / "corpus", tmp / "notes.txt" / "index"), "cannot be made"),
        # a probe's history turns that were ignored without a word
        (lambda tmp: qa.ask("What is protected?", history=[5], index_dir=tmp / "index"), "turn 1 of the history is 5"),
        (lambda tmp: qa.ask("What is protected?", history=["Who?", {"role": "user"}], index_dir=tmp / "index"),
         "turn 2 of the history is {'role': 'user'}"),
        (lambda tmp: qa.ask("What is protected?", history=[{"role": "wizard", "content": "x"}], index_dir=tmp / "index"),
         "turn 1 of the history is {'content': 'x', 'role': 'wizard'}"),
        (lambda tmp: qa.ask("What is protected?", history=[(7, "an answer")], index_dir=tmp / "index"),
         r"turn 1 of the history is \(7, 'an answer'\)"),
        # a second probe's: a NUL in a folder name, a progress that is no function, load_corpus(None)
        (lambda tmp: qa.retrieve("What is protected?", index_dir="in\x00dex"), "holds a NUL character"),
        (lambda tmp: qa.build_index(tmp / "corpus", tmp / "index", progress=5), "progress must be a function"),
        (lambda tmp: qa.add(tmp / "notes.txt", tmp / "corpus", tmp / "index", progress="x"), "progress must be a function"),
        (lambda tmp: qa.load_corpus(5), "the corpus folder must be a path, not int"),
        (lambda tmp: qa.load_corpus("cor\x00pus"), "holds a NUL character"),
        (lambda tmp: qa.build_index(tmp / "corpus", tmp / "index", full="no"), "full must be True or False, not 'no'"),
    ],
)
def test_the_python_api_names_a_wrong_argument(tmp_path, shipped_text, call, message):
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "summary.txt").write_text(shipped_text, encoding="utf-8")
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(qa.QAError, match=message):
        call(tmp_path)
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mine"


# 8. One line instead of a traceback -------------------------------------------------------------------------


def test_a_non_utf8_argument_gives_one_line(shipped_index):
    import subprocess

    from test_cli import QA

    result = subprocess.run([QA, "search", b"red line \xff\xfe", "--index", str(shipped_index)], capture_output=True)
    assert result.returncode == 2 and b"Traceback" not in result.stderr
    assert b"not valid text" in result.stderr


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"question": None}, "question"),
        ({"question": "What is protected?", "history": [{"role": "user"}]}, "turn 1 of the history"),
        ({"question": "What is protected?", "index_dir": "no-such-index"}, r"no index in \S*no-such-index"),
    ],
)
def test_ask_stream_refuses_bad_input_when_called_not_at_its_first_item(shipped_index, arguments, message):
    # A probe's developer got a generator from qa.ask_stream(None), and the error only at next().
    with pytest.raises(qa.QAError, match=message):
        qa.ask_stream(**{"index_dir": shipped_index, **arguments})


def test_a_misspelt_setting_is_a_python_warning_a_program_can_catch(monkeypatch):
    # A probe's developer could neither catch nor silence the warning, which was printed to stderr.
    from qa.settings import SettingWarning, get_settings

    monkeypatch.setenv("QA_TOPK", "2")
    get_settings.cache_clear()
    try:
        with pytest.warns(SettingWarning, match="QA_TOPK is not a setting and is ignored"):
            get_settings()
    finally:
        get_settings.cache_clear()


def test_a_lone_surrogate_is_refused_with_a_message(shipped_index):
    with pytest.raises(qa.QAError, match="not valid text"):
        qa.ask("red line \udcff?", index_dir=shipped_index)


def test_qa_without_a_command_prints_its_help():
    result = run_qa()
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "usage: qa" in result.stdout and "build" in result.stdout and "ask" in result.stdout


@pytest.mark.parametrize("k", [0, -3, 2.5, True])
def test_k_must_be_a_whole_number_of_one_or_more(shipped_index, k):
    with pytest.raises(qa.QAError, match="k must be a whole number of 1 or more"):
        qa.retrieve(QUESTION, k=k, index_dir=shipped_index)


def test_an_unavailable_embedding_device_gives_one_line(tmp_path, shipped_corpus, monkeypatch):
    monkeypatch.setenv("QA_EMBED_DEVICE", "cuda")
    import torch

    if torch.cuda.is_available():
        pytest.skip("this machine has CUDA")
    result = run_qa("build", "--corpus", str(shipped_corpus), "--index", str(tmp_path / "index"))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "QA_EMBED_DEVICE='cuda', but torch finds no cuda device" in result.stderr


# 10. Progress -----------------------------------------------------------------------------------------------


def test_adding_a_long_document_reports_progress_in_many_steps(folders, tmp_path):
    corpus, index_dir = folders
    long_text = "\n\n".join(
        f"Paragraph {n}: wetland number {n} shelters {n * 7} cranes, and its reeds filter the water of river {n}."
        for n in range(150)
    )
    (tmp_path / "long.txt").write_text(long_text, encoding="utf-8")
    seen = []
    report = qa.add([tmp_path / "long.txt"], corpus, index_dir, progress=lambda done, total: seen.append((done, total)))
    done = [d for d, _ in seen]
    assert done == sorted(done) and done[-1] == seen[-1][1], "progress only moves forward, and ends at the total"
    assert seen[-1][1] == report.build.embedded, "the total counts chunks, as the bar says, not chunks x vector sets"
    assert len(set(done)) >= 8, f"progress moves in steps, not at once: {seen}"


def test_a_document_of_one_very_long_line_is_added_and_answered(folders, tmp_path):
    # pysbd's time grows with the square of the text it reads: a 2 MB line once held a build for hours.
    facts = [f"Survey {n} of the Velmora marshes found {n * 11 + 5} nesting herons in {1990 + n % 30}." for n in range(3000)]
    facts[2000] = "The Velmora snail programme is directed by Tomas Reinholt."
    line = " ".join(facts)
    assert len(line) > 40 * SEGMENTER_WINDOW and "\n" not in line
    (tmp_path / "one-line.txt").write_text(line, encoding="utf-8")
    corpus, index_dir = folders
    report = qa.add([tmp_path / "one-line.txt"], corpus, index_dir)
    assert report.stored == ["one-line.txt"] and not report.rejected
    hits = qa.retrieve("Who directs the Velmora snail programme?", k=3, index_dir=index_dir)
    assert any("Tomas Reinholt" in hit.text for hit in hits)


def test_manifest_records_the_corpus_files_it_was_built_from(folders):
    corpus, index_dir = folders
    manifest = json.loads((index_dir / store.current_build_id(index_dir) / store.MANIFEST).read_text())
    assert set(manifest["corpus_files"]) == {p.name for p in corpus.iterdir()}


def test_upload_progress_is_drawn_over_the_upload_status_not_the_index_line(folders):
    from qa.ui import create_app

    corpus, index_dir = folders
    app = create_app(index_dir, corpus)
    ids = {block.elem_id: block_id for block_id, block in app.blocks.items() if getattr(block, "elem_id", None)}
    uploads = [d for d in app.config["dependencies"] if ids["upload"] in [t[0] for t in d["targets"]]]
    assert uploads, "the upload box has an upload event"
    for dependency in uploads:
        assert ids["index-info"] not in dependency["outputs"], "Gradio draws an event's progress over its outputs"
        assert ids["upload-status"] in dependency["outputs"]


# 9. What a second bad-input probe found ----------------------------------------------------------------------


def test_a_file_name_that_is_not_utf8_is_skipped_by_name_and_the_rest_is_indexed(folders):
    # As unzip or a Windows share leaves a Latin-1 "café.txt": every build, add and the chat's start ended in a
    # UnicodeEncodeError.
    import os

    corpus, index_dir = folders
    with open(os.path.join(os.fsencode(corpus), b"caf\xe9.txt"), "wb") as file:
        file.write(b"The Quokka river is home to the purple heron.\n")
    result = run_qa("build", "--corpus", str(corpus), "--index", str(index_dir))
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    assert "skipped caf\\xe9.txt: its name is not valid UTF-8: rename it" in result.stderr
    assert not qa.ask(QUESTION, index_dir=index_dir).abstained


def test_links_to_nothing_and_pipes_in_the_corpus_are_named(folders):
    import os

    corpus, index_dir = folders
    (corpus / "gone.txt").symlink_to(corpus / "no-such-file.txt")
    os.mkfifo(corpus / "pipe.txt")
    skipped = {file.source: file.reason for file in qa.build_index(corpus, index_dir).skipped}
    assert skipped == {"gone.txt": "it is a link to nothing", "pipe.txt": "it is not a regular file"}


def test_an_index_folder_that_cannot_be_written_gives_one_line_and_the_old_build_serves(folders, tmp_path):
    import subprocess

    corpus, index_dir = folders
    (corpus / "ibex.txt").write_text("The ibex climbs the cliffs of the Valdemar gorge.\n", encoding="utf-8")
    if subprocess.run(["chattr", "+i", str(index_dir)], capture_output=True).returncode:
        pytest.skip("chattr +i is not available on this file system")
    try:
        result = run_qa("build", "--corpus", str(corpus), "--index", str(index_dir))
        assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
        assert "the new build could not be written to" in result.stderr and "the previous build" in result.stderr
        (tmp_path / "src").mkdir()
        (tmp_path / "src" / "lynx.txt").write_text("The lynx hunts hares.\n", encoding="utf-8")
        added = run_qa("add", str(tmp_path / "src" / "lynx.txt"), "--corpus", str(corpus), "--index", str(index_dir))
        assert added.returncode == 2 and "lynx.txt stored in" in added.stderr and "the index was not updated" in added.stderr
        assert not qa.ask(QUESTION, index_dir=index_dir).abstained, "the old build still answers"
    finally:
        subprocess.run(["chattr", "-i", str(index_dir)], check=True)
    assert qa.build_index(corpus, index_dir).documents == 3, "the files stored meanwhile are indexed once it can write"


@pytest.mark.parametrize(
    "variable, message",
    [
        ("QA_INDEX_DIR=", "QA_INDEX_DIR: Value error, is empty"),
        ("QA_CORPUS_DIR=", "QA_CORPUS_DIR: Value error, is empty"),
        ("QA_EMBED_MODEL=", "QA_EMBED_MODEL: Value error, is empty"),
        ("QA_MODEL_CACHE=/etc/hostname", "QA_MODEL_CACHE: Value error, /etc/hostname is a file"),
    ],
)
def test_an_empty_folder_or_model_setting_or_a_file_as_model_cache_gives_one_line(shipped_index, variable, message):
    name, value = variable.split("=", 1)
    result = run_qa("ask", QUESTION, "--index", str(shipped_index), env={name: value})
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
    assert message in result.stderr


def test_a_dotenv_that_is_not_utf8_or_is_a_pipe_gives_one_line(tmp_path, shipped_index):
    import os

    (tmp_path / ".env").write_bytes(b"QA_TOP_K=3\n\xff\xfe garbage\n")
    result = run_qa("ask", QUESTION, "--index", str(shipped_index), cwd=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
    assert ".env is not UTF-8 text" in result.stderr
    (tmp_path / ".env").unlink()
    os.mkfifo(tmp_path / ".env")  # read, it would wait for a writer forever
    result = run_qa("ask", QUESTION, "--index", str(shipped_index), cwd=tmp_path)
    assert result.returncode == 2 and ".env is not a file" in result.stderr, result.stderr


def test_dotenv_lines_it_cannot_read_are_named_once_with_the_file(tmp_path, shipped_index):
    (tmp_path / ".env").write_text("this is not a setting\n=== \nQA_TOP_K=3\n", encoding="utf-8")
    result = run_qa("search", QUESTION, "--index", str(shipped_index), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr.count("could not parse") == 0 and result.stderr.count(".env, line(s) 1, 2: not NAME=value") == 1
    assert len([line for line in result.stdout.splitlines() if line[:1].isdigit()]) == 3, "QA_TOP_K=3 is read"


def test_a_model_cache_that_cannot_be_made_gives_one_line(tmp_path, shipped_corpus):
    # Falling back to torch silently made the ONNX-built index "mismatched", and `qa build` then rebuilt it on torch.
    (tmp_path / "file").write_text("x", encoding="utf-8")
    result = run_qa(
        "build", "--corpus", str(shipped_corpus), "--index", str(tmp_path / "index"),
        env={"QA_MODEL_CACHE": str(tmp_path / "file" / "cache")},
    )
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
    assert "cannot be made" in result.stderr and "set QA_MODEL_CACHE to a folder you can write" in result.stderr


def test_k_may_be_a_numpy_integer(shipped_index):
    assert len(qa.retrieve(QUESTION, k=np.int64(2), index_dir=shipped_index)) == 2


def test_qa_add_reports_a_file_given_twice_a_corrected_metadata_file_and_a_folder_in_the_way(folders, tmp_path):
    corpus, index_dir = folders
    source = tmp_path / "src"
    source.mkdir()
    (source / "gharial.txt").write_text("The Gharial river sanctuary protects the gharial.\n", encoding="utf-8")
    (source / "gharial.txt.meta.json").write_text('{"title": "Old title"}', encoding="utf-8")
    report = qa.add([source, source / "gharial.txt"], corpus, index_dir)
    assert report.added == ["gharial.txt"] and report.stored == ["gharial.txt"] and report.already == []
    (source / "gharial.txt.meta.json").write_text('{"title": "Gharial sanctuary notice"}', encoding="utf-8")
    report = qa.add(source / "gharial.txt", corpus, index_dir)
    assert report.already == ["gharial.txt"] and "its .meta.json file was updated" in report.notes[0]
    assert json.loads((corpus / "gharial.txt.meta.json").read_text(encoding="utf-8"))["title"] == "Gharial sanctuary notice"
    (corpus / "heron.txt").mkdir()
    (source / "heron.txt").write_text("Herons nest in reed beds.\n", encoding="utf-8")
    with pytest.raises(qa.QAError, match="heron.txt: refused, heron.txt is a folder in"):
        qa.add(source / "heron.txt", corpus, index_dir, replace=True)
