"""QA_ANSWERER=llm against a real llama.cpp server with SmolLM2-135M (tests/llm_server.py): the round trip,
streaming, every shown sentence verified, the judge, and each way the server can fail."""

from __future__ import annotations

import contextlib
import http.server
import re
import signal
import socket
import threading
import time
from collections.abc import Iterator

import pytest

import qa
from conftest import read_jsonl
from llm_server import MODEL_ALIAS, LLMServer, missing
from qa import templates
from qa.answerers.generative import GenerativeAnswerer
from qa.llm import LLMClient, LLMError
from qa.llm_judge import judge_passages
from qa.settings import get_settings
from qa.verify import verify
from test_cli import run_qa

QUESTION = "Which law on biosafety did China pass?"
QUESTIONS = [case["question"] for case in read_jsonl("answer_questions.jsonl")[:12]]


@pytest.fixture(scope="module")
def llm_server():
    if why := missing():
        pytest.fail(why)
    server = LLMServer()
    yield server
    server.stop()


@pytest.fixture
def llm(setting, llm_server, shipped_index):
    setting(answerer="llm", llm_base_url=llm_server.base_url, llm_model=MODEL_ALIAS, llm_timeout_seconds=60)
    return llm_server


def shown_sentences_are_supported(answer: qa.Answer, index_dir) -> None:
    """Every sentence of a generated answer is checked again here, against the passages it was given."""
    search = qa.retriever(index_dir)
    by_chunk = {p.chunk_id: p for p in answer.passages}
    pieces = re.split(r" \[(\d+)\](?: |$)", answer.text)
    assert pieces[-1] == "", "every shown sentence ends with its citation"
    for sentence, n in zip(pieces[::2], pieces[1::2]):
        citation = answer.citations[int(n) - 1]
        passage = by_chunk[citation.chunk_id]
        assert passage.text[citation.start - passage.start : citation.end - passage.start] == citation.quote
        support = verify(sentence, [], [passage], search, answer.query)
        assert support is not None and (support.start, support.end) == (citation.start, citation.end)


def test_the_server_streams_a_reply_in_pieces(llm):
    pieces = list(LLMClient(get_settings()).stream(templates.llm_messages(QUESTION, [])))
    assert len(pieces) > 3 and "".join(pieces).strip()


def test_a_generated_answer_streams_and_shows_only_supported_sentences(llm, shipped_index):
    events = list(qa.ask_stream(QUESTION, index_dir=shipped_index))
    answer = events[-1]
    assert isinstance(answer, qa.Answer) and not answer.abstained
    assert all(isinstance(event, qa.Draft) for event in events[:-1])
    if answer.generated:
        assert len(events) > 1, "the text grows while the model writes"
        shown_sentences_are_supported(answer, shipped_index)
    else:  # the small model wrote nothing the passages support: the quoted answer, with a note
        assert answer.note == templates.LLM_UNSUPPORTED and answer.citations


def test_the_small_models_unsupported_sentences_are_dropped(llm, shipped_index):
    written = dropped = 0
    for question in QUESTIONS:
        answer = qa.ask(question, index_dir=shipped_index)
        if answer.generated:
            shown_sentences_are_supported(answer, shipped_index)
            written += 1
        dropped += answer.dropped
    assert dropped > 0, "SmolLM2 writes sentences no passage supports; they must be caught"
    assert written + dropped > 0


def test_verification_rejects_a_changed_figure_and_accepts_the_passages_claim(shipped_index):
    search = qa.retriever(shipped_index)
    passages = search.search(QUESTION, 3)
    claim = "China promulgates and implements the biosafety law."
    assert verify(claim, [1], passages, search) is not None
    assert verify("China passed the biosafety law in 1850.", [1], passages, search) is None
    assert verify("Giant pandas were moved to Mars.", [1], passages, search) is None
    assert verify("China does not promulgate and implement the biosafety law.", [1], passages, search) is None


@pytest.mark.parametrize("judge", ["off", "on"])
def test_a_refusal_is_decided_before_the_model_is_called(setting, shipped_index, judge):
    setting(answerer="llm", llm_judge=judge, llm_base_url="http://127.0.0.1:9/v1")  # nothing listens: a call would fail
    answer = qa.ask("What is the capital of France?", index_dir=shipped_index)
    assert answer.abstained and answer.note == "" and answer.related == []


def test_the_judge_reranks_with_the_servers_probabilities(llm, shipped_index):
    settings = get_settings()
    client = LLMClient(settings)
    search = qa.retriever(shipped_index)
    passages = search.search(QUESTION, 5)
    reranked, confidence = judge_passages(QUESTION, passages, client, settings)
    assert sorted(p.chunk_id for p in reranked) == sorted(p.chunk_id for p in passages)
    assert 0.0 <= confidence <= 1.0
    probability = client.yes_probability(templates.llm_judge_messages(QUESTION, reranked[0].text))
    assert probability == pytest.approx(confidence, abs=1e-6)


def test_the_judge_path_answers_or_refuses_on_its_probability(llm, setting, shipped_index):
    setting(llm_judge="on", llm_judge_threshold=0.0)
    answered = qa.ask(QUESTION, index_dir=shipped_index)
    assert not answered.abstained
    setting(llm_judge_threshold=1.0)
    refused = qa.ask(QUESTION, index_dir=shipped_index)
    assert refused.abstained and refused.text == templates.NO_ANSWER and refused.note == templates.LLM_JUDGE_REFUSED


def test_the_judge_reads_log_probabilities_where_the_server_gives_them(setting):
    server = LLMServer(logits_all=True)
    try:
        setting(llm_base_url=server.base_url)
        client = LLMClient(get_settings())
        probability = client.yes_probability(templates.llm_judge_messages(QUESTION, "China passed a biosafety law."))
    finally:
        server.stop()
    assert client.logprobs and 0.0 < probability < 1.0, "a probability, not a parsed yes or no"


def test_without_log_probabilities_the_judge_reads_the_reply(llm):
    client = LLMClient(get_settings())
    probability = client.yes_probability(templates.llm_judge_messages(QUESTION, "China passed a biosafety law."))
    assert not client.logprobs and probability in (0.0, 1.0)


def test_the_chat_streams_a_generated_answer(llm, tmp_path, shipped_corpus):
    from gradio_client import Client

    from test_app import start_app, stop_app

    process, url = start_app(
        tmp_path, shipped_corpus, answerer="llm", llm_base_url=llm.base_url, llm_model=MODEL_ALIAS
    )
    try:
        job = Client(url, verbose=False).submit(QUESTION, [], api_name="/chat")
        updates = list(job)
        final = job.result()
    finally:
        stop_app(process)
    assert len(updates) > 2, "the answer grows in the chat as the model writes it"
    assert final[1][-1]["role"] == "assistant" and "<mark" in final[2]


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM], ids=["killed", "shut down cleanly"])
def test_a_server_stopped_mid_answer_gives_the_quoted_answer_and_a_note(setting, shipped_index, how):
    server = LLMServer()
    try:
        setting(answerer="llm", llm_base_url=server.base_url, llm_timeout_seconds=20)
        search = qa.retriever(shipped_index)
        evidence = qa.evidence_answer(QUESTION, None, 5, search, None, get_settings())
        events = GenerativeAnswerer(get_settings()).stream(evidence, search)
        started = time.monotonic()
        first = next(events)
        server.stop(how)  # while the answer is being written
        final = list(events)[-1] if not isinstance(first, qa.Answer) else first
    finally:
        server.stop()
    assert time.monotonic() - started < 25
    # A stream that ends without the server saying the answer is done is not taken for a whole answer.
    assert final.text == evidence.text and final.citations == evidence.citations
    assert final.note.startswith("The language model did not answer"), final.note
    if not isinstance(first, qa.Answer):  # killed or shut down while writing: said so, not "cannot be reached"
        assert "stopped before the answer was complete" in final.note, final.note


@pytest.mark.parametrize(
    "settings, reason",
    [
        ({"llm_base_url": "http://127.0.0.1:9/v1"}, "the server cannot be reached"),
        ({"llm_model": "no-such-model"}, "has no model named 'no-such-model'"),
    ],
    ids=["server down", "wrong model name"],
)
def test_a_failing_server_gives_the_quoted_answer_and_one_line(llm, setting, shipped_index, settings, reason):
    setting(**settings)
    answer = qa.ask(QUESTION, index_dir=shipped_index)
    assert not answer.abstained and not answer.generated and answer.citations
    assert reason in answer.note and "\n" not in answer.note


class QuietHandler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextlib.contextmanager
def wrong_server(handler: type[http.server.BaseHTTPRequestHandler]) -> Iterator[str]:
    """An HTTP server on 127.0.0.1 that is not a language model's, for the duration: its address."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()


class Garbage(QuietHandler):
    def do_POST(self):  # noqa: N802
        body = b"<html>this is not the OpenAI protocol</html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def test_a_server_answering_garbage_gives_the_quoted_answer(setting, shipped_index):
    with wrong_server(Garbage) as address:
        setting(answerer="llm", llm_base_url=f"{address}/v1")
        answer = qa.ask(QUESTION, index_dir=shipped_index)
    assert not answer.abstained and answer.citations and answer.note.startswith("The language model")


def test_a_server_that_never_answers_is_given_up_after_the_timeout(setting, shipped_index):
    with socket.socket() as silent:  # accepts connections (the kernel's backlog) and never replies
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        setting(answerer="llm", llm_base_url=f"http://127.0.0.1:{silent.getsockname()[1]}/v1", llm_timeout_seconds=2)
        started = time.monotonic()
        answer = qa.ask(QUESTION, index_dir=shipped_index)
        waited = time.monotonic() - started
    assert "did not answer in time" in answer.note and answer.citations
    assert waited < 10


class EndlessStream(QuietHandler):
    """A server that lists a model and then streams "word " every 0.2 s, never ending its answer."""

    def do_GET(self):  # noqa: N802
        body = b'{"object": "list", "data": [{"id": "endless", "object": "model", "owned_by": "test"}]}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):  # noqa: N802
        self.rfile.read(int(self.headers["Content-Length"]))
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        chunk = (
            b'data: {"id": "1", "object": "chat.completion.chunk", "created": 0, "model": "endless", '
            b'"choices": [{"index": 0, "delta": {"content": "word "}, "finish_reason": null}]}\n\n'
        )
        try:
            while True:
                self.wfile.write(chunk)
                self.wfile.flush()
                time.sleep(0.2)
        except OSError:  # the client hung up
            pass


def test_an_answer_that_never_ends_is_given_up_after_the_timeout(setting, shipped_index):
    # A probe's stalling server held `qa ask` for as long as it streamed: the timeout bounded each gap only.
    with wrong_server(EndlessStream) as address:
        setting(answerer="llm", llm_base_url=f"{address}/v1", llm_timeout_seconds=2, llm_max_tokens=4096)
        started = time.monotonic()
        answer = qa.ask(QUESTION, index_dir=shipped_index)
        waited = time.monotonic() - started
    assert "did not finish the answer in time" in answer.note and answer.citations and not answer.generated
    assert waited < 6


def test_no_more_pieces_are_read_than_the_answer_may_have_tokens(setting, shipped_index):
    with wrong_server(EndlessStream) as address:
        setting(answerer="llm", llm_base_url=f"{address}/v1", llm_timeout_seconds=60, llm_max_tokens=16)
        pieces = list(LLMClient(get_settings()).stream(templates.llm_messages(QUESTION, [])))
        answer = qa.ask(QUESTION, index_dir=shipped_index)
    assert pieces == ["word "] * 16
    assert answer.citations and answer.note == templates.LLM_UNSUPPORTED  # "word word …" is checked, not shown


def test_the_client_raises_one_error_kind(setting):
    setting(llm_base_url="http://127.0.0.1:9/v1")
    with pytest.raises(LLMError, match="cannot be reached"):
        list(LLMClient(get_settings()).stream(templates.llm_messages(QUESTION, [])))


class NoModelList(QuietHandler):
    def do_GET(self):  # noqa: N802 - what a static web server or a path without /v1 answers
        self.send_error(404)


def test_an_address_without_the_model_list_is_named_as_the_reason(setting, shipped_index):
    with wrong_server(NoModelList) as address:
        setting(answerer="llm", llm_base_url=address, llm_model="")
        answer = qa.ask(QUESTION, index_dir=shipped_index)
    assert answer.citations and "/models was not found: check QA_LLM_BASE_URL (it usually ends in /v1)" in answer.note


def test_a_server_address_that_is_not_one_gets_one_line(shipped_index):
    result = run_qa("ask", QUESTION, "--index", str(shipped_index),
                    env={"QA_ANSWERER": "llm", "QA_LLM_BASE_URL": "http://127.0.0.1:80x1/v1"})
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "QA_LLM_BASE_URL" in result.stderr and "is not an http(s) address" in result.stderr
