"""Docs and code stay together: every command and setting is in the README."""

from __future__ import annotations

import re
from pathlib import Path

import typer.main

from gmrd.cli import app

ROOT = Path(__file__).resolve().parents[1]



def _commands(group: typer.Typer, prefix: str = "gmrd") -> list[str]:
    click_group = typer.main.get_command(group)
    names = []
    for name, command in click_group.commands.items():  # type: ignore[attr-defined]
        if hasattr(command, "commands"):
            names += [f"{prefix} {name} {sub}" for sub in command.commands]
        else:
            names.append(f"{prefix} {name}")
    return names


def test_every_command_is_in_the_readme():
    readme = (ROOT / "README.md").read_text()
    missing = [c for c in _commands(app) if c not in readme]
    assert not missing, f"commands missing from README.md: {missing}"


def test_every_setting_is_in_the_readme():
    readme = (ROOT / "README.md").read_text()
    used = set()
    for path in (ROOT / "src").rglob("*.py"):
        used |= set(re.findall(r"GMRD_[A-Z_]+", path.read_text()))
    missing = sorted(s for s in used if s not in readme)
    assert not missing, f"settings missing from README.md: {missing}"
