"""Writing tables to CSV and XLSX safely: spreadsheet formulas neutralised, XLSX row limit checked."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from gmrd.errors import GmrdError

XLSX_MAX_ROWS = 1_048_575
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


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
        neutralise(frame).to_excel(out, index=False, engine="openpyxl")
        return len(frame)
    raise GmrdError(f"unknown format {fmt!r}: use csv or xlsx")
