"""The UN Population Division long format (LocID, sex, LocIDorg, yearref, age, agelength,
PopulationUniverse, source, value), plain or gzip: the empirical inputs of the IMS estimates.

A tabulation there is destination × source × date × universe; codes are already M49 and UNPD
universe codes, so records need no label resolution.
"""

from __future__ import annotations

import gzip
import math
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from gmrd.errors import InputError

name = "un_long"

COLUMNS = ("LocID", "sex", "LocIDorg", "yearref", "age", "agelength", "PopulationUniverse", "source", "value")
DTYPES = {"LocID": "int64", "sex": "int64", "LocIDorg": "int64", "yearref": "float64", "age": "int64",
          "agelength": "int64", "PopulationUniverse": "int64", "source": "category", "value": "float64"}
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
    fields = [f.strip().strip('"') for f in _header(head).split(",")]
    return tuple(fields[: len(COLUMNS)]) == COLUMNS


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
                             compression="infer", na_filter=True)
        start = 2
        for chunk in reader:
            yield _records(chunk, start, path.name)
            start += len(chunk)
    except (ValueError, pd.errors.ParserError) as exc:
        raise InputError(f"malformed UN long-format file: {exc}", file=path.name) from None
    except (EOFError, OSError, gzip.BadGzipFile) as exc:
        raise InputError(f"unreadable (truncated or corrupt) file: {exc}", file=path.name) from None


def _records(chunk: pd.DataFrame, start: int, file: str) -> pd.DataFrame:
    n = len(chunk)
    rows = np.arange(start, start + n)
    if chunk["value"].isna().any():
        first = int(np.argmax(chunk["value"].isna().to_numpy()))
        raise InputError("missing value", file=file, row=int(rows[first]), field="value")
    sources = chunk["source"].astype("category")
    dates = _map_categories(chunk["yearref"].astype("category"), decimal_year_to_date)
    types = _map_categories(sources, source_type_of)
    citations = _map_categories(sources, CITATION.format)
    age = chunk["age"].to_numpy()
    length = chunk["agelength"].to_numpy()
    hi = pd.array(np.where(length > 0, age + length, 0), dtype="Int64")
    hi[length <= 0] = pd.NA
    lo = np.where(age < 0, -1, age)
    out = pd.DataFrame({
        "row": rows,
        "country_code": chunk["LocID"].to_numpy(),
        "reference_date": dates,
        "date_precision": pd.Categorical.from_codes(np.zeros(n, dtype=np.int8), ["decimal"]),
        "source_type": types,
        "universe": chunk["PopulationUniverse"].to_numpy(),
        "source_title": sources.array,
        "citation": citations,
        "sex": chunk["sex"].to_numpy(),
        "age_lo": lo,
        "age_hi": hi,
        "origin_code": chunk["LocIDorg"].to_numpy(),
        "value": chunk["value"].to_numpy(),
        "age_label": None,
        "origin_label": None,
        "sex_label": None,
        "note": pd.Categorical.from_codes(np.zeros(n, dtype=np.int8), [""]),
    })
    return out


def _map_categories(values: pd.Series, func) -> pd.Categorical:  # type: ignore[no-untyped-def]
    """``func`` applied once per category; the result stays categorical (few distinct values per chunk)."""
    mapped = [func(c) for c in values.cat.categories]
    distinct = list(dict.fromkeys(mapped))
    position = {v: i for i, v in enumerate(distinct)}
    lookup = np.array([position[v] for v in mapped], dtype=np.int32)
    return pd.Categorical.from_codes(lookup[values.cat.codes.to_numpy()], distinct)
