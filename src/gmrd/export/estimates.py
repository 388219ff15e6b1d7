"""Export of an estimates revision as CSV, XLSX or SDMX-CSV.

CSV/XLSX columns (DESIGN.md): ``revision, area_code, area_name, year, sex, age, value, lower,
upper`` (+ ``flags``), ages labelled 0-4 … 75+, 15-17, 0-17, 0-19, total.

SDMX-CSV (version 1.0 of the SDMX-CSV format [1]_): one observation per row, columns
``DATAFLOW, REF_AREA, TIME_PERIOD, SEX, AGE, OBS_VALUE, LOWER_BOUND, UPPER_BOUND, OBS_STATUS,
REVISION``. Data structure ``GMRD:DSD_MIGRANT_STOCK(1.0)``, dataflow ``GMRD:DF_MIGRANT_STOCK(1.0)``:
dimensions REF_AREA (UN M49 / UN Population Division area codes, 900 world), TIME_PERIOD (year;
the observation refers to 1 July), SEX (``_T`` both, ``M``, ``F`` from SDMX's CL_SEX), AGE
(``Y0T4`` … ``Y70T74``, ``Y_GE75``, ``Y15T17``, ``Y0T17``, ``Y0T19``, ``_T``, following the
SDMX global age code list CL_AGE [2]_); measure OBS_VALUE (persons); attributes LOWER_BOUND and
UPPER_BOUND (the 80 % prediction interval, docs/methods.md section 6), OBS_STATUS (``E``
estimated, ``M`` imputed: no data), REVISION (gmrd revision name).

References
----------
.. [1] SDMX Technical Working Group (2017). SDMX-CSV format, version 1.0.
.. [2] SDMX Global Registry, code lists CL_SEX (SDMX) and CL_AGE (SDMX 1.0).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from sqlalchemy.engine import Connection

from gmrd.db import queries
from gmrd.errors import GmrdError
from gmrd.estimate.revisions import age_labels
from gmrd.export.cells import write_table
from gmrd.reference.countries import country, is_known

FORMATS = ("csv", "xlsx", "sdmx-csv")
SEX = {0: "both", 1: "male", 2: "female"}
SDMX_SEX = {0: "_T", 1: "M", 2: "F"}
DATAFLOW = "GMRD:DF_MIGRANT_STOCK(1.0)"
COLUMNS = ["revision", "area_code", "area_name", "year", "sex", "age", "value", "lower", "upper", "flags"]


def sdmx_age(label: str) -> str:
    """``0-4`` -> ``Y0T4``, ``75+`` -> ``Y_GE75``, ``total`` -> ``_T``."""
    if label == "total":
        return "_T"
    if label.endswith("+"):
        return f"Y_GE{label[:-1]}"
    lo, hi = label.split("-")
    return f"Y{lo}T{hi}"


def estimates_frame(conn: Connection, revision: str | None = None) -> pd.DataFrame:
    """The revision's estimates in the export columns."""
    rev, est = queries.revision_estimates(conn, revision)
    names = {int(c): (country(int(c)).name if is_known(int(c)) else f"code {c}")
             for c in est["area_code"].unique()}
    return pd.DataFrame({
        "revision": rev["name"], "area_code": est["area_code"], "area_name": est["area_code"].map(names),
        "year": est["year"], "sex": est["sex"].map(SEX), "age": age_labels(est["age_lo"], est["age_hi"]),
        "value": est["value"], "lower": est["lower"], "upper": est["upper"], "flags": est["flags"]})[COLUMNS]


def to_sdmx_csv(frame: pd.DataFrame) -> pd.DataFrame:
    """The export frame in SDMX-CSV columns (see the module docstring)."""
    sex_code = frame["sex"].map({v: SDMX_SEX[k] for k, v in SEX.items()})
    status = frame["flags"].fillna("").str.startswith("imputed").map({True: "M", False: "E"})
    return pd.DataFrame({
        "DATAFLOW": DATAFLOW, "REF_AREA": frame["area_code"], "TIME_PERIOD": frame["year"],
        "SEX": sex_code, "AGE": frame["age"].map(sdmx_age), "OBS_VALUE": frame["value"],
        "LOWER_BOUND": frame["lower"], "UPPER_BOUND": frame["upper"], "OBS_STATUS": status,
        "REVISION": frame["revision"]})


def export_estimates(conn: Connection, out: Path, fmt: str, revision: str | None = None) -> int:
    """Write the revision (newest if None) to ``out``; returns the number of rows."""
    if fmt not in FORMATS:
        raise GmrdError(f"unknown format {fmt!r} for estimates: use {', '.join(FORMATS)}")
    frame = estimates_frame(conn, revision)
    if fmt == "sdmx-csv":
        frame = to_sdmx_csv(frame)
        fmt = "csv"
    return write_table(iter([frame]), out, fmt)
