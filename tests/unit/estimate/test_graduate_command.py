"""The graduate command function, run in-process through a throwaway Typer app."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from gmrd.commands.graduate import graduate

app = typer.Typer()
app.command()(graduate)
runner = CliRunner()

WIDE = "age_start,age_width,value\n0,15,272904\n15,10,195606\n25,20,422127\n45,20,447288\n65,,401761\n"


def _csv(tmp_path: Path, text: str, name: str = "groups.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_json_single_years(tmp_path: Path) -> None:
    result = runner.invoke(app, [str(_csv(tmp_path, WIDE)), "--method", "mono", "--json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert set(document) == {"method", "results"} and document["method"] == "mono"
    rows = document["results"]
    assert set(rows[0]) == {"age_start", "age_width", "value"}
    assert [r["age_start"] for r in rows[:66]] == list(range(66)) and rows[65]["age_width"] is None
    assert sum(r["value"] for r in rows[:15]) == pytest.approx(272904)
    assert rows[-1] == {"age_start": 65, "age_width": None, "value": 401761.0}


def test_json_five_year_groups_with_open_width(tmp_path: Path) -> None:
    args = [str(_csv(tmp_path, WIDE)), "--method", "pclm", "--to", "5", "--open-width", "35", "--json"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)["results"]
    assert [r["age_start"] for r in rows] == list(range(0, 100, 5))
    assert all(r["age_width"] == 5 for r in rows)
    assert sum(r["value"] for r in rows) == pytest.approx(1739686, rel=1e-5)


def test_table_output(tmp_path: Path) -> None:
    five = "age_start,age_width,value\n" + "".join(f"{a},5,{1000 - 10 * a}\n" for a in range(0, 50, 5))
    result = runner.invoke(app, [str(_csv(tmp_path, five)), "--method", "sprague", "--to", "5"])
    assert result.exit_code == 0, result.output
    assert "sprague" in result.stdout and "45-49" in result.stdout and "total" in result.stdout


@pytest.mark.parametrize(("text", "fragment"), [
    ("age_start,value\n0,5\n", "missing column(s) age_width"),
    ("age_start,age_width,value\n0,5,12\n5,5,abc\n", "row 3, field 'value'"),
    ("age_start,age_width,value\n0,5,12\n5,,4\n10,5,3\n", "row 3, field 'age_width'"),
    ("age_start,age_width,value\n0,5,12\n7,5,3\n", "row 3, field 'age_start'"),
    ("age_start,age_width,value\n0,5,-1\n", "row 2, field 'value'"),
    ("age_start,age_width,value\n0,2.5,1\n", "row 2, field 'age_width'"),
    (WIDE, "sprague needs 5-year age groups"),
])
def test_errors_name_file_row_field(tmp_path: Path, text: str, fragment: str) -> None:
    path = _csv(tmp_path, text)
    result = runner.invoke(app, [str(path), "--method", "sprague"])
    assert result.exit_code == 1
    assert fragment in result.stderr and str(path) in result.stderr
    assert "Traceback" not in result.output and result.stdout == ""


def test_missing_file(tmp_path: Path) -> None:
    result = runner.invoke(app, [str(tmp_path / "nope.csv"), "--method", "mono"])
    assert result.exit_code == 1 and "cannot read the file" in result.stderr
