"""The Gradio chat page: a thin layer over qa.ask(); builds the index first when there is none."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # no calls home from an offline tool

import gradio as gr  # noqa: E402

import qa  # noqa: E402
from qa import templates  # noqa: E402
from qa.console import embedding_progress  # noqa: E402
from qa.errors import QAError  # noqa: E402
from qa.formats import SUPPORTED_SUFFIXES  # noqa: E402
from qa.render import escape_markdown, sources_html  # noqa: E402

STREAM_PIECES = 12  # the answer arrives in this many updates, as an LLM's tokens would
CSS = """
.qa-card { border: 1px solid var(--border-color-primary); border-radius: 8px; padding: 8px 12px; margin: 8px 0; }
.qa-head { font-size: 0.9em; margin-bottom: 4px; }
.qa-section { color: var(--body-text-color-subdued); }
mark.qa-quote { background: #ffe58f; color: #000; padding: 0 2px; }
.qa-related { opacity: 0.8; }
"""
# The page names no web fonts: it is served where there may be no internet.
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
    """Build the index from the corpus when none exists, or when this version cannot read the one there,
    showing progress on the terminal."""
    info = qa.index_info(index_dir)
    if info is not None and not info["outdated"]:
        return
    message = templates.NO_INDEX_YET if info is None else templates.INDEX_OUTDATED
    print(message.format(corpus=corpus_dir, index=index_dir), file=sys.stderr)
    with embedding_progress() as progress:
        report = qa.build_index(corpus_dir, index_dir, progress=progress)
    print(report.summary(), file=sys.stderr)


def create_app(index_dir: Path, corpus_dir: Path) -> gr.Blocks:
    def respond(question: str, chat: list, asked: list) -> Iterator[tuple]:
        question = (question or "").strip()
        chat = list(chat or [])
        if not question:
            chat.append({"role": "assistant", "content": templates.EMPTY_QUESTION})
            yield "", chat, asked, gr.update(), gr.update()
            return
        chat.append({"role": "user", "content": escape_markdown(question)})
        asked = [*asked, question]
        try:
            answer = qa.ask(question, history=[{"role": "user", "content": q} for q in asked[:-1]], index_dir=index_dir)
        except QAError as error:
            chat.append({"role": "assistant", "content": escape_markdown(str(error))})
            yield "", chat, asked, turn_html(len(asked), ""), gr.update()
            return
        words = escape_markdown(answer.text).split(" ")
        step = max(1, len(words) // STREAM_PIECES)
        chat.append({"role": "assistant", "content": ""})
        for shown in range(step, len(words) + step, step):
            chat[-1] = {"role": "assistant", "content": " ".join(words[:shown])}
            yield "", chat, asked, gr.update(), gr.update()
        yield "", chat, asked, turn_html(len(asked), sources_html(answer)), index_info_line(index_dir)

    def ask_api(question: str) -> dict:
        """One question, no conversation: the answer and its citations as JSON."""
        try:
            return qa.ask(question, index_dir=index_dir).to_dict()
        except QAError as error:
            return {"error": str(error)}

    def upload(files: list[str] | None, progress=gr.Progress()) -> tuple[str, str]:
        if not files:
            return "", index_info_line(index_dir)

        def embedding(done: int, total: int) -> None:
            progress((done, total), desc="Embedding the new text")

        try:
            report = qa.add([Path(f) for f in files], corpus_dir, index_dir, progress=embedding)
        except QAError as error:
            return escape_markdown(f"Not added: {error}"), index_info_line(index_dir)
        lines = [f"Added {', '.join(report.added)}: {report.build.summary()}"]
        lines += [f"Not added: {rejected}" for rejected in report.rejected]
        return "\n\n".join(map(escape_markdown, lines)), index_info_line(index_dir)

    with gr.Blocks(title="Biodiversity white paper Q&A") as app:
        gr.Markdown(f"## {templates.CHAT_TITLE}\n{templates.CHAT_INTRO}")
        info = gr.Markdown(index_info_line(index_dir), elem_id="index-info")
        asked = gr.State([])
        with gr.Row():
            with gr.Column(scale=3):
                chat = gr.Chatbot(label="Chat", height=460, elem_id="chat", buttons=["copy"])
                with gr.Row():
                    question = gr.Textbox(
                        placeholder="Ask about the white paper…", show_label=False, scale=5, elem_id="question"
                    )
                    send = gr.Button("Ask", variant="primary", scale=1, elem_id="ask")
                gr.Examples(templates.EXAMPLE_QUESTIONS, inputs=question, label="Examples")
            with gr.Column(scale=2):
                sources = gr.HTML(elem_id="sources")
                with gr.Accordion("Add documents", open=False):
                    files = gr.File(
                        file_count="multiple",
                        file_types=list(SUPPORTED_SUFFIXES),
                        label=f"{', '.join(SUPPORTED_SUFFIXES)} · up to {qa.get_settings().upload_max_mb} MB each",
                        elem_id="upload",
                    )
                    upload_status = gr.Markdown(elem_id="upload-status")
        outputs = [question, chat, asked, sources, info]
        question.submit(respond, [question, chat, asked], outputs, api_name="chat")
        send.click(respond, [question, chat, asked], outputs, api_visibility="private")
        app.load(lambda: index_info_line(index_dir), outputs=info, api_visibility="private")
        files.upload(upload, files, [upload_status, info], api_visibility="private")
        gr.api(ask_api, api_name="ask")
    return app


def serve(host: str | None = None, port: int | None = None) -> None:
    settings = qa.get_settings()
    corpus_dir, index_dir = Path(settings.corpus_dir), Path(settings.index_dir)
    ensure_index(corpus_dir, index_dir)
    qa.retriever(index_dir).current()  # load the model now, not on the first question
    create_app(index_dir, corpus_dir).queue().launch(
        server_name=host or settings.host,
        server_port=port or settings.port,
        max_file_size=f"{settings.upload_max_mb}mb",
        theme=THEME,
        css=CSS,
        footer_links=["api"],
        show_error=False,
    )
