"""Import of the UN Population Division long format (a slice of the real 11.7-million-row corpus)."""

from __future__ import annotations

import pandas as pd
import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from gmrd.cli import app
from gmrd.db import queries
from gmrd.db.engine import get_engine
from gmrd.ingest.load import import_file
from gmrd.ingest.un_long import decimal_year_to_date

KEY = ["LocID", "source", "yearref", "PopulationUniverse"]


def test_decimal_years_follow_the_unpd_convention():
    # SOURCES.md (un_ims): 1990.5 = 1 July 1990; 2011.35 = 9 May 2011
    assert str(decimal_year_to_date(1990.5)) == "1990-07-01"
    assert str(decimal_year_to_date(2011.35)) == "2011-05-09"
    assert str(decimal_year_to_date(1990.9972602739726)) == "1990-12-31"


def test_slice_imports_every_row_once(db_url, un_long_slice):
    expected = pd.read_csv(un_long_slice)
    report = import_file(un_long_slice, url=db_url)
    assert report.format == "un_long"
    assert report.cells == len(expected)
    assert report.tabulations == expected.groupby(KEY).ngroups
    assert report.sources == report.tabulations
    with get_engine(db_url).connect() as conn:
        stored = queries.counts(conn)
        total = conn.scalar(sa.text("select sum(value) from cells"))
    assert stored["cells"] == len(expected)
    assert total == pytest.approx(expected["value"].sum(), rel=1e-12)
    again = import_file(un_long_slice, url=db_url)
    assert again.skipped_duplicate and again.cells == 0
    with get_engine(db_url).connect() as conn:
        assert queries.counts(conn)["cells"] == len(expected)


def test_cli_import_json_and_export(db_url, un_long_slice, tmp_path):
    runner = CliRunner()
    result = runner.invoke(app, ["import", str(un_long_slice), "--json"])
    assert result.exit_code == 0, result.output
    doc = __import__("json").loads(result.stdout)
    assert doc["files"][0]["cells"] == len(pd.read_csv(un_long_slice))
    out = tmp_path / "tabs.csv"
    result = runner.invoke(app, ["export", "tabulations", "--format", "csv", "-o", str(out)])
    assert result.exit_code == 0, result.output
    exported = pd.read_csv(out)
    original = pd.read_csv(un_long_slice)
    assert len(exported) == len(original)
    assert exported["value"].sum() == original["value"].sum()
    assert set(exported["country_code"]) == set(original["LocID"])
