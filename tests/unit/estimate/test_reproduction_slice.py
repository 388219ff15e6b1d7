"""The UN reproduction, year by year: IMS 2020 type B/C countries from their own empirical inputs.

Published figures: IMS 2020 Table 1 (UN DESA 2020, mid-year totals 1990-2020, "Type of data").
The inputs are the all-origins totals of the Population Division's empirical data points; the
naive baseline of issue 4 is measured in the same run on the same cells (all sources, including
the World Bank's series, which republish earlier UN revisions). About 5 s.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from gmrd.estimate import accuracy
from gmrd.ingest import un_workbook

YEARS = list(range(1990, 2021, 5))


@pytest.fixture(scope="module")
def result(refdata: Path) -> pd.DataFrame:
    folder = refdata / "un_ims"
    records = pd.concat(un_workbook.read_workbook(
        folder / "undesa_pd_2020_ims_stock_by_sex_and_destination.xlsx", aggregates=True))
    universe_of = accuracy.countries_of_type(accuracy.published_types(records))
    raw = pd.read_csv(folder / "undesa_pd_long" / "empirical_data_points_all_origins_total.csv.gz")
    return accuracy.reproduction(accuracy.cells_from_un_long(raw), accuracy.published_totals(records),
                                 universe_of, YEARS)


def _table(frame: pd.DataFrame) -> str:
    return frame.pivot_table(index="inside", columns="year", values=["gmrd", "baseline"]).round(2).to_string()


def test_every_year_is_scored_inside_and_outside(result: pd.DataFrame) -> None:
    # 92 countries of type B or C in IMS 2020 (89-90 a year have inputs and a published value);
    # each year has countries on both sides of the range
    assert sorted(result["year"].unique()) == YEARS
    assert set(result.groupby("year")["inside"].nunique()) == {2}
    per_year = result.groupby("year")["countries"].sum()
    assert per_year.between(88, 92).all(), per_year


def test_gmrd_beats_naive_baseline_in_every_year_inside_and_outside(result: pd.DataFrame) -> None:
    # median absolute % error vs IMS 2020 Table 1, per year and side of the data range
    worse = result[result["gmrd"] >= result["baseline"]]
    assert worse.empty, f"gmrd not below the baseline in:\n{worse}\n{_table(result)}"


def test_inside_range_errors_are_small(result: pd.DataFrame) -> None:
    inside = result[result["inside"]].set_index("year")["gmrd"]
    assert inside.median() < 3.5, _table(result)
    assert inside.max() < 6.0, _table(result)
