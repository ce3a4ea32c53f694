"""Which documents a question names by their title: "What does Article 30 of the Wetland Protection Law say?"
asks of the document titled "Wetland Protection Law of the Republic of Lanmore", "湿地保护法第二十五条规定了什么？" of
"澜墨共和国湿地保护法". A numbered unit the question cites is then looked for in that document only, so a
library whose implementing regulations also have an Article 23 does not answer the law's Article 23 with
theirs, and a law that ends at Article 20 has no Article 30 because another law has one (a new-user probe's
legislation: 4 answers from the regulations, 3 missing articles answered).

A title is named by a run of its words: in English two capitalised words or more (with "of", "the", "and"
between them), in Chinese `CHINESE_NAME_MIN` characters or more. Several titles may hold the run ("Implementing
Regulations of the Wildlife Protection Law" holds "Wildlife Protection Law"); the run then names the title it
heads: the one it opens in English, the one it ends in Chinese (a title's head noun comes last: "…野生动物保护法"
is the law, "…野生动物保护法实施条例" its regulations).
"""

from __future__ import annotations

import re

from qa.lines import CJK_CHARACTER
from qa.store import StoredIndex

ENGLISH_NAME = re.compile(r"\b[A-Z][\w'-]*(?:\s+(?:(?:of|the|and|for|on)\s+)*[A-Z][\w'-]*)+")
CHINESE_RUN = re.compile(rf"{CJK_CHARACTER.pattern}+")
CHINESE_NAME_MIN = 4  # "湿地保护法", "生态环境状况公报"; a shorter run is a topic word (湿地, 保护)
LEADING_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)


def document_titles(index: StoredIndex) -> dict[str, str]:
    """Each document's title, by source; once per build."""
    if "document titles" not in index.cache:
        index.cache["document titles"] = {
            source: (index.chunks[int(rows[0])].title or "").strip("《》 ") for source, rows in index.document_rows().items()
        }
    return index.cache["document titles"]


def documents_named(question: str, index: StoredIndex) -> frozenset[str]:
    """The documents whose title the question names (see the module's docstring); empty when it names none."""
    titles = {source: title.lower() for source, title in document_titles(index).items() if title}
    named: set[str] = set()
    for run in ENGLISH_NAME.findall(question):
        words = run.split()
        # the longest run a title holds: "Under the Wetland Protection Law" names "Wetland Protection Law"
        for first in range(len(words) - 1):
            name = LEADING_ARTICLE.sub("", " ".join(words[first:])).lower()
            whole = re.compile(rf"(?<!\w){re.escape(name)}(?!\w)")
            holding = {source for source, title in titles.items() if name in title and whole.search(title)}
            if holding:
                heading = {source for source in holding if LEADING_ARTICLE.sub("", titles[source]).startswith(name)}
                named |= heading or (holding if len(holding) == 1 else set())
                break
    for run in CHINESE_RUN.findall(question):
        for source, title in titles.items():
            # the run the title shares, when it ends the title, holds the title's last characters: a quick test
            # before the longest run is looked for
            if title[-CHINESE_NAME_MIN:] not in run:
                continue
            common = longest_common_run(run, title)
            if len(common) >= CHINESE_NAME_MIN and title.endswith(common):
                named.add(source)
    return frozenset(named)


def longest_common_run(text: str, title: str) -> str:
    """The longest run of characters the text and the title share."""
    best = ""
    for start in range(len(text)):
        for end in range(len(text), start + len(best), -1):
            if text[start:end] in title:
                best = text[start:end]
                break
    return best
