"""Input limits, checked before any work: a question's size and text, a conversation's length, and k.

A 50 MB question once took 98 s of CPU and 6.6 GB of memory and stalled every other user; each limit is a
setting (`max_question_chars`, `max_history_turns`), and breaking one gives a message, not a traceback.
"""

from __future__ import annotations

import numbers
import os
import reprlib
from collections.abc import Sequence
from pathlib import Path

from qa.conversation import user_turns
from qa.errors import EmptyQueryError, QAError
from qa.settings import Settings


class InputTooLargeError(QAError):
    """A question or a conversation over the configured limits."""


def check_text(text: str, what: str, settings: Settings) -> None:
    """A question or a turn: a string, within the length limit, of valid Unicode."""
    if not isinstance(text, str):
        raise QAError(f"the {what} must be text, not {type(text).__name__}")
    if len(text) > settings.max_question_chars:
        raise InputTooLargeError(
            f"the {what} is {len(text):,} characters long; the limit is {settings.max_question_chars:,} "
            f"(QA_MAX_QUESTION_CHARS): ask something shorter"
        )
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:  # lone surrogates: undecodable bytes on a command line, or sent to the API
        raise QAError(f"the {what} holds a character that is not valid text at position {error.start}") from None


def check_question(question: str, settings: Settings) -> str:
    """The question stripped, or a QAError saying what is wrong with it."""
    check_text(question, "question", settings)
    if not question.strip():
        raise EmptyQueryError("the question is empty: type a question about the documents")
    return question.strip()


def check_history(history: Sequence | None, settings: Settings) -> None:
    """A conversation: a list of at most `max_history_turns` turns, each within the question limits."""
    if history is None:
        return
    if not isinstance(history, (list, tuple)):
        raise QAError("the history must be a list of earlier turns")
    for number, turn in enumerate(history, 1):
        if not well_formed(turn):
            raise QAError(
                f"turn {number} of the history is {shown(turn)}: give each earlier turn as text, a (question, "
                f'answer) pair or a {{"role": ..., "content": ...}} message'
            )
    turns = user_turns(history)
    if len(turns) > settings.max_history_turns:
        raise InputTooLargeError(
            f"the conversation has {len(turns):,} earlier questions; the limit is {settings.max_history_turns:,} "
            f"(QA_MAX_HISTORY_TURNS): start a new conversation"
        )
    if len(history) > 2 * settings.max_history_turns:  # answers count too, one for each question
        raise InputTooLargeError(
            f"the conversation has {len(history):,} earlier turns; the limit is {2 * settings.max_history_turns:,}, "
            f"twice QA_MAX_HISTORY_TURNS: start a new conversation"
        )
    for turn in turns:
        check_text(turn, "earlier turn", settings)


ROLES = ("user", "assistant", "system")
CONTENT = (str, list, tuple, dict)  # text, or Gradio's parts ({"type": "text", "text": ...}) and files


def well_formed(turn) -> bool:
    """Text, a (question, answer) pair whose question is text (or None, where Gradio pairs show an answer
    alone), or a message with a role and a content: the turns `user_turns` reads."""
    if isinstance(turn, str):
        return True
    if isinstance(turn, dict):
        content = turn.get("content")
        parts_are_flat = not isinstance(content, (list, tuple)) or all(isinstance(part, (str, dict)) for part in content)
        return turn.get("role") in ROLES and isinstance(content, CONTENT) and parts_are_flat
    return isinstance(turn, (list, tuple)) and len(turn) > 0 and (turn[0] is None or isinstance(turn[0], str))


def shown(value) -> str:
    text = reprlib.repr(value)  # bounded in length and depth, whatever the value holds
    return text if len(text) <= 60 else f"a {type(value).__name__} ({text[:40]}…)"


def check_k(k: int | None, settings: Settings) -> int:
    """k as given, or the default; whole numbers of 1 or more only."""
    if k is None:
        return settings.top_k
    if isinstance(k, bool) or not isinstance(k, numbers.Integral) or k < 1:  # numpy's integers are whole numbers too
        raise QAError(f"k must be a whole number of 1 or more, got {k!r}")
    return int(k)


def folder_or_default(folder: str | os.PathLike | None, default: str | os.PathLike, what: str) -> Path:
    """A corpus or index folder as given, or the setting's when none (or "") is given."""
    if folder is None or folder == "":
        return Path(default)
    if not isinstance(folder, str | os.PathLike):
        raise QAError(f"the {what} must be a path, not {type(folder).__name__}")
    if "\0" in os.fspath(folder):  # no file system has such a name; os calls raise ValueError on it
        raise QAError(f"the {what} {shown(os.fspath(folder))} holds a NUL character, which no folder name can")
    return Path(folder)


def check_flag(value: object, name: str) -> bool:
    """A yes-or-no argument: full="no" is a string, and true, not the no it says."""
    if not isinstance(value, bool):
        raise QAError(f"{name} must be True or False, not {value!r}")
    return value


def check_progress(progress: object):
    """A build's progress callback, told apart from a mistaken argument before any file is stored."""
    if progress is not None and not callable(progress):
        raise QAError(f"progress must be a function called as progress(done, total), not {type(progress).__name__}")
    return progress


def check_files(files: object) -> list[Path]:
    """The files (or folders) to add: one path, or a list of them."""
    if isinstance(files, str | os.PathLike):
        files = [files]  # a lone path, not its characters
    if not isinstance(files, Sequence) or isinstance(files, bytes):
        raise QAError(f"files must be a path or a list of paths, not {type(files).__name__}")
    if not files:
        raise QAError("no files were given to add")
    wrong = [f for f in files if not isinstance(f, str | os.PathLike) or f == ""]
    if wrong:
        raise QAError(f"files must be paths; {wrong[0]!r} is not one")
    return [Path(f) for f in files]
