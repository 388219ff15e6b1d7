"""Hostile text in imported files: spreadsheet formulas are neutralised on export (CSV injection), and
quotes, semicolons, SQL and NULL markers come back verbatim from the database, exports and backups."""

from __future__ import annotations

import csv

import openpyxl
import pandas as pd
import sqlalchemy as sa
from typer.testing import CliRunner

from gmrd.cli import app
from gmrd.db.engine import get_engine

HEADER = ["country", "reference_date", "source_type", "concept", "sex", "age", "origin", "value", "source_title",
          "citation", "note"]
FORMULAS = ["=HYPERLINK(\"http://evil.example\",\"x\")", "+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0",
            "@SUM(1+1)*cmd|' /C calc'!A0", "=1+1"]
VERBATIM = ["Robert'); DROP TABLE cells;--", "1' OR '1'='1", '"quoted", with comma', "semi;colon; -- comment",
            "back\\slash \\N", "\\N", "NULL", "tab\tinside", "multi\nline", "Ñandú 'ñ' «»", "%s %(x)s ? :1 $1"]


def _write(path, titles: list[str], ages: list[str] | None = None) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADER)
        for i, title in enumerate(titles):
            age = (ages or ["total"] * len(titles))[i]
            writer.writerow(["Ecuador", "2010-11-28", "census", "foreign_born", "both", age, "total", 100 + i, title,
                             title, title])


def _run(*args: str) -> None:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output


def test_formulas_are_neutralised_in_csv_and_xlsx_exports(db_url, tmp_path):
    source = tmp_path / "formulas.csv"
    _write(source, FORMULAS, ages=["total", "+75", "0-4", "5-9", "10-14"])
    _run("import", str(source))
    out_csv, out_xlsx = tmp_path / "tabs.csv", tmp_path / "tabs.xlsx"
    _run("export", "tabulations", "--format", "csv", "-o", str(out_csv))
    _run("export", "tabulations", "--format", "xlsx", "-o", str(out_xlsx))

    exported = pd.read_csv(out_csv, dtype=str, keep_default_na=False)
    assert sorted(exported["source_title"]) == sorted("'" + f for f in FORMULAS)
    assert "'+75" in set(exported["age_original"])  # a label the age parser accepts, kept as given
    for column in exported.columns:
        assert not exported[column].str.match(r"^[=+\-@\t\r]").any(), column

    sheet = openpyxl.load_workbook(out_xlsx).active
    texts = [c for row in sheet.iter_rows(min_row=2) for c in row if isinstance(c.value, str)]
    assert all(c.data_type == "s" and not c.value.startswith(("=", "+", "-", "@")) for c in texts)
    titles = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert sorted(titles) == sorted("'" + f for f in FORMULAS)


def test_sql_and_quotes_round_trip_verbatim(db_url, tmp_path):
    source = tmp_path / "quotes.csv"
    _write(source, VERBATIM)
    _run("import", str(source))
    with get_engine(db_url).connect() as conn:
        titles = sorted(conn.scalars(sa.text("select title from sources")))
        notes = sorted(conn.scalars(sa.text("select note from sources")))
        assert conn.scalar(sa.text("select count(*) from cells")) == len(VERBATIM)
    expected = sorted(v.strip() for v in VERBATIM)  # the reader strips titles, as it does every label
    assert titles == expected
    assert notes == sorted(VERBATIM)
    out = tmp_path / "tabs.csv"
    _run("export", "tabulations", "--format", "csv", "-o", str(out))
    exported = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert sorted(exported["source_title"]) == expected


def test_backup_and_restore_keep_hostile_text(db_url, tmp_path):
    # the text "\\N" was the backups' NULL marker, so restore turned it into NULL (fixed in backup.py,
    # format version 2); on PostgreSQL gmrd.db.bulk's COPY still reads an unquoted \\N as NULL
    source = tmp_path / "quotes.csv"
    _write(source, VERBATIM + FORMULAS)
    _run("import", str(source))
    query = sa.text("select title, citation, note from sources order by title")
    with get_engine(db_url).connect() as conn:
        before = [tuple(r) for r in conn.execute(query)]
    backup = tmp_path / "backup.zip"
    _run("backup", str(backup))
    _run("restore", str(backup))
    with get_engine(db_url).connect() as conn:
        after = [tuple(r) for r in conn.execute(query)]
    assert after == before
