"""Refugees through the database: the cells carry the refugee universes and the curator's override,
``gmrd review SOURCE_ID refugees ...`` is audited, and the override changes the estimate (both back-ends)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import sqlalchemy as sa
import typer
from typer.testing import CliRunner

from gmrd.commands.verify import review
from gmrd.db.engine import get_engine
from gmrd.db.models import AuditEvent, Source
from gmrd.estimate.pipeline import Params, total_estimates
from gmrd.estimate.run import load_cells
from gmrd.ingest.load import import_file

LEBANON = 422


def _file(path: Path) -> Path:
    rows = [(LEBANON, 0, 0, 2004.5, 0, 0, 3, "NSO survey", 400_000.0),
            (LEBANON, 0, 0, 2018.5, 0, 0, 3, "NSO survey", 500_000.0)]
    for year, refugees in ((2003.997, 3_000.0), (2012.997, 130_000.0), (2015.997, 1_070_000.0),
                           (2019.997, 916_000.0)):
        rows.append((LEBANON, 0, 0, year, 0, 0, 2, "UNHCR", refugees))
        rows.append((LEBANON, 0, 0, year, 0, 0, 6, "UNHCR", 10_000.0))
    frame = pd.DataFrame(rows, columns=["LocID", "sex", "LocIDorg", "yearref", "age", "agelength",
                                        "PopulationUniverse", "source", "value"])
    frame.to_csv(path, index=False)
    return path


def _app() -> typer.Typer:
    app = typer.Typer()
    app.command("review")(review)
    app.command("noop")(lambda: None)
    return app


def _lebanon_2020(url: str) -> tuple[float, str]:
    totals, _ = total_estimates(load_cells(url), Params(years=(2020,)))
    row = totals[totals["country_code"] == LEBANON].iloc[0]
    return float(row["value"]), str(row["flag"])


def test_refugee_override_is_audited_and_used(db_url: str, tmp_path: Path) -> None:
    import_file(_file(tmp_path / "lb.csv"), url=db_url)
    with get_engine(db_url).begin() as conn:
        conn.execute(sa.text("UPDATE sources SET status = 'accepted'"))
        survey_2018 = conn.scalar(sa.select(Source.id)
                                  .where(Source.universe == 3, Source.title == "NSO survey")
                                  .order_by(Source.reference_date.desc()))
    cells = load_cells(db_url)
    assert {2, 3, 6} <= set(cells["universe"].unique()) and "counts_refugees" in cells.columns
    # the rule alone: refugees at the survey dates are above half the counted stock -> all added
    value, flags = _lebanon_2020(db_url)
    assert value > 1_300_000 and "refugees_added" in flags.split(",") and "foreign_born" in flags.split(",")

    runner = CliRunner()
    done = runner.invoke(_app(), ["review", str(survey_2018), "refugees", "counted", "--reason",
                                  "the 2018 survey sampled the camps", "--json"])
    assert done.exit_code == 0, done.output
    assert json.loads(done.stdout)["counts_refugees"] is True
    counted, flags = _lebanon_2020(db_url)
    # counted: only the refugees arriving after the last data point (mid-2018) are added, here none
    assert 500_000 <= counted < 520_000 and "refugees_added" not in flags.split(",")
    with get_engine(db_url).connect() as conn:
        event = conn.execute(sa.select(AuditEvent.action, AuditEvent.reason, AuditEvent.after)
                             .where(AuditEvent.action == "review.refugees")).one()
    assert event.reason == "the 2018 survey sampled the camps" and event.after == {"counts_refugees": True}

    missing = runner.invoke(_app(), ["review", str(survey_2018), "refugees", "rule"])
    assert missing.exit_code == 1 and "reason" in missing.output
    back = runner.invoke(_app(), ["review", str(survey_2018), "refugees", "rule", "--reason", "undo"])
    assert back.exit_code == 0, back.output
    assert _lebanon_2020(db_url)[0] == value
