"""Writing tables to CSV and XLSX safely: spreadsheet formulas neutralised, XLSX row limit checked."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from gmrd.errors import GmrdError

XLSX_MAX_ROWS = 1_048_575
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
XLSX_BLOCK_ROWS = 20_000


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """Prefix text cells that a spreadsheet would run as a formula with an apostrophe (OWASP CSV injection)."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object:
            out[column] = out[column].map(
                lambda v: "'" + v if isinstance(v, str) and v.startswith(FORMULA_START) else v)
    return out


def write_table(chunks: Iterable[pd.DataFrame], out: Path, fmt: str) -> int:
    """Write chunks (same columns) to ``out`` as csv or xlsx; returns the number of rows written."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "csv":
        n = 0
        with out.open("w", encoding="utf-8", newline="") as fh:
            for i, chunk in enumerate(chunks):
                neutralise(chunk).to_csv(fh, header=i == 0, index=False)
                n += len(chunk)
        return n
    if fmt == "xlsx":
        frame = pd.concat(list(chunks), ignore_index=True)
        if len(frame) > XLSX_MAX_ROWS:
            raise GmrdError(f"{len(frame):,} rows do not fit in one XLSX sheet ({XLSX_MAX_ROWS:,}): "
                            "export as csv, or filter")
        write_xlsx(frame, out)
        return len(frame)
    raise GmrdError(f"unknown format {fmt!r}: use csv or xlsx")


def write_xlsx(frame: pd.DataFrame, path: Path) -> None:
    """``frame`` as a one-sheet workbook ("Sheet1", a header row), written row by row in openpyxl's
    write-only mode so that memory does not grow with the rows (``DataFrame.to_excel`` keeps a cell
    object per value: +399 MB for 113,400 estimates); formulas neutralised, missing values empty, other
    values converted as ``to_excel`` does (:func:`_cell`)."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Sheet1")
    sheet.append([str(c) for c in frame.columns])
    for start in range(0, len(frame), XLSX_BLOCK_ROWS):
        block = neutralise(frame.iloc[start:start + XLSX_BLOCK_ROWS]).astype(object)
        for row in block.where(block.notna(), None).itertuples(index=False):
            sheet.append([_cell(v) for v in row])
    workbook.save(path)


def _cell(value: Any) -> Any:
    """A value as pandas' Excel writer stores it: numbers, text, booleans, dates and empty as they are,
    anything else (a mapping of details, a list) as its text."""
    if isinstance(value, np.generic):  # a numpy number or boolean left by a column of mixed types
        value = value.item()
    if value is None or isinstance(value, str | int | float | bool | datetime.date):
        return value
    return str(value)
