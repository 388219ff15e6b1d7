"""The UN reproduction on a slice: 10 countries of IMS 2020 type B/C, their own empirical inputs."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from gmrd.estimate import accuracy
from gmrd.ingest import un_workbook


@pytest.fixture(scope="module")
def slice_result(refdata: Path) -> pd.DataFrame:
    folder = refdata / "un_ims"
    records = pd.concat(un_workbook.read_workbook(
        folder / "undesa_pd_2020_ims_stock_by_sex_and_destination.xlsx", aggregates=True))
    universe_of = dict(sorted(accuracy.countries_of_type(accuracy.published_types(records)).items())[:10])
    raw = pd.read_csv(folder / "undesa_pd_long" / "empirical_data_points_all_origins_total.csv.gz")
    raw = raw[raw["LocID"].isin(list(universe_of))]
    return accuracy.reproduction(accuracy.cells_from_un_long(raw), accuracy.published_totals(records),
                                 universe_of, list(range(1990, 2021, 5)))


def test_gmrd_beats_naive_baseline_outside_data_range(slice_result: pd.DataFrame) -> None:
    # published: IMS 2020 Table 1 (UN DESA 2020); the baseline is measured in the same run
    outside = slice_result[~slice_result["inside"]]
    assert outside["gmrd"].median() < outside["baseline"].median()


def test_inside_range_errors_are_small(slice_result: pd.DataFrame) -> None:
    inside = slice_result[slice_result["inside"]]
    assert inside["gmrd"].median() < 5.0
