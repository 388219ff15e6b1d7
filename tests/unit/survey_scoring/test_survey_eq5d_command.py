"""`survey eq5d` through typer's CliRunner (JSON contract of DESIGN.md)."""

from __future__ import annotations

import json

import typer
from typer.testing import CliRunner

from gmrd.commands.survey_eq5d import survey_eq5d

app = typer.Typer()
app.command()(survey_eq5d)


def test_json_output() -> None:
    """UK 3L TTO 33333 = -0.594 (Dolan 1997; ../shared/data/eq5d/SOURCES.md)."""
    result = CliRunner().invoke(app, ["11111", "33333", "--value-set", "uk-3l-tto", "--json"])
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {"value_set": "uk-3l-tto", "results": [
        {"profile": "11111", "index": 1.0}, {"profile": "33333", "index": -0.594}]}


def test_table_output() -> None:
    """England 5L 55555 = -0.285 (Devlin 2018)."""
    result = CliRunner().invoke(app, ["55555", "--value-set", "england-5l"])
    assert result.exit_code == 0
    assert "-0.285" in result.stdout


def test_error_is_one_line_exit_1() -> None:
    result = CliRunner().invoke(app, ["11141", "--value-set", "uk-3l-tto", "--json"])
    assert result.exit_code == 1
    assert result.stdout == "" or "error" not in result.stdout
    assert "row 1, field 'profile'" in result.output
    assert "Traceback" not in result.output
