"""A serving process picks up a rebuilt index on its next question, and questions in flight still get answers."""

from __future__ import annotations

import threading

import qa


def test_questions_during_rebuilds_all_get_answers(tmp_path, own_corpus):
    corpus, index_dir = own_corpus, tmp_path / "index"
    qa.build_index(corpus, index_dir)
    builds, errors, stop = [], [], threading.Event()

    def keep_rebuilding() -> None:
        while not stop.is_set():
            try:
                number = len(builds)
                (corpus / f"note-{number}.txt").write_text(f"Note {number}: wetlands store carbon.\n", encoding="utf-8")
                builds.append(qa.build_index(corpus, index_dir))
            except Exception as error:  # noqa: BLE001 - any failure is what this test looks for
                errors.append(error)
                return

    builder = threading.Thread(target=keep_rebuilding)
    builder.start()
    answers = []
    try:
        while len(answers) < 40 or len(builds) < 4:
            answers.append(qa.ask("Which law on biosafety did China pass?", index_dir=index_dir))
    finally:
        stop.set()
        builder.join()
    assert not errors, errors
    assert all("biosafety law" in a.citations[0].quote for a in answers)
    served = qa.retriever(index_dir)
    qa.retrieve("wetlands", index_dir=index_dir)
    assert served.index.build_id == builds[-1].build_id, "the last build is the one served"
    last = len(builds) - 1
    assert qa.retrieve(f"Note {last}: wetlands store carbon", k=1, index_dir=index_dir)[0].source == f"note-{last}.txt"
