"""The left-behind survey analysis: children left behind, their well-being by migrant status,
remittances, and the reliability of each scale, all design-based.

Every estimate comes from :mod:`gmrd.survey.estimators` over a :class:`SurveyDesign` built on the
analysis frame (:mod:`gmrd.survey.analyze_frames`), with the household file's weights, strata,
clusters and fpc. Shares use the logit interval (R's ``svyciprop(method="logit")``), numbers and
means value ± t·SE on the design degrees of freedom; differences use the design-based t-test
(``svyttest``), categorical outcomes the Rao-Scott test (``svychisq``).
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from gmrd.errors import InputError
from gmrd.survey.analyze_frames import child_frame, respondent_frame, scale_items
from gmrd.survey.compare import rao_scott, ttest
from gmrd.survey.design import SurveyDesign
from gmrd.survey.estimators import DfRule, Estimate, by, mean, proportion, total, with_df
from gmrd.survey.load import SurveyData, load_survey
from gmrd.survey.load_config import AnalysisConfig, DesignSpec
from gmrd.survey.reliability import cronbach_alpha

OUTCOMES: dict[str, str] = {
    "ladder": "Life satisfaction (ladder 0-10)",
    "happy": "Very or somewhat happy (share)",
    "eq5d_lss": "EQ-5D level sum (5 best - 15)",
    "eq5d_any_problem": "EQ-5D: any problem (share)",
    "eq5d_vas": "EQ-5D VAS (0-100)",
    "eq5d_index": "EQ-5D index",
}
BINARY = {"happy", "eq5d_any_problem"}
INDICATORS: dict[str, str] = {"lb_any": "Any parent abroad", "lb_father": "Father abroad",
                              "lb_mother": "Mother abroad", "lb_both": "Both parents abroad"}


@dataclass(frozen=True)
class AnalysisResult:
    """Tables of the analysis (each a DataFrame with estimate, se, ci_low, ci_high, …)."""

    config: AnalysisConfig
    design: dict[str, Any]
    left_behind: pd.DataFrame
    group_means: pd.DataFrame
    comparisons: pd.DataFrame
    distributions: dict[str, pd.DataFrame]
    remittances: pd.DataFrame
    reliability: pd.DataFrame
    warnings: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)
    df_rule: DfRule = "domain"


def build_design(frame: pd.DataFrame, spec: DesignSpec) -> SurveyDesign:
    """The survey design of an analysis frame (see ``SurveyDesign.from_frame``)."""
    return SurveyDesign.from_frame(frame, weights=spec.weights, strata=spec.strata, clusters=list(spec.clusters),
                                   fpc=list(spec.fpc), lonely_psu=spec.lonely_psu, nest=spec.nest)  # type: ignore[arg-type]


def _clean(x: float) -> float:
    return float(x) if x is not None and math.isfinite(x) else float("nan")


def estimate_row(est: Estimate, level: float, design: SurveyDesign | None = None,
                 df: DfRule = "domain") -> dict[str, float]:
    """estimate, se, ci_low, ci_high, df, deff and n of an Estimate (its interval on the design's
    degrees of freedom with ``df="design"``, see :func:`gmrd.survey.estimators.with_df`)."""
    if design is not None:
        est = with_df(est, design, df)
    low, high = est.ci(level)
    return {"estimate": _clean(est.value), "se": _clean(est.se), "ci_low": _clean(low), "ci_high": _clean(high),
            "df": _clean(est.df), "deff": _clean(est.deff) if est.deff is not None else float("nan"), "n": est.n}


def _share(levels: dict[Any, Estimate]) -> Estimate:
    """The estimate of level 1 of a 0/1 proportion (a zero estimate when nobody has it)."""
    for key, est in levels.items():
        if float(key) == 1.0:
            return est
    first = next(iter(levels.values()))
    return Estimate(0.0, 0.0, first.df, None, first.n, "logit")


def left_behind_table(frame: pd.DataFrame, design: SurveyDesign, domains: dict[str, str],
                      level: float = 0.95, df: DfRule = "domain") -> pd.DataFrame:
    """Number and share of children (0-17) left behind, overall and by each domain variable.

    Parameters
    ----------
    frame : :func:`child_frame` (its ``lb_*`` indicators)
    design : the design over ``frame``
    domains : display name → column (e.g. {"Sex": "sex_label", "Age group": "age_group"})
    level : confidence level
    df : degrees of freedom of the intervals, ``"domain"`` or ``"design"`` (``with_df``)

    Returns
    -------
    DataFrame with indicator, label, domain, group, statistic ("share"/"number") and the estimate row.

    References
    ----------
    .. [1] Lumley, T. R package ``survey``: ``svytotal``, ``svyciprop(method="logit")``, ``svyby``.
    .. [2] Cortina, J. (2014). Beyond the money: the impact of international migration on children's
       life satisfaction. Migration and Development 3(1):1-21 (left behind by mother, father, both).
    """
    rows: list[dict[str, Any]] = []

    def row(est: Estimate) -> dict[str, float]:
        return estimate_row(est, level, design, df)

    for indicator, label in INDICATORS.items():
        base = {"indicator": indicator, "label": label}
        rows.append({**base, "domain": "All", "group": "All children 0-17", "statistic": "share",
                     **row(_share(proportion(design, indicator)))})
        rows.append({**base, "domain": "All", "group": "All children 0-17", "statistic": "number",
                     **row(total(design, indicator))})
        for name, column in domains.items():
            shares = by(design, indicator, column, proportion)
            numbers = by(design, indicator, column, total)
            order = list(shares)
            if isinstance(frame[column].dtype, pd.CategoricalDtype):  # keep the categories' order
                order = [g for g in frame[column].cat.categories if g in shares]
            for group in order:
                rows.append({**base, "domain": name, "group": str(group), "statistic": "share",
                             **row(_share(shares[group]))})
                rows.append({**base, "domain": name, "group": str(group), "statistic": "number",
                             **row(numbers[group])})
    return pd.DataFrame(rows)


def effect_size(frame: pd.DataFrame, weights: np.ndarray, outcome: str, group: str, first: str,
                second: str) -> float:
    """Standardized mean difference (Hedges' g) of ``second - first`` with design-weighted moments.

    Group means and variances are weighted (variance with the n/(n-1) factor, as ``svyvar``); the
    pooled SD is sqrt(((n1-1) s1² + (n2-1) s2²) / (n1 + n2 - 2)); g = J·d with J = 1 - 3/(4(n1+n2) - 9).

    References
    ----------
    .. [1] Hedges, L. V. (1981). Distribution theory for Glass's estimator of effect size and related
       estimators. Journal of Educational Statistics 6(2):107-128.
    .. [2] Cohen, J. (1988). Statistical Power Analysis for the Behavioral Sciences, 2nd ed. Erlbaum.
    """
    y = pd.to_numeric(frame[outcome], errors="coerce").to_numpy(dtype=float)
    g = frame[group].to_numpy()
    stats: list[tuple[float, float, int]] = []
    for name in (first, second):
        mask = (g == name) & ~np.isnan(y)
        n = int(mask.sum())
        if n < 2:
            return float("nan")
        w, v = weights[mask], y[mask]
        m = float(np.sum(w * v) / np.sum(w))
        s2 = float(np.sum(w * (v - m) ** 2) / np.sum(w) * n / (n - 1))
        stats.append((m, s2, n))
    (m1, s1, n1), (m2, s2, n2) = stats
    pooled = math.sqrt(((n1 - 1) * s1 + (n2 - 1) * s2) / (n1 + n2 - 2))
    if pooled == 0:
        return float("nan")
    return (m2 - m1) / pooled * (1 - 3 / (4 * (n1 + n2) - 9))


def compare_outcomes(frame: pd.DataFrame, design: SurveyDesign, outcomes: list[str],
                     level: float = 0.95, df: DfRule = "domain") -> tuple[pd.DataFrame, pd.DataFrame]:
    """Means by migrant status and the migrant - non-migrant difference of each outcome.

    Returns (group means, comparisons): the comparison has the difference with its t-test CI and
    p-value, Hedges' g, and for 0/1 outcomes the Rao-Scott F test of independence.
    """
    means: list[dict[str, Any]] = []
    tests: list[dict[str, Any]] = []
    migrant, other = "Migrant household", "Non-migrant household"
    for outcome in outcomes:
        label = OUTCOMES.get(outcome, outcome)
        for group, est in by(design, outcome, "migrant", mean).items():
            means.append({"outcome": outcome, "label": label, "group": group,
                          **estimate_row(est, level, design, df)})
        test = ttest(design, outcome, "migrant")  # sorted levels: estimate = non-migrant - migrant
        low, high = test.ci(level)
        row: dict[str, Any] = {"outcome": outcome, "label": label, "difference": -test.estimate, "se": test.se,
                               "ci_low": -high, "ci_high": -low, "t": -test.t, "df": test.df,
                               "p_value": test.p_value,
                               "hedges_g": effect_size(frame, design.weights, outcome, "migrant", other, migrant),
                               "rao_scott_f": float("nan"), "rao_scott_p": float("nan")}
        if outcome in BINARY:
            rs = rao_scott(design, outcome, "migrant")
            row.update(rao_scott_f=rs.f, rao_scott_p=rs.p_value)
        tests.append(row)
    return pd.DataFrame(means), pd.DataFrame(tests)


def distribution(frame: pd.DataFrame, weights: np.ndarray, outcome: str, group: str) -> pd.DataFrame:
    """Weighted percentage distribution of an outcome's values within each group (for charts)."""
    data = pd.DataFrame({"value": pd.to_numeric(frame[outcome], errors="coerce"), "group": frame[group], "w": weights})
    data = data.dropna()
    table = data.groupby(["group", "value"])["w"].sum().unstack(0).fillna(0.0)
    return (100 * table / table.sum()).reset_index()


def remittance_table(households: pd.DataFrame, design: SurveyDesign, level: float = 0.95,
                     df: DfRule = "domain") -> pd.DataFrame:
    """Receipt of remittances (all and migrant-sending households) and, among receivers, frequency
    (RM2), channels (RM3_*), uses (RM6_*) and the mean amount (RM4, in the reported currency).

    References
    ----------
    .. [1] IMF (2009). International Transactions in Remittances: Guide for Compilers and Users.
    .. [2] Lumley, T. R package ``survey``: domain means with ``svymean`` on subsets keep all PSUs.
    """
    from gmrd.survey.modules.remittances import CHANNEL, FREQUENCY, USES

    rows: list[dict[str, Any]] = []

    def row(est: Estimate) -> dict[str, float]:
        return estimate_row(est, level, design, df)

    if "RM1" not in households.columns:
        return pd.DataFrame(rows)
    receives = (pd.to_numeric(households["RM1"], errors="coerce") == 1)
    sending = households["migrant_household"] == 1
    for name, domain in (("All households", None), ("Migrant-sending households", sending.to_numpy())):
        rows.append({"section": "Receives remittances", "item": name,
                     **row(_share(proportion(design, "receives", domain=domain)))})
    mask = receives.to_numpy()
    if "RM2" in households.columns:
        labels = {int(c.value): c.label.en for c in FREQUENCY}
        for code, est in proportion(design, "RM2", domain=mask).items():
            rows.append({"section": "Frequency (receiving households)", "item": labels.get(int(code), str(code)),
                         **row(est)})
    for prefix, section, choices in (("RM3_", "Channel (receiving households)", CHANNEL),
                                     ("RM6_", "Use (receiving households)", USES)):
        names = {c.value: c.label.en for c in choices}
        for column in [c for c in households.columns if c.startswith(prefix)]:
            rows.append({"section": section, "item": names.get(column[len(prefix):], column[len(prefix):]),
                         **row(_share(proportion(design, column, domain=mask)))})
    if "RM4" in households.columns:
        rows.append({"section": "Amount in the last 12 months (receiving households)", "item": "Mean amount",
                     **row(mean(design, "RM4", domain=mask))})
    return pd.DataFrame(rows)


def reliability_table(children: pd.DataFrame) -> pd.DataFrame:
    """Cronbach's alpha with Feldt's 95% interval for each multi-item scale (unweighted)."""
    rows: list[dict[str, Any]] = []
    for name, items in scale_items(children).items():
        result = cronbach_alpha(items, nan_policy="pairwise")
        rows.append({"scale": name, "items": result.k, "respondents": result.n, "alpha": result.alpha,
                     "ci_low": result.ci[0], "ci_high": result.ci[1],
                     "lowest_item_total": f"{result.item_total.idxmin()} ({result.item_total.min():.2f})"})
    return pd.DataFrame(rows)


def _design_summary(design: SurveyDesign, name: str) -> dict[str, Any]:
    first = design.stages[0]
    return {"unit": name, "rows": design.n_rows, "psus": first.n_units, "strata": first.n_strata,
            "df": design.degrees_of_freedom, "sum_of_weights": float(design.weights.sum()),
            "lonely_psu": design.lonely_psu, "lonely_strata": int(first.lonely.sum())}


def analyze(data: SurveyData, config: AnalysisConfig, df: DfRule = "domain") -> AnalysisResult:
    """Run every requested output of the configuration over linked survey data; ``df`` chooses the
    degrees of freedom of the intervals (``"domain"`` or ``"design"``, see ``with_df``).

    Raises
    ------
    InputError, DesignError
        Missing design or analysis variables, invalid weights, single-PSU strata with
        ``lonely_psu: fail``, or codes outside the questionnaire's.
    """
    spec = config.design
    hh_columns = spec.columns() + ([config.region] if config.region else [])
    region_labels = {**{float(k): v for k, v in data.value_labels.get(config.region or "", {}).items()},
                     **{float(k): str(v) for k, v in config.labels.get(config.region or "", {}).items()}}
    notes: list[str] = list(data.warnings)
    summary: dict[str, Any] = {}
    empty = pd.DataFrame()
    left = means = comparisons = remit = reliab = empty
    dists: dict[str, pd.DataFrame] = {}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        if "left_behind" in config.outputs:
            kids = child_frame(data, hh_columns, age=config.age, sex=config.sex, migrant=config.migrant)
            domains = {"Sex": "sex_label", "Age group": "age_group"}
            if config.region:
                kids["region_label"] = pd.to_numeric(kids[config.region], errors="coerce").map(
                    lambda v: region_labels.get(v, f"{v:g}") if pd.notna(v) else None)
                domains["Region"] = "region_label"
            design = build_design(kids, spec)
            summary["children"] = _design_summary(design, "children 0-17 (roster)")
            left = left_behind_table(kids, design, domains, config.level, df)
        if "wellbeing" in config.outputs or "reliability" in config.outputs:
            resp = respondent_frame(data, hh_columns, age=config.age, sex=config.sex, migrant=config.migrant,
                                    value_set=config.value_set)
            if "wellbeing" in config.outputs:
                if resp["migrant"].nunique() != 2:
                    raise InputError("well-being comparison needs both migrant and non-migrant households "
                                     f"(variable {config.migrant!r})", field=config.migrant)
                design = build_design(resp, spec)
                summary["respondents"] = _design_summary(design, "child respondents 10-17")
                outcomes = [o for o in OUTCOMES if o in resp.columns and resp[o].notna().any()]
                means, comparisons = compare_outcomes(resp, design, outcomes, config.level, df)
                for outcome in ("ladder", "eq5d_lss"):
                    if outcome in resp.columns:
                        dists[outcome] = distribution(resp, design.weights, outcome, "migrant")
            if "reliability" in config.outputs:
                reliab = reliability_table(resp)
        if "remittances" in config.outputs:
            hh = data.households.assign(migrant_household=_flag(data, config.migrant))
            if "RM1" in hh.columns:
                hh["receives"] = (pd.to_numeric(hh["RM1"], errors="coerce") == 1).astype(float)
                design = build_design(hh, spec)
                summary["households"] = _design_summary(design, "households")
                remit = remittance_table(hh, design, config.level, df)
            else:
                notes.append("no remittance variables (RM1) in the household file: remittances left out")
    notes += [str(w.message) for w in caught if issubclass(w.category, UserWarning)]
    return AnalysisResult(config, summary, left, means, comparisons, dists, remit, reliab,
                          tuple(dict.fromkeys(notes)), df_rule=df)


def _flag(data: SurveyData, migrant: str) -> np.ndarray:
    from gmrd.survey.analyze_frames import migrant_flag

    return migrant_flag(data, migrant).to_numpy()


def analyze_path(data: Path, config: AnalysisConfig, df: DfRule = "domain") -> AnalysisResult:
    """Load the survey at ``data`` (folder of linked files, ODK/Kobo export or one file) as the
    configuration describes, and :func:`analyze` it."""
    survey = load_survey(data, files=config.files or None, keys=config.keys, orphans=config.orphans)  # type: ignore[arg-type]
    return analyze(survey, config, df)
