"""Bad designs give clear errors or warnings; estimators keep their defining identities.

Numbers checked here are identities (a domain estimate equals the masked estimate, proportions sum to one,
a ratio over a constant is a mean, a census has zero variance); the published R values are checked in
test_survey_reference_cases.py and the random-design comparison with R in tests/integration/survey.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from gmrd.errors import DesignError, GmrdError
from gmrd.survey.compare import rao_scott, ttest
from gmrd.survey.design import SurveyDesign, SurveyWarning
from gmrd.survey.estimators import Estimate, by, mean, proportion, ratio, total
from gmrd.survey.variance import linearized_variance


def frame(seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    psu = np.repeat(np.arange(12), 5)
    return pd.DataFrame({
        "st": psu % 3, "psu": psu, "w": rng.uniform(1, 4, 60), "y": rng.normal(10, 2, 60),
        "x": rng.uniform(1, 3, 60), "dom": rng.choice(["a", "b"], 60), "cat": rng.choice(["u", "v", "z"], 60),
        "N": 40.0,
    })


def design(df: pd.DataFrame | None = None, **options: object) -> SurveyDesign:
    spec: dict[str, object] = {"weights": "w", "strata": "st", "clusters": ["psu"]}
    spec.update(options)
    return SurveyDesign.from_frame(frame() if df is None else df, **spec)  # type: ignore[arg-type]


def test_errors_are_gmrd_errors() -> None:
    assert issubclass(DesignError, GmrdError)


@pytest.mark.parametrize(("options", "message"), [
    ({"weights": "weight"}, "field 'weight': design column not found"),
    ({"strata": "stratum"}, "field 'stratum'"),
    ({"clusters": ["psu", "ssu"]}, "field 'ssu'"),
    ({"lonely_psu": "drop"}, "lonely_psu must be one of"),
    ({"fpc": ["N", "N"]}, "one fpc column per sampling stage"),
])
def test_unknown_columns_and_options(options: dict[str, object], message: str) -> None:
    with pytest.raises(DesignError, match=message):
        design(**options)


def test_missing_value_in_design_variable_names_row_and_field() -> None:
    df = frame()
    df.loc[7, "st"] = np.nan
    with pytest.raises(DesignError, match=r"field 'st', row 8: missing value"):
        design(df)


@pytest.mark.parametrize("bad", [0.0, -1.0, np.nan])
def test_weights_must_be_positive(bad: float) -> None:
    df = frame()
    df.loc[3, "w"] = bad
    with pytest.raises(DesignError, match=r"field 'w', row 4"):
        design(df)


def test_clusters_not_nested_in_strata_suggest_nest() -> None:
    df = frame()
    df["psu"] = np.tile(np.arange(5), 12)  # the same PSU codes in every stratum
    with pytest.raises(DesignError, match="more than one stratum.*nest=True"):
        design(df)
    nested = design(df, nest=True)
    assert nested.stages[0].n_units == len(df.groupby(["st", "psu"]))


def test_one_psu_design_is_an_error() -> None:
    df = frame()
    df["psu"] = 1
    with pytest.raises(DesignError, match="only one primary sampling unit"):
        design(df, strata=None)


def test_fpc_checks() -> None:
    df = frame()
    df.loc[0, "N"] = 41.0
    with pytest.raises(DesignError, match="fpc varies within stratum"):
        design(df, fpc=["N"])
    df["N"] = 2.0
    with pytest.raises(DesignError, match="more than 100% sampling"):
        design(df, fpc=["N"])
    df["N"] = np.where(df["st"] == 0, 0.5, 40.0)
    with pytest.raises(DesignError, match="all population sizes"):
        design(df, fpc=["N"])


def test_fpc_as_population_size_or_fraction_agree() -> None:
    df = frame()
    df["f"] = 4 / 40  # 4 PSUs sampled of 40 in each stratum
    by_size, by_fraction = mean(design(df, fpc=["N"]), "y"), mean(design(df, fpc=["f"]), "y")
    assert by_size.se == pytest.approx(by_fraction.se, rel=1e-12)
    assert by_size.se < mean(design(df), "y").se


def lonely_frame() -> pd.DataFrame:
    df = frame()
    df.loc[df["psu"].isin([3, 6, 9]), "psu"] = 0  # stratum 0 keeps one PSU
    return df


def test_single_psu_stratum_fails_by_default() -> None:
    with pytest.raises(DesignError, match="stratum 0 has only one sampling unit at stage 1"):
        design(lonely_frame())


@pytest.mark.parametrize("method", ["remove", "certainty", "adjust", "average"])
def test_single_psu_stratum_options_warn_and_estimate(method: str) -> None:
    with pytest.warns(SurveyWarning, match=f"handled by lonely_psu='{method}'"):
        d = design(lonely_frame(), lonely_psu=method)
    est = mean(d, "y")
    assert np.isfinite(est.se) and est.se > 0


def test_lonely_options_order() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SurveyWarning)
        se = {m: mean(design(lonely_frame(), lonely_psu=m), "y").se
              for m in ("remove", "certainty", "average", "adjust")}
    assert se["remove"] == se["certainty"]
    assert se["average"] > se["remove"]  # scaled up by 3 strata / 2 strata with more than one PSU
    assert se["average"] ** 2 == pytest.approx(se["remove"] ** 2 * 3 / 2, rel=1e-12)


def test_adjust_domain_total_absent_from_lonely_stratum_gets_nothing_from_it() -> None:
    """A domain without rows in the single-PSU stratum: its total's variance is the with-replacement
    sum over the other strata alone (hand calculation below; R's svyby subsets the rows, so the
    stratum is gone, and gives the same figure: tests/integration/survey/test_survey_vs_r.py)."""
    df = lonely_frame()
    df["d"] = np.where((df["st"] == 0) | (df["psu"] % 2 == 0), "in", "out")  # 'out' absent from stratum 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SurveyWarning)
        d = design(df, lonely_psu="adjust")
    est = by(d, "y", "d", total)["out"]
    wy = np.where(df["d"] == "out", df["w"] * df["y"], 0.0)
    psu_totals = pd.Series(wy).groupby([df["st"], df["psu"]]).sum()
    variance = sum(len(t) / (len(t) - 1) * ((t - t.mean()) ** 2).sum()
                   for h, t in psu_totals.groupby(level=0) if h != 0)
    assert est.se == pytest.approx(np.sqrt(variance), rel=1e-12)


def test_no_weights_warns_and_uses_equal_weights() -> None:
    df = frame()
    with pytest.warns(SurveyWarning, match="equal probability"):
        d = SurveyDesign.from_frame(df, strata="st", clusters=["psu"])
    assert mean(d, "y").value == pytest.approx(df["y"].mean(), rel=1e-12)


def test_variable_errors() -> None:
    d = design()
    with pytest.raises(DesignError, match="field 'nosuch': no such column"):
        mean(d, "nosuch")
    with pytest.raises(DesignError, match=r"field 'dom', row 1: not a number"):
        mean(d, "dom")
    with pytest.raises(DesignError, match="exactly 2 groups"):
        ttest(d, "y", "cat")
    with pytest.raises(DesignError, match="one value per row"):
        mean(d, "y", domain=np.ones(3, dtype=bool))


def test_domain_estimates_equal_masked_estimates_and_keep_all_psus() -> None:
    df = frame()
    df.loc[[2, 11, 30], "y"] = np.nan
    d = design(df)
    results = by(d, "y", "dom", mean)
    for level, est in results.items():
        masked = mean(d, "y", domain=(df["dom"] == level).to_numpy())
        assert est == masked
        dropped = mean(design(df[df["dom"] == level].reset_index(drop=True)), "y")
        assert est.value == pytest.approx(dropped.value, rel=1e-12)
    totals = by(d, "y", "dom", total)
    assert sum(e.value for e in totals.values()) == pytest.approx(total(d, "y").value, rel=1e-12)


def test_missing_values_are_left_out() -> None:
    df = frame()
    df.loc[[0, 5], "y"] = np.nan
    est = mean(design(df), "y")
    kept = df.dropna(subset=["y"])
    assert est.value == pytest.approx(np.average(kept["y"], weights=kept["w"]), rel=1e-12)
    assert est.n == 58


def test_proportions_sum_to_one_and_equal_indicator_means() -> None:
    df = frame()
    d = design(df)
    props = proportion(d, "cat")
    assert sum(e.value for e in props.values()) == pytest.approx(1.0, rel=1e-12)
    df["is_u"] = (df["cat"] == "u").astype(float)
    indicator = mean(design(df), "is_u")
    assert props["u"].value == pytest.approx(indicator.value, rel=1e-12)
    assert props["u"].se == pytest.approx(indicator.se, rel=1e-12)
    for method in ("logit", "korn-graubard"):
        low, high = proportion(d, "cat", ci_method=method)["u"].ci()  # type: ignore[arg-type]
        assert 0 < low < props["u"].value < high < 1


def test_ratio_over_a_constant_is_the_mean() -> None:
    df = frame()
    df["one"] = 1.0
    d = design(df)
    r, m = ratio(d, "y", "one"), mean(d, "y")
    assert (r.value, r.se) == pytest.approx((m.value, m.se), rel=1e-12)


def test_census_has_no_sampling_variance() -> None:
    df = frame()
    df["N"] = 4.0  # every PSU of every stratum sampled
    assert total(design(df, fpc=["N"]), "y").se == pytest.approx(0.0, abs=1e-9)


def test_linearized_variance_matches_estimator_and_ci() -> None:
    df = frame()
    d = design(df)
    est = mean(d, "y")
    w, y = df["w"].to_numpy(), df["y"].to_numpy()
    scores = w * (y - est.value) / w.sum()
    assert np.sqrt(linearized_variance(scores, d)[0, 0]) == pytest.approx(est.se, rel=1e-12)
    assert est.df == 12 - 3
    low, high = Estimate(10.0, 1.0, 9.0).ci(0.95)
    assert (low, high) == pytest.approx((10 - 2.2621571627982, 10 + 2.2621571627982), rel=1e-12)


def test_rao_scott_needs_two_levels() -> None:
    df = frame()
    df["one"] = "x"
    with pytest.raises(DesignError, match="at least 2 values"):
        rao_scott(design(df), "one", "cat")
    result = rao_scott(design(df), "dom", "cat")
    assert result.ndf > 0 and 0 <= result.p_value <= 1
