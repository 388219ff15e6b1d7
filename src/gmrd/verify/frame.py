"""The compact cell frame every check reads, the findings frame every check returns, and labels.

Cells frame (one row per stored cell, all sources at once): ``source_id`` int64, ``sex`` int8
(0 both, 1 male, 2 female), ``age_lo`` / ``age_hi`` int32 with an open group's ``age_hi`` = ``OPEN``
(so the total is ``(0, OPEN)`` and unknown age is ``age_lo == -1``), ``origin_code`` int64, ``value``
float64. Checks are vectorized over it: pandas group-bys keyed by ``source_id``, never a loop per source.

Findings frame: ``source_id, check, severity, key, message, expected, found, cells`` where ``key`` is
stable across runs (it identifies the same problem again, so a dismissed finding stays dismissed) and
``cells`` lists the cells involved (sex, age, origin, value) as dicts.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from gmrd.ingest.records import ORIGIN_OTHER, ORIGIN_TOTAL, ORIGIN_UNKNOWN

OPEN = np.int32(1_000_000)
SEVERITIES = ("error", "warning", "info")
FINDING_COLUMNS = ["source_id", "check", "severity", "key", "message", "expected", "found", "cells"]
CELL_COLUMNS = ["source_id", "sex", "age_lo", "age_hi", "origin_code", "value"]
SEX_LABELS = {0: "both sexes", 1: "male", 2: "female"}


def cells_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Normalize cells (``age_hi`` NA for open groups) into the compact frame the checks use."""
    hi = pd.to_numeric(frame["age_hi"], errors="coerce")
    return pd.DataFrame({
        "source_id": frame["source_id"].to_numpy(dtype=np.int64),
        "sex": frame["sex"].to_numpy(dtype=np.int8),
        "age_lo": frame["age_lo"].to_numpy(dtype=np.int32),
        "age_hi": hi.fillna(int(OPEN)).to_numpy(dtype=np.int32),
        "origin_code": frame["origin_code"].to_numpy(dtype=np.int64),
        "value": frame["value"].to_numpy(dtype=np.float64),
    })


def cell_key(cells: pd.DataFrame) -> np.ndarray:
    """One int64 per cell identifying (sex, age group, origin) within ``cells``, for fast joins."""
    origin = pd.factorize(cells["origin_code"].to_numpy())[0].astype(np.int64)
    sex = cells["sex"].to_numpy().astype(np.int64) + 1
    lo = cells["age_lo"].to_numpy().astype(np.int64) + 1
    hi = cells["age_hi"].to_numpy().astype(np.int64)
    n_origins = int(origin.max()) + 1 if len(origin) else 1
    return ((sex * (int(OPEN) + 2) + lo) * (int(OPEN) + 1) + hi) * n_origins + origin


def is_age_total(cells: pd.DataFrame) -> np.ndarray:
    return ((cells["age_lo"] == 0) & (cells["age_hi"] == OPEN)).to_numpy()


def age_label(lo: int, hi: int) -> str:
    if lo < 0:
        return "unknown"
    if hi == OPEN:
        return "total" if lo == 0 else f"{lo}+"
    return f"{lo}-{hi - 1}"


def origin_label(code: int) -> str:
    return {ORIGIN_TOTAL: "total", ORIGIN_OTHER: "other", ORIGIN_UNKNOWN: "unknown"}.get(int(code),
                                                                                         f"M49 {code}")


def cell_dict(sex: int, lo: int, hi: int, origin: int, value: float | None = None) -> dict[str, object]:
    out: dict[str, object] = {"sex": SEX_LABELS.get(int(sex), str(sex)), "age": age_label(int(lo), int(hi)),
                              "origin": origin_label(int(origin))}
    if value is not None and not np.isnan(value):
        out["value"] = float(value)
    return out


def findings(source_id: Sequence[int] | np.ndarray, check: str, severity: str | Sequence[str],
             key: str | Sequence[str], message: Sequence[str],
             expected: Iterable[float] | float = np.nan, found: Iterable[float] | float = np.nan,
             cells: Sequence[object] | None = None) -> pd.DataFrame:
    """A findings frame for one check (scalars broadcast)."""
    n = len(message)
    def col(v: object) -> object:
        return v if isinstance(v, (list, tuple, np.ndarray, pd.Series)) else [v] * n
    return pd.DataFrame({
        "source_id": np.asarray(source_id, dtype=np.int64), "check": check, "severity": col(severity),
        "key": col(key), "message": list(message),
        "expected": np.asarray(col(expected), dtype=float), "found": np.asarray(col(found), dtype=float),
        "cells": list(cells) if cells is not None else [None] * n,
    }, columns=FINDING_COLUMNS)


def no_findings() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=t) for c, t in zip(
        FINDING_COLUMNS, ["int64", "object", "object", "object", "object", "float64", "float64", "object"])})


def concat(frames: Iterable[pd.DataFrame]) -> pd.DataFrame:
    parts = [f for f in frames if len(f)]
    return pd.concat(parts, ignore_index=True) if parts else no_findings()


def fmt(x: float) -> str:
    """A number as a person count: thousands separators, decimals only when the data have them."""
    return f"{x:,.0f}" if float(x).is_integer() else f"{x:,.2f}"
