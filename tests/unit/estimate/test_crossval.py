"""Cross-validation over countries: reproducible folds and choices, and the out-of-fold world and
SDG-region totals from the UN's all-origins inputs against IMS 2020 (about 30 s)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from gmrd.errors import InputError
from gmrd.estimate import accuracy, crossval
from gmrd.estimate.impute import published_areas
from gmrd.estimate.pipeline import Params
from gmrd.ingest import un_workbook

YEARS = tuple(range(1990, 2021, 5))
K, SEED = 5, 20201


def test_folds_are_a_seeded_balanced_partition() -> None:
    codes = published_areas()["code"].tolist()
    folds = crossval.assign_folds(codes, K, SEED)
    assert sorted(folds.index) == sorted(codes)
    assert folds.value_counts().max() - folds.value_counts().min() <= 1
    assert folds.equals(crossval.assign_folds(list(reversed(codes)), K, SEED))
    assert not folds.equals(crossval.assign_folds(codes, K, SEED + 1))
    with pytest.raises(InputError):
        crossval.assign_folds(codes, 1)


def _candidate(values: dict[int, float]) -> pd.DataFrame:
    return pd.DataFrame({"country_code": list(values), "year": 2000, "value": list(values.values()),
                         "inside": True, "imputed": False})


def test_each_fold_takes_the_candidate_best_on_the_other_folds() -> None:
    truth = {c: 100.0 for c in range(1, 11)}
    published = pd.DataFrame({"country_code": list(truth), "year": 2000, "value": 100.0})
    good = _candidate({c: 101.0 for c in truth})
    # "patchy" is exact on countries 1-2 and far off elsewhere: chosen only where 1-2 are not held out...
    patchy = _candidate({c: 100.0 if c <= 2 else 150.0 for c in truth})
    folds = pd.Series(np.arange(10) % 5, index=range(1, 11))
    result = crossval.cross_validate({"patchy": patchy, "good": good}, published, folds)
    assert result.chosen.tolist() == ["good"] * 5  # ...and never: 8 countries of 150 outweigh them
    assert result.estimates["country_code"].tolist() == list(range(1, 11))
    assert (result.estimates["value"] == 101.0).all()
    again = crossval.cross_validate({"patchy": patchy, "good": good}, published, folds)
    assert again.chosen.equals(result.chosen)


@pytest.fixture(scope="module")
def cv(refdata: Path) -> tuple[crossval.CvResult, pd.DataFrame, dict[str, pd.DataFrame], pd.DataFrame]:
    folder = refdata / "un_ims"
    records = pd.concat(un_workbook.read_workbook(
        folder / "undesa_pd_2020_ims_stock_by_sex_and_destination.xlsx", aggregates=True))
    raw = pd.read_csv(folder / "undesa_pd_long" / "empirical_data_points_all_origins_total.csv.gz")
    cells = accuracy.cells_from_un_long(raw)
    published = accuracy.published_totals(records)
    grid = crossval.candidate_grid(combines=("nearest",), extrapolations=("constant", "blend"),
                                   refugee_shares=(), refugee_rules=("none", "always"),
                                   republished=((), ("estimate",)),
                                   republished_shares=(float("inf"), 0.5), imputes=("median", "pooled"))
    candidates = crossval.candidate_estimates(cells, grid, Params(years=YEARS))
    folds = crossval.assign_folds(published_areas()["code"].tolist(), K, SEED)
    result = crossval.cross_validate(candidates, published, folds, crossval.sdg_regions())
    errors = crossval.aggregate_errors(result.estimates, accuracy.published_aggregates(records))
    return result, published, candidates, errors


def test_rule_choice_is_reproducible_from_the_folds(cv) -> None:
    result, published, candidates, _ = cv
    folds = crossval.assign_folds(published_areas()["code"].tolist(), K, SEED)
    regions = crossval.sdg_regions()
    assert crossval.cross_validate(candidates, published, folds, regions).chosen.equals(result.chosen)
    for fold, name in result.chosen.items():  # the choice is the training-fold argmin
        train = folds.index[folds != fold]
        losses = {n: crossval.training_loss(c[c["country_code"].isin(train)],
                                            published[published["country_code"].isin(train)], regions)
                  for n, c in candidates.items()}
        assert name == min(losses, key=lambda n: losses[n])
    assert len(result.estimates) == 235 * len(YEARS)


def _table(errors: pd.DataFrame) -> str:
    return errors.pivot_table(index="area_code", columns="year", values="pct_error").round(1).to_string()


def test_world_total_out_of_fold_against_ims_2020(cv) -> None:
    """Issue 11's goal is 2 % in every year; NOT met (this test's reduced grid: 0.1, -3.8, -1.1, 0.2,
    -2.8, -3.2, -1.9 % in 1990 … 2020; the benchmark's full grid: docs/benchmarks.md). Pinned at
    what is met, so that it cannot get worse unnoticed: within 4 % every year, within 3.5 % in all
    years but one, within 2 % in four."""
    errors = cv[3]
    world = errors[errors["area_code"] == crossval.WORLD].set_index("year")["pct_error"]
    assert sorted(world.index) == list(YEARS)
    assert (world.abs() < 4.0).all(), _table(errors)
    assert (world.abs() < 3.5).sum() >= len(YEARS) - 1, _table(errors)
    assert (world.abs() < 2.0).sum() >= 4, _table(errors)


def test_sdg_regions_out_of_fold_against_ims_2020(cv) -> None:
    """Issue 11's goal is 5 % for every SDG region; NOT met (this test's reduced grid): Northern
    Africa and Western Asia (-9 to -15 % in 1990-2005; UNRWA's Palestine refugees are not in the
    inputs), Central and Southern Asia (+13 % in 2000), Latin America (-13 to +12 %), Sub-Saharan
    Africa (-11 % in 2015; -17 % in 1990-1995 before the refugees of republished points that leave
    them out were added), Oceania (-8 %). Pinned at what is met: Australia and New Zealand within
    5 %, Europe and Northern America and Eastern and South-Eastern Asia within 6.5 %, Oceania within
    8.5 %, Sub-Saharan Africa within 11.5 %, every region within 15 %."""
    errors = cv[3]
    regions = errors[errors["area_code"].isin(crossval.SDG_REGIONS)]
    assert set(regions["area_code"]) == set(crossval.SDG_REGIONS)
    worst = regions.groupby("area_code")["pct_error"].agg(lambda e: e.abs().max())
    assert worst[927] < 5.0, _table(errors)
    assert worst[[1829, 1832]].max() < 6.5, _table(errors)
    assert worst[1835] < 8.5 and worst[947] < 11.5, _table(errors)
    assert worst.max() < 15.0, _table(errors)


def test_the_declared_grid() -> None:
    grid = crossval.candidate_grid()
    # 2 imputation shares x 4 extrapolations x (5 thresholds + arrivals + always, each on every
    # point, or not on "estimate" points unless their refugees are >= inf, 1 or 0.5 x their value;
    # `always` also net of them on "estimate" points (3); + none)
    assert len(grid) == 2 * 4 * (7 * 4 + 3 + 1)
    assert {c["impute"] for c in grid.values()} == {"median", "pooled"}
    assert {c["refugees"].republished_share for c in grid.values()} == {float("inf"), 1.0, 0.5}
    net = [c["refugees"] for c in grid.values() if c["refugees"].republished_net]
    assert len(net) == 2 * 4 * 3 and {r.rule for r in net} == {"always"}
    assert all(c["combine"] == "nearest" for c in grid.values())  # median/max: captured by an outlier
    both = crossval.candidate_grid(forms=("exponential", "linear"))
    assert len(both) == 2 * len(grid) and {c["form"] for c in both.values()} == {"exponential", "linear"}
