"""The analysis on a synthetic pilot sample: left-behind estimates, comparisons, bad design input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from gmrd.errors import DesignError, InputError
from gmrd.survey.analyze import analyze, effect_size
from gmrd.survey.analyze_frames import parent_residence
from gmrd.survey.load_config import parse_config
from gmrd.survey.pilot.files import population_truth, survey_data
from gmrd.survey.pilot.population import COUNTRIES, CountrySpec, simulate_population
from gmrd.survey.pilot.sample import SampleSpec, sample_population

SMALL = CountrySpec("Small", clusters_per_region=40, effect=0.6, seed=5)
DESIGN = {"weights": "hhweight", "strata": "stratum", "clusters": ["HH1"]}


@pytest.fixture(scope="module")
def sample():
    return sample_population(simulate_population(SMALL), SampleSpec(clusters_per_stratum=8), seed=3)


def test_weights_add_up_to_the_population() -> None:
    population = simulate_population(SMALL)
    for method in ("pps", "srs"):
        drawn = sample_population(population, SampleSpec(method=method), seed=2)
        total = drawn.households["hhweight"].sum()
        # PPS with households as the size measure is self-weighting: the weights add up exactly
        assert total == pytest.approx(len(population.households), rel=1e-9 if method == "pps" else 0.1)


def test_parent_residence_follows_the_roster_calculation() -> None:
    # alive, in household, where -> residence (roster.py: 4 dead, 8 unknown, 1 here, 3 abroad, 2 in country)
    out = parent_residence(pd.Series([2, 8, 1, 1, 1, None]), pd.Series([None, None, 1, 2, 2, None]),
                           pd.Series([None, None, None, 1, 3, None]))
    assert out[:5].tolist() == [4, 8, 1, 3, 2] and np.isnan(out[5])


def test_analysis_tables(sample) -> None:
    result = analyze(survey_data(sample), parse_config({"design": DESIGN, "value_set": "uk-3l-tto"}))
    overall = result.left_behind.query("domain == 'All' and indicator == 'lb_any'").set_index("statistic")
    share = overall.loc["share"]
    assert 0 < share["ci_low"] < share["estimate"] < share["ci_high"] < 1
    by_sex = result.left_behind.query("domain == 'Sex' and indicator == 'lb_any' and statistic == 'number'")
    assert by_sex["estimate"].sum() == pytest.approx(overall.loc["number", "estimate"])
    ages = result.left_behind.query("domain == 'Age group' and indicator == 'lb_any' and statistic == 'share'")
    assert ages["group"].tolist() == ["0-4", "5-9", "10-14", "15-17"]
    ladder = result.comparisons.set_index("outcome").loc["ladder"]
    assert ladder["difference"] < 0 and ladder["p_value"] < 0.05 and ladder["hedges_g"] < 0
    assert set(result.comparisons["outcome"]) >= {"ladder", "eq5d_lss", "eq5d_index", "happy"}
    assert np.isfinite(result.comparisons.set_index("outcome").loc["happy", "rao_scott_p"])
    assert set(result.reliability["scale"]) == {"Life-domain satisfaction (LSD, 1-5)", "EQ-5D dimensions (levels 1-3)"}
    receives = result.remittances.query("section == 'Receives remittances'")
    assert len(receives) == 2


def test_effect_size_equal_weights_is_hedges_g() -> None:
    # Hedges' g = d (1 - 3 / (4 (n1 + n2) - 9)); groups {1,2,3} and {2,3,4}: d = 1 / 1 = 1
    frame = pd.DataFrame({"y": [1.0, 2, 3, 2, 3, 4], "g": ["a"] * 3 + ["b"] * 3})
    assert effect_size(frame, np.ones(6), "y", "g", "a", "b") == pytest.approx(1 - 3 / 15)


def test_missing_design_variable_is_named(sample) -> None:
    config = parse_config({"design": {**DESIGN, "weights": "wt"}, "outputs": ["left_behind"]})
    with pytest.raises(InputError, match="household variable\\(s\\) wt not found"):
        analyze(survey_data(sample), config)


def test_weights_must_be_positive(sample) -> None:
    households = sample.households.copy()
    households.loc[5, "hhweight"] = 0.0
    data = survey_data(sample)
    data = type(data)(households, data.members, data.children, data.abroad)
    with pytest.raises(DesignError, match="hhweight"):
        analyze(data, parse_config({"design": DESIGN, "outputs": ["remittances"]}))


def test_single_psu_strata_fail_or_are_handled(sample) -> None:
    households = sample.households.copy()
    households.loc[households["HH1"] == 1, "stratum"] = 99  # cluster 1 alone in its stratum
    data = survey_data(sample)
    data = type(data)(households, data.members, data.children, data.abroad)
    with pytest.raises(DesignError, match="only one sampling unit"):
        analyze(data, parse_config({"design": DESIGN, "outputs": ["remittances"]}))
    result = analyze(data, parse_config({"design": {**DESIGN, "lonely_psu": "adjust"}, "outputs": ["remittances"]}))
    assert any("lonely_psu='adjust'" in w for w in result.warnings)
    assert result.design["households"]["lonely_strata"] == 1


def test_truth_of_country_b_has_no_real_difference() -> None:
    truth = population_truth(simulate_population(COUNTRIES["B"]))
    assert abs(truth["ladder_difference"]) < 0.05
    truth_a = population_truth(simulate_population(COUNTRIES["A"]))
    assert truth_a["ladder_difference"] < -0.5


def test_df_rule_domain_or_design_and_the_report_says_which(sample) -> None:
    """Regions are strata, so a region's rows lie in its own PSUs only: with the default ``domain`` rule
    its intervals use its PSUs minus one stratum, with ``design`` the whole design's df (issue 12)."""
    from gmrd.survey.report import render_html, result_document

    config = parse_config({"design": DESIGN, "outputs": ["left_behind"], "variables": {"region": "HH7"}})
    data = survey_data(sample)
    by_domain, by_design = analyze(data, config), analyze(data, config, df="design")
    design_df = by_domain.design["children"]["df"]
    regions = by_domain.left_behind.query("domain == 'Region'")
    assert (regions["df"] < design_df).all()
    assert (by_design.left_behind["df"] == design_df).all()
    wide = regions.iloc[0]
    narrow = by_design.left_behind.query("domain == 'Region'").iloc[0]
    assert wide["se"] == narrow["se"]
    assert wide["ci_high"] - wide["ci_low"] > narrow["ci_high"] - narrow["ci_low"]
    assert result_document(by_design)["df_rule"] == "design"
    html = render_html(by_design)
    assert "<code>--df design</code>: PSUs minus strata of the whole design" in html
    assert "<code>--df domain</code>: PSUs with rows in the domain" in render_html(by_domain)
