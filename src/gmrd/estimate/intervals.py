"""Calibrated prediction intervals from out-of-sample errors, by situation (split conformal).

Every estimate is made in one of five *situations*: ``inside`` the country's data range (between
two data points), split into ``inside_dense`` for series whose points lie at most
:data:`DENSE_SPACING` years apart on average (registers) and ``inside`` for the others (censuses);
``outside`` the range (extrapolated from a series of two or more points); ``single`` (a series of
one data point); ``imputed`` (no data point: the regional model). Within the first four, what
matters most is the *distance* in years to the nearest data point.

The errors are measured on the accepted data themselves, so the intervals hold for any user's data,
not only for the UN's:

* **leave one point out** (:func:`leave_one_point_out`): each data point of each country's series is
  predicted by the pipeline's own rules from the *other* points of that series; the situation of
  the prediction is that of the remaining points (a left-out end point becomes ``outside``, a
  series of two becomes ``single``);
* **leave one country out** (:func:`leave_one_country_out`): each country with data is imputed from
  the other countries as if it had none and compared with its own data points.

The score of a prediction ``p`` of a data point ``x`` is the absolute log error ``|log(p / x)|``.
:func:`calibrate` groups the scores by situation and distance (bins of :data:`DISTANCE_EDGES`,
merged with their neighbours until each holds ``min_size`` scores, and adjacent bins beyond
:data:`NEAR` (one year) whose quantile falls with distance pooled, so that widths never shrink
farther from the data; within a year of a data point the error is mostly the disagreement of
sources of nearby dates, measured on its own) and
takes, in each bin of ``n`` scores, the split-conformal quantile: the ``ceil((n + 1) level)``-th
smallest score [1]_ [2]_. The interval of an estimate ``v`` is
``[v exp(-q), v exp(q)]`` with ``q`` the quantile of its situation and distance: under
exchangeability of the errors of countries, it holds a new data point of that situation with
probability at least ``level`` (80 % by default; :data:`LEVEL`). It is a *prediction interval for
the value a data point (census, register) would show at that date*, not a confidence interval
of a sampling design.

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

from collections.abc import Callable, Sequence
from typing import Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

FloatArray = npt.NDArray[np.float64]
#: Nominal level of the intervals (the share of new data points they should hold).
LEVEL = 0.8
#: Situations of an estimate, in the order of the calibration table.
SITUATIONS: tuple[str, ...] = ("inside_dense", "inside", "outside", "single", "imputed")
#: Mean spacing (years) of a series' data points at or below which it counts as dense (annual or
#: biennial registers and surveys, as opposed to decennial censuses).
DENSE_SPACING = 3.0
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
#: predict(points, times) -> ``country_code, t, value``: the pipeline's values at ``times`` for every
#: country of ``points`` (columns ``country_code, t, value``).
Predictor = Callable[[pd.DataFrame, FloatArray], pd.DataFrame]
#: impute(points) -> values: the imputed value at each row (``country_code, t``) of ``points``, its
#: countries treated as having no data.
Imputer = Callable[[pd.DataFrame], FloatArray]


def situations(points: pd.DataFrame, codes: npt.ArrayLike, times: npt.ArrayLike) -> pd.DataFrame:
    """Situation and distance (years to the nearest data point) of estimates at ``(codes, times)``.

    Parameters
    ----------
    points
        ``country_code, t``: the data points of each country's series (both sexes).
    codes, times
        the estimates (same length).

    Returns
    -------
    pandas.DataFrame
        ``situation`` (``inside_dense``/``inside``/``outside``/``single``, ``imputed`` for a
        country without points; distance NaN) and ``distance``, in the order of ``codes``.

    References
    ----------
    .. [1] Lei, J. et al. (2018). Distribution-free predictive inference for regression. JASA
       113(523), 1094-1111 (conditioning a conformal interval on a partition of the features).

    Examples
    --------
    >>> pts = pd.DataFrame({"country_code": [1, 1, 2], "t": [2000.0, 2010.0, 2005.0]})
    >>> situations(pts, [1, 1, 2, 3], [2004.0, 2013.0, 2007.0, 2000.0]).to_numpy().tolist()
    [['inside', 4.0], ['outside', 3.0], ['single', 2.0], ['imputed', nan]]
    """
    codes_a = np.asarray(codes, dtype=np.int64)
    times_a = np.asarray(times, dtype=float)
    pts = points.sort_values(["country_code", "t"], kind="stable")
    pcode = pts["country_code"].to_numpy(np.int64)
    pt = pts["t"].to_numpy(float)
    key = pcode * 10_000.0 + pt
    pos = np.searchsorted(key, codes_a * 10_000.0 + times_a)
    distance = np.full(len(codes_a), np.inf)
    for cand in (pos - 1, pos):
        ok = (cand >= 0) & (cand < len(pt))
        c = np.clip(cand, 0, max(len(pt) - 1, 0))
        same = ok & (pcode[c] == codes_a) if len(pt) else ok
        if len(pt):
            distance = np.where(same, np.minimum(distance, np.abs(pt[c] - times_a)), distance)
    count = pd.Series(pcode).value_counts()
    first = pd.Series(pt).groupby(pcode).min()
    last = pd.Series(pt).groupby(pcode).max()
    n = count.reindex(codes_a).fillna(0).to_numpy()
    lo = first.reindex(codes_a).to_numpy()
    hi = last.reindex(codes_a).to_numpy()
    with np.errstate(invalid="ignore", divide="ignore"):
        inside = (times_a >= lo) & (times_a <= hi)
        dense = (hi - lo) / (n - 1) <= DENSE_SPACING
    situation = np.where(n == 0, "imputed", np.where(n == 1, "single", np.where(
        inside, np.where(dense, "inside_dense", "inside"), "outside")))
    return pd.DataFrame({"situation": situation, "distance": np.where(n == 0, np.nan, distance)})


def log_scores(predicted: npt.ArrayLike, observed: npt.ArrayLike) -> FloatArray:
    """Absolute log errors ``|log(predicted / observed)|`` (NaN where either is not positive).

    References
    ----------
    .. [1] Tofallis, C. (2015). A better measure of relative prediction accuracy for model selection
       and model estimation. Journal of the Operational Research Society 66(8), 1352-1362.

    Examples
    --------
    >>> log_scores([110.0, 0.0], [100.0, 5.0]).round(4).tolist()
    [0.0953, nan]
    """
    p = np.asarray(predicted, dtype=float)
    o = np.asarray(observed, dtype=float)
    ok = (p > 0) & (o > 0) & np.isfinite(p) & np.isfinite(o)
    out = np.full(p.shape, np.nan)
    out[ok] = np.abs(np.log(p[ok] / o[ok]))
    return out


def attach_to_points(points: pd.DataFrame, observed: pd.DataFrame, window: float) -> pd.DataFrame:
    """``observed`` (``country_code, t, value``: e.g. every source's value) with ``t_point``: the time
    of the nearest point of the same country within ``window`` years (rows with none are dropped).

    References
    ----------
    .. [1] United Nations, Department of Economic and Social Affairs, Population Division (2020).
       International Migrant Stock 2020: Documentation (POP/DB/MIG/Stock/Rev.2020), "Methodology"
       (the empirical data points of a date from several sources).
    """
    obs = observed[["country_code", "t", "value"]].astype({"t": float}).sort_values("t", kind="stable")
    pts = points[["country_code", "t"]].astype({"t": float}).rename(columns={"t": "t_point"})
    pts = pts.assign(key=pts["t_point"]).sort_values("key", kind="stable")
    out = pd.merge_asof(obs, pts, left_on="t", right_on="key", by="country_code", direction="nearest",
                        tolerance=window)
    out = out.dropna(subset=["t_point"]).drop(columns="key")
    return out.sort_values(["country_code", "t"], kind="stable").reset_index(drop=True)


def leave_one_point_out(points: pd.DataFrame, predict: Predictor, observed: pd.DataFrame | None = None
                        ) -> pd.DataFrame:
    """Each data point predicted from the other points of its country's series.

    Parameters
    ----------
    points
        ``country_code, t, value`` (one series per country; other columns are passed on to
        ``predict``).
    predict
        the pipeline's rule (:data:`Predictor`).
    observed
        what a prediction is scored against: ``country_code, t, value, t_point`` (e.g. every
        source's value at the date of a point, :func:`attach_to_points`); default: the points.

    Returns
    -------
    pandas.DataFrame
        ``country_code, t, value, predicted, situation, distance, score`` for every observed value
        of a point of a series of two or more points (rows whose score is undefined are dropped).

    Notes
    -----
    Done in rounds: round ``k`` leaves out the ``k``-th point of every series longer than ``k``
    and asks ``predict`` for all those series at once.

    References
    ----------
    .. [1] Stone, M. (1974). Cross-validatory choice and assessment of statistical predictions.
       Journal of the Royal Statistical Society B 36(2), 111-147.
    .. [2] Vovk, V., Gammerman, A. and Shafer, G. (2005). Algorithmic Learning in a Random World.
       Springer, ch. 4.
    """
    pts = points.sort_values(["country_code", "t"], kind="stable").reset_index(drop=True)
    if observed is None:
        observed = pts[["country_code", "t", "value"]].assign(t_point=pts["t"])
    rank = pts.groupby("country_code").cumcount().to_numpy()
    size = pts.groupby("country_code")["t"].transform("size").to_numpy()
    parts = []
    for k in range(int(size.max(initial=0))):
        out_mask = (rank == k) & (size >= 2)
        if not out_mask.any():
            continue
        left_out = pts[out_mask]
        rest = pts[~out_mask & np.isin(pts["country_code"], left_out["country_code"])]
        times = np.unique(left_out["t"].to_numpy(float))
        pred = predict(rest, times).rename(columns={"value": "predicted", "t": "t_point"})
        got = observed.merge(left_out[["country_code", "t"]].rename(columns={"t": "t_point"}),
                             on=["country_code", "t_point"])
        got = got.merge(pred[["country_code", "t_point", "predicted"]], on=["country_code", "t_point"],
                        how="left").reset_index(drop=True)
        where = situations(rest, got["country_code"], got["t_point"])
        parts.append(pd.concat([got.drop(columns="t_point"), where], axis=1))
    if not parts:
        return pd.DataFrame(columns=["country_code", "t", "value", "predicted", "situation", "distance",
                                     "score"])
    out = pd.concat(parts, ignore_index=True)
    out["score"] = log_scores(out["predicted"], out["value"])
    return out.dropna(subset=["score"]).sort_values(["country_code", "t"]).reset_index(drop=True)


def leave_one_country_out(points: pd.DataFrame, impute: Imputer, rounds: pd.Series) -> pd.DataFrame:
    """Each country with data imputed as if it had none and compared with its data points.

    Parameters
    ----------
    points
        ``country_code, t, value``.
    impute
        the pipeline's imputation rule (:data:`Imputer`).
    rounds
        round number per country (index country_code): the countries of one round are left out
        together, so a round should hold at most one country of each imputation group (e.g. the
        rank of the country within its sub-region).

    Returns
    -------
    pandas.DataFrame
        ``country_code, t, value, predicted, situation ("imputed"), distance (NaN), score``.

    References
    ----------
    .. [1] Stone, M. (1974). Cross-validatory choice and assessment of statistical predictions.
       Journal of the Royal Statistical Society B 36(2), 111-147.
    """
    pts = points.sort_values(["country_code", "t"], kind="stable")[["country_code", "t", "value"]]
    which = pts["country_code"].map(rounds)
    parts = []
    for r in np.unique(which.dropna()):
        left = pts[(which == r).to_numpy()].reset_index(drop=True)
        parts.append(left.assign(predicted=impute(left)))
    if not parts:
        return pd.DataFrame(columns=["country_code", "t", "value", "predicted", "situation", "distance",
                                     "score"])
    out = pd.concat(parts, ignore_index=True).assign(situation="imputed", distance=np.nan)
    out["score"] = log_scores(out["predicted"], out["value"])
    return out.dropna(subset=["score"]).sort_values(["country_code", "t"]).reset_index(drop=True)


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
        ``situation, distance, score`` (from :func:`leave_one_point_out` and
        :func:`leave_one_country_out`).
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


def country_folds(codes: npt.ArrayLike, k: int = 5, seed: int = 0) -> pd.Series:
    """Fold number (0..k-1) per country (index), from a random permutation with a fixed seed.

    References
    ----------
    .. [1] Hastie, T., Tibshirani, R. and Friedman, J. (2009). The Elements of Statistical Learning,
       2nd ed. Springer, section 7.10 (K-fold cross-validation).
    """
    unique = np.unique(np.asarray(codes, dtype=np.int64))
    order = np.random.default_rng(seed).permutation(len(unique))
    return pd.Series(order % k, index=unique, name="fold")


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


def share_scores(own: pd.DataFrame, predicted: pd.DataFrame, groups: Sequence[str]) -> pd.DataFrame:
    """|log errors| of predicted age shares against a country's own, one row per cell and group.

    Parameters
    ----------
    own, predicted
        ``country_code, sex, year`` and one share column per group of ``groups`` (e.g. the regional
        pattern a country would get without its own age data, :func:`leave_one_country_out_shares`).

    Returns
    -------
    pandas.DataFrame
        ``country_code, sex, year, age, score`` (cells with a share of zero dropped).

    References
    ----------
    .. [1] Tofallis, C. (2015). A better measure of relative prediction accuracy for model selection
       and model estimation. Journal of the Operational Research Society 66(8), 1352-1362.
    """
    keys = ["country_code", "sex", "year"]
    cols = list(groups)
    both = own[keys + cols].merge(predicted[keys + cols], on=keys, suffixes=("", "_p"))
    long = both[keys].loc[both.index.repeat(len(cols))].reset_index(drop=True)
    long["age"] = np.tile(cols, len(both))
    long["score"] = log_scores(both[[f"{c}_p" for c in cols]].to_numpy(float).ravel(),
                               both[cols].to_numpy(float).ravel())
    return long.dropna(subset=["score"]).reset_index(drop=True)


def leave_one_country_out_shares(own: pd.DataFrame, pattern: Callable[[pd.DataFrame], pd.DataFrame],
                                 rounds: pd.Series) -> pd.DataFrame:
    """The pattern each country with own age shares would get without them.

    ``pattern(known)`` returns the patterns of the countries missing from ``known`` (the pipeline's
    imputation rule); the countries of one round (``rounds``, index country_code) are left out
    together. Returns the predicted rows of the countries of ``own``.

    References
    ----------
    .. [1] Stone, M. (1974). Cross-validatory choice and assessment of statistical predictions.
       Journal of the Royal Statistical Society B 36(2), 111-147.
    """
    which = own["country_code"].map(rounds)
    parts = []
    for r in np.unique(which.dropna()):
        left = own.loc[(which == r).to_numpy(), "country_code"].unique()
        got = pattern(own[~own["country_code"].isin(left)])
        parts.append(got[got["country_code"].isin(left)])
    return pd.concat(parts, ignore_index=True) if parts else own.iloc[:0]


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
