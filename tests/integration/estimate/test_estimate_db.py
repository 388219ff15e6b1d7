"""End to end on a small database: import, accept, estimate, export, compare (both back-ends)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import sqlalchemy as sa
import typer
from typer.testing import CliRunner

from gmrd.commands.database import export
from gmrd.commands.estimate import estimate
from gmrd.db.engine import get_engine
from gmrd.ingest.load import import_file

AGES = [(0, 5), (5, 5), (10, 5), (15, 5), (20, 10), (30, 20), (50, 0)]


def _long_file(path: Path, france_2015: float, title: str = "NSO census") -> Path:
    rows = []
    for loc, base in ((250, 6_000_000.0), (756, 2_000_000.0)):
        for year, grow in ((1990.2, 1.0), (1999.3, 1.1), (2010.5, 1.25), (2015.0, france_2015 / 6e6)):
            total = base * grow
            rows.append((loc, 0, 0, year, 0, 0, 3, title, total))
            rows.append((loc, 1, 0, year, 0, 0, 3, title, total * 0.49))
            rows.append((loc, 2, 0, year, 0, 0, 3, title, total * 0.51))
            if year == 2010.5:
                weights = [0.04, 0.05, 0.06, 0.07, 0.18, 0.3, 0.3]
                for sex, part in ((1, 0.49), (2, 0.51)):
                    for (age, length), w in zip(AGES, weights):
                        rows.append((loc, sex, 0, year, age, length, 3, title, total * part * w))
    frame = pd.DataFrame(rows, columns=["LocID", "sex", "LocIDorg", "yearref", "age", "agelength",
                                        "PopulationUniverse", "source", "value"])
    frame.to_csv(path, index=False)
    return path


def _app() -> typer.Typer:
    app = typer.Typer()
    app.command("estimate")(estimate)
    app.command("export")(export)
    return app


def test_estimate_export_compare(db_url: str, tmp_path: Path) -> None:
    import_file(_long_file(tmp_path / "a.csv", 8_000_000.0), url=db_url)
    with get_engine(db_url).begin() as conn:
        conn.execute(sa.text("UPDATE sources SET status = 'accepted'"))
    runner = CliRunner()
    first = runner.invoke(_app(), ["estimate", "--years", "2010:2020:10", "--revision", "r1", "--json"])
    assert first.exit_code == 0, first.output
    doc = json.loads(first.stdout)
    assert doc["revision"] == "r1" and doc["years"] == [2010, 2020]
    assert doc["areas"] > 235 and doc["rows"] > 0

    out = tmp_path / "est.csv"
    done = runner.invoke(_app(), ["export", "estimates", "--format", "csv", "-o", str(out)])
    assert done.exit_code == 0, done.output
    table = pd.read_csv(out)
    assert list(table.columns) == ["revision", "area_code", "area_name", "origin_code", "origin_name", "year",
                                   "sex", "age", "value", "lower", "upper", "flags"]
    assert all(table[c].dtype.kind == "i" for c in ("value", "lower", "upper")), table.dtypes
    fr = table[(table.area_code == 250) & (table.sex == "both")].set_index(["year", "age"])["value"]
    # 2010 is a data point: the total is the census figure, the age groups add up to it
    assert abs(fr[(2010, "total")] - 7_500_000) < 1
    five = [f"{a}-{a + 4}" for a in range(0, 75, 5)] + ["75+"]
    assert abs(sum(fr[(2010, g)] for g in five) - fr[(2010, "total")]) < 1e-3 * fr[(2010, "total")]
    assert fr[(2010, "0-17")] < fr[(2010, "0-19")]
    # 80 % prediction intervals: every cell inside its interval; the imputed countries (no data
    # here but France and Switzerland) get wide intervals, never of zero width
    assert (table["lower"] <= table["value"] + 1e-6).all() and (table["upper"] >= table["value"] - 1e-6).all()
    totals = table[(table.sex == "both") & (table.age == "total") & (table.area_code < 900)]
    imputed = totals[totals["flags"].fillna("").str.split(";").map(lambda f: "imputed" in f)]
    assert len(imputed) > 200 and (imputed["upper"] > 1.5 * imputed["lower"]).all()
    world = table[(table.area_code == 900) & (table.sex == "both") & (table.age == "total")]
    assert len(world) == 2

    sdmx = tmp_path / "est.sdmx.csv"
    assert runner.invoke(_app(), ["export", "estimates", "--format", "sdmx-csv", "-o", str(sdmx)]).exit_code == 0
    head = pd.read_csv(sdmx, dtype={"REF_AREA": str})
    assert list(head.columns[:6]) == ["DATAFLOW", "REF_AREA", "TIME_PERIOD", "SEX", "AGE", "OBS_VALUE"]
    assert head["REF_AREA"].str.len().min() == 3 and "004" in set(head["REF_AREA"])
    assert set(head["OBS_STATUS"]) == {"I", "E"} and head["FLAGS"].fillna("").str.contains(",").sum() == 0

    import_file(_long_file(tmp_path / "b.csv", 9_000_000.0, "NSO census, revised"), url=db_url)
    with get_engine(db_url).begin() as conn:
        conn.execute(sa.text("UPDATE sources SET status = 'accepted'"))
    second = runner.invoke(_app(), ["estimate", "--years", "2010:2020:10", "--revision", "r2",
                                    "--no-intervals", "--json"])
    assert second.exit_code == 0, second.output
    cmp = runner.invoke(_app(), ["estimate", "--compare", "r1", "r2", "--top", "1000", "--json"])
    assert cmp.exit_code == 0, cmp.output
    changes = json.loads(cmp.stdout)["changes"]
    france = [c for c in changes if c["area_code"] == 250]
    assert france and france[0]["cause"].startswith("France (250): added NSO census, revised")

    again = runner.invoke(_app(), ["estimate", "--revision", "r1"])
    assert again.exit_code == 1 and "exists already" in again.output


def test_same_inputs_and_parameters_give_identical_estimates(db_url: str, tmp_path: Path) -> None:
    """Issue 4.4: estimates are reproducible bit for bit (two revisions from the same accepted sources)."""
    from gmrd.estimate.pipeline import Params
    from gmrd.estimate.run import run_estimate

    import_file(_long_file(tmp_path / "a.csv", 8_000_000.0), url=db_url)
    with get_engine(db_url).begin() as conn:
        conn.execute(sa.text("UPDATE sources SET status = 'accepted'"))
    params = Params(years=(2000, 2010, 2020))
    run_estimate(params, "first", url=db_url)
    run_estimate(params, "second", url=db_url)
    query = ("SELECT e.area_code, e.year, e.sex, e.age_lo, e.age_hi, e.value, e.lower, e.upper, e.flags "
             "FROM estimates e JOIN revisions r ON r.id = e.revision_id WHERE r.name = :name "
             "ORDER BY e.area_code, e.year, e.sex, e.age_lo, e.age_hi")
    with get_engine(db_url).connect() as conn:
        first = conn.execute(sa.text(query), {"name": "first"}).all()
        second = conn.execute(sa.text(query), {"name": "second"}).all()
        manifests = conn.execute(sa.text("SELECT manifest FROM revisions ORDER BY id")).scalars().all()
    assert len(first) > 0 and first == second
    docs = [json.loads(m) if isinstance(m, str) else m for m in manifests]
    assert docs[0]["inputs"] and docs[0] == docs[1]
    assert docs[0]["intervals"]["kind"] == "80 % prediction interval" and docs[0]["intervals"]["calibration"]
