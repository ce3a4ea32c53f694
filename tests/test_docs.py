"""The README stays true: every setting is documented with its default, and every CLI command is named."""

from __future__ import annotations

import typing
from pathlib import Path

import pytest

from conftest import ROOT
from qa.cli import parser
from qa.settings import Settings

README = (ROOT / "README.md").read_text(encoding="utf-8")


def allowed_values(name: str) -> str:
    """What the README's Settings table must say a setting accepts, read from the field's own type and bounds."""
    field = Settings.model_fields[name]
    if typing.get_origin(field.annotation) is typing.Literal:
        return ", ".join(f"`{choice}`" for choice in typing.get_args(field.annotation))
    bounds = {type(rule).__name__: getattr(rule, type(rule).__name__.lower()) for rule in field.metadata}
    if "Gt" in bounds:
        return f"over {bounds['Gt']}, up to {bounds['Le']:,}"
    if "Le" in bounds:
        return f"{bounds['Ge']:,} to {bounds['Le']:,}"
    if "Ge" in bounds:
        return f"{bounds['Ge']:,} or more"
    addresses = Settings.__pydantic_decorators__.field_validators["http_address"].info.fields
    if name in addresses:
        return "an http(s) address"
    return "a folder" if field.annotation in (Path, "Path") else "text"


@pytest.mark.parametrize("name", list(Settings.model_fields))
def test_every_setting_is_in_the_readme_with_its_default_and_allowed_values(name):
    default = Settings.model_fields[name].default
    assert f"| `QA_{name.upper()}` | `{default}` | {allowed_values(name)} |" in README


def test_every_command_is_in_the_readme():
    commands = parser()._subparsers._group_actions[0].choices
    for command in commands:
        assert f"qa {command}" in README
