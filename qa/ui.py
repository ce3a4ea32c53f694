"""The Gradio chat page: a thin layer over qa.ask(); builds the index first when there is none."""

from __future__ import annotations

import errno
import gc
import os
import socket
import sys
import threading
import traceback
from collections.abc import Iterator
from pathlib import Path

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # no calls home from an offline tool

import gradio as gr  # noqa: E402

import qa  # noqa: E402
from qa import templates  # noqa: E402
from qa.answerers import Draft  # noqa: E402
from qa.console import embedding_progress  # noqa: E402
from qa.build import corpus_changes  # noqa: E402
from qa.errors import QAError  # noqa: E402
from qa.formats import SUPPORTED_SUFFIXES  # noqa: E402
from qa.ingest import NOTHING_ADDED  # noqa: E402
from qa.conversation import message_text  # noqa: E402
from qa.render import escape_markdown, sources_html, unescape_markdown  # noqa: E402
from qa.web_guard import WebGuard, allowed_host_names, uploads_allowed  # noqa: E402
from starlette.middleware import Middleware  # noqa: E402
from gradio.utils import get_upload_folder  # noqa: E402

CACHE_CLEANUP = (60, 300)  # every minute, Gradio deletes files it was sent more than 5 minutes ago
CSS = """
.qa-card { border: 1px solid var(--border-color-primary); border-radius: 8px; padding: 8px 12px; margin: 8px 0; }
.qa-head { font-size: 0.9em; margin-bottom: 4px; }
.qa-section { color: var(--body-text-color-subdued); }
mark.qa-quote { background: #ffe58f; color: #000; padding: 0 2px; }
.qa-related { opacity: 0.8; }
"""
# The page names no web fonts: it is served where there may be no internet.
INFO_REFRESH_SECONDS = 10  # reading the manifest takes well under a millisecond
THEME = gr.themes.Default(font=["system-ui", "sans-serif"], font_mono=["ui-monospace", "monospace"])


def index_info_line(index_dir: Path) -> str:
    info = qa.index_info(index_dir)
    if info is None:
        return "No index yet."
    return templates.INDEX_INFO.format(**info)


def turn_html(turn: int, body: str) -> str:
    """The sources panel, marked with the question it belongs to (scripts and tests wait on it)."""
    return f'<div class="qa-sources" data-turn="{turn}">{body}</div>'


def ensure_index(corpus_dir: Path, index_dir: Path) -> None:
    """Build the index from the corpus when none exists, when this version cannot read the one there, or when
    corpus files were added, changed or removed since it was built (an upload whose build was killed, files
    dropped in while the chat was down), showing progress on the terminal."""
    info = qa.index_info(index_dir)
    if info is None:
        message = templates.NO_INDEX_YET.format(corpus=corpus_dir, index=index_dir)
    elif info["outdated"]:
        message = templates.INDEX_OUTDATED.format(corpus=corpus_dir, index=index_dir)
    elif changes := corpus_changes(corpus_dir, index_dir):
        message = templates.CORPUS_CHANGED.format(changes=changes)
    else:
        return
    print(message, file=sys.stderr)
    try:
        with embedding_progress() as progress:
            report = qa.build_index(corpus_dir, index_dir, progress=progress)
    except QAError as error:
        if info is None or info["outdated"]:
            raise  # nothing to serve
        # A failed build leaves the last one serving, here as everywhere: the chat starts on it.
        print(f"qa: warning: the index was not updated: {error}", file=sys.stderr)
        return
    for skipped in report.skipped:
        print(f"warning: {skipped}", file=sys.stderr)
    print(report.summary(), file=sys.stderr)


def draft_markdown(draft: Draft) -> str:
    """A generated answer being written: its checked sentences, then the one being written in italics."""
    writing = f"*{escape_markdown(templates.WRITING.format(text=draft.writing))}*" if draft.writing else ""
    return " ".join(filter(None, [escape_markdown(draft.checked), writing]))


def failure_line(error: Exception) -> str:
    """What the page shows for an error: a QAError's own message; anything else by its kind, with the
    traceback left on the server's terminal."""
    if isinstance(error, QAError):
        return str(error)
    traceback.print_exception(error, file=sys.stderr)
    return templates.UNEXPECTED_ERROR.format(kind=type(error).__name__)


def remove_uploaded(files: list[str]) -> None:
    """Gradio keeps every upload in its temp folder; once copied into the corpus (or refused) it goes."""
    for name in files:
        path = Path(name)
        path.unlink(missing_ok=True)
        try:
            path.parent.rmdir()  # Gradio puts each upload in a folder of its own
        except OSError:
            pass


def create_app(index_dir: Path, corpus_dir: Path, uploads: bool = True, uploads_off_reason: str | None = None) -> gr.Blocks:
    settings = qa.get_settings()

    def respond(question: str, chat: list, asked: list) -> Iterator[tuple]:
        question = question or ""
        chat = list(chat or [])
        earlier = [message_text(m.get("content")) for m in chat if isinstance(m, dict) and m.get("role") == "user"]
        if len(asked) != len(earlier):
            # A chat this session did not write (an API client's own, or an empty one: a new conversation) is
            # the conversation: a program's "/chat" call with its chat so far had its follow-up asked alone.
            asked = [unescape_markdown(text) for text in earlier]
        if not question.strip():
            # A notice, not a chat message: with no question before it, it would join the last answer's bubble.
            gr.Warning(templates.EMPTY_QUESTION)
            yield "", chat, asked, gr.update(), gr.update()
            return
        chat.append({"role": "user", "content": escape_markdown(question[: settings.max_question_chars])})
        turn = sum(message.get("role") == "user" for message in chat if isinstance(message, dict))
        history = [{"role": "user", "content": q} for q in asked[-settings.max_history_turns :]] if settings.max_history_turns else []
        chat.append({"role": "assistant", "content": ""})
        answer = None
        try:
            # A language model's answer grows as it is written; an extractive one arrives whole.
            for event in qa.ask_stream(question, history=history, index_dir=index_dir):
                if isinstance(event, Draft):
                    chat[-1] = {"role": "assistant", "content": draft_markdown(event)}
                    yield "", chat, asked, gr.update(), gr.update()
                else:
                    answer = event
        except Exception as error:  # noqa: BLE001 - the page shows one line, never a bare "Error"
            chat[-1] = {"role": "assistant", "content": escape_markdown(failure_line(error))}
            yield "", chat, asked, turn_html(turn, ""), gr.update()
            return
        asked = [*asked, question.strip()]
        shown = escape_markdown(answer.text)
        if answer.note:
            shown += f"\n\n*{escape_markdown(answer.note)}*"
        chat[-1] = {"role": "assistant", "content": shown}
        yield "", chat, asked, turn_html(turn, sources_html(answer)), index_info_line(index_dir)

    def ask_api(question: str) -> dict:
        """One question, no conversation: the answer and its citations as JSON."""
        return ask_in_conversation_api(question, None)

    def ask_in_conversation_api(question: str, history: list | None) -> dict:
        """A question and the conversation before it, as for qa.ask (messages, (question, answer) pairs or the
        earlier questions; the API keeps none itself): the answer and its citations as JSON."""
        try:
            return qa.ask(question, history=history, index_dir=index_dir).to_dict()
        except Exception as error:  # noqa: BLE001 - the API answers with a message, never a traceback
            return {"error": failure_line(error)}

    def upload(files: list[str] | None, progress=gr.Progress()) -> tuple:
        if not files:
            return "", None

        def embedding(done: int, total: int) -> None:
            progress((done, total), desc="Embedding the new text", unit="chunks")

        progress(0, desc=f"Checking {len(files)} file(s)")
        try:
            report = qa.add([Path(f) for f in files], corpus_dir, index_dir, progress=embedding)
        except Exception as error:  # noqa: BLE001
            # "Not added: empty.txt: it is empty", not "Not added: nothing was added: …"
            return escape_markdown(f"Not added: {failure_line(error).removeprefix(NOTHING_ADDED)}"), None
        finally:
            remove_uploaded(files)
        print(report.build.summary(), file=sys.stderr)  # the build's details go to the server's log, as at start
        # The page says what a reader needs: what was added and that it can be asked about (a probe found
        # "incremental; 2 added, 0 removed, 8 unchanged, 2 embedded … faiss exact vector search" there).
        index = f"{report.build.documents} document(s), {report.build.chunks} passages"
        lines = [f"Added {', '.join(report.stored)}: it can be asked about now ({index} in all)."] if report.stored else []
        lines += report.notes
        lines += [f"Not added: {rejected}" for rejected in report.rejected]
        lines += [f"Skipped while indexing: {skipped}" for skipped in report.build.skipped]
        return "\n\n".join(map(escape_markdown, lines or [f"Nothing new to add ({index} in all)."])), None

    with gr.Blocks(title="Biodiversity white paper Q&A", delete_cache=CACHE_CLEANUP) as app:
        gr.Markdown(f"## {templates.CHAT_TITLE}\n{templates.CHAT_INTRO}")
        info = gr.Markdown(index_info_line(index_dir), elem_id="index-info")
        asked = gr.State([])
        with gr.Row():
            with gr.Column(scale=3):
                # No LaTeX: "$$20$$" in a document or a question is shown as written.
                chat = gr.Chatbot(label="Chat", height=460, elem_id="chat", buttons=["copy"], latex_delimiters=[])
                with gr.Row():
                    question = gr.Textbox(
                        placeholder=f"Ask about the documents… (up to {settings.max_question_chars:,} characters)",
                        show_label=False,
                        scale=5,
                        elem_id="question",
                        max_length=settings.max_question_chars,
                    )
                    send = gr.Button("Ask", variant="primary", scale=1, elem_id="ask")
                gr.Examples(templates.EXAMPLE_QUESTIONS, inputs=question, label="Examples")
            with gr.Column(scale=2):
                sources = gr.HTML(elem_id="sources")
                with gr.Accordion("Add documents", open=False, visible=uploads):
                    files = gr.File(
                        file_count="multiple",
                        file_types=list(SUPPORTED_SUFFIXES),
                        label=f"{', '.join(SUPPORTED_SUFFIXES)} · up to {settings.upload_max_mb} MB each",
                        elem_id="upload",
                    )
                    upload_status = gr.Markdown(elem_id="upload-status", latex_delimiters=[])
                if not uploads:
                    gr.Markdown(uploads_off_reason or "Uploads are off.", elem_id="uploads-off")
        outputs = [question, chat, asked, sources, info]
        # Questions are answered QA_WORKERS at a time (Gradio's own default is one); uploads one at a time.
        answering = {"concurrency_limit": settings.workers, "concurrency_id": "answer"}
        question.submit(respond, [question, chat, asked], outputs, api_name="chat", **answering)
        send.click(respond, [question, chat, asked], outputs, api_visibility="private", **answering)
        chat.clear(lambda: ([], ""), outputs=[asked, sources], api_visibility="private")
        app.load(lambda: index_info_line(index_dir), outputs=info, api_visibility="private")
        # A build made elsewhere (`qa build`, another page's upload) shows without waiting for a question.
        gr.Timer(INFO_REFRESH_SECONDS).tick(
            lambda: index_info_line(index_dir), outputs=info, api_visibility="private", show_progress="hidden"
        )
        if uploads:
            # Progress is drawn over an event's outputs: the status line alone, never the index info line.
            files.upload(upload, files, [upload_status, files], api_visibility="private", concurrency_limit=1).then(
                lambda: index_info_line(index_dir), outputs=info, api_visibility="private"
            )
        gr.api(ask_api, api_name="ask", **answering)
        gr.api(ask_in_conversation_api, api_name="ask_in_conversation", **answering)
    return app


def check_port_free(host: str, port: int) -> None:
    if ":" in host:  # Gradio writes the address it serves without brackets, and its own start-up check fails
        raise QAError(
            f"cannot listen on {host}: the chat's web server does not take IPv6 addresses; "
            "set QA_HOST (or --host) to 127.0.0.1, 0.0.0.0, localhost or an IPv4 address of this machine"
        )
    with socket.socket(socket.AF_INET) as probe:
        try:
            probe.bind((host, port))
        except OSError as error:
            raise QAError(cannot_listen(host, port, error)) from None


def cannot_listen(host: str, port: int, error: OSError) -> str:
    """Why the chat cannot listen on host:port, and which setting to change."""
    where = f"cannot listen on {host}:{port} ({error.strerror or error})"
    if error.errno == errno.EADDRINUSE:
        return f"{where}: another program uses the port; set QA_PORT (or --port) to a free one"
    if error.errno in (errno.EACCES, errno.EPERM):
        return f"{where}: this port needs administrator rights; set QA_PORT (or --port) to one above 1023"
    # An unknown host name (socket.gaierror) or an address that is not this machine's.
    return (
        f"{where}: {host} is not an address of this machine; "
        "set QA_HOST (or --host) to 127.0.0.1, 0.0.0.0 or one of its addresses"
    )


def serve(host: str | None = None, port: int | None = None, preloading: threading.Thread | None = None) -> None:
    """`preloading`: a `qa.preload` thread started before this module imported Gradio (qa.cli.serve_chat)."""
    settings = qa.get_settings()
    host, port = host or settings.host, port or settings.port
    corpus_dir, index_dir = Path(settings.corpus_dir), Path(settings.index_dir)
    check_port_free(host, port)  # before minutes of index building, not after
    if preloading is not None:
        preloading.join()
    gc.enable()  # off while qa.cli.serve_chat imported Gradio (many objects, little garbage); on for a build
    ensure_index(corpus_dir, index_dir)
    qa.retriever(index_dir).current()  # load the model now, not on the first question
    uploads, why_not = uploads_allowed(settings, host)
    if why_not:
        print(f"qa: {why_not}", file=sys.stderr)
    guard = Middleware(
        WebGuard, allowed_hosts=allowed_host_names(settings, host), uploads=uploads, upload_folder=get_upload_folder()
    )
    try:
        create_app(index_dir, corpus_dir, uploads, why_not).queue().launch(
            server_name=host,
            server_port=port,
            max_file_size=f"{settings.upload_max_mb}mb",
            theme=THEME,
            css=CSS,
            footer_links=["api"],
            show_error=False,
            auth=logins(settings.auth),
            app_kwargs={"middleware": [guard]},
        )
    except OSError as error:
        raise QAError(f"the chat could not start on {host}:{port}: {error}") from None


def logins(auth: str) -> list[tuple[str, str]] | None:
    """QA_AUTH `user:password[,user2:password2]` as Gradio's auth list; None when empty."""
    pairs = [entry.split(":", 1) for entry in auth.split(",") if entry.strip()]
    if any(len(pair) != 2 or not pair[0] or not pair[1] for pair in pairs):
        raise QAError("QA_AUTH must be user:password, several separated by commas")
    return [(user, password) for user, password in pairs] or None
