"""One wrong table at a date cannot capture the estimate: Germany's real inputs (UN all-origins
file) plus the kind of row issue 11 found in the corpus (Eurostat's count of Germany's native-born,
77.2 M, labelled foreign-born), here beside the OECD's foreign-born register figure of 2007, the
only other table of that date. About 10 s."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from gmrd.estimate import accuracy
from gmrd.estimate.pipeline import Params, total_estimates, with_choice
from gmrd.estimate.refugees import RefugeeRules

GERMANY = 276
YEARS = (2005, 2007, 2010)


@pytest.fixture(scope="module")
def germany(refdata: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    folder = refdata / "un_ims" / "undesa_pd_long"
    raw = pd.read_csv(folder / "empirical_data_points_all_origins_total.csv.gz")
    raw = raw[raw["LocID"] == GERMANY]
    clean = accuracy.cells_from_un_long(raw)
    bad = raw[(raw["source"] == "OECD") & (raw["yearref"] == 2007.0) & (raw["sex"] == 0)
              & (raw["PopulationUniverse"] == 3) & (raw["agelength"] <= 0)].assign(
        source="Eurostat", value=77_200_000.0)
    assert len(bad) == 1
    return clean, accuracy.cells_from_un_long(pd.concat([raw, bad], ignore_index=True))


def _germany(cells: pd.DataFrame, combine: str) -> pd.Series:
    params = with_choice(Params(years=YEARS), {"combine": combine, "refugees": RefugeeRules(rule="none")})
    totals, _ = total_estimates(cells, params)
    return totals[totals["country_code"] == GERMANY].set_index("year")["value"]


def test_nearest_is_not_captured_by_an_outlier(germany) -> None:
    clean, dirty = germany
    before, after = _germany(clean, "nearest"), _germany(dirty, "nearest")
    assert 10e6 < before[2007] < 11e6
    assert (after / before - 1).abs().max() < 1e-9


def test_max_and_median_are(germany) -> None:
    clean, dirty = germany
    assert _germany(dirty, "max")[2007] > 70e6
    assert _germany(dirty, "median")[2007] > 4 * _germany(clean, "median")[2007]
