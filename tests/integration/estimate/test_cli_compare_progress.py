"""`gmrd estimate` on the command line: the causes of --compare and the progress bars.

Issue 12, point 3: after importing two more countries, the comparison must name what changed for each
area, for imputed countries the inputs of the sub-region they borrow from, for aggregates their members'
(it said "no change in inputs or parameters")."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import sqlalchemy as sa
from typer.testing import CliRunner

from gmrd.cli import app
from gmrd.db.engine import get_engine
from gmrd.ingest.load import import_file

AGES = [(0, 5), (5, 5), (10, 5), (15, 5), (20, 10), (30, 20), (50, 0)]
NO_CAUSE = "no change in inputs or parameters"


def _file(path: Path, countries: dict[int, float]) -> Path:
    rows = []
    for loc, base in countries.items():
        for year, grow in ((1990.5, 1.0), (2000.5, 1.1), (2010.5, 1.25)):
            for sex, part in ((0, 1.0), (1, 0.49), (2, 0.51)):
                rows.append((loc, sex, 0, year, 0, 0, 3, "NSO census", base * grow * part))
                if sex and year == 2010.5:  # an age table (the pipeline needs one per region)
                    for (age, length), w in zip(AGES, (0.04, 0.05, 0.06, 0.07, 0.18, 0.3, 0.3)):
                        rows.append((loc, sex, 0, year, age, length, 3, "NSO census", base * grow * part * w))
    pd.DataFrame(rows, columns=["LocID", "sex", "LocIDorg", "yearref", "age", "agelength",
                                "PopulationUniverse", "source", "value"]).to_csv(path, index=False)
    return path


def _accept(url: str) -> None:
    with get_engine(url).begin() as conn:
        conn.execute(sa.text("UPDATE sources SET status = 'accepted'"))


def test_compare_names_the_added_countries_for_imputed_areas_and_aggregates(db_url, tmp_path):
    runner = CliRunner()
    import_file(_file(tmp_path / "a.csv", {250: 6e6, 756: 2e6, 566: 1e6}), url=db_url)  # FR, CH, NG
    _accept(db_url)
    years = ["--years", "2000:2010:10", "--no-intervals"]
    assert runner.invoke(app, ["estimate", *years, "--revision", "demo"]).exit_code == 0
    import_file(_file(tmp_path / "b.csv", {276: 12e6, 56: 1.8e6}), url=db_url)  # Germany, Belgium added
    _accept(db_url)
    assert runner.invoke(app, ["estimate", *years, "--revision", "mine"]).exit_code == 0
    done = runner.invoke(app, ["estimate", "--compare", "demo", "mine", "--top", "2000", "--json"])
    assert done.exit_code == 0, done.output
    causes = {(c["area_code"], c["year"]): c["cause"] for c in json.loads(done.stdout)["changes"]
              if c["change"]}
    germany = causes[(276, 2010)]
    assert germany.startswith("Germany (276): added NSO census 1990-07-01"), germany
    austria = causes[(40, 2010)]  # imputed from Western Europe, whose inputs changed
    assert "imputed from its sub-region Western Europe (926)" in austria, austria
    assert "Belgium (56): 3 added" in austria and "Germany (276): 3 added" in austria
    assert "member countries changed" in causes[(926, 2010)] and "Germany (276)" in causes[(926, 2010)]
    assert "member countries changed" in causes[(900, 2010)]
    assert NO_CAUSE not in set(causes.values())
    assert "France" not in austria and "Nigeria" not in austria
    table = runner.invoke(app, ["estimate", "--compare", "demo", "mine", "--top", "5"], terminal_width=250)
    assert table.exit_code == 0 and "World" in table.stdout and "Germany" in table.stdout


def test_unchanged_inputs_and_parameters_say_so(db_url, tmp_path):
    runner = CliRunner()
    import_file(_file(tmp_path / "a.csv", {250: 6e6, 756: 2e6}), url=db_url)
    _accept(db_url)
    for name in ("one", "two"):
        assert runner.invoke(app, ["estimate", "--years", "2010:2010:5", "--no-intervals",
                                   "--revision", name]).exit_code == 0
    doc = json.loads(runner.invoke(app, ["estimate", "--compare", "one", "two", "--json"]).stdout)
    assert doc["changes"] and {c["cause"] for c in doc["changes"]} == {NO_CAUSE}


def test_no_progress_bar_when_stderr_is_not_a_terminal(db_url, tmp_path):
    """Import, verify and estimate draw Rich progress bars only on a terminal: piped (as in the CLI runner),
    stderr carries plain lines, no bar frames or control characters."""
    path = _file(tmp_path / "a.csv", {250: 6e6, 756: 2e6})
    runner = CliRunner()
    steps = [["import", str(path)], ["verify"], ["review", "accept-clean", "--reason", "test"],
             ["estimate", "--years", "2010:2010:5", "--revision", "r1", "--no-intervals"]]
    for args in steps:
        done = runner.invoke(app, args, terminal_width=120)
        assert done.exit_code == 0, (args, done.output)
        assert not [m for m in ("\x1b[", "━", "\r") if m in done.stderr], (args, done.stderr)
    assert "revision r1" in done.stdout
