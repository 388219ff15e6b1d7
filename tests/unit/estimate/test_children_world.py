"""World migrant children (0-17, 0-19) estimated from the UN's empirical inputs, against published figures.

Data: the all-origins totals and age tabulations of the UN Population Division's empirical data
points (the long file behind IMS 2020, 293,478 rows), run through the pure pipeline with the default
:class:`gmrd.estimate.pipeline.Params` (1990-2020 every 5 years: the age tabulations used are
those nearest each reference year, so the years matter; with ``years=(2020,)`` alone 0-17 is
36.08 M instead of 36.38 M). Nothing of the published ages goes in. About 15 s on one core.

Published: UNICEF, migrant children under 18: 35.5 M in 2020 (rounded to "about 36 million"),
31 M in 2015; UN DESA, migrants aged 0-19: 40.9 M in 2020, 29 M in 1990 (also the sums of the
IMS 2020 table by 5-year age group, used for the two sexes).

What the method achieves (measured when this test was written, default rules of issue 11):

- 2020: 0-17 36.38 M (+2.5 % against 35.5 M), 0-19 42.47 M (+3.8 % against 40.9 M); males
  0-19 +6.0 %, females +1.3 % against the IMS 2020 age table. The 5 % tolerance for 2020 and
  2015 (0-17 30.89 M, -0.4 %) is this with a margin for rule changes elsewhere; it is not a
  reproduction: two errors partly cancel. The world total is 3.6 % low (270.4 M against 280.6 M)
  and the child share of it is too high (0-19 15.7 % of all migrants against the published
  14.6 %; 0-17 13.5 % against 12.7 %): the regional patterns given to the 47 countries without
  age data add about +2.1 M to 0-19, the United States' own age table +2.1 M, the other own
  tables -2.3 M. A
  totals rule that closes the world's gap without touching the ages raises the children by about
  the same percentage (3-4 %), to within about 7-8 % of the published figures: the share check
  below is the part that does not move with the totals.
- 1990: 0-19 24.75 M against 29 M (-14.7 %). The estimate is off there and this test says so:
  the totals cost 3.6 M of the 4.2 M missing children, above all refugee hosts with young refugee
  populations (Iran, Sudan, Jordan, Malawi, Pakistan, Somalia) far below IMS in 1990. Pinned: the
  shortfall stays below 20 % and the interval covers the published figure.
- Intervals (80 %, default aggregation: the sum of the country bounds, a conservative bound): 0-17
  in 2020 [26.6, 56.1] M, 0-19 [31.3, 64.5] M; they cover every published figure but are wide
  (about -27 % / +53 %), so covering is weak evidence. With the independent-errors rule they are
  [34.9, 40.3] and [40.8, 46.9] M (see docs/benchmarks.md); only the default rule is pinned here.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from gmrd.estimate import accuracy
from gmrd.estimate import pipeline as pl
from gmrd.estimate.children import against_published, headline_figures, world_cohorts_from_ages

TOLERANCE_PCT = 5.0  # 2015 and 2020, both sexes (achieved: 0.4 %, 2.5 %, 3.8 %)
TOLERANCE_1990_PCT = 20.0  # achieved: -14.7 % (missing refugees, see the module docstring)
TOLERANCE_SEX_PCT = 8.0  # 2020 0-19 by sex against the IMS 2020 age table (achieved: +6.0 %, +1.3 %)
SHARE_TOLERANCE = 0.10  # child share of the world total, relative (achieved: +7.6 % 0-19, +6.3 % 0-17)


@pytest.fixture(scope="module")
def estimates(refdata: Path) -> pd.DataFrame:
    folder = refdata / "un_ims" / "undesa_pd_long"
    raw = pd.read_csv(folder / "empirical_data_points_all_origins_total.csv.gz")
    return pl.estimate(accuracy.cells_from_un_long(raw), pl.Params())


@pytest.fixture(scope="module")
def headline(estimates: pd.DataFrame) -> pd.DataFrame:
    return against_published(estimates, headline_figures()).set_index(["source", "age", "year"])


@pytest.fixture(scope="module")
def ims_ages(refdata: Path) -> pd.DataFrame:
    """World totals and 0-19 of the IMS 2020 table by 5-year age group (year, sex 0/1/2)."""
    table = pd.read_csv(refdata / "un_ims" / "ims2020_age_sex_destination_wide.csv")
    table = table.assign(sex=table["sex"].map({"both": 0, "male": 1, "female": 2}),
                         children=table[["0-4", "5-9", "10-14", "15-19"]].sum(axis=1))
    return table.groupby(["year", "sex"])[["children", "total"]].sum()


@pytest.mark.parametrize(("source", "age", "year"), [
    ("UNICEF", "0-17", 2020), ("UN DESA", "0-19", 2020), ("UNICEF", "0-17", 2015)])
def test_children_from_the_corpus_are_near_the_published_figures(headline: pd.DataFrame, source: str,
                                                                 age: str, year: int) -> None:
    row = headline.loc[(source, age, year)]
    assert abs(row["diff_pct"]) <= TOLERANCE_PCT, row
    assert row["covered"], row


def test_1990_children_are_short_but_the_interval_covers_them(headline: pd.DataFrame) -> None:
    row = headline.loc[("UN DESA", "0-19", 1990)]
    assert -TOLERANCE_1990_PCT <= row["diff_pct"] < 0, row  # documented shortfall, not a reproduction
    assert row["covered"], row


def test_child_share_of_the_world_total(estimates: pd.DataFrame, ims_ages: pd.DataFrame) -> None:
    # the age structure alone, whatever the level of the totals: 0-19 is 14.6 % of IMS 2020's migrants
    world = estimates[(estimates["area_code"] == 900) & (estimates["year"] == 2020) & (estimates["sex"] == 0)]
    value = world.set_index("age")["value"]
    published = ims_ages.loc[(2020, 0)]
    for age, count in (("0-19", 40.9e6), ("0-17", 35.5e6)):
        share, expected = value[age] / value["total"], count / published["total"]
        assert share == pytest.approx(expected, rel=SHARE_TOLERANCE), (age, share, expected)
        assert share > expected  # the known direction: the child share is too high (docstring)


def test_children_by_sex_2020(estimates: pd.DataFrame, ims_ages: pd.DataFrame) -> None:
    world = estimates[(estimates["area_code"] == 900) & (estimates["year"] == 2020)
                      & (estimates["age"] == "0-19")]
    for sex in (1, 2):
        row = world[world["sex"] == sex].iloc[0]
        published = ims_ages.loc[(2020, sex), "children"]
        assert abs(100 * (row["value"] / published - 1)) <= TOLERANCE_SEX_PCT, (sex, row["value"], published)
        assert row["lower"] <= published <= row["upper"]
    both = world.set_index("sex")["value"]
    assert both[0] == pytest.approx(both[1] + both[2], rel=1e-9)


def test_world_cohorts_from_the_published_ages(refdata: Path, ims_ages: pd.DataFrame) -> None:
    # the benchmark's yardstick by year and sex: 0-19 as published, 0-17 with 15-19 split by Sprague
    table = pd.read_csv(refdata / "un_ims" / "ims2020_age_sex_destination_wide.csv").query("year == 2020")
    cohorts = world_cohorts_from_ages(table).set_index(["year", "sex", "age"])["published"]
    for sex in (0, 1, 2):
        assert cohorts[(2020, sex, "0-19")] == pytest.approx(ims_ages.loc[(2020, sex), "children"], rel=1e-9)
    assert cohorts[(2020, 0, "0-17")] == pytest.approx(35.33e6, rel=0.001)
    by_sex = cohorts[(2020, 1, "0-17")] + cohorts[(2020, 2, "0-17")]
    assert cohorts[(2020, 0, "0-17")] == pytest.approx(by_sex, rel=1e-3)
