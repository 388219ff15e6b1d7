"""A sex without its own age table gets its region's pattern, flagged age_imputed (issue 11.4).

Before the fix, females of a country with a male age table only got a flat 1/32 share in each of
the 32 fine age groups, so 18/32 = 56 % of them were aged 0-17 whatever the data said.
"""

from __future__ import annotations

import pandas as pd
import pytest

from gmrd.estimate.accuracy import cells_from_un_long
from gmrd.estimate.pipeline import Params, country_estimates

AGES = [(0, 5), (5, 5), (10, 5), (15, 5), (20, 10), (30, 20), (50, 0)]  # (50, 0): open 50+
YOUNG = [0.04, 0.05, 0.06, 0.07, 0.18, 0.3, 0.3]    # female tables of France and Switzerland
OLDER = [0.02, 0.02, 0.03, 0.05, 0.18, 0.35, 0.35]
MALE = [0.06, 0.06, 0.06, 0.06, 0.16, 0.3, 0.3]      # Austria's male table
FRANCE, SWITZERLAND, AUSTRIA = 250, 756, 40          # all three in Europe and Northern America


def _cells() -> pd.DataFrame:
    rows = []
    for loc, female in ((FRANCE, YOUNG), (SWITZERLAND, OLDER), (AUSTRIA, None)):
        total = 1_000_000.0
        for sex, part in ((0, 1.0), (1, 0.5), (2, 0.5)):
            rows.append((loc, sex, 0, 2010.5, 0, 0, 3, "NSO census", total * part))
        tables = {1: MALE, 2: female} if female else {1: MALE}
        for sex, weights in tables.items():
            for (age, length), w in zip(AGES, weights):
                rows.append((loc, sex, 0, 2010.5, age, length, 3, "NSO census", total * 0.5 * w))
    frame = pd.DataFrame(rows, columns=["LocID", "sex", "LocIDorg", "yearref", "age", "agelength",
                                        "PopulationUniverse", "source", "value"])
    return cells_from_un_long(frame)


@pytest.fixture(scope="module")
def estimates() -> pd.DataFrame:
    return country_estimates(_cells(), Params(years=(2010,), intervals=False))


def _share_0_17(estimates: pd.DataFrame, area: int, sex: int) -> float:
    rows = estimates[(estimates.area_code == area) & (estimates.sex == sex)].set_index("age")["value"]
    return float(rows["0-17"] / rows["total"])


def test_missing_sex_follows_the_regional_pattern(estimates: pd.DataFrame) -> None:
    regional = (_share_0_17(estimates, FRANCE, 2) + _share_0_17(estimates, SWITZERLAND, 2)) / 2
    austria = _share_0_17(estimates, AUSTRIA, 2)
    assert austria == pytest.approx(regional, rel=1e-9)
    assert 0.1 < austria < 0.25  # the tables give 0-17 at 13-20 %, not the flat 18/32 = 56 %


def test_missing_sex_is_flagged_and_own_sex_is_not(estimates: pd.DataFrame) -> None:
    flags = estimates[estimates.area_code == AUSTRIA].groupby("sex")["flags"].first()
    assert "age_imputed" in flags[2].split(",")
    assert "age_imputed" not in flags[1].split(",")
    assert "age_imputed" not in estimates[estimates.area_code == FRANCE]["flags"].iloc[0].split(",")
    male = _share_0_17(estimates, AUSTRIA, 1)
    assert male == pytest.approx(_share_0_17(estimates, FRANCE, 1), rel=1e-9)  # same male table
