"""Damaged files never break indexing: seeded mutations of real .docx, .pdf and .html files fed to the readers.

Each mutated file must either read or be refused with UnreadableDocumentError (a named reason); any other
exception is an uncaught error. Before the readers were wrapped, .docx with broken inner XML crashed them
most of the time.
"""

from __future__ import annotations

import io
import random
import time
import zipfile

import pytest

from documents import ENGLISH_PAGES, make_docx, make_html, make_pdf
from qa.corpus import load_document
from qa.errors import UnreadableDocumentError

MUTATIONS = 300
TIME_LIMIT_S = 60  # per format: the test stops mutating when this is spent, and says how many ran
SEED = 20261124


def flip_bytes(raw: bytes, rng: random.Random) -> bytes:
    data = bytearray(raw)
    for _ in range(rng.randint(1, 20)):
        data[rng.randrange(len(data))] = rng.randrange(256)
    return bytes(data)


def truncate(raw: bytes, rng: random.Random) -> bytes:
    return raw[: rng.randrange(1, len(raw))]


def splice(raw: bytes, rng: random.Random) -> bytes:
    at = rng.randrange(len(raw))
    return raw[:at] + bytes(rng.randrange(256) for _ in range(rng.randint(1, 64))) + raw[at:]


def damage_zip_member(raw: bytes, rng: random.Random) -> bytes:
    """A well-formed zip whose XML inside is broken: the case that crashed python-docx."""
    source = zipfile.ZipFile(io.BytesIO(raw))
    victim = rng.choice([name for name in source.namelist() if name.endswith((".xml", ".rels"))])
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            content = source.read(name)
            if name == victim:
                content = rng.choice([flip_bytes, truncate, splice])(content, rng) if content else b"<"
            target.writestr(name, content)
    return out.getvalue()


def mutants(seed: bytes, is_zip: bool, rng: random.Random):
    kinds = [flip_bytes, truncate, splice] + ([damage_zip_member] * 3 if is_zip else [])
    for _ in range(MUTATIONS):
        yield rng.choice(kinds)(seed, rng)


SEEDS = {
    ".docx": lambda: make_docx([("h1", "Wetlands"), ("p", ENGLISH_PAGES[0]), ("table", "a|b|c"), ("p", "Herders rest pastures.")]),
    ".pdf": lambda: make_pdf(ENGLISH_PAGES),
    ".html": lambda: make_html("Wetlands", [("Parks", "Wetland parks protect migratory birds."), ("Law", "A law was passed.")]),
}


@pytest.mark.parametrize("suffix", list(SEEDS))
def test_mutated_files_are_read_or_refused_with_a_reason(tmp_path, suffix):
    rng = random.Random(f"{SEED}{suffix}")
    seed = SEEDS[suffix]()
    path = tmp_path / f"mutant{suffix}"
    started = time.monotonic()
    outcomes = {"read": 0, "refused": 0}
    uncaught = []
    for number, mutant in enumerate(mutants(seed, suffix == ".docx", rng)):
        if time.monotonic() - started > TIME_LIMIT_S:
            break
        path.write_bytes(mutant)
        try:
            load_document(path, path.name)
            outcomes["read"] += 1
        except UnreadableDocumentError as error:
            assert str(error), "a refusal names its reason"
            outcomes["refused"] += 1
        except Exception as error:  # noqa: BLE001 - counting exactly these is the point of the test
            uncaught.append(f"mutation {number}: {type(error).__name__}: {error}")
    ran = sum(outcomes.values())
    print(f"{suffix}: {ran} mutations, {outcomes}, {len(uncaught)} uncaught errors")
    assert not uncaught, "\n".join(uncaught[:10])
    assert ran >= 100, f"only {ran} mutations ran in {TIME_LIMIT_S} s"
    assert outcomes["refused"] > 0, "the mutations do damage the files"
