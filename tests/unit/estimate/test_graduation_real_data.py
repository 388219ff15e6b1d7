"""Graduation on real data: IMS 2020 5-year groups -> wide groups -> graduated back (issue 4).

Data: UN DESA (2020) International Migrant Stock 2020, by destination, sex and 5-year age group
(../shared/data/un_ims/ims2020_age_sex_destination_wide.csv, CC BY 3.0 IGO). The full run over all
years and sexes is benchmarks/graduation_real_data.py; this is a slice of it: 2020, both sexes,
the 80 largest destinations (PCLM's lambda search takes ~0.1 s a series, too slow for all 235).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from gmrd.estimate.graduation.evaluate import median_errors

AGES = [f"{a}-{a + 4}" for a in range(0, 75, 5)] + ["75+"]
STARTS = list(range(0, 80, 5))
WIDTHS: list[float | None] = [5.0] * 15 + [None]


@pytest.fixture(scope="module")
def slice_2020(refdata: Path) -> list[list[float]]:
    frame = pd.read_csv(refdata / "un_ims" / "ims2020_age_sex_destination_wide.csv")
    rows = frame[(frame.year == 2020) & (frame.sex == "both")]
    assert len(rows) == 235  # 235 countries, as SOURCES.md
    return rows.nlargest(80, "total")[AGES].astype(float).values.tolist()


@pytest.fixture(scope="module")
def uniform_errors(slice_2020: list[list[float]]) -> dict[str, float]:
    return median_errors(slice_2020, STARTS, WIDTHS, "uniform")


@pytest.mark.parametrize("method", ["mono", "pclm"])
def test_beats_uniform_split(slice_2020, uniform_errors, method: str) -> None:
    """Median APE of 15-19 and 0-19 from 0-14, 15-24, 25-64, 65+ must clearly beat the uniform split.

    Over all 229 countries with migrants in 2020 (benchmarks/out/graduation.md): uniform
    21.5 % / 6.7 %, mono 14.5 % / 4.3 %, pclm 12.1 % / 3.6 % for 15-19 / 0-19.
    """
    errors = median_errors(slice_2020, STARTS, WIDTHS, method)
    assert errors["n"] == uniform_errors["n"] == 80
    for target in ("15-19", "0-19"):
        assert errors[target] < 0.75 * uniform_errors[target], (target, errors, uniform_errors)
