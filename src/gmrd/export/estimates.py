"""Export of an estimates revision as CSV, XLSX or SDMX-CSV; the web downloads use the same shapes.

CSV/XLSX columns (DESIGN.md): ``revision, area_code, area_name, origin_code, origin_name, year, sex,
age, value, lower, upper, flags``: ages labelled 0-4 … 75+, 15-17, 0-17, 0-19, total; origin 0 "All
origins"; persons (value and the bounds of the 80 % prediction interval) as whole numbers; flags
``;``-separated (:mod:`gmrd.export.provenance`).

SDMX-CSV (version 1.0 of the SDMX-CSV format [1]_): one observation per row, columns
``DATAFLOW, REF_AREA, TIME_PERIOD, SEX, AGE, OBS_VALUE, LOWER_BOUND, UPPER_BOUND, OBS_STATUS,
FLAGS, REVISION``. Data structure ``GMRD:DSD_MIGRANT_STOCK(1.0)``, dataflow
``GMRD:DF_MIGRANT_STOCK(1.0)``: dimensions REF_AREA (three-digit UN M49 / UN Population Division
area codes, ``004`` Afghanistan, ``900`` world), TIME_PERIOD (year; the observation refers to
1 July), SEX (``_T`` both, ``M``, ``F`` from SDMX's CL_SEX), AGE (``Y0T4`` … ``Y70T74``,
``Y_GE75``, ``Y15T17``, ``Y0T17``, ``Y0T19``, ``_T``, following the SDMX global age code list
CL_AGE [2]_); measure OBS_VALUE (persons, whole numbers); attributes LOWER_BOUND and UPPER_BOUND
(the 80 % prediction interval), OBS_STATUS (CL_OBS_STATUS [3]_: ``I`` imputed, ``E`` estimated),
FLAGS (gmrd's flags, ``;``-separated), REVISION (gmrd revision name).

References
----------
.. [1] SDMX Technical Working Group (2017). SDMX-CSV format, version 1.0.
.. [2] SDMX Global Registry, code lists CL_SEX (SDMX) and CL_AGE (SDMX 1.0).
.. [3] SDMX Statistical Working Group (2022). Code list CL_OBS_STATUS 2.2, SDMX Global Registry.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from sqlalchemy.engine import Connection

from gmrd.db import queries
from gmrd.errors import GmrdError
from gmrd.estimate.revisions import age_labels
from gmrd.export.cells import write_table
from gmrd.export.provenance import export_flags, obs_status, whole_persons
from gmrd.reference.countries import country, is_known

FORMATS = ("csv", "xlsx", "sdmx-csv")
SEX = {0: "both", 1: "male", 2: "female"}
SDMX_SEX = {0: "_T", 1: "M", 2: "F"}
DATAFLOW = "GMRD:DF_MIGRANT_STOCK(1.0)"
COLUMNS = ["revision", "area_code", "area_name", "origin_code", "origin_name", "year", "sex", "age", "value",
           "lower", "upper", "flags"]
ALL_ORIGINS = (0, "All origins")


def sdmx_age(label: str) -> str:
    """``0-4`` -> ``Y0T4``, ``75+`` -> ``Y_GE75``, ``total`` -> ``_T``."""
    if label == "total":
        return "_T"
    if label.endswith("+"):
        return f"Y_GE{label[:-1]}"
    lo, hi = label.split("-")
    return f"Y{lo}T{hi}"


def export_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Estimate rows (``revision, area_code, year, sex, age_lo, age_hi, value, lower, upper, flags``) in
    the export columns :data:`COLUMNS` (whole persons, ``;``-separated flags)."""
    codes = frame["area_code"].astype("int64")
    names = {int(c): (country(int(c)).name if is_known(int(c)) else f"code {c}") for c in pd.unique(codes)}
    return pd.DataFrame({
        "revision": frame["revision"], "area_code": codes, "area_name": codes.map(names),
        "origin_code": ALL_ORIGINS[0], "origin_name": ALL_ORIGINS[1], "year": frame["year"].astype("int64"),
        "sex": frame["sex"].map(SEX), "age": age_labels(frame["age_lo"], frame["age_hi"]),
        "value": whole_persons(frame["value"]), "lower": whole_persons(frame["lower"]),
        "upper": whole_persons(frame["upper"]), "flags": frame["flags"].map(export_flags)}, columns=COLUMNS)


def estimates_frame(conn: Connection, revision: str | None = None) -> pd.DataFrame:
    """The revision's estimates in the export columns."""
    rev, est = queries.revision_estimates(conn, revision)
    return export_table(est.assign(revision=rev["name"]))


def to_sdmx_csv(frame: pd.DataFrame) -> pd.DataFrame:
    """The export frame (:func:`export_table`) in SDMX-CSV columns (see the module docstring)."""
    sex_code = frame["sex"].map({v: SDMX_SEX[k] for k, v in SEX.items()})
    return pd.DataFrame({
        "DATAFLOW": DATAFLOW, "REF_AREA": frame["area_code"].map(lambda c: f"{int(c):03d}"),
        "TIME_PERIOD": frame["year"], "SEX": sex_code, "AGE": frame["age"].map(sdmx_age),
        "OBS_VALUE": frame["value"], "LOWER_BOUND": frame["lower"], "UPPER_BOUND": frame["upper"],
        "OBS_STATUS": frame["flags"].map(obs_status), "FLAGS": frame["flags"], "REVISION": frame["revision"]})


def export_estimates(conn: Connection, out: Path, fmt: str, revision: str | None = None) -> int:
    """Write the revision (newest if None) to ``out``; returns the number of rows."""
    if fmt not in FORMATS:
        raise GmrdError(f"unknown format {fmt!r} for estimates: use {', '.join(FORMATS)}")
    frame = estimates_frame(conn, revision)
    if fmt == "sdmx-csv":
        frame = to_sdmx_csv(frame)
        fmt = "csv"
    return write_table(iter([frame]), out, fmt)
