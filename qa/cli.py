"""The `qa` command: a thin layer over the public API; user errors end with a message and exit code 2."""

from __future__ import annotations

import argparse
import gc
import json
import logging
import os
import sys
from collections.abc import Callable
from typing import NoReturn

import qa
from qa.console import embedding_progress
from qa.errors import QAError
from qa.lines import flowing
from qa.search import MODES
from qa.settings import print_setting_warnings

EXIT_USER_ERROR = 2
RELATED_CHARS = 160  # of each possibly related passage `qa ask` prints after a refusal


def whole_number(value: str) -> int:
    return int(value) if value.strip().isdigit() else 0  # 0 for anything else: every caller refuses it


def positive_int(value: str) -> int:
    if (number := whole_number(value)) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of 1 or more, got {value!r}")
    return number


def earlier_question(value: str) -> str:
    # An empty --history is most often an unset shell variable: the follow-up would silently stand alone.
    if not value.strip():
        raise argparse.ArgumentTypeError("an earlier question is empty: give its text, or leave --history out")
    return value


def port_number(value: str) -> int:
    if not 1 <= (number := whole_number(value)) <= 65535:
        raise argparse.ArgumentTypeError(f"expected a port from 1 to 65535, got {value!r}")
    return number


def command_build(args: argparse.Namespace) -> int:
    with embedding_progress() as progress:
        report = qa.build_index(args.corpus, args.index, progress=progress, full=args.full)
    for skipped in report.skipped:
        print(f"warning: {skipped}", file=sys.stderr)
    print(report.summary())
    return 0


def command_add(args: argparse.Namespace) -> int:
    with embedding_progress() as progress:
        report = qa.add(args.files, args.corpus, args.index, progress=progress, replace=args.replace)
    for rejected in report.rejected:
        print(f"warning: not added: {rejected}", file=sys.stderr)
    for note in report.notes:
        print(f"note: {note}", file=sys.stderr)
    if report.stored:
        print(f"added {', '.join(report.stored)}")
    print(report.build.summary())
    return 0


def command_search(args: argparse.Namespace) -> int:
    passages = qa.retrieve(args.query, k=args.k, index_dir=args.index, mode=args.mode)
    if args.json:
        rows = [
            {
                "rank": rank,
                "score": round(p.score, 4),
                "source": p.source,
                "chunk_id": p.chunk_id,
                "start": p.start,
                "end": p.end,
                "section": p.section,
                "page": p.page,
                "text": p.text,
            }
            for rank, p in enumerate(passages, 1)
        ]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    if not passages:
        print("qa: no passage matches the question", file=sys.stderr)
    elif len(passages) < (args.k or qa.get_settings().top_k):
        print(f"qa: only {len(passages)} passage(s) match the question", file=sys.stderr)
    for rank, p in enumerate(passages, 1):
        page = f", page {p.page}" if p.page is not None else ""
        where = f"{p.source}{page} [{p.start}:{p.end}]" + (f" — {p.section}" if p.section else "")
        text = p.text.replace("\n", "\n   ")  # a passage of several lines stays under its header
        # The rank can differ from the order of the scores: an answer's passages come by their best sentence.
        print(f"{rank}. (search score {p.score:.3f}) {where}\n   {text}\n")
    return 0


def command_ask(args: argparse.Namespace) -> int:
    from qa import templates

    answer = qa.ask(args.question, history=args.history, index_dir=args.index)
    if args.json:
        print(json.dumps(answer.to_dict(), ensure_ascii=False, indent=2))
        return 0
    print(answer.text)
    if answer.note:
        print(f"({answer.note})")
    if answer.citations:
        print(f"\n{templates.sources_heading(args.question)}:")
        for citation in answer.citations:
            page = f", {templates.page_label(citation.page, args.question)}" if citation.page is not None else ""
            section = f" — {citation.section}" if citation.section else ""
            print(f"[{citation.n}] {citation.source}{page} [{citation.start}:{citation.end}]{section}")
    elif answer.related:
        print(f"\n{templates.related_heading(args.question)}:")
        for passage in answer.related:
            text = flowing(passage.text)
            shown = text if len(text) <= RELATED_CHARS else text[:RELATED_CHARS].rstrip() + "…"
            print(f"- {passage.source} [{passage.start}:{passage.end}] {shown}")
    return 0


def command_eval(args: argparse.Namespace) -> int:
    from qa.evaluate import as_json, eval_index, evaluate, read_cases, table

    modes = [mode.strip() for mode in args.modes.split(",") if mode.strip()]
    unknown = [mode for mode in modes if mode not in MODES]
    if unknown or not modes:
        raise QAError(f"unknown mode(s) {', '.join(unknown) or '(none)'}: use {','.join(MODES)}")
    cases = read_cases(args.file)  # a mistake in the file is told before minutes of building
    index_dir = args.index
    if args.corpus:
        with embedding_progress() as progress:
            index_dir = eval_index(args.corpus, progress)
    reports = evaluate(cases, modes, index_dir)
    print(as_json(reports) if args.json else table(reports))
    return 0


def serve_chat(host: str | None = None, port: int | None = None) -> None:
    """The chat server, for `qa serve` and app.py: the index and models load in a thread while Gradio is
    imported, with the collector off (serve turns it on again): importing Gradio took 2.5 s with it and 2.1 s
    without (median of 5 runs each)."""
    print_setting_warnings()
    gc.disable()
    loading = qa.preload()
    from qa.ui import serve

    serve(host=host, port=port, preloading=loading)


def command_serve(args: argparse.Namespace) -> int:
    serve_chat(args.host, args.port)
    return 0


class Parser(argparse.ArgumentParser):
    """A mistake in the command line is one line, as every other bad input is, not the usage text and then the
    error: "qa search: argument -k: expected a whole number of 1 or more, got '0' (see `qa search --help`)"."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USER_ERROR, f"{self.prog}: {message} (see `{self.prog} --help`)\n")


def folder_options(command: argparse.ArgumentParser, corpus: bool = False) -> None:
    if corpus:
        command.add_argument("--corpus", metavar="DIR", help="corpus folder (default: corpus, or QA_CORPUS_DIR)")
    command.add_argument("--index", metavar="DIR", help="index folder (default: index, or QA_INDEX_DIR)")


def parser() -> argparse.ArgumentParser:
    root = Parser(prog="qa", description="Ask questions about the documents in corpus/.")
    commands = root.add_subparsers(dest="command", metavar="COMMAND")

    build = commands.add_parser("build", help="build the index from the corpus folder")
    folder_options(build, corpus=True)
    build.add_argument("--full", action="store_true", help="embed every chunk again instead of reusing vectors")
    build.set_defaults(run=command_build)

    add = commands.add_parser("add", help="copy documents into the corpus and update the index")
    add.add_argument("files", nargs="+", metavar="FILE", help="a document, or a folder: the documents below it")
    add.add_argument(
        "--replace", action="store_true", help="overwrite corpus files of the same name (default: keep both)"
    )
    folder_options(add, corpus=True)
    add.set_defaults(run=command_add)

    search = commands.add_parser("search", help="list the passages most relevant to a question")
    search.add_argument("query", metavar="QUESTION")
    search.add_argument("-k", type=positive_int, default=None, help="how many passages (default: 5, or QA_TOP_K)")
    search.add_argument("--json", action="store_true", help="print a JSON list instead of text")
    search.add_argument("--mode", choices=MODES, help="search mode (default: dense, or QA_SEARCH_MODE)")
    folder_options(search)
    search.set_defaults(run=command_search)

    ask = commands.add_parser("ask", help="answer a question with cited sentences from the documents")
    ask.add_argument("question", metavar="QUESTION")
    ask.add_argument("--json", action="store_true", help='print {"answer", "abstained", "confidence", "citations", "generated", "note"} as JSON')
    ask.add_argument(
        "--history",
        action="append",
        type=earlier_question,
        metavar="QUESTION",
        help="an earlier question of the conversation, for a follow-up; repeat it, oldest first",
    )
    folder_options(ask)
    ask.set_defaults(run=command_ask)

    evaluation = commands.add_parser("eval", help="measure retrieval and answers on a JSONL question set")
    evaluation.add_argument("file", metavar="FILE.jsonl")
    evaluation.add_argument("--modes", default="dense,bm25,hybrid", help="search modes to compare (default: all)")
    evaluation.add_argument("--json", action="store_true", help="print the figures as JSON")
    evaluation.add_argument(
        "--corpus",
        action="append",
        metavar="DIR",
        help="evaluate on an index of this folder (repeat to combine folders; `python-topics` is Python's "
        "reference topics), built once into .cache/qa-eval/",
    )
    folder_options(evaluation)
    evaluation.set_defaults(run=command_eval)

    serve = commands.add_parser("serve", help="start the chat (builds the index first if there is none)")
    serve.add_argument("--host", help="address to bind (default: 127.0.0.1, or QA_HOST)")
    serve.add_argument("--port", type=port_number, help="port (default: 7860, or QA_PORT)")
    serve.set_defaults(run=command_serve)
    for command in commands.choices.values():
        command.set_defaults(command_parser=command)
    return root


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(format="qa: %(message)s", level=logging.WARNING)  # e.g. "waiting for another build…"
    print_setting_warnings()
    root = parser()
    args, unknown = root.parse_known_args(argv)
    if unknown:  # told by the command's own parser, so the help it names is that command's
        command = getattr(args, "command_parser", root)
        # An unknown option's value is taken for the next positional argument: a probe's `qa ask --corpus DIR
        # "question"` was told "unrecognized arguments: --corpus question". The option alone is the mistake.
        options = [token for token in unknown if token.startswith("-") and token != "-"]
        if "--corpus" in options and args.command in ("ask", "search"):
            command.error("unknown option --corpus: questions are asked of an index (--index DIR), "
                          "and `qa build --corpus DIR --index DIR` makes one of a folder")
        command.error(f"unknown option {options[0]}" if options else f"unrecognized arguments: {' '.join(unknown)}")
    if args.command is None:
        root.print_help()
        return EXIT_USER_ERROR
    run: Callable[[argparse.Namespace], int] = args.run
    try:
        return run(args)
    except QAError as error:
        print(f"qa: {error}", file=sys.stderr)
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        print("qa: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader (`| head`) went away; say nothing more, as other Unix tools do.
        sys.stdout = open(os.devnull, "w")
        return 0


if __name__ == "__main__":
    sys.exit(main())
