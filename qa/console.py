"""Terminal output shared by the command line and the chat's start-up: a progress bar for builds."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

from qa.build import BuildProgress


@contextmanager
def embedding_progress() -> Iterator[BuildProgress]:
    """A `progress(done, total)` callback drawing a bar on stderr, opened once the total is known."""
    from tqdm import tqdm

    bar = None

    def progress(done: int, total: int) -> None:
        nonlocal bar
        if bar is None:
            bar = tqdm(total=total, unit="chunk", desc="embedding", file=sys.stderr, leave=False)
        bar.update(done - bar.n)

    try:
        yield progress
    finally:
        if bar is not None:
            bar.close()
