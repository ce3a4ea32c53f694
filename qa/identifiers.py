"""Identifiers a question names: an error code ("TW-E101"), an option ("max_retries"), a standard or a meeting
("COP15"), a version ("v3.5"). Each names one thing exactly, as the documents write it, where words name a
topic. So a heading led by one is named by it alone (qa/section_names.py: "What does error TW-E101 mean?" of
a troubleshooting guide headed "TW-E101 Repository locked"), and a question that names one the documents never
write asks about something they do not hold ("What does error TW-E909 mean?" was answered with the guide's
introduction to error codes, "What is the default of cache_ttl_seconds?" with another option's default).
"""

from __future__ import annotations

import re

from qa.store import StoredIndex

# A token that starts with a letter and runs a letter and a digit together (four characters at least: "CO2", "Q3"
# and "v2" are words as much as codes), or words joined by underscores. Separators inside it: - _ . /
TOKEN = re.compile(r"(?<![\w.-])[A-Za-z][A-Za-z0-9]*(?:[-_./][A-Za-z0-9]+)*(?![\w-])")
IDENTIFIER_MIN_CHARACTERS = 4
SEPARATORS = re.compile(r"[-_./\s]")


# A letter and a digit run together in one part of the token: "E101", "COP15", "v3"; "mid-2020" or "COVID-19"
# are words with a number beside them.
LETTER_AND_DIGIT = re.compile(r"[A-Za-z]\d|\d[A-Za-z]")


def is_identifier(token: str) -> bool:
    return "_" in token or (len(token) >= IDENTIFIER_MIN_CHARACTERS and LETTER_AND_DIGIT.search(token) is not None)


def identifiers(text: str) -> list[str]:
    """The identifiers the text names, in order."""
    return [token for token in (match.group(0).rstrip(".") for match in TOKEN.finditer(text)) if is_identifier(token)]


def kind_words(question: str, name: str) -> str:
    """The two words before an identifier the question names, which say what kind of thing it is: "error code"
    of "What does error code TW-E204 mean?", "option" of "the default of the option chunk_size_mb"."""
    at = question.lower().find(name.lower())
    return " ".join(question[:at].split()[-2:]) if at >= 0 else ""


def leading_identifier(heading: str) -> str | None:
    """The identifier a heading opens with ("TW-E101 Repository locked", "chunk_size_mb"), if it does."""
    match = TOKEN.match(heading.strip())
    return match.group(0) if match and is_identifier(match.group(0)) else None


def normal(text: str) -> str:
    """An identifier as it is compared: lower case, separators and spaces left out ("TW-E101", "tw_e101", "TW E101";
    "ISO14001" as a document writes "ISO 14001")."""
    return SEPARATORS.sub("", text.lower())


# A release's version, three numbers or more ("3.2.1", "v2.5.0"), names one release exactly, as an identifier
# names one thing, but runs no letter into a digit; a date written with dots ("2024.03.12") is none. A probe's
# "What changed in 2.5.0?" of a changelog that goes from 2.4.1 to 3.0.0 was answered with another release's notes;
# refused (2026-12-08): probe 69's near-topic 22 -> 26 of 51, probe 54's 15 -> 17 (a firmware's releases), no answer of
# probes 48-69 lost, tuning rows the same.
VERSION = re.compile(r"(?<![\w.])v?(?!\d{4}\.)(\d{1,3}(?:\.\d{1,4}){2,})(?![\w]|\.\d)")


def unknown_identifiers(question: str, index: StoredIndex) -> list[str]:
    """The identifiers and versions the question names that no chunk of the build writes, in its text, its
    headings or its document's title (a version only as written: "2.5.0" is not in "12.5.0.1" nor in "2.5.01")."""
    names = identifiers(question)
    versions = list(VERSION.finditer(question))
    if not names and not versions:
        return []
    if "identifier text" not in index.cache:
        index.cache["identifier text"] = normal(index.written_text())
    written = index.cache["identifier text"]
    unknown = [name for name in names if normal(name) not in written]
    text = index.written_text()
    return unknown + [
        match.group(0) for match in versions
        if not re.search(rf"(?<![\d.]){re.escape(match.group(1))}(?!\.?\d)", text)
    ]
