"""Every published result of R's survey package in survey_api/reference_cases.csv, reproduced by gmrd.

Sources (per row of reference_cases.csv, column ``source``): the survey package's saved test output of
``example(api)`` (cran/survey tests/testoutput/api.Rout.saved) and its example pages
(r-survey.r-forge.r-project.org: example-summary, example-domain, svyttest reference).

Tolerance: 1e-6 relative for estimates and 1e-4 relative for standard errors, or half a unit in the
last printed digit when the published figure is rounded more coarsely than that (e.g. 670.81).
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from gmrd.survey.compare import ttest
from gmrd.survey.design import SurveyDesign
from gmrd.survey.estimators import by, mean, proportion, total


def _tolerance(published: str, relative: float) -> float:
    decimals = len(published.split(".")[1]) if "." in published else 0
    return max(relative * abs(float(published)), 0.5 * 10.0 ** -decimals)


def _close(value: float, published: str, relative: float) -> bool:
    return abs(value - float(published)) <= _tolerance(published, relative)


def _design(folder: Path, dataset: str, design_r: str) -> SurveyDesign:
    data = pd.read_csv(folder / f"{dataset}.csv")
    data["is_E"] = data["stype"] == "E"
    data["api_diff"] = data["api00"] - data["api99"]
    if "sch.wide" in data:
        data["stype_schwide"] = data["stype"] + "." + data["sch.wide"]
    if design_r.startswith("svydesign(id=~dnum, weights=~pw, fpc=~fpc)"):
        return SurveyDesign.from_frame(data, weights="pw", clusters=["dnum"], fpc=["fpc"])
    if design_r.startswith("svydesign(id=~1, strata=~stype"):
        return SurveyDesign.from_frame(data, weights="pw", strata="stype", fpc=["fpc"])
    if design_r.startswith("svydesign(id=~dnum+snum, weights=~pw)"):
        return SurveyDesign.from_frame(data, weights="pw", clusters=["dnum", "snum"])
    if design_r.startswith("svydesign(id=~dnum+snum, fpc=~fpc1+fpc2)"):
        return SurveyDesign.from_frame(data, clusters=["dnum", "snum"], fpc=["fpc1", "fpc2"])
    raise AssertionError(f"design not covered by this test: {design_r}")


def _mask(data: pd.DataFrame, domain: str) -> np.ndarray:
    mask = np.ones(len(data), dtype=bool)
    for part in domain.split("&"):
        name, value = (s.strip() for s in part.split("="))
        mask &= (data[name] == value).to_numpy()
    return mask


CASE_IDS = [f"api{i:02d}" for i in range(1, 25)]


def _cases(refdata: Path) -> dict[str, dict[str, str]]:
    rows = pd.read_csv(refdata / "survey_api" / "reference_cases.csv", dtype=str, keep_default_na=False)
    return {row["case_id"]: row for row in rows.to_dict("records")}


def test_every_published_case_is_covered(refdata: Path) -> None:
    assert sorted(_cases(refdata)) == CASE_IDS


@pytest.mark.parametrize("case_id", CASE_IDS)
def test_reference_case(case_id: str, refdata: Path) -> None:
    case = _cases(refdata)[case_id]
    folder = refdata / "survey_api"
    statistic, variable, domain = case["statistic"], case["variable"], case["domain"]
    if statistic == "population mean":
        pop = pd.read_csv(folder / "apipop.csv")
        pop["one"], pop["N"] = 1.0, float(len(pop))
        census = SurveyDesign.from_frame(pop, weights="one", fpc=["N"])
        est = mean(census, "api00")
        assert _close(est.value, case["estimate"], 1e-6)
        assert est.se == pytest.approx(0.0, abs=1e-9)
        published_total = re.search(r"=(\d+)", case["extra"])
        assert published_total is not None
        assert total(census, "enroll").value == pytest.approx(float(published_total.group(1)), rel=1e-12)
        return
    design = _design(folder, case["dataset"], case["design_R"])
    if statistic.startswith("svyttest"):
        extra = dict(re.findall(r"(t|df|p)=([-\d.e]+)", case["extra"]))
        if statistic == "svyttest one-sample":
            result = ttest(design, "api_diff")
        else:
            group = "is_E" if "stype" in variable else variable.split("~")[1]
            result = ttest(design, "enroll", group)
        assert _close(result.estimate, case["estimate"], 1e-6)
        assert _close(result.t, extra["t"], 1e-4)
        assert result.df == float(extra["df"])
        assert result.p_value == pytest.approx(float(extra["p"]), rel=1e-3)
        for level, low, high in re.findall(r"(\d+)% CI \(([-\d.]+),([-\d.]+)\)", case["extra"]):
            ci = result.ci(int(level) / 100)
            assert _close(ci[0], low, 1e-6) and _close(ci[1], high, 1e-6)
        return
    if statistic == "svymean (factor proportion)":
        name, level = variable.split("=")
        est = proportion(design, name)[level]
    elif statistic == "svyby svymean":
        # svyby over the stype x sch.wide interaction, as the published svyby(~api00, ~stype+sch.wide)
        est = by(design, variable, "stype_schwide", mean)[domain.replace("stype=", "").replace(
            " & sch.wide=", ".")]
    elif statistic == "svytotal in subset":
        est = total(design, variable, domain=_mask(design.data, domain))
    elif statistic == "svymean":
        est = mean(design, variable)
    elif statistic == "svytotal":
        est = total(design, variable)
    else:
        raise AssertionError(f"statistic not covered by this test: {statistic}")
    assert _close(est.value, case["estimate"], 1e-6), (est.value, case["estimate"])
    assert _close(est.se, case["se"], 1e-4), (est.se, case["se"])
