"""Calibrated prediction intervals from out-of-sample errors, by situation (split conformal).

The errors come from :mod:`gmrd.estimate.holdout` (leave one point out within each country's
series, leave one country out for the imputation), one score per held-out data point: the absolute
log error. :func:`calibrate` groups the scores by situation and distance (bins of
:data:`DISTANCE_EDGES`, merged with their neighbours until each holds ``min_size`` scores, and
adjacent bins beyond :data:`NEAR` (one year) whose quantile falls with distance pooled, so that
widths never shrink farther from the data; within a year of a data point the error is mostly the
disagreement of sources of nearby dates, measured on its own) and takes, in each bin of ``n``
scores, the split-conformal quantile: the ``ceil((n + 1) level)``-th smallest score [1]_ [2]_.
The interval of an estimate ``v`` is ``[v exp(-q), v exp(q)]`` with ``q`` the quantile of its
situation and distance: under exchangeability of the errors of countries, it holds a new data
point of that situation with probability at least ``level`` (80 % by default; :data:`LEVEL`). It
is a *prediction interval for the value a data point (census, register) would show at that date*,
not a confidence interval of a sampling design. Age cells with an imputed age pattern add the
error of that pattern (:func:`age_half_widths`, :func:`combine_half_widths`).

Aggregates (:func:`aggregate_deviations`) combine the country intervals as the sum of independent
errors in absolute terms (the half-widths add in quadrature, upper and lower sides separately) or,
conservatively, as the sum of the country bounds [3]_.

References
----------
.. [1] Vovk, V., Gammerman, A. and Shafer, G. (2005). Algorithmic Learning in a Random World.
   Springer, ch. 2 and 4 (conformal prediction, inductive/split conformal predictors).
.. [2] Lei, J., G'Sell, M., Rinaldo, A., Tibshirani, R. J. and Wasserman, L. (2018).
   Distribution-free predictive inference for regression. Journal of the American Statistical
   Association 113(523), 1094-1111 (split conformal, the ceil((n+1)(1-alpha)) quantile).
.. [3] Taylor, J. R. (1997). An Introduction to Error Analysis, 2nd ed. University Science Books,
   ch. 3 (independent errors add in quadrature; the sum of bounds as the worst case).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from gmrd.estimate.holdout import SITUATIONS

FloatArray = npt.NDArray[np.float64]
#: Nominal level of the intervals (the share of new data points they should hold).
LEVEL = 0.8
#: Edges (years to the nearest data point) of the distance bins before merging.
DISTANCE_EDGES: tuple[float, ...] = (0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 7.0, 10.0, 15.0, 20.0, np.inf)
#: Distance (years) within which bins are not pooled with farther ones: so near a data point the
#: error is mostly the disagreement of sources of nearby dates, not the change over time.
NEAR = 1.0
#: Fewest scores a bin may hold (smaller bins are merged with their neighbours).
MIN_SIZE = 30
#: The situation whose scores a situation with too few of its own is pooled with.
BORROW = {"inside_dense": "inside", "inside": "outside", "outside": "inside", "single": "outside"}
AggregateRule = Literal["independent", "bound"]
AGGREGATE_RULES: tuple[str, ...] = ("independent", "bound")


def conformal_quantile(scores: npt.ArrayLike, level: float = LEVEL) -> float:
    """The split-conformal quantile: the ``ceil((n + 1) level)``-th smallest of ``n`` scores.

    NaN when ``n`` is too small for the level (``ceil((n + 1) level) > n``: the interval would be
    unbounded).

    References
    ----------
    .. [1] Lei, J., G'Sell, M., Rinaldo, A., Tibshirani, R. J. and Wasserman, L. (2018).
       Distribution-free predictive inference for regression. JASA 113(523), 1094-1111, section 2.

    Examples
    --------
    >>> conformal_quantile(np.arange(1, 10) / 10, 0.8)
    0.8
    >>> conformal_quantile([0.1, 0.2], 0.8)
    nan
    """
    s = np.sort(np.asarray(scores, dtype=float))
    k = int(np.ceil((len(s) + 1) * level))
    return float(s[k - 1]) if 1 <= k <= len(s) else float("nan")


def _merged_bins(counts: npt.NDArray[np.int64], min_size: int) -> list[list[int]]:
    """Adjacent bins merged left to right until each group holds ``min_size`` (a short tail joins the
    group before it)."""
    groups: list[list[int]] = []
    current: list[int] = []
    total = 0
    for i, c in enumerate(counts):
        current.append(i)
        total += int(c)
        if total >= min_size:
            groups.append(current)
            current, total = [], 0
    if current:
        if groups and total < min_size:
            groups[-1].extend(current)
        else:
            groups.append(current)
    return groups


def calibrate(scores: pd.DataFrame, level: float = LEVEL, min_size: int = MIN_SIZE,
              edges: Sequence[float] = DISTANCE_EDGES) -> pd.DataFrame:
    """Calibration table: the conformal quantile of the scores of each situation and distance bin.

    Parameters
    ----------
    scores
        ``situation, distance, score`` (from :func:`gmrd.estimate.holdout.leave_one_point_out` and
        :func:`gmrd.estimate.holdout.leave_one_country_out`).
    level
        nominal level.
    min_size
        fewest scores of a bin; adjacent distance bins are merged until they hold that many. A
        situation with fewer than ``min_size`` scores in all is binned together with the scores of
        the situation it borrows from (:data:`BORROW`), its widths at least its own quantile.
    edges
        distance bin edges (years), from 0 to infinity.

    Returns
    -------
    pandas.DataFrame
        ``situation, lo, hi, n, half_width`` (``half_width`` = the quantile of |log error|,
        non-decreasing in distance beyond :data:`NEAR` within a situation (pooled adjacent
        violators [3]_); NaN when too few scores for the level).
        ``imputed`` has one row spanning all distances.

    References
    ----------
    .. [1] Vovk, V., Gammerman, A. and Shafer, G. (2005). Algorithmic Learning in a Random World.
       Springer, ch. 4 (Mondrian conformal predictors: a separate quantile per category).
    .. [2] Lei, J. et al. (2018). Distribution-free predictive inference for regression. JASA
       113(523), 1094-1111.
    .. [3] Barlow, R. E., Bartholomew, D. J., Bremner, J. M. and Brunk, H. D. (1972). Statistical
       Inference under Order Restrictions. Wiley (pool adjacent violators).

    Examples
    --------
    >>> s = pd.DataFrame({"situation": "inside", "distance": np.linspace(0, 9, 100),
    ...                   "score": np.linspace(0.01, 1, 100)})
    >>> t = calibrate(s, min_size=30)
    >>> bool(t[t.situation == "inside"]["half_width"].is_monotonic_increasing)
    True
    """
    edges_a = np.asarray(edges, dtype=float)
    rows = []
    for situation in SITUATIONS:
        own = scores[scores["situation"] == situation]
        if situation == "imputed":
            rows.append((situation, 0.0, np.inf, len(own), conformal_quantile(own["score"], level)))
            continue
        if len(own) >= min_size:
            rows += [(situation, *b) for b in _binned(own, level, min_size, edges_a)]
            continue
        floor = conformal_quantile(own["score"], level) if len(own) else 0.0
        borrowed = scores[scores["situation"].isin([situation, BORROW[situation]])]
        if np.isnan(conformal_quantile(borrowed["score"], level)):
            rows.append((situation, 0.0, np.inf, len(scores), conformal_quantile(scores["score"], level)))
            continue
        rows += [(situation, lo, hi, n, max(q, floor) if np.isfinite(floor) else q)
                 for lo, hi, n, q in _binned(borrowed, level, min_size, edges_a)]
    return pd.DataFrame(rows, columns=["situation", "lo", "hi", "n", "half_width"])


def _binned(scores: pd.DataFrame, level: float, min_size: int, edges: FloatArray
            ) -> list[tuple[float, float, int, float]]:
    """(lo, hi, n, quantile) of the merged distance bins, non-decreasing in distance.

    Bins are first merged until each holds ``min_size`` scores; then adjacent groups beyond
    :data:`NEAR` whose quantile falls with distance are pooled and their quantile taken again from
    the pooled scores (pool adjacent violators), so that every group keeps a conformal quantile of
    its own scores.
    """
    dist = scores["distance"].to_numpy(float)
    values = scores["score"].to_numpy(float)
    which = np.clip(np.searchsorted(edges, dist, side="right") - 1, 0, len(edges) - 2)
    groups = _merged_bins(np.bincount(which, minlength=len(edges) - 1), min_size)

    def quantile(group: list[int]) -> float:
        q = conformal_quantile(values[np.isin(which, group)], level)
        return q if np.isfinite(q) else np.inf

    qs = [quantile(g) for g in groups]
    free = sum(edges[g[-1] + 1] <= NEAR for g in groups[:-1])  # groups within NEAR years stay apart
    i = free
    while i < len(groups) - 1:
        if qs[i] > qs[i + 1]:
            groups[i:i + 2] = [groups[i] + groups[i + 1]]
            qs[i:i + 2] = [quantile(groups[i])]
            i = max(i - 1, free)
        else:
            i += 1
    return [(float(edges[g[0]]), float(edges[g[-1] + 1]), int(np.isin(which, g).sum()),
             q if np.isfinite(q) else float("nan")) for g, q in zip(groups, qs)]


def half_widths(table: pd.DataFrame, situation: npt.ArrayLike, distance: npt.ArrayLike) -> FloatArray:
    """The calibrated |log error| quantile of each estimate (NaN where the table has none).

    References
    ----------
    .. [1] Vovk, V., Gammerman, A. and Shafer, G. (2005). Algorithmic Learning in a Random World.
       Springer, ch. 4.
    """
    sit = np.asarray(situation, dtype=object)
    dist = np.nan_to_num(np.asarray(distance, dtype=float), nan=0.0)
    out = np.full(len(sit), np.nan)
    for row in table.itertuples(index=False):
        hit = (sit == row.situation) & (dist >= row.lo) & ((dist < row.hi) | np.isinf(row.hi))
        out[hit] = row.half_width
    return out


def interval(values: npt.ArrayLike, half_width: npt.ArrayLike) -> tuple[FloatArray, FloatArray]:
    """``(v exp(-q), v exp(q))``: the interval symmetric in the log scale.

    References
    ----------
    .. [1] Lei, J. et al. (2018). Distribution-free predictive inference for regression. JASA
       113(523), 1094-1111 (the conformal interval from an absolute-residual score).

    Examples
    --------
    >>> lo, hi = interval([100.0], [np.log(2)])
    >>> [round(float(lo[0]), 6), round(float(hi[0]), 6)]
    [50.0, 200.0]
    """
    v = np.asarray(values, dtype=float)
    q = np.asarray(half_width, dtype=float)
    return v * np.exp(-q), v * np.exp(q)


def aggregate_deviations(lower_dev: npt.ArrayLike, upper_dev: npt.ArrayLike,
                         rule: AggregateRule = "independent") -> tuple[FloatArray, FloatArray]:
    """How a sum of estimates turns the members' deviations into the sum's, one side at a time.

    ``lower_dev``/``upper_dev`` are what the aggregation *summed*: the squared deviations
    ``(v - lower)^2``, ``(upper - v)^2`` for ``independent`` (the result is their square root:
    independent errors add in quadrature), the deviations themselves for ``bound`` (the sum of the
    members' bounds: errors all on the same side).

    References
    ----------
    .. [1] Taylor, J. R. (1997). An Introduction to Error Analysis, 2nd ed. University Science
       Books, ch. 3 (sums of independent errors in quadrature; the sum of bounds as the
       upper limit).

    Examples
    --------
    >>> aggregate_deviations([9.0 + 16.0], [9.0 + 16.0])[1].tolist()
    [5.0]
    """
    lo = np.asarray(lower_dev, dtype=float)
    hi = np.asarray(upper_dev, dtype=float)
    if rule == "independent":
        return np.sqrt(lo), np.sqrt(hi)
    return lo, hi


def cross_validated_coverage(scores: pd.DataFrame, folds: pd.Series, level: float = LEVEL,
                             min_size: int = MIN_SIZE) -> pd.DataFrame:
    """Held-out coverage: the scores of each fold's countries against a table calibrated on the others.

    Returns ``scores`` with ``fold``, ``half_width`` and ``covered`` (1.0 when the score lies
    within the half-width; NaN half-widths count as covered: an unbounded interval).

    References
    ----------
    .. [1] Lei, J. et al. (2018). Distribution-free predictive inference for regression. JASA
       113(523), 1094-1111 (split conformal: calibration and test sets disjoint).
    .. [2] Hastie, T., Tibshirani, R. and Friedman, J. (2009). The Elements of Statistical Learning,
       2nd ed. Springer, section 7.10.
    """
    fold = scores["country_code"].map(folds).to_numpy()
    parts = []
    for f in np.unique(fold):
        test = scores[fold == f]
        table = calibrate(scores[fold != f], level, min_size)
        q = half_widths(table, test["situation"], test["distance"])
        covered = np.where(np.isnan(q), 1.0, (test["score"].to_numpy(float) <= q).astype(float))
        parts.append(test.assign(fold=f, half_width=q, covered=covered))
    return pd.concat(parts).sort_index()


def age_half_widths(scores: pd.DataFrame, level: float = LEVEL) -> pd.Series:
    """The conformal quantile of the share errors of each age group (index ``age``).

    References
    ----------
    .. [1] Vovk, V., Gammerman, A. and Shafer, G. (2005). Algorithmic Learning in a Random World.
       Springer, ch. 4 (a separate conformal quantile per category).
    """
    return scores.groupby("age")["score"].apply(lambda s: conformal_quantile(s, level)).rename("half_width")


def combine_half_widths(total: npt.ArrayLike, share: npt.ArrayLike) -> FloatArray:
    """Half-width of a cell = total x share, log errors taken as independent:
    ``sqrt(q_total^2 + q_share^2)`` (a missing share component counts as zero).

    References
    ----------
    .. [1] Taylor, J. R. (1997). An Introduction to Error Analysis, 2nd ed. University Science
       Books, ch. 3 (independent relative errors of a product add in quadrature).

    Examples
    --------
    >>> combine_half_widths([0.3, 0.3], [0.4, np.nan]).round(6).tolist()
    [0.5, 0.3]
    """
    t = np.asarray(total, dtype=float)
    s = np.nan_to_num(np.asarray(share, dtype=float), nan=0.0)
    return np.sqrt(t ** 2 + s ** 2)


def cross_validated_age_coverage(scores: pd.DataFrame, folds: pd.Series, level: float = LEVEL
                                 ) -> pd.DataFrame:
    """Held-out coverage of the age-share half-widths (:func:`age_half_widths`), each fold's
    countries scored against the quantiles of the other folds; returns ``scores`` with ``covered``.

    References
    ----------
    .. [1] Lei, J. et al. (2018). Distribution-free predictive inference for regression. JASA
       113(523), 1094-1111 (split conformal: calibration and test sets disjoint).
    """
    fold = scores["country_code"].map(folds).to_numpy()
    parts = []
    for f in np.unique(fold):
        test = scores[fold == f]
        q = test["age"].map(age_half_widths(scores[fold != f], level)).to_numpy(float)
        parts.append(test.assign(covered=(test["score"].to_numpy(float) <= q).astype(float)))
    return pd.concat(parts).sort_index()
