"""Every view downloads as CSV, XLSX and SDMX-CSV: one response builder over a pandas frame.

CSV and XLSX go through :func:`gmrd.export.cells.write_table` (formulas neutralised against CSV
injection, the XLSX row limit checked). SDMX-CSV follows the SDMX-CSV 1.0 format [1]_: a first
column ``DATAFLOW`` naming the dataflow, then one column per dimension, ``OBS_VALUE`` and attributes,
with SDMX codes for sex (``_T``, ``M``, ``F``) and age (``Y0T4``, ``Y_GE75``, ``_T``) as in the SDMX
global code lists [2]_.

References
----------
.. [1] SDMX Technical Working Group (2021). SDMX-CSV format, version 1.0. https://github.com/sdmx-twg/sdmx-csv
.. [2] SDMX Statistical Working Group. Cross-domain code lists CL_SEX and CL_AGE (SDMX Global Registry).
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

import pandas as pd
from fastapi import HTTPException
from fastapi.responses import Response

from gmrd.errors import GmrdError
from gmrd.export.cells import write_table

FORMATS = ("csv", "xlsx", "sdmx-csv")
MEDIA = {"csv": "text/csv; charset=utf-8", "sdmx-csv": "application/vnd.sdmx.data+csv; version=1.0.0",
         "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
SDMX_SEX = {0: "_T", 1: "M", 2: "F"}


def sdmx_age(lo: int, hi: int | None) -> str:
    """The SDMX age code of [lo, hi): Y0T4, Y_GE75, Y5 (one year), _T (total), _U (unknown)."""
    if lo < 0:
        return "_U"
    if hi is None:
        return "_T" if lo == 0 else f"Y_GE{lo}"
    return f"Y{lo}" if hi == lo + 1 else f"Y{lo}T{hi - 1}"


def table_response(basename: str, fmt: str, table: Callable[[], pd.DataFrame],
                   sdmx: Callable[[], pd.DataFrame] | None = None) -> Response:
    """A downloadable file: ``table()`` as CSV or XLSX, ``sdmx()`` as SDMX-CSV."""
    if fmt not in FORMATS:
        raise HTTPException(400, f"unknown download format {fmt!r}: use csv, xlsx or sdmx-csv")
    if fmt == "sdmx-csv" and sdmx is None:
        raise HTTPException(400, "this view has no SDMX-CSV form: use csv or xlsx")
    frame = sdmx() if fmt == "sdmx-csv" and sdmx is not None else table()
    suffix = "xlsx" if fmt == "xlsx" else "csv"
    with tempfile.TemporaryDirectory(prefix="gmrd-download-") as tmp:
        path = Path(tmp) / f"{basename}.{suffix}"
        try:
            write_table([frame], path, suffix)
        except GmrdError as exc:
            raise HTTPException(413, str(exc)) from None
        body = path.read_bytes()
    name = f"{basename}{'-sdmx' if fmt == 'sdmx-csv' else ''}.{suffix}"
    return Response(body, media_type=MEDIA[fmt], headers={"Content-Disposition": f'attachment; filename="{name}"'})


def rows_sdmx(frame: pd.DataFrame, dataflow: str, measure: str) -> pd.DataFrame:
    """A listing (sources, tabulations, findings …) as SDMX-CSV: its id column as the dimension and
    ``measure`` as OBS_VALUE (or 1 per row), the other columns as attributes."""
    out = pd.DataFrame({"DATAFLOW": dataflow}, index=frame.index)
    first = frame.columns[0]
    out[first.upper()] = frame[first]
    out["OBS_VALUE"] = frame.get(measure, 1)
    for column in frame.columns[1:]:
        if column != measure:
            out[column.upper()] = frame[column]
    return out


def estimates_sdmx(frame: pd.DataFrame) -> pd.DataFrame:
    """Estimates (columns of :data:`gmrd.db.queries.ESTIMATE_COLUMNS`) as the SDMX-CSV of ``gmrd export``
    (:func:`gmrd.export.estimates.to_sdmx_csv`: three-digit REF_AREA, OBS_STATUS and FLAGS)."""
    from gmrd.export.estimates import export_table, to_sdmx_csv

    return to_sdmx_csv(export_table(frame))


def cells_sdmx(frame: pd.DataFrame) -> pd.DataFrame:
    """Tabulation cells (columns of :data:`gmrd.db.queries.TABULATION_CELLS`) as SDMX-CSV."""
    from gmrd.web.labels import concept_name

    return pd.DataFrame({
        "DATAFLOW": "GMRD:MIGRANT_TABULATIONS(1.0)",
        "REF_AREA": frame["country_code"].astype(int).map(lambda c: f"{c:03d}"),
        "TIME_PERIOD": frame["reference_date"].astype(str), "SOURCE_TYPE": frame["source_type"],
        "POP_UNIVERSE": frame["universe"].map(concept_name), "SEX": frame["sex"].map(SDMX_SEX),
        "AGE": [sdmx_age(int(lo), None if pd.isna(hi) else int(hi))
                for lo, hi in zip(frame["age_lo"], frame["age_hi"])],
        "ORIGIN": frame["origin_code"].astype(int).map(lambda c: f"{c:03d}"),
        "OBS_VALUE": frame["value"], "SOURCE_ID": frame["source_id"], "SOURCE_TITLE": frame["source_title"],
    })
