"""Design-based comparisons: t-tests of means (R's ``svyttest``) and the Rao-Scott test for two-way
tables (R's ``svychisq``, default second-order F statistic)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats

from gmrd.errors import DesignError
from gmrd.survey.design import SurveyDesign
from gmrd.survey.estimators import level_codes, mean, numeric_column
from gmrd.survey.variance import domain_degrees_of_freedom, unit_sums, variance_from_totals


@dataclass(frozen=True)
class TTest:
    """A design-based t-test: the estimate (mean, or difference of means), its SE, t, df and p."""

    estimate: float
    se: float
    t: float
    df: float
    p_value: float
    null_value: float = 0.0

    def ci(self, level: float = 0.95) -> tuple[float, float]:
        """Confidence interval for the estimate with Student's t on ``df`` degrees of freedom."""
        q = float(stats.t.ppf(1 - (1 - level) / 2, self.df))
        return (self.estimate - q * self.se, self.estimate + q * self.se)


def ttest(design: SurveyDesign, y: str, group: str | None = None, *, mu: float = 0.0) -> TTest:
    """Design-based t-test: one sample (mean of ``y`` against ``mu``) or two groups.

    Parameters
    ----------
    design : the survey design
    y : numeric column (missing values left out)
    group : column with exactly two distinct values; the estimate is mean(second level) -
        mean(first level) in sorted order (R: the coefficient of ``svyglm(y ~ group)``). None for the
        one-sample test.
    mu : null value of the one-sample test

    Returns
    -------
    TTest
        Two groups: ``df`` is the design degrees of freedom of the rows with both values present minus
        1 (``svyglm``'s residual df). One sample: design degrees of freedom minus 1, as ``svyttest``.

    References
    ----------
    .. [1] Lumley, T. R package ``survey``, ``svyttest`` (R/svyttest.R) and ``svyglm``.
    .. [2] Lumley, T. (2010). Complex Surveys: A Guide to Analysis Using R. Wiley, section 5.1.
    """
    if group is None:
        est = mean(design, y)
        df = float(design.degrees_of_freedom - 1)
        t = _ratio(est.value - mu, est.se)
        return TTest(est.value, est.se, t, df, float(2 * stats.t.sf(abs(t), df)), mu)
    yv = numeric_column(design, y)
    codes, levels = level_codes(design.column(group))
    if len(levels) != 2:
        raise DesignError(f"field '{group}': a two-group t-test needs exactly 2 groups, found {len(levels)}")
    groups = np.where(np.isnan(yv), -1, codes)
    y0 = np.where(groups >= 0, yv, 0.0)
    w = design.weights
    w_units = unit_sums(w, design, groups, 2)
    wy_units = unit_sums(w * y0, design, groups, 2)
    total_w = w_units.sum(axis=0)
    means = wy_units.sum(axis=0) / total_w
    scores = (wy_units - w_units * means) / total_w
    present = w_units.sum(axis=1, keepdims=True) > 0
    variance = variance_from_totals(scores[:, 1:] - scores[:, :1], design, present)
    diff = float(means[1] - means[0])
    se = float(np.sqrt(variance[0, 0]))
    df = float(domain_degrees_of_freedom(design, present)[0] - 1)
    t = _ratio(diff, se)
    return TTest(diff, se, t, df, float(2 * stats.t.sf(abs(t), df)))


def _ratio(a: float, b: float) -> float:
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(np.float64(a) / np.float64(b))


@dataclass(frozen=True)
class RaoScott:
    """Rao-Scott tests of independence in a two-way table.

    ``pearson`` is Pearson's X² on the weighted table scaled to the sample size; ``f`` = X² / trace(Δ)
    with ``ndf`` = d and ``ddf`` = d · (design df) degrees of freedom (second order, Satterthwaite d)
    and ``p_value``; ``chisq`` = X² / mean eigenvalue of Δ with ``chisq_df`` and ``chisq_p_value``
    (first order).
    """

    pearson: float
    f: float
    ndf: float
    ddf: float
    p_value: float
    chisq: float
    chisq_df: int
    chisq_p_value: float


def rao_scott(design: SurveyDesign, rows: str, cols: str) -> RaoScott:
    """Rao-Scott corrected chi-square test of independence of ``rows`` and ``cols``.

    Rows with a missing value in either variable are left out (R's ``na.rm=TRUE``).

    Parameters
    ----------
    design : the survey design
    rows, cols : categorical columns

    Returns
    -------
    RaoScott

    References
    ----------
    .. [1] Rao, J. N. K. and Scott, A. J. (1984). On chi-squared tests for multiway contingency
       tables with cell proportions estimated from survey data. Annals of Statistics 12, 46-60.
    .. [2] Lumley, T. R package ``survey``, ``svychisq`` (R/surveychisq.R), ``statistic="F"``.
    """
    r_codes, r_levels = level_codes(design.column(rows))
    c_codes, c_levels = level_codes(design.column(cols))
    nr, nc = len(r_levels), len(c_levels)
    if nr < 2 or nc < 2:
        raise DesignError(f"fields '{rows}' and '{cols}': a test of independence needs at least 2 values "
                          f"each (found {nr} and {nc})")
    ok = (r_codes >= 0) & (c_codes >= 0)
    cells = np.where(ok, r_codes + nr * c_codes, -1)
    n_cells = nr * nc
    cell_units = unit_sums(design.weights, design, cells, n_cells)
    total_w = cell_units.sum()
    p = cell_units.sum(axis=0) / total_w
    row_units = cell_units.sum(axis=1, keepdims=True)
    cov = variance_from_totals((cell_units - row_units * p) / total_w, design,
                               np.repeat(row_units > 0, n_cells, axis=1))
    n = float(ok.sum())

    table = (p * n).reshape(nc, nr).T
    expected = np.outer(table.sum(axis=1), table.sum(axis=0)) / n
    pearson = float(np.sum((table - expected) ** 2 / expected))

    r_idx, c_idx = np.arange(n_cells) % nr, np.arange(n_cells) // nr
    main = np.column_stack([np.ones(n_cells)]
                           + [(r_idx == i).astype(float) for i in range(1, nr)]
                           + [(c_idx == j).astype(float) for j in range(1, nc)])
    inter = np.column_stack([((r_idx == i) & (c_idx == j)).astype(float)
                             for j in range(1, nc) for i in range(1, nr)])
    contrast = inter - main @ np.linalg.lstsq(main, inter, rcond=None)[0]
    inv_p = np.where(p > 0, 1 / np.where(p > 0, p, 1), 0.0)
    denom = contrast.T @ (inv_p[:, None] / n * contrast)
    numer = contrast.T @ (inv_p[:, None] * cov * inv_p[None, :]) @ contrast
    delta = np.linalg.solve(denom, numer)
    trace = float(np.trace(delta))
    d = trace**2 / float(np.trace(delta @ delta))
    f = pearson / trace
    ddf = d * design.degrees_of_freedom
    chisq_df = (nr - 1) * (nc - 1)
    chisq = pearson / (trace / chisq_df)
    return RaoScott(pearson, f, d, ddf, float(stats.f.sf(f, d, ddf)), chisq, chisq_df,
                    float(stats.chi2.sf(chisq, chisq_df)))
