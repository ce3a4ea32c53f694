"""Question answering over the white paper "China's Biodiversity Conservation": the public Python API.

    import qa
    qa.build_index()                      # corpus/ -> index/
    for p in qa.retrieve("biosafety law"):
        print(p.score, p.source, p.section, p.text)

The chat UI and the `qa` command are thin layers over these functions.
"""

from __future__ import annotations

from pathlib import Path

from qa.build import BuildProgress, BuildReport
from qa.build import build_index as _build_index
from qa.corpus import Document, load_corpus
from qa.errors import EmptyQueryError, IndexMismatchError, IndexMissingError, QAError
from qa.search import Passage, Retriever
from qa.settings import Settings, get_settings

__all__ = [
    "BuildReport",
    "Document",
    "EmptyQueryError",
    "IndexMismatchError",
    "IndexMissingError",
    "Passage",
    "QAError",
    "Settings",
    "build_index",
    "get_settings",
    "load_corpus",
    "retrieve",
]

_retrievers: dict[Path, Retriever] = {}


def build_index(
    corpus_dir: str | Path | None = None,
    index_dir: str | Path | None = None,
    progress: BuildProgress | None = None,
) -> BuildReport:
    """Index every document in `corpus_dir` (default: settings.corpus_dir, "corpus") into `index_dir`
    (default: settings.index_dir, "index"). The previous index keeps serving until the new one is complete.
    `progress(done, total)` is called as chunks are embedded."""
    settings = get_settings()
    return _build_index(
        Path(corpus_dir or settings.corpus_dir), Path(index_dir or settings.index_dir), settings, progress
    )


def retriever(index_dir: str | Path | None = None) -> Retriever:
    """The shared Retriever for an index folder (model and index loaded once per process)."""
    key = Path(index_dir or get_settings().index_dir).resolve()
    if key not in _retrievers:
        _retrievers[key] = Retriever(key, get_settings())
    return _retrievers[key]


def retrieve(query: str, k: int | None = None, index_dir: str | Path | None = None) -> list[Passage]:
    """The `k` passages (default: settings.top_k, 5) most relevant to `query`, best first."""
    return retriever(index_dir).search(query, k or get_settings().top_k)
