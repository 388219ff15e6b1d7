"""From data points at census dates to values at the reference dates (1 July), for many series at once.

A *panel* is many series (one per country × sex × age group) of data points ``(t, value)``; every
series is evaluated at the same target times. Between two data points the value follows the declared
``form``:

``exponential``
    a constant rate of change, ``N(t) = N1 exp(r (t - t1))`` with ``r = ln(N2/N1) / (t2 - t1)``,
    the rate the UN Population Division publishes in Table 5 of the IMS [1]_ (segments with a zero
    end point fall back to linear);
``linear``
    a straight line between the points.

Outside the data range the declared ``extrapolation`` applies:

``rate``
    the rate of change of the nearest interval carried forward (backward), using the nearest
    earlier point at least ``min_span`` years away (the naive rule);
``share``
    the migrants' share of the total population held at its value at the nearest data point
    (needs the population at the points and at the targets) -- the UN's rule for countries with one
    data point [1]_ and a common demographic practice [2]_;
``constant``
    the nearest data point's value held.
``blend``
    the geometric mean of ``share`` and ``constant`` (half of the population growth carried over).
``trend``
    ``share`` here; :func:`gmrd.estimate.totals.regional_trend` then moves the share like that of
    the country's sub-region (a step across series, which a panel of independent series cannot take).

A series with a single data point is extrapolated by ``share`` (``constant`` when no population is
given), whatever the rule.

References
----------
.. [1] United Nations, Department of Economic and Social Affairs, Population Division (2020).
   International Migrant Stock 2020: Documentation (POP/DB/MIG/Stock/Rev.2020), "Methodology".
.. [2] Preston, S. H., Heuveline, P. and Guillot, M. (2001). Demography: Measuring and Modeling
   Population Processes. Oxford: Blackwell, section 1.5 (growth rates, exponential interpolation).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

import numpy as np
import numpy.typing as npt

from gmrd.errors import InputError

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
Form = Literal["exponential", "linear"]
Extrapolation = Literal["rate", "share", "constant", "blend", "trend"]
FORMS: tuple[str, ...] = get_args(Form)
EXTRAPOLATIONS: tuple[str, ...] = get_args(Extrapolation)
_STRIDE = 1000.0
_ORIGIN = 1700.0


@dataclass(frozen=True)
class PanelResult:
    """Values at the targets, shape (n_series, n_targets), and whether each lies inside the data range."""

    values: FloatArray
    inside: npt.NDArray[np.bool_]


def _check(series: IntArray, t: FloatArray, values: FloatArray, form: str, extrapolation: str) -> None:
    if form not in FORMS:
        raise InputError(f"unknown interpolation form {form!r}: use {', '.join(FORMS)}", field="form")
    if extrapolation not in EXTRAPOLATIONS:
        raise InputError(f"unknown extrapolation {extrapolation!r}: use {', '.join(EXTRAPOLATIONS)}",
                         field="extrapolation")
    if not (len(series) == len(t) == len(values)):
        raise InputError("series, t and values must have the same length")
    if len(series) and (np.any(np.diff(series) < 0) or np.any((np.diff(series) == 0) & (np.diff(t) <= 0))):
        raise InputError("data points must be sorted by series and strictly increasing in time")
    if np.any(values < 0) or not np.all(np.isfinite(values)):
        raise InputError("data point values must be finite and non-negative", field="value")


def interpolate_panel(series: IntArray, t: FloatArray, values: FloatArray, n_series: int,
                      targets: FloatArray, *, form: Form = "exponential",
                      extrapolation: Extrapolation = "share", min_span: float = 0.0,
                      pop_points: FloatArray | None = None, pop_targets: FloatArray | None = None
                      ) -> PanelResult:
    """Evaluate every series of a panel at ``targets``.

    Parameters
    ----------
    series
        series index 0..n_series-1 of each data point, sorted (with ``t`` increasing inside a series).
    t, values
        decimal times and values (non-negative) of the data points.
    n_series
        number of series; a series without data points gives NaN.
    targets
        decimal target times (e.g. 1990.5 … 2025.5), the same for every series.
    form, extrapolation, min_span
        the declared rules (module docstring).
    pop_points, pop_targets
        total population at each data point (shape of ``t``) and at the targets (n_series,
        n_targets); needed by ``share`` and ``blend``.

    Returns
    -------
    PanelResult
        ``values`` (n_series, n_targets) and ``inside`` (target within the series' data range).

    References
    ----------
    .. [1] UN DESA Population Division (2020), IMS 2020 Documentation, "Methodology".

    Examples
    --------
    >>> r = interpolate_panel(np.array([0, 0]), np.array([2000.0, 2010.0]), np.array([100.0, 400.0]), 1,
    ...                       np.array([2005.0]), form="exponential", extrapolation="constant")
    >>> float(r.values[0, 0])
    200.0
    """
    series = np.asarray(series, dtype=np.int64)
    t = np.asarray(t, dtype=float)
    values = np.asarray(values, dtype=float)
    targets = np.asarray(targets, dtype=float)
    _check(series, t, values, form, extrapolation)
    counts = np.bincount(series, minlength=n_series)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    key = series * _STRIDE + (t - _ORIGIN)
    tkey = np.arange(n_series)[:, None] * _STRIDE + (targets[None, :] - _ORIGIN)
    pos = np.searchsorted(key, tkey, side="right")
    n = counts[:, None]
    first = starts[:, None]
    local = pos - first
    last = first + np.maximum(n - 1, 0)
    empty = n == 0
    out = np.full(tkey.shape, np.nan)
    if len(t) == 0:
        return PanelResult(out, np.zeros(tkey.shape, dtype=bool))
    at_last = (local == n) & ~empty & (t[np.minimum(last, len(t) - 1)] == targets[None, :])
    interior = (local > 0) & (local < n)
    lo = np.clip(pos - 1, 0, len(t) - 1)
    hi = np.clip(pos, 0, len(t) - 1)
    t0, t1, v0, v1 = t[lo], t[hi], values[lo], values[hi]
    with np.errstate(divide="ignore", invalid="ignore"):
        w = (targets[None, :] - t0) / (t1 - t0)
        if form == "exponential":
            expo = (v0 > 0) & (v1 > 0)
            between = np.where(expo, v0 * np.exp(w * np.log(v1 / np.where(expo, v0, 1.0))),
                               v0 + w * (v1 - v0))
        else:
            between = v0 + w * (v1 - v0)
    out = np.where(interior, between, out)
    out = np.where(at_last, values[np.minimum(last, len(t) - 1)], out)
    after = (local == n) & ~empty & ~at_last
    before = (local == 0) & ~empty
    for side, anchor in ((after, np.minimum(last, len(t) - 1)), (before, np.minimum(first, len(t) - 1))):
        if side.any():
            out = np.where(side, _extrapolate(side, anchor, after is side, series, t, values, counts,
                                              targets, extrapolation, min_span, pop_points, pop_targets),
                           out)
    inside = interior | at_last
    return PanelResult(out, inside)


def _extrapolate(mask: npt.NDArray[np.bool_], anchor: IntArray, forward: bool, series: IntArray,
                 t: FloatArray, values: FloatArray, counts: IntArray, targets: FloatArray,
                 rule: str, min_span: float, pop_points: FloatArray | None,
                 pop_targets: FloatArray | None) -> FloatArray:
    """Values beyond the nearest data point ``anchor`` (n_series, 1) for the cells in ``mask``."""
    anchor = np.broadcast_to(anchor, mask.shape)
    ta, va = t[anchor], values[anchor]
    dt = targets[None, :] - ta
    constant = np.broadcast_to(va, mask.shape).astype(float)
    share = constant
    single = np.broadcast_to((counts == 1)[:, None], mask.shape)
    if pop_points is not None and pop_targets is not None:
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = pop_targets / pop_points[anchor]
        share = np.where(np.isfinite(ratio) & (ratio > 0), va * ratio, constant)
    if rule == "constant":
        result = constant
    elif rule in ("share", "trend"):
        result = share
    elif rule == "blend":
        result = np.sqrt(constant * share)
    else:
        other = _rate_partner(anchor[:, :1], forward, series, t, counts, min_span)
        other = np.broadcast_to(other, mask.shape)
        has = other >= 0
        o = np.where(has, other, anchor)
        with np.errstate(divide="ignore", invalid="ignore"):
            rate = np.log(values[o] / va) / (t[o] - ta)
        ok = has & np.isfinite(rate) & mask  # cells outside the mask are computed, then discarded
        result = np.where(ok, va * np.exp(np.where(ok, rate, 0.0) * dt), share)
    return np.where(single, share, result)


def _rate_partner(anchor: IntArray, forward: bool, series: IntArray, t: FloatArray, counts: IntArray,
                  min_span: float) -> IntArray:
    """For each series, the index of the point that forms the extrapolation rate with ``anchor``
    (the nearest one at least ``min_span`` years away, else the farthest one); -1 if none."""
    a = anchor[:, 0]
    out = np.full(len(a), -1, dtype=np.int64)
    step = -1 if forward else 1
    has = counts >= 2
    cand = a + step
    out[has] = cand[has]
    if min_span > 0:
        for k in range(2, int(counts.max(initial=0))):
            nxt = a + step * k
            inside = (nxt >= 0) & (nxt < len(t))
            nxt_c = np.clip(nxt, 0, len(t) - 1)
            too_close = has & (np.abs(t[np.clip(out, 0, len(t) - 1)] - t[a]) < min_span)
            move = too_close & inside & (series[nxt_c] == series[a])
            if not move.any():
                break
            out[move] = nxt[move]
    return out[:, None]


def reference_log_linear(series: IntArray, t: FloatArray, values: FloatArray, n_series: int,
                         targets: FloatArray) -> FloatArray:
    """The plain vectorized numpy reference for the speed benchmark: exponential interpolation of
    positive values, the nearest value held outside the data range, no checks (benchmarks only).

    References
    ----------
    .. [1] UN DESA Population Division (2020), IMS 2020 Documentation, "Methodology" (constant
       rate of change between data points, the rate of IMS Table 5).
    """
    counts = np.bincount(series, minlength=n_series)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    key = series * _STRIDE + (t - _ORIGIN)
    tkey = np.arange(n_series)[:, None] * _STRIDE + (targets[None, :] - _ORIGIN)
    pos = np.searchsorted(key, tkey, side="right")
    lo = np.clip(pos - 1, starts[:, None], starts[:, None] + counts[:, None] - 1)
    hi = np.clip(pos, starts[:, None], starts[:, None] + counts[:, None] - 1)
    logv = np.log(values)
    span = t[hi] - t[lo]
    w = np.where(span > 0, (targets[None, :] - t[lo]) / np.where(span > 0, span, 1.0), 0.0)
    return np.exp(logv[lo] + w * (logv[hi] - logv[lo]))
