"""Design-based estimators: means, totals, ratios, proportions, and domain (``by``) estimates.

Each estimator has a grouped form that computes all domains in one pass over the rows (unit sums of
``w`` and ``w*y`` per domain with ``np.bincount``), so ``by`` costs about as much as one estimate.
Rows outside a domain, and rows where the variable is missing (R's ``na.rm=TRUE``), stay in the design
with zero contribution: domain standard errors use every PSU of the design, as ``svyby`` does.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import stats

from gmrd.errors import DesignError
from gmrd.survey.design import SurveyDesign, level_codes
from gmrd.survey.variance import domain_degrees_of_freedom, group_keys, unit_sums, variance_from_totals

CiMethod = Literal["t", "logit", "korn-graubard"]
DfRule = Literal["domain", "design"]
#: Degrees of freedom of intervals: the default first (``--df``).
DF_RULES: tuple[str, ...] = ("domain", "design")
DF_RULE_TEXT: dict[str, str] = {
    "domain": "PSUs with rows in the domain minus their strata (R's degf of the domain's subset)",
    "design": "PSUs minus strata of the whole design (R's confint(svyby(...), df = degf(design)))",
}


@dataclass(frozen=True)
class Estimate:
    """One design-based estimate.

    Attributes
    ----------
    value : the estimate
    se : its Taylor-linearization standard error
    df : design degrees of freedom of the rows used (PSUs minus strata)
    deff : design effect against simple random sampling without replacement (Kish), if computed
    n : number of rows used (in the domain, variable not missing)
    ci_method : how :meth:`ci` builds the interval: ``"t"`` (value ± t_df · se), ``"logit"`` or
        ``"korn-graubard"`` (for proportions)
    """

    value: float
    se: float
    df: float
    deff: float | None = None
    n: int = 0
    ci_method: CiMethod = "t"

    def ci(self, level: float = 0.95) -> tuple[float, float]:
        """Confidence interval at ``level``.

        ``"t"`` uses Student's t with the design degrees of freedom (R's ``confint(..., df=degf(d))``;
        R's ``confint`` default is the normal quantile; with df ≤ 0, e.g. a domain in one PSU, the normal
        quantile is used here too). ``"logit"`` and ``"korn-graubard"`` are
        R's ``svyciprop(method="logit")`` and ``svyciprop(method="beta")``.

        References
        ----------
        .. [1] Korn, E. L. and Graubard, B. I. (1998). Confidence intervals for proportions with small
           expected number of positive counts estimated from survey data. Survey Methodology 24, 193-201.
        .. [2] Lumley, T. R package ``survey``, ``svyciprop`` (R/svyttest.R).
        """
        if not 0 < level < 1:
            raise DesignError(f"confidence level must be between 0 and 1, not {level}")
        alpha = 1 - level
        df = self.df if self.df > 0 else np.inf
        q = float(stats.t.ppf(1 - alpha / 2, df))
        p, se = self.value, self.se
        if not (np.isfinite(p) and np.isfinite(se)):
            return (float("nan"), float("nan"))
        if self.ci_method == "t":
            return (p - q * se, p + q * se)
        if p <= 0 or p >= 1:
            return (float(p), float(p))
        if self.ci_method == "logit":
            eta, se_eta = np.log(p / (1 - p)), se / (p * (1 - p))
            return (float(_expit(eta - q * se_eta)), float(_expit(eta + q * se_eta)))
        n_eff = p * (1 - p) / se**2 if se > 0 else float(self.n)
        n_eff *= (stats.t.ppf(alpha / 2, max(self.n - 1, 1)) / stats.t.ppf(alpha / 2, df)) ** 2
        low = stats.beta.ppf(alpha / 2, n_eff * p, n_eff * (1 - p) + 1)
        high = stats.beta.ppf(1 - alpha / 2, n_eff * p + 1, n_eff * (1 - p))
        return (float(low), float(high))


def with_df(estimate: Estimate, design: SurveyDesign, rule: DfRule) -> Estimate:
    """The estimate with the degrees of freedom its interval uses under ``rule``.

    ``"domain"`` keeps the estimate's own: PSUs with rows used (in the domain, variable present) minus
    their strata, R's ``degf`` of the domain's subset. ``"design"`` takes the whole design's PSUs minus
    strata, R's ``confint(svyby(...), df = degf(design))`` and the usual choice of Stata and SUDAAN
    for subpopulations. The two differ only for a domain (or a variable with missing values) absent
    from some PSUs; ``"domain"`` then gives the wider interval.

    References
    ----------
    .. [1] Lumley, T. R package ``survey``: ``degf``, ``confint.svyby``; Lumley, T. (2010). Complex
       Surveys: A Guide to Analysis Using R. Wiley, section 2.3.
    .. [2] West, B. T., Berglund, P. and Heeringa, S. G. (2008). A closer examination of subpopulation
       analysis of complex-sample survey data. The Stata Journal 8(4), 520-531.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"y": [1.0, 2, 3, 4, 5, 6], "w": 1.0, "psu": range(6), "d": [1, 1, 1, 1, 0, 0]})
    >>> design = SurveyDesign.from_frame(df, weights="w", clusters=["psu"])
    >>> est = by(design, "y", "d", mean)[1]
    >>> est.df, with_df(est, design, "design").df
    (3.0, 5.0)
    """
    if rule not in DF_RULES:
        raise DesignError(f"degrees of freedom must be one of {', '.join(DF_RULES)}, not {rule!r}")
    return estimate if rule == "domain" else replace(estimate, df=float(design.degrees_of_freedom))


def _expit(x: float) -> float:
    return float(1 / (1 + np.exp(-x)))


def numeric_column(design: SurveyDesign, name: str) -> np.ndarray:
    """A column as float64 (missing → NaN); text that is not a number is an error naming the row."""
    series = design.column(name)
    if pd.api.types.is_bool_dtype(series):
        return series.to_numpy(dtype=np.float64)
    if pd.api.types.is_numeric_dtype(series):
        return pd.to_numeric(series).to_numpy(dtype=np.float64, na_value=np.nan)
    values = pd.to_numeric(series, errors="coerce")
    bad = np.flatnonzero(values.isna().to_numpy() & series.notna().to_numpy())
    if bad.size:
        raise DesignError(f"field '{name}', row {int(bad[0]) + 1}: not a number ({series.iloc[bad[0]]!r}); "
                          "use proportion() for a categorical variable")
    return values.to_numpy(dtype=np.float64, na_value=np.nan)


def _domain_groups(design: SurveyDesign, domain: np.ndarray | pd.Series | None) -> np.ndarray:
    if domain is None:
        return np.zeros(design.n_rows, dtype=np.int64)
    mask = np.asarray(pd.Series(domain).fillna(False), dtype=bool) if isinstance(domain, pd.Series) \
        else np.asarray(domain, dtype=bool)
    if mask.shape != (design.n_rows,):
        raise DesignError(f"domain must have one value per row ({design.n_rows}), not {mask.shape}")
    return np.where(mask, 0, -1).astype(np.int64)


def _row_counts(groups: np.ndarray, n_groups: int) -> np.ndarray:
    """Rows used per group (groups -1: none)."""
    return np.bincount(groups + 1, minlength=n_groups + 1)[1:].astype(np.float64)


def _element_variance(groups: np.ndarray, n_groups: int, w: np.ndarray, y: np.ndarray,
                      center: np.ndarray, total_w: np.ndarray, n: np.ndarray) -> np.ndarray:
    """Weighted element variance per group with the n/(n-1) factor (R's ``svyvar``)."""
    dev = y - np.append(center, 0.0)[groups]  # groups -1 reads the appended 0; those rows weigh 0
    with np.errstate(invalid="ignore", divide="ignore"):
        sums = np.bincount(groups + 1, weights=w * dev * dev, minlength=n_groups + 1)[1:]
        return sums / total_w * n / (n - 1)


def _deff(variance: np.ndarray, s2: np.ndarray, n: np.ndarray, total_w: np.ndarray,
          scale: np.ndarray) -> np.ndarray:
    """Kish design effect: variance / SRS-without-replacement variance (``svymean(deff=TRUE)``)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        srs = s2 * scale**2 * (total_w - n) / (total_w * n)
        return np.where(total_w > n, variance / srs, np.nan)


def _finish(values: np.ndarray, variance: np.ndarray, df: np.ndarray, deff: np.ndarray | None,
            n: np.ndarray, ci_method: CiMethod = "t") -> list[Estimate]:
    se = np.sqrt(np.clip(np.diag(variance), 0, None))
    return [Estimate(float(values[g]), float(se[g]), float(df[g]),
                     None if deff is None else float(deff[g]), int(n[g]), ci_method)
            for g in range(values.shape[0])]


def _usable(design: SurveyDesign, values: np.ndarray, groups: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Groups with rows of missing ``values`` set to -1, and the values with missing set to 0."""
    missing = np.isnan(values)
    if not missing.any():
        return groups, values
    return np.where(missing, -1, groups), np.where(missing, 0.0, values)


def _weighted_sums(design: SurveyDesign, y: np.ndarray, groups: np.ndarray,
                   n_groups: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Unit sums of w and w*y per group, and the rows used per group."""
    keys = group_keys(design, groups, n_groups)
    w = design.weights
    size = n_groups * design.stages[-1].n_units
    n = np.bincount(keys, minlength=size + 1)[:size].reshape(n_groups, -1).sum(axis=1).astype(np.float64)
    return (unit_sums(w, design, n_groups=n_groups, keys=keys),
            unit_sums(w * y, design, n_groups=n_groups, keys=keys), n)


def mean_groups(design: SurveyDesign, y: str, groups: np.ndarray, n_groups: int, *,
                deff: bool = True) -> list[Estimate]:
    """Means of ``y`` in each group (codes 0..n_groups-1, -1 outside every group) in one pass.

    References
    ----------
    .. [1] Lumley, T. R package ``survey``, ``svyby`` and ``svyrecvar``; Lumley, T. (2010). Complex
       Surveys: A Guide to Analysis Using R. Wiley, section 2.3 (domains keep every PSU).
    .. [2] Binder, D. A. (1983). On the variances of asymptotically normal estimators from complex
       surveys. International Statistical Review 51, 279-292 (linearized scores).
    """
    return _linear_groups(design, y, groups, n_groups, deff=deff, total=False)


def total_groups(design: SurveyDesign, y: str, groups: np.ndarray, n_groups: int, *,
                 deff: bool = True) -> list[Estimate]:
    """Totals of ``y`` in each group in one pass.

    References
    ----------
    .. [1] Lumley, T. R package ``survey``, ``svyby`` and ``svyrecvar``; Lumley, T. (2010). Complex
       Surveys: A Guide to Analysis Using R. Wiley, section 2.3 (domains keep every PSU).
    .. [2] Binder, D. A. (1983). On the variances of asymptotically normal estimators from complex
       surveys. International Statistical Review 51, 279-292 (linearized scores).
    .. [3] Horvitz, D. G. and Thompson, D. J. (1952). Journal of the American Statistical
       Association 47, 663-685.
    """
    return _linear_groups(design, y, groups, n_groups, deff=deff, total=True)


def _linear_groups(design: SurveyDesign, y: str, groups: np.ndarray, n_groups: int, *, deff: bool,
                   total: bool) -> list[Estimate]:
    """Means (scores w (y - mean) / sum w) or totals (scores w y) of ``y`` per group, with the design
    effect against simple random sampling of the same size (see :func:`mean_groups`, :func:`total_groups`)."""
    groups, y0 = _usable(design, numeric_column(design, y), groups)
    w_units, wy_units, n = _weighted_sums(design, y0, groups, n_groups)
    present = w_units > 0
    total_w = w_units.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = wy_units.sum(axis=0) / total_w
        value = wy_units.sum(axis=0) if total else mean
        variance = variance_from_totals(wy_units if total else (wy_units - w_units * mean) / total_w, design,
                                        present)
        effect = None
        if deff:
            s2 = _element_variance(groups, n_groups, design.weights, y0, mean, total_w, n)
            effect = _deff(np.diag(variance), s2, n, total_w, total_w if total else np.ones(n_groups))
    return _finish(value, variance, domain_degrees_of_freedom(design, present), effect, n)


def ratio_groups(design: SurveyDesign, y: str, groups: np.ndarray, n_groups: int, *,
                 denominator: str) -> list[Estimate]:
    """Ratios sum(w y) / sum(w x) in each group over rows where both are present.

    References
    ----------
    .. [1] Lumley, T. R package ``survey``, ``svyby`` and ``svyrecvar``; Lumley, T. (2010). Complex
       Surveys: A Guide to Analysis Using R. Wiley, section 2.3 (domains keep every PSU).
    .. [2] Binder, D. A. (1983). On the variances of asymptotically normal estimators from complex
       surveys. International Statistical Review 51, 279-292 (linearized scores).
    .. [3] Cochran, W. G. (1977). Sampling Techniques, 3rd ed. Wiley, ch. 6 (ratio estimators).
    """
    yv, xv = numeric_column(design, y), numeric_column(design, denominator)
    groups, y0 = _usable(design, yv + 0 * xv, groups)
    x0 = np.where(groups >= 0, xv, 0.0)
    keys = group_keys(design, groups, n_groups)
    w = design.weights
    w_units = unit_sums(w, design, n_groups=n_groups, keys=keys)
    wy_units = unit_sums(w * y0, design, n_groups=n_groups, keys=keys)
    wx_units = unit_sums(w * x0, design, n_groups=n_groups, keys=keys)
    present = w_units > 0
    x_total = wx_units.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        value = wy_units.sum(axis=0) / x_total
        variance = variance_from_totals((wy_units - wx_units * value) / x_total, design, present)
    return _finish(value, variance, domain_degrees_of_freedom(design, present), None,
                   _row_counts(groups, n_groups))


def proportion_groups(design: SurveyDesign, y: str, groups: np.ndarray, n_groups: int, *,
                      ci_method: CiMethod = "logit", deff: bool = True) -> list[dict[Any, Estimate]]:
    """Proportion of each level of ``y`` in each group, with the covariance of all of them.

    References
    ----------
    .. [1] Lumley, T. R package ``survey``, ``svyby`` and ``svyrecvar``; Lumley, T. (2010). Complex
       Surveys: A Guide to Analysis Using R. Wiley, section 2.3 (domains keep every PSU).
    .. [2] Binder, D. A. (1983). On the variances of asymptotically normal estimators from complex
       surveys. International Statistical Review 51, 279-292 (linearized scores).
    .. [3] Korn, E. L. and Graubard, B. I. (1998). Survey Methodology 24, 193-201 (intervals).
    """
    codes, levels = level_codes(design.column(y))
    n_levels = len(levels)
    if n_levels == 0:
        raise DesignError(f"field '{y}': no non-missing values")
    groups = np.where(codes >= 0, groups, -1)
    cells = np.where(groups >= 0, groups * n_levels + codes, -1)
    cell_units = unit_sums(design.weights, design, cells, n_groups * n_levels)
    group_units = cell_units.reshape(-1, n_groups, n_levels).sum(axis=2)
    total_w = group_units.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        value = cell_units.sum(axis=0) / np.repeat(total_w, n_levels)
        totals = (cell_units - np.repeat(group_units, n_levels, axis=1) * value) / np.repeat(total_w, n_levels)
    present = np.repeat(group_units > 0, n_levels, axis=1)
    variance = variance_from_totals(totals, design, present)
    n = np.repeat(_row_counts(groups, n_groups), n_levels)
    effect = None
    if deff:
        with np.errstate(invalid="ignore", divide="ignore"):
            s2 = value * (1 - value) * n / (n - 1)
        effect = _deff(np.diag(variance), s2, n, np.repeat(total_w, n_levels), np.ones(n_levels * n_groups))
    flat = _finish(value, variance, domain_degrees_of_freedom(design, present), effect, n, ci_method)
    return [dict(zip(levels, flat[g * n_levels:(g + 1) * n_levels], strict=True)) for g in range(n_groups)]


def mean(design: SurveyDesign, y: str, *, domain: np.ndarray | pd.Series | None = None,
         deff: bool = True) -> Estimate:
    """Design-based mean of ``y`` (R's ``svymean(~y, design, na.rm=TRUE)``).

    Parameters
    ----------
    design : the survey design
    y : numeric column; missing values are left out (zero weight), as R's ``na.rm=TRUE``
    domain : optional boolean mask of the domain (other rows keep zero weight so the SE is right)
    deff : also compute the design effect (one more pass over the rows)

    Returns
    -------
    Estimate with the linearized SE from the influence function ``w (y - ybar) / sum(w)``

    References
    ----------
    .. [1] Lumley, T. (2010). Complex Surveys: A Guide to Analysis Using R. Wiley, sections 2.2-2.3.
    .. [2] Woodruff, R. S. (1971). A simple method for approximating the variance of a complicated
       estimate. Journal of the American Statistical Association 66, 411-414.
    """
    return mean_groups(design, y, _domain_groups(design, domain), 1, deff=deff)[0]


def total(design: SurveyDesign, y: str, *, domain: np.ndarray | pd.Series | None = None,
          deff: bool = True) -> Estimate:
    """Design-based (Horvitz-Thompson) total of ``y`` (R's ``svytotal(~y, design, na.rm=TRUE)``).

    References
    ----------
    .. [1] Horvitz, D. G. and Thompson, D. J. (1952). Journal of the American Statistical
       Association 47, 663-685.
    .. [2] Lumley, T. R package ``survey``, ``svytotal``.
    """
    return total_groups(design, y, _domain_groups(design, domain), 1, deff=deff)[0]


def ratio(design: SurveyDesign, y: str, x: str, *, domain: np.ndarray | pd.Series | None = None) -> Estimate:
    """Ratio estimate sum(w y) / sum(w x) (R's ``svyratio(~y, ~x, design)``); no design effect.

    References
    ----------
    .. [1] Cochran, W. G. (1977). Sampling Techniques, 3rd ed. Wiley, ch. 6 (ratio estimators).
    .. [2] Lumley, T. R package ``survey``, ``svyratio``.
    """
    return ratio_groups(design, y, _domain_groups(design, domain), 1, denominator=x)[0]


def proportion(design: SurveyDesign, y: str, *, domain: np.ndarray | pd.Series | None = None,
               ci_method: CiMethod = "logit") -> dict[Any, Estimate]:
    """Proportion of each level of ``y`` (R's ``svymean(~factor(y))``), with logit or Korn-Graubard CIs.

    References
    ----------
    .. [1] Lumley, T. R package ``survey``, ``svymean`` on a factor and ``svyciprop``.
    .. [2] Korn, E. L. and Graubard, B. I. (1998). Survey Methodology 24, 193-201.
    """
    return proportion_groups(design, y, _domain_groups(design, domain), 1, ci_method=ci_method)[0]


_GROUPED: dict[Callable[..., Any], Callable[..., list[Any]]] = {
    mean: mean_groups, total: total_groups, proportion: proportion_groups,
}


def by(design: SurveyDesign, y: str, domain: str, estimator: Callable[..., Any] = mean,
       **options: Any) -> dict[Any, Any]:
    """Estimates in each domain defined by the levels of column ``domain`` (R's ``svyby``).

    Parameters
    ----------
    design : the survey design
    y : the variable
    domain : column whose sorted distinct values define the domains (rows where it is missing
        belong to no domain)
    estimator : ``mean``, ``total``, ``proportion``, ``ratio`` (pass ``x=``) or any function
        ``f(design, y, domain=mask, **options)``
    options : passed to the estimator

    Returns
    -------
    dict from domain value to the estimator's result

    References
    ----------
    .. [1] Lumley, T. R package ``survey``, ``svyby``; Lumley (2010), section 2.3 (domains keep
       every PSU of the design).

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"y": [1.0, 2, 3, 4, 5, 6], "w": [2.0] * 6, "sex": [1, 2] * 3})
    >>> design = SurveyDesign.from_frame(df, weights="w")
    >>> {k: v.value for k, v in by(design, "y", "sex", mean).items()}
    {1: 3.0, 2: 4.0}
    """
    codes, levels = level_codes(design.column(domain))
    if estimator is ratio:
        results: list[Any] = ratio_groups(design, y, codes, len(levels), denominator=options.pop("x"))
    elif estimator in _GROUPED:
        results = _GROUPED[estimator](design, y, codes, len(levels), **options)
    else:
        results = [estimator(design, y, domain=codes == g, **options) for g in range(len(levels))]
    return dict(zip(levels, results, strict=True))
