"""Every view downloads as CSV, XLSX and SDMX-CSV: one response builder over a pandas frame.

CSV and SDMX-CSV are streamed a block of rows at a time, XLSX is written row by row (openpyxl's
write-only mode), both with formulas neutralised against CSV injection as
:func:`gmrd.export.cells.write_table` does; an XLSX is refused past ``GMRD_XLSX_MAX_ROWS`` rows (413,
pointing to CSV). SDMX-CSV follows the SDMX-CSV 1.0 format [1]_: a first column ``DATAFLOW`` naming
the dataflow, then one column per dimension, ``OBS_VALUE`` and attributes, with SDMX codes for sex
(``_T``, ``M``, ``F``) and age (``Y0T4``, ``Y_GE75``, ``_T``) as in the SDMX global code lists [2]_.

References
----------
.. [1] SDMX Technical Working Group (2021). SDMX-CSV format, version 1.0. https://github.com/sdmx-twg/sdmx-csv
.. [2] SDMX Statistical Working Group. Cross-domain code lists CL_SEX and CL_AGE (SDMX Global Registry).
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import pandas as pd
from fastapi import HTTPException
from fastapi.responses import Response, StreamingResponse

from gmrd.config import settings
from gmrd.export.cells import XLSX_MAX_ROWS, neutralise, write_xlsx

FORMATS = ("csv", "xlsx", "sdmx-csv")
MEDIA = {"csv": "text/csv; charset=utf-8", "sdmx-csv": "application/vnd.sdmx.data+csv; version=1.0.0",
         "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
SDMX_SEX = {0: "_T", 1: "M", 2: "F"}
STREAM_ROWS = 20_000
"""Rows per block of a streamed CSV download."""


def sdmx_age(lo: int, hi: int | None) -> str:
    """The SDMX age code of [lo, hi): Y0T4, Y_GE75, Y5 (one year), _T (total), _U (unknown)."""
    if lo < 0:
        return "_U"
    if hi is None:
        return "_T" if lo == 0 else f"Y_GE{lo}"
    return f"Y{lo}" if hi == lo + 1 else f"Y{lo}T{hi - 1}"


def table_response(basename: str, fmt: str, table: Callable[[], pd.DataFrame],
                   sdmx: Callable[[], pd.DataFrame] | None = None) -> Response:
    """A downloadable file: ``table()`` as CSV or XLSX, ``sdmx()`` as SDMX-CSV.

    CSV and SDMX-CSV are streamed (:func:`csv_response`); an XLSX over ``GMRD_XLSX_MAX_ROWS`` rows is
    refused with 413 and a message pointing to CSV (:func:`check_xlsx_rows`).
    """
    check_format(fmt, sdmx is not None)
    if fmt != "xlsx":
        return csv_response(basename, fmt, [sdmx() if fmt == "sdmx-csv" and sdmx is not None else table()])
    frame = table()
    check_xlsx_rows(len(frame))
    with tempfile.TemporaryDirectory(prefix="gmrd-download-") as tmp:
        path = Path(tmp) / f"{basename}.xlsx"
        write_xlsx(frame, path)
        body = path.read_bytes()
    return Response(body, media_type=MEDIA[fmt], headers=_attachment(f"{basename}.xlsx"))


def check_format(fmt: str, has_sdmx: bool) -> None:
    """400 for an unknown format, or SDMX-CSV of a view that has none."""
    if fmt not in FORMATS:
        raise HTTPException(400, f"unknown download format {fmt!r}: use csv, xlsx or sdmx-csv")
    if fmt == "sdmx-csv" and not has_sdmx:
        raise HTTPException(400, "this view has no SDMX-CSV form: use csv or xlsx")


def check_xlsx_rows(rows: int) -> None:
    """413 when ``rows`` are more than an XLSX download may hold: ``GMRD_XLSX_MAX_ROWS``, at most what
    one sheet holds. A workbook takes seconds of CPU per hundred thousand rows (issue 17: 15.9 s and
    +284 MB for a million, written through ``to_excel``); CSV is streamed instead.
    """
    limit = min(settings().xlsx_max_rows, XLSX_MAX_ROWS)
    if rows > limit:
        raise HTTPException(413, f"{rows:,} rows are more than an XLSX download holds ({limit:,}, "
                                 "GMRD_XLSX_MAX_ROWS): download CSV or SDMX-CSV (the same rows, streamed), "
                                 "or filter")


def csv_response(basename: str, fmt: str, chunks: Iterable[pd.DataFrame]) -> StreamingResponse:
    """CSV (or SDMX-CSV) of ``chunks`` (frames of the same columns) streamed as it is written, a
    block of :data:`STREAM_ROWS` rows at a time; formulas neutralised as in
    :func:`gmrd.export.cells.write_table`. ``chunks`` may be a generator that reads the database."""

    def body() -> Iterator[bytes]:
        header = True
        for chunk in chunks:
            for start in range(0, max(len(chunk), 1), STREAM_ROWS):
                block = neutralise(chunk.iloc[start:start + STREAM_ROWS]).to_csv(index=False, header=header)
                header = False
                yield block.encode("utf-8")

    name = f"{basename}{'-sdmx' if fmt == 'sdmx-csv' else ''}.csv"
    return StreamingResponse(body(), media_type=MEDIA[fmt], headers=_attachment(name))


def _attachment(name: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{name}"'}


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
