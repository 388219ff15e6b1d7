"""The pure functions of the prediction intervals (gmrd.estimate.intervals), on hand-made cases.

The conformal quantile is the ceil((n + 1) level)-th smallest score (Lei et al. 2018, JASA 113,
1094-1111, section 2); on exchangeable scores it covers a new one with probability >= level.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from gmrd.estimate import holdout as ho
from gmrd.estimate import intervals as iv


def test_situations_distance_and_side() -> None:
    pts = pd.DataFrame({"country_code": [1, 1, 1, 2], "t": [2000.5, 2005.5, 2015.5, 2010.0]})
    out = ho.situations(pts, [1, 1, 1, 1, 2, 2, 3], [2000.5, 2010.5, 2012.0, 1990.5, 2010.0, 2020.0, 2000.0])
    assert out["situation"].tolist() == ["inside", "inside", "inside", "outside", "single", "single",
                                         "imputed"]
    assert out["distance"].tolist()[:6] == pytest.approx([0.0, 5.0, 3.5, 10.0, 0.0, 10.0])
    assert np.isnan(out["distance"].iloc[6])


def test_dense_series_inside_is_its_own_situation() -> None:
    # yearly points (a register): mean spacing 1 <= DENSE_SPACING
    pts = pd.DataFrame({"country_code": 1, "t": np.arange(2000.5, 2011.5)})
    out = ho.situations(pts, [1, 1], [2005.0, 2015.0])
    assert out["situation"].tolist() == ["inside_dense", "outside"]


def test_attach_sources_to_points() -> None:
    pts = pd.DataFrame({"country_code": [1, 1], "t": [2000.5, 2010.5]})
    sources = pd.DataFrame({"country_code": [1, 1, 1, 2], "t": [2000.5, 2000.6, 2005.0, 2000.5],
                            "value": [1.0, 2.0, 3.0, 4.0]})
    out = ho.attach_to_points(pts, sources, 0.25)
    assert out[["value", "t_point"]].to_numpy().tolist() == [[1.0, 2000.5], [2.0, 2000.5]]


def test_conformal_quantile_rank_and_too_few_scores() -> None:
    scores = np.arange(1, 20) / 100  # n = 19: k = ceil(20 * 0.8) = 16
    assert iv.conformal_quantile(scores, 0.8) == pytest.approx(0.16)
    assert iv.conformal_quantile(scores[::-1], 0.8) == pytest.approx(0.16)  # order does not matter
    assert np.isnan(iv.conformal_quantile(scores[:3], 0.8))  # k = 4 > 3: unbounded


def test_conformal_quantile_covers_new_exchangeable_scores() -> None:
    rng = np.random.default_rng(3)
    covered = []
    for _ in range(400):
        s = rng.exponential(size=41)
        covered.append(s[40] <= iv.conformal_quantile(s[:40], 0.8))
    assert 0.75 <= np.mean(covered) <= 0.9  # at least the level, up to level + 1/(n + 1) in expectation


def test_log_scores_are_symmetric_in_ratio() -> None:
    s = ho.log_scores([200.0, 50.0, 100.0, -1.0], [100.0, 100.0, 100.0, 1.0])
    assert s[:3].tolist() == pytest.approx([np.log(2), np.log(2), 0.0])
    assert np.isnan(s[3])


def test_calibrate_merges_small_bins_and_widens_with_distance() -> None:
    rng = np.random.default_rng(0)
    near = pd.DataFrame({"situation": "inside", "distance": rng.uniform(0, 1, 200),
                         "score": rng.exponential(0.05, 200)})
    far = pd.DataFrame({"situation": "inside", "distance": rng.uniform(10, 12, 10),
                        "score": rng.exponential(0.01, 10)})  # few and (by chance) small errors
    outside = pd.DataFrame({"situation": "outside", "distance": rng.uniform(0, 20, 100),
                            "score": rng.exponential(0.3, 100)})
    table = iv.calibrate(pd.concat([near, far, outside]), 0.8, min_size=30)
    inside = table[table["situation"] == "inside"]
    assert (inside["n"] >= 30).all() and inside["n"].sum() == 210
    assert inside["half_width"].is_monotonic_increasing
    assert inside["lo"].iloc[0] == 0 and np.isinf(inside["hi"].iloc[-1])
    # "single" has no scores of its own: it borrows the outside scores
    single = table[table["situation"] == "single"]
    assert single["half_width"].tolist() == table[table["situation"] == "outside"]["half_width"].tolist()


def test_within_a_year_of_a_point_the_bin_stays_apart() -> None:
    # sources of nearby dates disagree more than a series changes in a year or two: the bin under
    # NEAR (1 year) keeps its own quantile; farther bins are pooled where they would shrink
    near = pd.DataFrame({"situation": "inside", "distance": 0.5, "score": np.linspace(0.01, 1.0, 50)})
    mid = pd.DataFrame({"situation": "inside", "distance": 1.5, "score": np.linspace(0.01, 0.1, 50)})
    far = pd.DataFrame({"situation": "inside", "distance": 3.5, "score": np.linspace(0.01, 0.05, 50)})
    table = iv.calibrate(pd.concat([near, mid, far]), 0.8, min_size=30)
    inside = table[table["situation"] == "inside"]
    assert inside["lo"].tolist()[:2] == [0.0, 1.0] and inside["n"].tolist()[:2] == [50, 100]
    assert inside["half_width"].iloc[0] > inside["half_width"].iloc[1]


def test_small_situation_keeps_at_least_its_own_quantile() -> None:
    outside = pd.DataFrame({"situation": "outside", "distance": np.linspace(0, 9, 60), "score": 0.1})
    single = pd.DataFrame({"situation": "single", "distance": np.linspace(0, 9, 10), "score": 2.0})
    table = iv.calibrate(pd.concat([outside, single]), 0.8, min_size=30)
    assert (table[table["situation"] == "single"]["half_width"] == 2.0).all()


def test_situation_without_errors_takes_the_quantile_of_all() -> None:
    # one data point per country (nothing to leave out): only imputation errors exist
    imputed = pd.DataFrame({"situation": "imputed", "distance": np.nan, "score": np.linspace(0.1, 2.0, 20)})
    table = iv.calibrate(imputed, 0.8, min_size=30).set_index("situation")
    expected = iv.conformal_quantile(imputed["score"], 0.8)
    assert table.loc["single", "half_width"] == table.loc["imputed", "half_width"] == expected
    empty = iv.calibrate(imputed.iloc[:2], 0.8)  # too few errors for the level: no interval
    assert empty["half_width"].isna().all()


def test_half_widths_and_interval() -> None:
    table = pd.DataFrame({"situation": ["inside", "inside", "imputed"], "lo": [0.0, 5.0, 0.0],
                          "hi": [5.0, np.inf, np.inf], "n": [30, 30, 30], "half_width": [0.1, 0.3, 1.0]})
    q = iv.half_widths(table, ["inside", "inside", "imputed", "outside"], [4.9, 25.0, np.nan, 1.0])
    assert q[:3].tolist() == [0.1, 0.3, 1.0] and np.isnan(q[3])
    lo, hi = iv.interval([100.0, 100.0], [0.1, 0.0])
    assert lo[0] == pytest.approx(100 * np.exp(-0.1)) and hi[0] == pytest.approx(100 * np.exp(0.1))
    assert lo[1] == hi[1] == 100.0


def test_aggregate_rules() -> None:
    # two members with deviations 3 and 4 on each side: in quadrature 5, as a bound 7
    lo, hi = iv.aggregate_deviations([9.0 + 16.0], [9.0 + 16.0], "independent")
    assert lo.tolist() == [5.0] and hi.tolist() == [5.0]
    lo, hi = iv.aggregate_deviations([3.0 + 4.0], [3.0 + 4.0], "bound")
    assert lo.tolist() == [7.0]


def test_leave_one_point_out_uses_the_other_points() -> None:
    pts = pd.DataFrame({"country_code": [1, 1, 1, 2], "sex": 0, "t": [2000.0, 2010.0, 2020.0, 2005.0],
                        "value": [100.0, 200.0, 400.0, 50.0]})

    def predict(rest: pd.DataFrame, times: np.ndarray) -> pd.DataFrame:
        # the mean of the remaining points of each country, at every time
        means = rest.groupby("country_code")["value"].mean()
        return pd.DataFrame([(c, t, m) for c, m in means.items() for t in times],
                            columns=["country_code", "t", "value"])

    out = ho.leave_one_point_out(pts, predict)
    assert out["country_code"].tolist() == [1, 1, 1]  # country 2 has one point: nothing to predict from
    assert out["predicted"].tolist() == pytest.approx([300.0, 250.0, 150.0])
    assert out["situation"].tolist() == ["outside", "inside", "outside"]
    assert out["distance"].tolist() == pytest.approx([10.0, 10.0, 10.0])
    assert out["score"].tolist() == pytest.approx(np.abs(np.log([3.0, 1.25, 150 / 400])))


def test_leave_one_country_out_rounds() -> None:
    pts = pd.DataFrame({"country_code": [1, 2, 3], "t": [2000.0, 2000.0, 2000.0],
                        "value": [10.0, 20.0, 40.0]})
    seen = []

    def impute(left: pd.DataFrame) -> np.ndarray:
        seen.append(sorted(left["country_code"]))
        others = pts[~pts["country_code"].isin(left["country_code"])]
        return np.full(len(left), others["value"].median())

    out = ho.leave_one_country_out(pts, impute, pd.Series({1: 0, 2: 1, 3: 0}))
    assert seen == [[1, 3], [2]]
    assert out["predicted"].tolist() == [20.0, 25.0, 20.0]
    assert (out["situation"] == "imputed").all()


def test_cross_validated_coverage_uses_other_folds() -> None:
    rng = np.random.default_rng(5)
    scores = pd.DataFrame({"country_code": np.repeat(np.arange(100), 10), "situation": "inside",
                           "distance": rng.uniform(0, 10, 1000), "score": rng.exponential(0.2, 1000)})
    folds = ho.country_folds(scores["country_code"], 5, seed=0)
    assert sorted(folds.value_counts().tolist()) == [20] * 5
    assert folds.equals(ho.country_folds(scores["country_code"][::-1], 5, seed=0))  # reproducible
    out = iv.cross_validated_coverage(scores, folds, 0.8)
    assert abs(out["covered"].mean() - 0.8) < 0.04


def test_aggregate_without_a_member_interval_has_none() -> None:
    from gmrd.estimate.pipeline import with_aggregates

    rows = pd.DataFrame({"area_code": [4, 8], "year": 2020, "sex": 0, "age": "total", "value": [10.0, 20.0],
                         "lower": [7.0, 16.0], "upper": [14.0, 23.0], "flags": ""})
    world = with_aggregates(rows, "bound").set_index("area_code").loc[900]
    assert (world["lower"], world["value"], world["upper"]) == (23.0, 30.0, 37.0)
    rows.loc[1, ["lower", "upper"]] = np.nan
    world = with_aggregates(rows, "independent").set_index("area_code").loc[900]
    assert world["value"] == 30.0 and np.isnan(world["lower"]) and np.isnan(world["upper"])


def test_share_scores_one_row_per_cell_and_group() -> None:
    keys = {"country_code": [1, 1], "sex": [1, 2], "year": [2000, 2000]}
    own = pd.DataFrame({**keys, "0-4": [0.1, 0.0], "5-9": [0.2, 0.3]})
    pred = pd.DataFrame({**keys, "0-4": [0.2, 0.1], "5-9": [0.2, 0.6]})
    out = ho.share_scores(own, pred, ["0-4", "5-9"])
    # the zero share (sex 2, 0-4) has no score
    assert out[["sex", "age"]].to_numpy().tolist() == [[1, "0-4"], [1, "5-9"], [2, "5-9"]]
    assert out["score"].tolist() == pytest.approx([np.log(2), 0.0, np.log(2)])


def test_leave_one_country_out_shares_hides_the_country() -> None:
    own = pd.DataFrame({"country_code": [1, 2, 3], "sex": 1, "year": 2000, "a": [0.1, 0.2, 0.6]})

    def pattern(known: pd.DataFrame) -> pd.DataFrame:  # the mean of the known countries
        missing = sorted(set(own["country_code"]) - set(known["country_code"]))
        return pd.DataFrame({"country_code": missing, "sex": 1, "year": 2000, "a": known["a"].mean()})

    got = ho.leave_one_country_out_shares(own, pattern, pd.Series({1: 0, 2: 1, 3: 2}))
    assert got.sort_values("country_code")["a"].tolist() == pytest.approx([0.4, 0.35, 0.15])


def test_age_half_widths_and_combination() -> None:
    scores = pd.DataFrame({"age": ["0-4"] * 9 + ["5-9"] * 9,
                           "score": np.r_[np.arange(1, 10), np.arange(1, 10) * 2] / 10})
    q = iv.age_half_widths(scores, 0.8)
    assert q.to_dict() == pytest.approx({"0-4": 0.8, "5-9": 1.6})
    assert iv.combine_half_widths([0.3], [0.4]).tolist() == pytest.approx([0.5])
