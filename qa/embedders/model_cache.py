"""Names for what the model cache (`QA_MODEL_CACHE`) keeps: derived from the model files' content, not from where
they are installed, so that every checkout and virtual environment on a machine shares one copy.

A key built from the install path and the files' times made each new environment export MiniLM again and copy
the multilingual USE's weights again: a machine that had run the tests from 18 clones held 18 of each (1.8 GB).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

SAMPLE_BYTES = 1 << 20  # hashing whole weights (90 MB for MiniLM) costs 0.2 s of every start; the ends tell them apart


def content_stamp(*parts: object, files: list[Path]) -> str:
    """Twelve hex digits naming `parts` and the files' names, sizes, first and last megabyte. A retrained model
    changes its weights at both ends of the file (the embeddings first, the last layers last)."""
    digest = hashlib.sha256(repr(parts).encode())
    for path in files:
        size = path.stat().st_size
        digest.update(f"{path.name}:{size}".encode())
        with open(path, "rb") as weights:
            digest.update(weights.read(SAMPLE_BYTES))
            if size > 2 * SAMPLE_BYTES:
                weights.seek(size - SAMPLE_BYTES)
                digest.update(weights.read(SAMPLE_BYTES))
    return digest.hexdigest()[:12]
