"""The UN Population Division long format (LocID, sex, LocIDorg, yearref, age, agelength,
PopulationUniverse, source, value), plain or gzip: the empirical inputs of the IMS estimates, and the
IMS 2020/2024 estimates by destination, origin, age and sex.

The columns are recognised by name in any order (the empirical file has ``LocID,sex,LocIDorg,…``, the
IMS 2020 file ``LocID,LocIDorg,sex,…``), other columns are ignored, and integer codes may be written
as floats (``218.0``). Rows with no data beside LocID (the IMS 2020 file ends with 235 of them) are
skipped with a warning; any other missing or non-integer code is an error naming row and field.

A tabulation there is destination × source × date × universe; codes are already M49 and UNPD
universe codes, so records need no label resolution.
"""

from __future__ import annotations

import gzip
import math
import warnings
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from gmrd.errors import InputError, InputWarning

name = "un_long"

COLUMNS = ("LocID", "sex", "LocIDorg", "yearref", "age", "agelength", "PopulationUniverse", "source", "value")
CODES = ("LocID", "sex", "LocIDorg", "age", "agelength", "PopulationUniverse")
# codes are read as floats ("218.0" is 218) and checked to be whole numbers in _codes
DTYPES = {**{c: "float64" for c in CODES}, "yearref": "float64", "source": "category", "value": "float64"}
CITATION = ("United Nations Population Division, empirical data points behind the International Migrant "
            "Stock estimates (long format), source '{}'")
CHUNK_ROWS = 1_000_000


def _header(head: bytes) -> str:
    if head[:2] == b"\x1f\x8b":
        try:
            head = gzip.decompress(head)
        except (OSError, EOFError):
            head = _partial_gunzip(head)
    return head.decode("utf-8-sig", errors="replace").splitlines()[0] if head else ""


def _partial_gunzip(head: bytes) -> bytes:
    import zlib

    try:
        return zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head)
    except zlib.error:
        return b""


def detect(path: Path, head: bytes) -> bool:
    """A header that holds every column of :data:`COLUMNS`, in any order."""
    fields = {f.strip().strip('"') for f in _header(head).split(",")}
    return set(COLUMNS) <= fields


def decimal_year_to_date(yearref: float) -> date:
    """UNPD decimal years: 1990.5 is 1 July 1990; otherwise the fraction counts days from 1 January."""
    year = math.floor(yearref)
    frac = yearref - year
    if abs(frac - 0.5) < 1e-9:
        return date(year, 7, 1)
    days = (date(year + 1, 1, 1) - date(year, 1, 1)).days
    return date(year, 1, 1) + timedelta(days=min(days - 1, int(round(frac * days))))


def source_type_of(source: str) -> str:
    """The source type implied by a UNPD source name (census, register, survey or estimate)."""
    text = source.lower()
    if "census" in text or text.startswith(("unsddyb", "cen")):
        return "census"
    if text.startswith(("frs", "lfs")) or "survey" in text:
        return "survey"
    if text.startswith(("worldbank", "unpd", "ims")) or "estimate" in text:
        return "estimate"
    if text.startswith(("eurostat", "oecd", "unhcr", "unrwa")) or "register" in text:
        return "register"
    return "census"


def read(path: Path) -> Iterator[pd.DataFrame]:
    try:
        reader = pd.read_csv(path, usecols=list(COLUMNS), dtype=DTYPES, chunksize=CHUNK_ROWS,
                             compression="infer", na_filter=True, encoding="utf-8-sig")
        start, empty = 2, 0
        for chunk in reader:
            records, skipped = _records(chunk, start, path.name)
            start += len(chunk)
            empty += skipped
            if len(records):
                yield records
        if empty:
            warnings.warn(f"{path.name}: {empty} row(s) with no data beside LocID skipped", InputWarning,
                          stacklevel=2)
    except (ValueError, pd.errors.ParserError) as exc:
        raise InputError(f"malformed UN long-format file: {exc}", file=path.name) from None
    except (EOFError, OSError, gzip.BadGzipFile) as exc:
        raise InputError(f"unreadable (truncated or corrupt) file: {exc}", file=path.name) from None


def _records(chunk: pd.DataFrame, start: int, file: str) -> tuple[pd.DataFrame, int]:
    """The chunk's records and the number of rows skipped for having no data beside LocID."""
    rows = np.arange(start, start + len(chunk))
    empty = chunk[[c for c in COLUMNS if c != "LocID"]].isna().all(axis=1).to_numpy()
    if empty.any():
        chunk, rows = chunk[~empty], rows[~empty]
    n = len(chunk)
    codes = {column: _codes(chunk[column].to_numpy(), rows, column, file) for column in CODES}
    if chunk["yearref"].isna().any():
        first = int(np.argmax(chunk["yearref"].isna().to_numpy()))
        raise InputError("missing date", file=file, row=int(rows[first]), field="yearref")
    if chunk["value"].isna().any():
        first = int(np.argmax(chunk["value"].isna().to_numpy()))
        raise InputError("missing value", file=file, row=int(rows[first]), field="value")
    sources = chunk["source"].astype("category")
    dates = _map_categories(chunk["yearref"].astype("category"), decimal_year_to_date)
    types = _map_categories(sources, source_type_of)
    citations = _map_categories(sources, CITATION.format)
    age = codes["age"]
    length = codes["agelength"]
    hi = pd.array(np.where(length > 0, age + length, 0), dtype="Int64")
    hi[length <= 0] = pd.NA
    lo = np.where(age < 0, -1, age)
    out = pd.DataFrame({
        "row": rows,
        "country_code": codes["LocID"],
        "reference_date": dates,
        "date_precision": pd.Categorical.from_codes(np.zeros(n, dtype=np.int8), ["decimal"]),
        "source_type": types,
        "universe": codes["PopulationUniverse"],
        "source_title": sources.array,
        "citation": citations,
        "sex": codes["sex"],
        "age_lo": lo,
        "age_hi": hi,
        "origin_code": codes["LocIDorg"],
        "value": chunk["value"].to_numpy(),
        "age_label": None,
        "origin_label": None,
        "sex_label": None,
        "note": pd.Categorical.from_codes(np.zeros(n, dtype=np.int8), [""]),
    })
    return out, int(empty.sum())


def _codes(values: np.ndarray, rows: np.ndarray, column: str, file: str) -> np.ndarray:
    """Whole-number codes as int64 (``218.0`` is 218); a missing or fractional code is an error."""
    bad = ~np.isfinite(values)
    if bad.any():
        first = int(np.argmax(bad))
        raise InputError("missing code", file=file, row=int(rows[first]), field=column)
    fractional = values != np.floor(values)
    if fractional.any():
        first = int(np.argmax(fractional))
        raise InputError(f"code {float(values[first]):g} is not a whole number", file=file, row=int(rows[first]),
                         field=column)
    return values.astype(np.int64)


def _map_categories(values: pd.Series, func) -> pd.Categorical:  # type: ignore[no-untyped-def]
    """``func`` applied once per category; the result stays categorical (few distinct values per chunk)."""
    mapped = [func(c) for c in values.cat.categories]
    distinct = list(dict.fromkeys(mapped))
    position = {v: i for i, v in enumerate(distinct)}
    lookup = np.array([position[v] for v in mapped], dtype=np.int32)
    return pd.Categorical.from_codes(lookup[values.cat.codes.to_numpy()], distinct)
