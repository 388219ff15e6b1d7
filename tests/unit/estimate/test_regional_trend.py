"""The ``trend`` extrapolation: outside its data range a country's migrant share moves like the
pooled share of its sub-region (the region's where the sub-region has too few countries)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from gmrd.estimate.totals import mid_year_totals, regional_trend

GROUPS = pd.DataFrame({"code": [1, 2, 3, 4, 5], "subregion": [7, 7, 7, 7, 8], "region": 9})


def test_share_follows_the_sub_region_and_falls_back_to_the_region() -> None:
    pop = np.full((5, 3), 1000.0)
    pop[0] = [1000.0, 1100.0, 1210.0]
    # countries 2-4 (sub-region 7) double their migrants from target 0 to 2; country 5 (sub-region 8)
    # is alone in its sub-region and falls back to region 9 (countries 2-4 inside at both targets)
    values = np.array([[50.0, np.nan, np.nan], [10.0, 15.0, 20.0], [20.0, 30.0, 40.0],
                       [30.0, 45.0, 60.0], [5.0, np.nan, np.nan]])
    inside = ~np.isnan(values)
    out = regional_trend(np.arange(1, 6), values, inside, pop, GROUPS, min_countries=3)
    # country 1: share 5 % at target 0, the sub-region's share x 1.5 then x 2, its population x 1.1, 1.21
    assert out[0].tolist() == pytest.approx([50.0, 50 * 1.1 * 1.5, 50 * 1.21 * 2.0])
    assert out[4].tolist() == pytest.approx([5.0, 7.5, 10.0])
    assert np.array_equal(out[1:4], values[1:4])  # inside: unchanged
    # too few countries anywhere: the share is held (the values passed in)
    held = regional_trend(np.arange(1, 6), values, inside, pop, GROUPS, min_countries=4)
    assert np.array_equal(held, values, equal_nan=True)


def test_backwards_and_through_mid_year_totals() -> None:
    # Albania, Italy, Spain (Southern Europe) double their migrants over 1990-2000; Andorra has one
    # data point, in 2000
    points = pd.DataFrame({"country_code": [8, 8, 380, 380, 724, 724, 20], "sex": 0,
                           "t": [1990.5, 2000.5] * 3 + [2000.5],
                           "value": [100.0, 200.0, 100.0, 200.0, 100.0, 200.0, 50.0]})
    plain = mid_year_totals(points, [1990, 2000], extrapolation="share")
    trend = mid_year_totals(points, [1990, 2000], extrapolation="trend")
    assert trend[trend["inside"]]["value"].tolist() == plain[plain["inside"]]["value"].tolist()
    andorra = trend[(trend["country_code"] == 20) & (trend["year"] == 1990)]
    same = plain[(plain["country_code"] == 20) & (plain["year"] == 1990)]
    assert not andorra["inside"].iloc[0]
    # the countries with data both years (not all of Andorra's sub-region) roughly halved their
    # share back to 1990: Andorra's 1990 value falls well below the share rule's
    assert andorra["value"].iloc[0] < 0.6 * same["value"].iloc[0]
