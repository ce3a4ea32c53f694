"""The running chat, started as a user would (`python app.py`), through gradio_client and a real browser."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import json
import time
import urllib.error
import urllib.request
from pathlib import Path
from types import SimpleNamespace

import pytest

import qa
from qa import templates
from conftest import ROOT
from qa.conversation import message_text

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
XSS_QUESTION = '<img src=x onerror="window.pwned=1"><script>window.pwned=2</script> $$x^2$$ biosafety law'
HOSTILE_DOCUMENT = (
    "# Wetlands\n\nWetland parks protect migratory birds and store carbon. "
    '<script>window.pwned = 3</script> <img src=x onerror="window.pwned = 4"> Wetlands also filter water.\n'
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_app(work: Path, corpus: Path, **settings: str) -> tuple[subprocess.Popen, str]:
    """`python app.py` with QA_* settings, waited on until it answers on 127.0.0.1."""
    port = free_port()
    env = {**os.environ, "QA_CORPUS_DIR": str(corpus), "QA_INDEX_DIR": str(work / "index"), "QA_PORT": str(port)}
    env.update({f"QA_{name.upper()}": value for name, value in settings.items()})
    log = open(work / "app.log", "w")
    process = subprocess.Popen([sys.executable, str(ROOT / "app.py")], cwd=work, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"app.py exited: {(work / 'app.log').read_text()}")
        try:
            urllib.request.urlopen(url, timeout=2)
            return process, url
        except OSError:
            time.sleep(0.5)
    process.kill()
    pytest.fail(f"app.py did not answer in time: {(work / 'app.log').read_text()}")


def stop_app(process: subprocess.Popen) -> None:
    process.terminate()
    process.wait(timeout=30)


@pytest.fixture(scope="module")
def app(tmp_path_factory, shipped_corpus):
    """`python app.py` on a free port, with no index yet, so it must build one before serving."""
    work = tmp_path_factory.mktemp("app")
    corpus = work / "corpus"
    shutil.copytree(shipped_corpus, corpus)
    # plain text, read as written, so the markup reaches the page (Markdown would show it as a page does: not at all)
    (corpus / "wetlands.txt").write_text(HOSTILE_DOCUMENT, encoding="utf-8")
    process, url = start_app(work, corpus)
    yield SimpleNamespace(url=url, corpus=corpus, index=work / "index", log=work / "app.log", pid=process.pid)
    stop_app(process)


@pytest.fixture(scope="module")
def app_url(app):
    return app.url


def test_the_app_builds_the_missing_index_before_serving(app):
    log = app.log.read_text()
    assert "Building the index from" in log and "indexed 2 document(s) as 9 chunks" in log
    assert log.index("indexed 2 document(s)") < log.index("Running on local URL")


def listening_addresses(port: int) -> set[str]:
    """IPv4 addresses with a socket listening on this port, read from the kernel's table."""
    addresses = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        local, state = line.split()[1], line.split()[3]
        address, port_hex = local.split(":")
        if state == "0A" and int(port_hex, 16) == port:  # 0A: LISTEN
            addresses.add(socket.inet_ntoa(bytes.fromhex(address)[::-1]))
    return addresses


def test_the_app_answers_several_questions_at_once_and_never_loads_torch(app):
    from concurrent.futures import ThreadPoolExecutor

    from gradio_client import Client

    from qa.ui import create_app

    limits = {fn.api_name: fn.concurrency_limit for fn in create_app(app.index, app.corpus).fns.values()}
    assert limits["ask"] == limits["chat"] == qa.get_settings().workers > 1
    questions = ["Which law on biosafety did China pass?", "What is the capital of France?"] * 4
    with ThreadPoolExecutor(max_workers=len(questions)) as pool:
        answers = list(pool.map(lambda q: Client(app.url, verbose=False).predict(q, api_name="/ask"), questions))
    assert [a["abstained"] for a in answers] == [False, True] * 4
    mapped = Path(f"/proc/{app.pid}/maps").read_text()
    assert "libtorch" not in mapped and "onnxruntime" in mapped


def test_the_app_binds_to_loopback_only(app_url):
    if not Path("/proc/net/tcp").exists():
        pytest.skip("no /proc/net/tcp to read listening sockets from")
    port = int(app_url.rstrip("/").rsplit(":", 1)[1])
    assert listening_addresses(port) == {"127.0.0.1"}


def test_the_ask_endpoint_through_gradio_client(app_url):
    from gradio_client import Client

    client = Client(app_url, verbose=False)
    answer = client.predict("Which law on biosafety did China pass?", api_name="/ask")
    assert answer["abstained"] is False
    assert "biosafety law" in answer["citations"][0]["quote"]
    refused = client.predict("What is the capital of France?", api_name="/ask")
    assert refused["abstained"] is True and refused["citations"] == []
    follow_up = client.predict("What law did they pass for it?", ["Tell me about biosafety"], api_name="/ask_in_conversation")
    assert "biosafety law" in follow_up["answer"], "the conversation given is used; the API keeps none itself"
    alone = client.predict("What law did they pass for it?", None, api_name="/ask_in_conversation")
    assert alone == client.predict("What law did they pass for it?", api_name="/ask") != follow_up
    wrong = client.predict("What law did they pass for it?", "Tell me about biosafety", api_name="/ask_in_conversation")
    assert "history must be a list" in wrong["error"]


def test_the_chat_endpoint_gives_the_answer_and_sources(app_url):
    from gradio_client import Client

    client = Client(app_url, verbose=False)
    job = client.submit("What is the ecological protection red line?", [], api_name="/chat")
    list(job)
    final = job.result()
    chat, sources = final[1], final[2]
    reply = message_text(chat[-1]["content"])
    assert chat[-1]["role"] == "assistant" and reply.endswith("\\[1\\]")
    assert "ecological protection red line" in reply
    assert "<mark" in sources


@pytest.fixture(scope="module")
def page(app_url):
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing: `make test` installs Debian's chromium (scripts/install-browser)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        page = browser.new_page()
        page.goto(app_url)
        yield page
        browser.close()


def ask_in_browser(page, question: str) -> None:
    """Type a question, press Enter, and wait until its answer and sources are complete (the sources panel of
    a refusal that shows no related passages is empty, so it is waited for in the page, not on screen)."""
    turns = page.locator("#sources .qa-sources")
    turn = int(turns.get_attribute("data-turn")) if turns.count() else 0
    box = page.locator("#question textarea")
    box.fill(question)
    box.press("Enter")
    page.locator(f'#sources .qa-sources[data-turn="{turn + 1}"]').wait_for(state="attached", timeout=30_000)


def test_a_question_in_the_browser_gets_a_cited_answer_with_the_quote_highlighted(page):
    from playwright.sync_api import expect

    expect(page.locator("#index-info")).to_contain_text("2 document(s)")
    ask_in_browser(page, "Which law on biosafety did China pass?")
    expect(page.locator("#chat")).to_contain_text("biosafety law")
    expect(page.locator("#chat")).to_contain_text("[1]")
    highlighted = page.locator("#sources mark.qa-quote")
    expect(highlighted).to_have_count(1)
    expect(highlighted).to_contain_text("promulgates and implements the biosafety law")
    expect(page.locator("#source-1")).to_contain_text("china-biodiversity-white-paper-summary.txt")


def test_a_follow_up_in_the_browser_uses_the_conversation(page):
    from playwright.sync_api import expect

    ask_in_browser(page, "Who published the white paper?")
    ask_in_browser(page, "When was that?")  # alone, this question is refused: it names no topic
    expect(page.locator("#sources mark").first).to_contain_text("State Council Information Office on the 8th")


def test_script_in_a_question_or_the_corpus_shows_as_text_and_runs_nothing(page):
    from playwright.sync_api import expect

    ask_in_browser(page, XSS_QUESTION)
    expect(page.locator("#chat")).to_contain_text('<img src=x onerror="window.pwned=1">')
    expect(page.locator("#chat")).to_contain_text("<script>window.pwned=2</script>")
    expect(page.locator("#chat")).to_contain_text("$$x^2$$")  # as typed, not drawn as maths
    assert page.locator("#chat .katex").count() == 0
    ask_in_browser(page, "What do wetland parks protect?")
    expect(page.locator("#sources")).to_contain_text("<script>window.pwned = 3</script>")
    expect(page.locator("#sources")).to_contain_text('<img src=x onerror="window.pwned = 4">')
    assert page.evaluate("window.pwned") is None
    assert page.locator("#sources script, #sources img, #chat img[src='x']").count() == 0


def test_a_rebuilt_index_is_served_without_a_restart(app):
    from gradio_client import Client

    client = Client(app.url, verbose=False)
    question = "What do dragonflies eat?"
    assert client.predict(question, api_name="/ask")["abstained"] is True
    (app.corpus / "dragonflies.txt").write_text(
        "Dragonflies in the Qinling mountains eat mosquitoes and midges caught over mountain streams.\n", encoding="utf-8"
    )
    report = qa.build_index(app.corpus, app.index)  # as `qa build` in another terminal would
    assert report.added == 1 and report.embedded == 1
    answer = client.predict(question, api_name="/ask")
    assert answer["abstained"] is False and answer["citations"][0]["source"] == "dragonflies.txt"
    final = client.predict(question, [], api_name="/chat")
    assert f"{report.documents} document(s), {report.chunks} chunks" in final[3]


def test_the_info_line_shows_a_build_made_elsewhere_without_a_question(page, app):
    from playwright.sync_api import expect

    from qa.ui import INFO_REFRESH_SECONDS

    extra = app.corpus / "herons.txt"
    extra.write_text("Grey herons nest in the reed beds of Poyang Lake from March.\n", encoding="utf-8")
    try:
        report = qa.build_index(app.corpus, app.index)  # as `qa build` in another terminal would
        line = f"{report.documents} document(s), {report.chunks} chunks"
        expect(page.locator("#index-info")).to_contain_text(line, timeout=(INFO_REFRESH_SECONDS + 5) * 1000)
    finally:
        extra.unlink()
        qa.build_index(app.corpus, app.index)


def test_a_document_uploaded_in_the_browser_answers_questions(page, app, tmp_path):
    from playwright.sync_api import expect

    from documents import ENGLISH_PAGES, make_pdf

    upload = tmp_path / "grassland report.pdf"
    upload.write_bytes(make_pdf(ENGLISH_PAGES))
    page.get_by_text("Add documents").click()
    page.locator("#upload input[type=file]").set_input_files(str(upload))
    expect(page.locator("#upload-status")).to_contain_text("Added grassland report.pdf", timeout=60_000)
    expect(page.locator("#upload-status")).to_contain_text("it can be asked about now")
    assert (app.corpus / "grassland report.pdf").exists()
    ask_in_browser(page, "How do herders help pastures recover?")
    expect(page.locator("#source-1")).to_contain_text("grassland report.pdf, page 2")
    # the passage's quotes are all marked in it, in their order: "Herders..." need not be the first
    expect(page.locator("#source-1 mark").filter(has_text="Herders are paid to rest pastures")).to_have_count(1)
    empty = tmp_path / "empty notes.txt"
    empty.write_bytes(b"")
    page.locator("#upload input[type=file]").set_input_files(str(empty))
    expect(page.locator("#upload-status")).to_have_text("Not added: empty notes.txt: it is empty", timeout=30_000)


def http(url: str, host: str | None = None, method: str = "GET", data: bytes | None = None, headers: dict | None = None):
    """(status, body) of a request to the app, with a Host header of our choosing."""
    request = urllib.request.Request(url, data=data, method=method, headers={**(headers or {}), **({"Host": host} if host else {})})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def multipart(name: str, content: bytes) -> tuple[bytes, dict]:
    boundary = "qa-test-boundary"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="{name}"\r\n'
        f"Content-Type: application/octet-stream\r\n\r\n"
    ).encode() + content + f"\r\n--{boundary}--\r\n".encode()
    return body, {"Content-Type": f"multipart/form-data; boundary={boundary}"}


def test_a_forged_host_header_is_refused(app_url):
    assert http(app_url, host="attacker.example")[0] == 400
    assert http(app_url, host="attacker.example:7860")[0] == 400
    assert http(app_url, host=f"localhost:{app_url.rsplit(':', 1)[1].rstrip('/')}")[0] == 200
    assert http(app_url)[0] == 200


def test_files_sent_to_the_upload_route_are_never_served_back(app_url):
    body, headers = multipart("payload.html", b"<script>alert(1)</script>")
    status, stored = http(app_url + "gradio_api/upload", method="POST", data=body, headers=headers)
    assert status == 200
    path = json.loads(stored)[0]
    assert Path(path).exists()  # Gradio keeps it until its cache clean-up...
    status, _ = http(app_url + "gradio_api/file=" + path)
    assert status == 403  # ...but never hands it out again


def test_the_port_in_use_gives_one_line(tmp_path, shipped_corpus):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = {**os.environ, "QA_CORPUS_DIR": str(shipped_corpus), "QA_INDEX_DIR": str(tmp_path / "index"), "QA_PORT": str(port)}
        result = subprocess.run([sys.executable, str(ROOT / "app.py")], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr and "QA_PORT" in result.stderr
    assert not (tmp_path / "index").exists(), "it says so before building anything"


def test_bound_to_the_network_without_a_login_uploads_are_off(tmp_path_factory, shipped_corpus):
    work = tmp_path_factory.mktemp("exposed")
    process, url = start_app(work, shipped_corpus, host="0.0.0.0", allowed_hosts="qa.example.org")
    try:
        body, headers = multipart("notes.txt", b"Wetlands store carbon.")
        assert http(url + "gradio_api/upload", method="POST", data=body, headers=headers)[0] == 403
        assert http(url, host="qa.example.org")[0] == 200
        assert http(url, host="attacker.example")[0] == 400
        assert "uploads are off: the chat is bound to 0.0.0.0" in (work / "app.log").read_text()
        config = json.loads(http(url + "config")[1])
        notices = [c for c in config["components"] if c.get("props", {}).get("elem_id") == "uploads-off"]
        assert notices and "QA_AUTH" in notices[0]["props"]["value"]
    finally:
        stop_app(process)


def test_an_empty_chat_through_the_api_starts_a_new_conversation(app_url):
    from gradio_client import Client

    client = Client(app_url, verbose=False)
    first = client.predict("Who published the white paper?", [], api_name="/chat")
    follow_up = client.predict("When was that?", first[1], api_name="/chat")
    assert "\\[1\\]" in message_text(follow_up[1][-1]["content"]), "with the conversation, the follow-up is answered"
    fresh = client.predict("When was that?", [], api_name="/chat")
    assert "could not find" in message_text(fresh[1][-1]["content"]), "an empty chat forgets the earlier questions"


def test_a_chat_sent_by_a_program_through_the_api_is_the_conversation(app_url):
    """A program keeps its own chat and sends it with each question (a new-user probe's follow-up was asked
    alone: the server's record of this session's questions was empty)."""
    from gradio_client import Client

    earlier = {"role": "user", "content": [{"type": "text", "text": "Who published the white paper?"}]}
    reply = {"role": "assistant", "content": [{"type": "text", "text": "The State Council Information Office. [1]"}]}
    for chat in ([earlier], [earlier, reply]):
        follow_up = Client(app_url, verbose=False).predict("When was that?", chat, api_name="/chat")
        assert "\\[1\\]" in message_text(follow_up[1][-1]["content"]), "the follow-up is answered with the program's chat"


def test_an_empty_question_is_a_notice_that_leaves_the_chat_as_it_was(page):
    from playwright.sync_api import expect

    ask_in_browser(page, "Who published the white paper?")
    messages = page.locator("#chat .message")
    before = messages.count()
    box = page.locator("#question textarea")
    box.fill("   ")
    box.press("Enter")
    expect(page.get_by_text(templates.EMPTY_QUESTION)).to_be_visible()
    expect(messages).to_have_count(before)
    expect(page.locator("#chat")).not_to_contain_text(templates.EMPTY_QUESTION)


def test_the_clear_button_starts_a_new_conversation(page):
    from playwright.sync_api import expect

    ask_in_browser(page, "Who published the white paper?")
    page.locator("#chat").get_by_role("button", name="Clear").click()
    expect(page.locator("#chat")).not_to_contain_text("Who published")
    expect(page.locator("#sources .qa-sources")).to_have_count(0)
    box = page.locator("#question textarea")
    box.fill("When was that?")
    box.press("Enter")
    page.locator('#sources .qa-sources[data-turn="1"]').wait_for(state="attached", timeout=30_000)
    expect(page.locator("#chat")).to_contain_text("could not find")


def test_the_api_refuses_a_huge_question_with_a_message(app_url):
    from gradio_client import Client

    answer = Client(app_url, verbose=False).predict("why " * 5000, api_name="/ask")
    assert "QA_MAX_QUESTION_CHARS" in answer["error"]


def test_a_raw_api_call_with_a_null_question_gets_a_message(app_url):
    # ({"data": []} is refused by Gradio itself, before the handler, with `{"error": null}`.)
    status, body = http(app_url + "gradio_api/call/ask", method="POST", data=b'{"data": [null]}', headers={"Content-Type": "application/json"})
    assert status == 200, body
    event = json.loads(body)["event_id"]
    status, stream = http(app_url + f"gradio_api/call/ask/{event}")
    assert status == 200 and b"event: complete" in stream, stream
    assert b"the question must be text, not NoneType" in stream
