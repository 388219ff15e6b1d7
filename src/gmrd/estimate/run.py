"""Run the estimation pipeline on the database: read accepted cells, write one revision.

The only module of :mod:`gmrd.estimate` that touches the database (through
:mod:`gmrd.db.queries`); the statistics are in :func:`gmrd.estimate.pipeline.estimate`. The
revision row and all its estimates are written in one transaction.

References
----------
.. [1] United Nations, Department of Economic and Social Affairs, Population Division (2020).
   International Migrant Stock 2020: Documentation (POP/DB/MIG/Stock/Rev.2020).
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

import numpy as np
import pandas as pd
import sqlalchemy as sa

from gmrd import __version__
from gmrd.db import queries
from gmrd.db.engine import get_engine
from gmrd.db.models import Estimate, Revision
from gmrd.errors import GmrdError, InputError
from gmrd.estimate.children import OUTPUT_GROUPS
from gmrd.estimate.pipeline import Params, estimate_with_calibration
from gmrd.estimate.population import population_checksum
from gmrd.estimate.revisions import compare, manifest
from gmrd.reference.countries import AGGREGATE_KINDS, countries


@dataclass
class RunReport:
    revision: str
    areas: int
    years: list[int]
    rows: int
    intervals: str | None = None


def aggregate_origin_codes() -> list[int]:
    table = countries()
    return [int(c) for c in table.index[table["kind"].isin(AGGREGATE_KINDS)]]


def load_cells(url: str | None = None) -> pd.DataFrame:
    """The accepted cells the pipeline needs (see :func:`gmrd.db.queries.estimation_cells`)."""
    with get_engine(url).connect() as conn:
        return queries.estimation_cells(conn, aggregate_origin_codes())


def run_estimate(params: Params | None = None, name: str | None = None, url: str | None = None,
                 on_step: Callable[[str], None] | None = None) -> RunReport:
    """Estimate from the accepted sources and store the revision ``name`` (default: ``rev-<UTC time>``).

    ``on_step`` is called with the name of each step as it starts (for a progress bar).

    Raises
    ------
    GmrdError
        when no source is accepted or the revision name is taken (nothing is written).
    """
    params = Params() if params is None else params
    step = on_step or (lambda _name: None)
    step("reading the accepted sources")
    engine = get_engine(url)
    with engine.connect() as conn:
        cells = queries.estimation_cells(conn, aggregate_origin_codes())
        sources = queries.accepted_sources(conn)
        taken = set(queries.revision_names(conn))
    if cells.empty:
        raise GmrdError("no accepted sources with migrant stock data: import, verify and review first")
    name = name or f"rev-{dt.datetime.now(dt.UTC):%Y%m%d-%H%M%S}"
    if name in taken:
        raise InputError(f"revision {name!r} exists already: choose another name", field="--revision")
    step("estimating and calibrating the intervals")
    out, calibration = estimate_with_calibration(cells, params)
    step("writing the revision")
    doc = manifest(sources, cells, params.as_dict(), population_checksum(), __version__)
    doc["intervals"] = interval_manifest(params, calibration)
    store(out, name, doc, url)
    return RunReport(revision=name, areas=int(out["area_code"].nunique()), years=list(params.years),
                     rows=len(out), intervals=interval_name(params.level) if params.intervals else None)


def interval_name(level: float) -> str:
    """How the intervals are called everywhere: ``"80 % prediction interval"``."""
    return f"{level * 100:g} % prediction interval"


def interval_manifest(params: Params, calibration: pd.DataFrame) -> dict[str, Any] | None:
    """What the revision's ``lower``/``upper`` are, for the manifest (None without intervals)."""
    if not params.intervals:
        return None

    def number(x: object) -> float | None:
        v = float(cast(float, x))
        return v if np.isfinite(v) else None

    table = [{"situation": str(r.situation), "from_years": number(r.lo), "to_years": number(r.hi),
              "n": int(r.n), "half_width_log": number(r.half_width)} for r in calibration.itertuples()]
    return {"kind": interval_name(params.level), "level": params.level,
            "method": "split conformal: quantile of out-of-sample |log error| by situation and distance "
                      "(leave one point out, leave one country out)",
            "covers": "the country-year total's relative error; age and sex cells take the total's "
                      "relative interval, age cells flagged age_imputed add the error of the regional "
                      "age pattern (rows 'age_imputed <group>')",
            "aggregates": params.aggregate_intervals, "calibration": table}


def store(estimates: pd.DataFrame, name: str, doc: dict[str, Any], url: str | None = None) -> int:
    """Write the revision and its estimates in one transaction; returns the revision id."""
    bounds = estimates["age"].map(OUTPUT_GROUPS)
    frame = pd.DataFrame({
        "area_code": estimates["area_code"].astype(np.int64), "year": estimates["year"].astype(np.int64),
        "sex": estimates["sex"].astype(np.int64), "age_lo": bounds.str[0].astype(np.int64),
        "age_hi": bounds.str[1], "value": estimates["value"].astype(float),
        "lower": estimates["lower"].astype(float).astype(object).where(estimates["lower"].notna(), None),
        "upper": estimates["upper"].astype(float).astype(object).where(estimates["upper"].notna(), None),
        "flags": estimates["flags"].astype(str)})
    columns = ["revision_id", *frame.columns]
    with get_engine(url).begin() as conn:
        rev_id = conn.scalar(sa.insert(Revision).returning(Revision.id), {"name": name, "manifest": doc})
        marker = "?" if conn.dialect.paramstyle == "qmark" else "%s"
        sql = (f"INSERT INTO {Estimate.__tablename__} ({', '.join(columns)}) "
               f"VALUES ({', '.join([marker] * len(columns))})")
        age_hi = [None if hi is None or pd.isna(hi) else int(hi) for hi in frame["age_hi"].tolist()]
        rows = list(zip(itertools.repeat(rev_id), *(frame[c].tolist() if c != "age_hi" else age_hi
                                                     for c in frame.columns)))
        for start in range(0, len(rows), 50_000):  # driver-level executemany: no per-row dicts
            conn.exec_driver_sql(sql, rows[start:start + 50_000])
    return int(cast(int, rev_id))


def compare_revisions(old: str, new: str, top: int = 20, url: str | None = None) -> pd.DataFrame:
    """:func:`gmrd.estimate.revisions.compare` of two stored revisions."""
    from gmrd.estimate.revisions import age_labels

    with get_engine(url).connect() as conn:
        old_rev, old_est = queries.revision_estimates(conn, old)
        new_rev, new_est = queries.revision_estimates(conn, new)
    for frame in (old_est, new_est):
        frame["age"] = age_labels(frame["age_lo"], frame["age_hi"])
    return compare(old_est, new_est, old_rev["manifest"], new_rev["manifest"], top)
