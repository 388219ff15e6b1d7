"""Child cohorts from the published IMS 2020 5-year age groups (UN DESA; UNICEF)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from gmrd.estimate.children import FIVE_YEAR, cohorts_from_five_year


@pytest.fixture(scope="module")
def ims2020_2020(refdata: Path) -> pd.DataFrame:
    table = pd.read_csv(refdata / "un_ims" / "ims2020_age_sex_destination_wide.csv")
    return table[(table["year"] == 2020) & (table["sex"] == "both")]


def test_world_children_2020(ims2020_2020: pd.DataFrame) -> None:
    cohorts = cohorts_from_five_year(ims2020_2020, "sprague").sum()
    # UN DESA, International Migration 2020 Highlights: 40.9 million migrants aged 0-19 in 2020
    assert cohorts["0-19"] == pytest.approx(40.9e6, rel=0.002)
    # UNICEF, child migration data: about 36 million (35.5 M) migrant children under 18 in 2020
    assert cohorts["0-17"] == pytest.approx(36e6, rel=0.05)
    # 15-17 is less than 3/5 of 15-19: migrant numbers rise with age through the teens
    assert cohorts["15-17"] < 0.6 * cohorts["15-19"]


def test_cohorts_keep_five_year_totals(ims2020_2020: pd.DataFrame) -> None:
    cohorts = cohorts_from_five_year(ims2020_2020.head(20), "beers")
    for label in ("0-4", "5-9", "10-14", "15-19"):
        assert cohorts[label].to_numpy() == pytest.approx(ims2020_2020.head(20)[label].to_numpy(), rel=1e-9)
    assert set(FIVE_YEAR) >= {"0-4", "75+"}
