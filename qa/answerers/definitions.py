"""Definitions: whether a question asks what a term means, and the sentence that defines it.

"What does 'Service Credits' mean?", "What is a trap night?", "水土保持率是什么意思？" are answered by the sentence
that defines the term ('"Service Credits" means …', a glossary's "- Trap night: …", "水土保持率是指…") rather than
by one that only uses it.
"""

from __future__ import annotations

import re

from qa.answerers.quotes import Quote, first_that
from qa.lexical import terms

MEANING_VERB = frozenset(terms("mean"))
# a sentence that defines a term: '"Service Credits" means …', "A Sub-processor is defined as …", "生态红线是指…"
DEFINES = r"""(?:\s*[)"'”’]|\s+\([^)]{1,40}\))*\s*(?:means|shall mean|refers to|is defined as|是指|指的是)"""
# a glossary's entry after its term: "- Pass: a sequence of …", "Exuvia (plural exuviae) — the empty larval skin"
GLOSSED = r"(?:\s*\([^)]{1,40}\))?\s*[:：—–]\s"
USED_WHERE = re.compile(r"\s+(?:in|for|on|at|during|when)\s+", re.IGNORECASE)
# The term a question asks the meaning of: "What does 'Service Credits' mean?", "How is a sub-processor defined?",
# "What is meant by GEP?", "What is a trap night?", "水土保持率是什么意思？", "水土保持率是怎么定义的？".
MEANING_OF = re.compile(
    r"\bwhat (?:does|do|did) (?P<english>.+?) mean\b|\bhow (?:is|are) (?P<defined>.+?) defined\b|"
    r"^\s*what(?:'s|\s+is|\s+are)\s+(?:a|an)\s+(?P<indefinite>[^?？]+?)\s*[?？.]*$|"
    r"\b(?:what is meant by|definition of|define) (?P<meant>.+?)\s*[?？.]*$|"
    r"^\s*(?P<chinese>[^？?]+?)(?:是什么意思|指什么|是指什么|是怎么定义的|怎么定义|如何定义|的定义)",
    re.IGNORECASE,
)


def asks_meaning(query: str) -> bool:
    """Whether the question asks what something means in those words ("What does … mean?", "…是什么意思？"), which of
    a named section asks what it says."""
    asks = MEANING_OF.search(query)
    return asks is not None and bool(asks.group("english") or asks.group("chinese"))


def definition_asked(query: str) -> re.Pattern | None:
    """A pattern for a sentence that defines the term the question asks the meaning of, or None: 'X means …' and
    its kin anywhere, "A pass is a …" and a glossary's "- Pass: a sequence of …" at its start. "What is a pass in
    bat surveys?" asks of "pass": what follows "in", "for", "on", "at", "during" or "when" says where it is used."""
    asks = MEANING_OF.search(query)
    if not asks:
        return None
    subject = next(group for group in asks.groups() if group).strip(" \t'\"“”‘’「」《》")
    subject = re.sub(r"^(?:the|a|an)\s+", "", subject, flags=re.IGNORECASE)
    if asks.group("indefinite"):
        subject = USED_WHERE.split(subject)[0]
    if not subject:
        return None
    term = re.escape(subject)
    return re.compile(rf"(?<!\w){term}{DEFINES}|^\W{{0,3}}{term}{GLOSSED}|^(?:an?|the)\s+{term}\s+(?:is|are)\s+(?:an?|the)\b", re.IGNORECASE)


def defines(definition: re.Pattern | None, quotable: list[Quote]) -> bool:
    """Whether "What does X mean?" (or "X是什么意思？") is answered by a sentence that defines X (`definition_asked`):
    a contract's '1.3 "Service Credits" means …' rather than the opening of its SLA's section "3. Service Credits",
    which a probe's question was answered with, as "What does error TW-E101 mean?" is with its section's opening."""
    return definition is not None and any(definition.search(candidate.text) for candidate, _ in quotable)


def definition_first(
    definition: re.Pattern | None, quotes: list[Quote]
) -> list[Quote]:
    """The quotes with the sentence that defines the term asked about (`definition_asked`) first: a probe's
    "水土保持率是什么意思？" quoted a sentence with the rate's figure, ahead of its white paper's footnote
    "②水土保持率是指…"."""
    return quotes if definition is None else first_that(quotes, lambda candidate: definition.search(candidate.text) is not None)
