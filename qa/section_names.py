"""Sections a question names. A report written region by region ("III. Regional Reports > 4. Western Estuary
> (2) Species and habitats", the same sub-parts under each region) says the same things of every region in
the same words. "How many seahorses were counted in the Western Estuary?" names the section "4. Western
Estuary", so a sentence under one of its sibling sections ("3. Southern Lagoons"), or one that names a sibling
and not the Western Estuary, speaks of another region, however alike its words; a probe's report was answered
so with the Southern Lagoons' seahorses. The sibling headings say what counts as the same kind of thing,
where a name's own words do not ("Western Estuary", "Central Bay" and "Island District" share none).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from qa.lines import has_cjk
from qa.search import Passage, Retriever

SECTION_JOIN = " > "  # how qa/chunking.py joins a chunk's heading path
# A heading's numbering, as qa/chunking.py's NUMBERED_HEADINGS read it: "III.", "4.", "2.1", "(1)", "一、",
# "（一）", "第三章".
NUMBERING = re.compile(
    r"^(?:[IVXL]+\.|\d{1,2}(?:\.\d+)*[.．、]?|[(（][\d一二三四五六七八九十]+[)）]|[一二三四五六七八九十百]+、|"
    r"第[一二三四五六七八九十百零\d]+(?:部分|[编章节篇]))\s*"
)
# A Chinese heading's name must be this long to be looked for in a question: a two-character heading (湿地,
# 资金) is a topic word, not a name.
CHINESE_NAME_MIN_CHARACTERS = 3
LOWER_CASE_NAME_WORDS = frozenset({"of", "and", "the", "de", "la"})


def heading_name(heading: str) -> str:
    """The heading without its numbering and a leading "The": "4. The Western Estuary" -> "Western Estuary"."""
    return re.sub(r"^the\s+", "", NUMBERING.sub("", heading.strip()), flags=re.IGNORECASE).strip()


def named_in(name: str, question: str) -> bool:
    """Whether the question names the heading's name: verbatim, and as a name, with its capitals ("the
    Western Estuary", not "western estuaries" nor a topic word such as "Budget" that begins the question)."""
    if has_cjk(name):
        return len(name) >= CHINESE_NAME_MIN_CHARACTERS and name in question
    words = name.split()
    if not words or not all(word[0].isupper() for word in words if word.lower() not in LOWER_CASE_NAME_WORDS):
        return False
    found = [match.start() for match in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", question)]
    # A single capitalised word that begins a sentence is capitalised for the sentence, not as a name.
    return any(len(words) > 1 or not re.search(r"(?:^|[.?!。？！]\s*)$", question[:start]) for start in found)


@dataclass(frozen=True)
class NamedSections:
    """The sections a question names, each as (document, parent path, the names of the siblings under the same
    parent that it names, the names of those it does not)."""

    groups: tuple[tuple[str, tuple[str, ...], frozenset[str], frozenset[str]], ...]

    def elsewhere(self, passage: Passage, text: str) -> str | None:
        """The sibling of a section the question names that the passage sits under, in that section's
        document, or that the text names when it names none of the named sections; None when neither."""
        path = tuple(passage.section.split(SECTION_JOIN)) if passage.section else ()
        for source, parent, named, siblings in self.groups:
            if source == passage.source and path[: len(parent)] == parent and len(path) > len(parent):
                if (under := heading_name(path[len(parent)])) in siblings:
                    return under
            mentioned = sorted(name for name in siblings if named_in(name, text))
            if mentioned and not any(named_in(name, text) for name in named):
                return mentioned[0]
        return None

    def names(self) -> list[str]:
        return sorted({name for _, _, named, _ in self.groups for name in named})


def named_sections(question: str, retriever: Retriever) -> NamedSections:
    """The sections of the live build that the question names (`named_in`), with their siblings."""
    groups = []
    for source, parents in section_tree(retriever).items():
        for parent, names in parents.items():
            named = frozenset(name for name in names if named_in(name, question))
            if named and len(names) > len(named):
                groups.append((source, parent, named, frozenset(names - named)))
    return NamedSections(tuple(groups))


def section_tree(retriever: Retriever) -> dict[str, dict[tuple[str, ...], set[str]]]:
    """For each document of the live build, the names of the headings under each parent path; once per build."""
    index, _ = retriever.current()
    if "section_tree" not in index.cache:
        tree: dict[str, dict[tuple[str, ...], set[str]]] = {}
        for chunk in index.chunks:
            path = tuple(chunk.section.split(SECTION_JOIN)) if chunk.section else ()
            for depth, heading in enumerate(path):
                if name := heading_name(heading):
                    tree.setdefault(chunk.source, {}).setdefault(path[:depth], set()).add(name)
        index.cache["section_tree"] = tree
    return index.cache["section_tree"]
