"""Reading the corpus: supported formats, metadata beside the text, bad files named and skipped."""

from __future__ import annotations

import random

import pytest

import qa
from qa.corpus import load_corpus


def test_shipped_corpus_is_byte_for_byte_the_shared_text(shipped_text):
    from conftest import ROOT

    shared = ROOT.parent / "shared" / "corpus" / "china-biodiversity-white-paper-summary.txt"
    if not shared.exists():
        pytest.skip("../shared is not beside this checkout")
    assert (ROOT / "corpus" / shared.name).read_bytes() == shared.read_bytes()


def test_documents_load_with_their_metadata(shipped_corpus):
    corpus = load_corpus(shipped_corpus)
    assert [d.source for d in corpus.documents] == ["china-biodiversity-white-paper-summary.txt"]
    assert corpus.documents[0].metadata["publisher"] == "Xinhua News Agency"
    assert corpus.skipped == []


def test_unreadable_files_are_named_and_skipped(tmp_path):
    (tmp_path / "good.txt").write_text("Parks protect species.", encoding="utf-8")
    (tmp_path / "notes.md").write_text("# Notes\n\nWetlands store carbon.", encoding="utf-8")
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)))
    (tmp_path / "latin1.txt").write_bytes("caf\xe9 cr\xe8me".encode("latin-1"))
    (tmp_path / "picture.png").write_bytes(b"\x89PNG\r\n")
    (tmp_path / "chinese-gbk.txt").write_bytes("生物多样性保护取得显著成效。".encode("gbk"))
    (tmp_path / "notepad-unicode.txt").write_bytes("Wetlands store carbon.\r\n湿地储存碳。".encode("utf-16"))
    (tmp_path / ".hidden.txt").write_text("ignored", encoding="utf-8")
    corpus = load_corpus(tmp_path)
    assert sorted(d.source for d in corpus.documents) == ["chinese-gbk.txt", "good.txt", "notepad-unicode.txt", "notes.md"]
    reasons = {s.source: s.reason for s in corpus.skipped}
    assert set(reasons) == {"binary.txt", "latin1.txt", "picture.png"}
    assert "UTF-8" in reasons["latin1.txt"] and "not supported" in reasons["picture.png"]
    gbk = next(d for d in corpus.documents if d.source == "chinese-gbk.txt")
    assert gbk.text == "生物多样性保护取得显著成效。"
    notepad = next(d for d in corpus.documents if d.source == "notepad-unicode.txt")
    assert notepad.text == "Wetlands store carbon.\n湿地储存碳。", "UTF-16 with its BOM, as Windows Notepad saves"


def test_legacy_chinese_encodings_are_read_and_noise_is_not(tmp_path):
    traditional = "臺灣的濕地保護工作持續推動，國家公園面積逐年增加。"
    (tmp_path / "taiwan-big5.txt").write_bytes(traditional.encode("cp950"))
    (tmp_path / "mainland-gbk.txt").write_bytes("国家公园体制试点稳步推进，湿地保护率达到百分之五十。".encode("gbk"))
    # Bytes with no NUL that a GB18030 reading turns into Chinese-looking nonsense, and bytes that are binary
    # data: a probe's files were indexed as 25 chunks of nonsense, or told to be saved as UTF-8.
    noise = random.Random(7)
    gb_like = (noise.randrange(0x81, 0xFF) if i % 2 == 0 else noise.randrange(0x40, 0xFF) for i in range(4000))
    (tmp_path / "gb-noise.txt").write_bytes(bytes(gb_like))
    (tmp_path / "noisy-binary.txt").write_bytes(bytes(noise.randrange(1, 256) for _ in range(4000)))
    corpus = load_corpus(tmp_path)
    texts = {d.source: d.text for d in corpus.documents}
    assert texts == {"taiwan-big5.txt": traditional, "mainland-gbk.txt": "国家公园体制试点稳步推进，湿地保护率达到百分之五十。"}
    reasons = {s.source: s.reason for s in corpus.skipped}
    assert "UTF-8" in reasons["gb-noise.txt"]
    assert reasons["noisy-binary.txt"] == "it is not text: it holds control bytes that text does not (binary data?)"


def test_a_build_goes_on_past_a_bad_file(tmp_path, shipped_corpus):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "summary.txt").write_bytes((shipped_corpus / "china-biodiversity-white-paper-summary.txt").read_bytes())
    (corpus / "broken.txt").write_bytes(b"\xff\xfe\x00\x00garbage")
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "blank.md").write_text("  \n\n\t\n", encoding="utf-8")
    report = qa.build_index(corpus, tmp_path / "index")
    assert report.documents == 1 and report.chunks == 8
    assert {s.source: s.reason for s in report.skipped} == {
        "blank.md": "it holds no text",
        "broken.txt": report.skipped[1].reason,
        "empty.txt": "it is empty",
    }


def test_a_corpus_with_nothing_readable_is_a_clear_error(tmp_path):
    (tmp_path / "broken.txt").write_bytes(b"\x00\x01")
    with pytest.raises(qa.QAError, match="(?s)no readable documents.*broken.txt"):
        qa.build_index(tmp_path, tmp_path / "index")
    with pytest.raises(qa.QAError, match="does not exist"):
        qa.build_index(tmp_path / "missing", tmp_path / "index")
    with pytest.raises(qa.QAError, match="broken.txt is a file: name the folder that holds the documents"):
        qa.build_index(tmp_path / "broken.txt", tmp_path / "index")
