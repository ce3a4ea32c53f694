"""The README stays true: every setting is documented with its default, and every CLI command is named."""

from __future__ import annotations

import pytest

from conftest import ROOT
from qa.cli import parser
from qa.settings import Settings

README = (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", list(Settings.model_fields))
def test_every_setting_is_in_the_readme_with_its_default(name):
    default = Settings.model_fields[name].default
    assert f"| `QA_{name.upper()}` | `{default}` |" in README


def test_every_command_is_in_the_readme():
    commands = parser()._subparsers._group_actions[0].choices
    for command in commands:
        assert f"qa {command}" in README
