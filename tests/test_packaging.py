"""`pip install .` with any pip brings everything the code imports: each import is declared in pyproject.toml."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions

from conftest import ROOT

# Imported at run time by a dependency through an extra that old pips (Python 3.11's 23.2) ignore.
NEEDED_THROUGH_EXTRAS = {"lxml_html_clean": "trafilatura imports lxml.html.clean, now in lxml_html_clean"}


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def declared() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return {normalise(re.split(r"[<>=!~\[; ]", requirement, maxsplit=1)[0]) for requirement in project["dependencies"]}


def imported_modules() -> set[str]:
    modules = set()
    for path in [*(ROOT / "qa").rglob("*.py"), ROOT / "app.py"]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                modules |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                modules.add(node.module.split(".")[0])
    return {m for m in modules if m not in sys.stdlib_module_names and m not in ("qa", "__future__")}


def test_every_third_party_import_is_declared():
    distributions = packages_distributions()
    missing = {
        module: distributions.get(module)
        for module in imported_modules()
        if not any(normalise(d) in declared() for d in distributions.get(module, [module]))
    }
    assert not missing, f"imported but not in pyproject.toml dependencies: {missing}"


def test_packages_that_old_pips_miss_are_declared():
    for module, why in NEEDED_THROUGH_EXTRAS.items():
        assert normalise(module) in declared(), why


def test_the_html_reader_works():
    from qa.formats.html import read

    assert "Wetland parks" in read(b"<html><body><article><p>Wetland parks protect birds.</p></article></body></html>").text
