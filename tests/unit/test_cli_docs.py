"""Every command has a --help a newcomer can read and a section in docs/cli.md."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer.main
from typer.testing import CliRunner

from groundnet.cli import app

DOCS = Path(__file__).resolve().parents[2] / "docs" / "cli.md"


def _commands(group, prefix: str = "groundnet"):
    for name, cmd in sorted(group.commands.items()):
        path = f"{prefix} {name}"
        if hasattr(cmd, "commands"):  # a group (Typer may ship its own click)
            if getattr(cmd, "invoke_without_command", False):
                yield path, cmd  # does something by itself too (`groundnet stations` lists the network)
            yield from _commands(cmd, path)
        else:
            yield path, cmd


COMMANDS = list(_commands(typer.main.get_command(app)))


def test_there_are_commands():
    assert any(path == "groundnet stations" for path, _ in COMMANDS)


@pytest.mark.parametrize("path", [p for p, _ in COMMANDS])
def test_command_is_documented(path):
    headings = {line[3:].strip() for line in DOCS.read_text(encoding="utf-8").splitlines() if line.startswith("## ")}
    assert path in headings, f"docs/cli.md has no '## {path}' section"


@pytest.mark.parametrize("path, cmd", COMMANDS)
def test_help_explains_the_command_and_its_options(path, cmd):
    result = CliRunner().invoke(app, path.split()[1:] + ["--help"])
    assert result.exit_code == 0, result.output
    assert cmd.help and len(cmd.help.strip()) > 20, f"{path} needs a help text"
    for param in cmd.params:
        if getattr(param, "param_type_name", "") == "option" and not param.hidden:
            assert param.help, f"{path} option {param.opts[0]} needs a help text"
