"""Out-of-sample errors of the pipeline's own rules on the accepted data (for the intervals).

Every estimate is made in one of five *situations* (:func:`situations`): ``inside`` the country's
data range (between two data points), split into ``inside_dense`` for series whose points lie at
most :data:`DENSE_SPACING` years apart on average (registers) and ``inside`` for the others
(censuses); ``outside`` the range (extrapolated from a series of two or more points); ``single``
(a series of one data point); ``imputed`` (no data point: the regional model). Within the first
four, what matters most is the *distance* in years to the nearest data point.

The errors are measured on the accepted data themselves, so the intervals of
:mod:`gmrd.estimate.intervals` hold for any user's data, not only for the UN's:

* **leave one point out** (:func:`leave_one_point_out`): each data point of each country's series is
  predicted by the pipeline's own rules from the *other* points of that series; the situation of
  the prediction is that of the remaining points (a left-out end point becomes ``outside``, a
  series of two becomes ``single``); every source's value at the left-out date can be scored
  (:func:`attach_to_points`);
* **leave one country out** (:func:`leave_one_country_out`): each country with data is imputed from
  the other countries as if it had none and compared with its own data points; likewise its age
  shares against the regional age pattern (:func:`leave_one_country_out_shares`,
  :func:`share_scores`).

The score of a prediction ``p`` of a data point ``x`` is the absolute log error ``|log(p / x)|``
(:func:`log_scores`). Folds of countries for measuring coverage: :func:`country_folds`.

References
----------
.. [1] Stone, M. (1974). Cross-validatory choice and assessment of statistical predictions.
   Journal of the Royal Statistical Society B 36(2), 111-147.
.. [2] Vovk, V., Gammerman, A. and Shafer, G. (2005). Algorithmic Learning in a Random World.
   Springer, ch. 4 (conformity scores computed out of sample).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import numpy.typing as npt
import pandas as pd

FloatArray = npt.NDArray[np.float64]
#: Situations of an estimate, in the order of the calibration table.
SITUATIONS: tuple[str, ...] = ("inside_dense", "inside", "outside", "single", "imputed")
#: Mean spacing (years) of a series' data points at or below which it counts as dense (annual or
#: biennial registers and surveys, as opposed to decennial censuses).
DENSE_SPACING = 3.0
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
