"""What every bench script needs before importing qa: the repository on the path, models loaded offline."""

import os
import sys
from dataclasses import dataclass
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TEST_QUESTION_FILES = sorted((ROOT / "tests" / "data").glob("*.jsonl"))  # tuning sets; never eval/
CORPORA = ROOT / "tests" / "data" / "corpora"
TUNING = ROOT / "tests" / "data" / "tuning"
WHITE_PAPER, LIBRARY, WHITE_PAPER_ZH, TRANSPORT, WATER, COMMUNITY, GRASSLAND, FISHERIES, COASTAL, EDITIONS, PAPERS = (
    str(CORPORA / name)
    for name in (
        "white-paper", "library", "white-paper-zh", "transport", "water", "community", "grassland", "fisheries", "coastal",
        "editions", "papers",
    )
)


@dataclass(frozen=True)
class InOwnScript:
    """The questions of a file whose expected text is in the question's script, and its unanswerable ones: over
    a paper indexed with its translation, the version in the question's language should answer (the file's
    other questions expect the other version's words)."""

    path: Path

    @property
    def name(self) -> str:
        return f"{self.path.name} (own script)"


def tuning_cases(files: list) -> list:
    """The cases of a tuning set's question files (paths, or `InOwnScript`)."""
    from qa.evaluate import read_cases
    from qa.sentences import has_cjk

    cases = []
    for file in files:
        if isinstance(file, InOwnScript):
            cases += [
                case for case in read_cases(file.path) if case.expect is None or has_cjk(case.question) == has_cjk(case.expect)
            ]
        else:
            cases += read_cases(file)
    return cases


# (name, tuning question files, corpus folders): the sets that settings and fitted weights are chosen on. Their
# held-out twins are in eval/ and are never read by a tuning script.
TUNING_SETS = [
    ("white paper", [TUNING / "white-paper.jsonl"], [WHITE_PAPER]),
    ("white paper in library", [TUNING / "white-paper.jsonl"], [WHITE_PAPER, LIBRARY]),
    ("library", [TUNING / "library.jsonl"], [WHITE_PAPER, LIBRARY]),
    ("white paper zh", [TUNING / "white-paper-zh.jsonl"], [WHITE_PAPER_ZH]),
    (
        "white paper in both languages",
        [InOwnScript(TUNING / "white-paper.jsonl"), InOwnScript(TUNING / "white-paper-zh.jsonl")],
        [WHITE_PAPER, WHITE_PAPER_ZH],
    ),
    ("python topics", [TUNING / "python-topics.jsonl"], ["python-topics"]),
    ("transport", [TUNING / "transport.jsonl"], [TRANSPORT]),
    ("water", [TUNING / "water.jsonl"], [WATER]),
    ("community", [TUNING / "community.jsonl"], [COMMUNITY]),
    ("grassland", [TUNING / "grassland.jsonl"], [GRASSLAND]),
    ("fisheries", [TUNING / "fisheries.jsonl"], [FISHERIES]),
    ("coastal", [TUNING / "coastal.jsonl"], [COASTAL]),
    ("editions", [TUNING / "editions.jsonl"], [EDITIONS]),
    ("papers", [TUNING / "papers.jsonl"], [PAPERS]),
    ("summary", TEST_QUESTION_FILES, [str(ROOT / "corpus")]),
]
