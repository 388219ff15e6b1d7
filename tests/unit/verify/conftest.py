"""Builders of small cell and source frames for the verification checks."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pandas as pd
import pytest

from gmrd.verify.frame import OPEN

Row = tuple[int, int, int, int | None, int, float]


def build_cells(rows: list[Row]) -> pd.DataFrame:
    """(source, sex, age_lo, age_hi or None for open, origin, value) rows → the checks' cells frame."""
    frame = pd.DataFrame(rows, columns=["source_id", "sex", "age_lo", "age_hi", "origin_code", "value"])
    frame["age_hi"] = pd.to_numeric(frame["age_hi"].astype(object)).fillna(int(OPEN))
    return frame.astype({"source_id": "int64", "sex": "int8", "age_lo": "int32", "age_hi": "int32",
                         "origin_code": "int64", "value": "float64"}).sort_values("source_id", kind="stable")


def clean_source(source_id: int = 1, scale: float = 1.0) -> list[Row]:
    """A consistent table: 2 sexes × (0-4, 5-9, 10-14, 0-14, 15-64, 65+, unknown, total) and origins."""
    rows: list[Row] = []
    ages = {(0, 5): 103, (5, 10): 117, (10, 15): 91, (15, 65): 1207, (65, None): 214, (-1, None): 7}
    for sex, f in ((1, 1.0), (2, 0.9)):
        vals = {k: round(v * f * scale) for k, v in ages.items()}
        vals[(0, 15)] = vals[(0, 5)] + vals[(5, 10)] + vals[(10, 15)]
        vals[(0, None)] = vals[(0, 15)] + vals[(15, 65)] + vals[(65, None)] + vals[(-1, None)]
        for (lo, hi), v in vals.items():
            rows.append((source_id, sex, lo, hi, 0, v))
        rows += [(source_id, sex, 0, None, 218, round(vals[(0, None)] * 0.6)),
                 (source_id, sex, 0, None, 170, vals[(0, None)] - round(vals[(0, None)] * 0.6) - 11),
                 (source_id, sex, 0, None, 2003, 11)]
    both: dict[tuple, float] = {}
    for s, sex, lo, hi, o, v in rows:
        both[(lo, hi, o)] = both.get((lo, hi, o), 0) + v
    rows += [(source_id, 0, lo, hi, o, v) for (lo, hi, o), v in both.items()]
    return rows


def sources_frame(**columns: list) -> pd.DataFrame:
    n = len(next(iter(columns.values())))
    base = {"id": list(range(1, n + 1)), "country_code": [218] * n, "reference_date": [date(2010, 11, 28)] * n,
            "date_precision": ["day"] * n, "source_type": ["census"] * n, "universe": [3] * n,
            "title": ["Censo 2010"] * n, "status": ["pending"] * n}
    base.update(columns)
    return pd.DataFrame(base)


@pytest.fixture
def make_cells() -> Callable[[list[Row]], pd.DataFrame]:
    return build_cells


@pytest.fixture
def clean_rows() -> Callable[..., list[Row]]:
    return clean_source


@pytest.fixture
def make_sources() -> Callable[..., pd.DataFrame]:
    return sources_frame
