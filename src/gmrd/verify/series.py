"""Time series: implausible growth between consecutive data points of a country.

For each country and migrant universe (foreign-born, foreign citizens) the data points are ordered
by date; each point is compared with the median of the points at the previous date at least
``MIN_YEARS`` earlier, using UN DESA's annual rate of change r = ln(N2/N1)/(t2 - t1) [1]_. Points
closer in time are the cross-source check's business. ``|r|`` above ``MAX_RATE`` = 0.221 (the 99th
percentile of |r| over all countries and five-year periods 1990-2020 in IMS 2020 Table 5, 22.1 %
a year) is a warning on the later source. Refugee counts are not checked: they jump with crises.

References
----------
.. [1] United Nations DESA, Population Division (2020). International Migrant Stock 2020, Table 5
   (annual rate of change of the migrant stock, r = ln(N2/N1)/(t2-t1)).
.. [2] UNICEF and United Nations DESA (2008). Time series of data points are analysed.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from gmrd.verify.frame import findings, fmt, no_findings

MAX_RATE = 0.221
MIN_YEARS = 1.0
UNIVERSES = (3, 4)
SPIKE_FACTOR = 5.0
AGREE_FACTOR = 1.5
SPIKE_WINDOW = 10.0


def annual_rate(n1: np.ndarray, n2: np.ndarray, t1: np.ndarray, t2: np.ndarray) -> np.ndarray:
    """r = ln(N2/N1)/(t2-t1), UN DESA's annual rate of change.

    References
    ----------
    .. [1] United Nations DESA, Population Division (2020). International Migrant Stock 2020, Table 5.

    Examples
    --------
    >>> round(float(annual_rate(np.array([100.0]), np.array([200.0]), np.array([2000.0]),
    ...                         np.array([2010.0]))[0]), 4)
    0.0693
    """
    return np.log(n2 / n1) / (t2 - t1)


def check_time_series(points: pd.DataFrame, only: set[int] | None = None) -> pd.DataFrame:
    """Warnings on sources whose total grows or falls faster than MAX_RATE from the previous date.

    References
    ----------
    .. [1] United Nations DESA, Population Division (2020). International Migrant Stock 2020, Table 5
       (MAX_RATE: the 99th percentile of |r| over all countries and five-year periods 1990-2020).
    .. [2] UNICEF and United Nations DESA (2008). Time series of data points are analysed.
    """
    p = points[points["universe"].isin(UNIVERSES)]
    if p.empty:
        return no_findings()
    dates = (p.groupby(["country_code", "universe", "t"])["total"].median().rename("median").reset_index()
             .sort_values(["country_code", "universe", "t"]))
    p = p.sort_values("t")
    dates = dates.sort_values("t")
    prev = pd.merge_asof(p.assign(t_limit=p["t"] - MIN_YEARS).sort_values("t_limit"),
                         dates.rename(columns={"t": "t_prev", "median": "prev"}),
                         left_on="t_limit", right_on="t_prev", by=["country_code", "universe"],
                         direction="backward").dropna(subset=["prev"])
    prev = prev[prev["prev"] > 0]
    r = annual_rate(prev["prev"].to_numpy(), prev["total"].to_numpy(), prev["t_prev"].to_numpy(),
                    prev["t"].to_numpy())
    bad = prev[np.abs(r) > MAX_RATE].assign(r=r[np.abs(r) > MAX_RATE])
    if only is not None:
        bad = bad[bad["id"].isin(only)]
    if bad.empty:
        return no_findings()
    msg = [f"total {fmt(n)} implies an annual rate of change of {100 * x:+.0f} % from {fmt(n0)} at "
           f"{t0:.2f} (more than ±{100 * MAX_RATE:.1f} % a year)"
           for n, x, n0, t0 in zip(bad["total"], bad["r"], bad["prev"], bad["t_prev"])]
    cells = [[{"t": float(t0), "total": float(n0)}, {"t": float(t), "total": float(n)}]
             for t0, n0, t, n in zip(bad["t_prev"], bad["prev"], bad["t"], bad["total"])]
    return findings(bad["id"].to_numpy(), "series.growth", "warning", "series.growth", msg,
                    bad["prev"].to_numpy(), bad["total"].to_numpy(), cells)


def _nearest(pairs: pd.DataFrame, side: str) -> pd.DataFrame:
    """Per point: the median stock of the other publications at the nearest date before (or after)."""
    part = pairs[(pairs["t_b"] < pairs["t"]).to_numpy() if side == "before" else
                 (pairs["t_b"] > pairs["t"]).to_numpy()]
    nearest = part.groupby("id")["t_b"].transform("max" if side == "before" else "min")
    part = part[(part["t_b"] == nearest).to_numpy()]
    return part.groupby("id").agg(**{f"t_{side}": ("t_b", "first"), side: ("total_b", "median")})


def check_spikes(points: pd.DataFrame, only: set[int] | None = None) -> pd.DataFrame:
    """Errors on data points far from both neighbours of their series that agree with each other.

    Per country and migrant universe (foreign-born, foreign citizens), a source's stock is compared
    with the other publications (other titles) at the nearest earlier and the nearest later date
    within ``SPIKE_WINDOW`` years (the median where several share a date). When those two agree
    (within a factor ``AGREE_FACTOR``) and the point is more than ``SPIKE_FACTOR`` times above both or
    below both, the series contradicts it: a spike, not a level shift (a level shift has neighbours
    that disagree). A factor 3 up and back within at most 20 years is far outside UN DESA's published
    rates of change (99 % of |r| under 0.221 a year) unless the neighbours moved too.

    References
    ----------
    .. [1] United Nations DESA, Population Division (2020). International Migrant Stock 2020, Table 5
       (annual rate of change of the migrant stock).
    .. [2] UNICEF and United Nations DESA (2008). Time series of data points are analysed.
    """
    p = points[points["universe"].isin(UNIVERSES)][["id", "country_code", "universe", "title", "t", "total",
                                                    "reference_date"]]
    cand = p if only is None else p[p["id"].isin(only)]
    if cand.empty:
        return no_findings()
    pairs = cand.merge(p[["country_code", "universe", "title", "t", "total"]],
                       on=["country_code", "universe"], suffixes=("", "_b"))
    pairs = pairs[(np.abs(pairs["t_b"] - pairs["t"]) <= SPIKE_WINDOW).to_numpy()]
    own = (pairs["title"] == pairs["title_b"]).to_numpy()
    ratio = (pairs["total_b"] / pairs["total"]).to_numpy()
    confirmed = pairs.loc[own & (pairs["t_b"] != pairs["t"]).to_numpy() & (ratio <= AGREE_FACTOR)
                          & (ratio * AGREE_FACTOR >= 1), "id"].unique()
    pairs = pairs[~own]
    around = _nearest(pairs, "before").join(_nearest(pairs, "after"), how="inner")
    s = cand.set_index("id").join(around, how="inner")
    s = s[~s.index.isin(confirmed)]
    low = np.minimum(s["before"], s["after"])
    high = np.maximum(s["before"], s["after"])
    agree = (low > 0) & (high <= AGREE_FACTOR * low)
    up = agree & (s["total"] > SPIKE_FACTOR * high)
    down = agree & (s["total"] * SPIKE_FACTOR < low)
    bad = s[(up | down).to_numpy()].assign(up=up[(up | down)].to_numpy())
    if bad.empty:
        return no_findings()
    msg = [f"total {fmt(n)} on {d} is {n / max(b, a) if u else min(b, a) / n:.1f} times "
           f"{'above' if u else 'below'} both neighbouring data points of other sources, which agree: "
           f"{fmt(b)} at {tb:.2f} and {fmt(a)} at {ta:.2f} (a spike: more than {SPIKE_FACTOR:g} times, "
           f"neighbours within a factor {AGREE_FACTOR:g})"
           for n, d, u, b, tb, a, ta in zip(bad["total"], bad["reference_date"], bad["up"], bad["before"],
                                            bad["t_before"], bad["after"], bad["t_after"])]
    cells = [[{"t": float(tb), "total": float(b)}, {"t": float(t), "total": float(n)},
              {"t": float(ta), "total": float(a)}]
             for tb, b, t, n, ta, a in zip(bad["t_before"], bad["before"], bad["t"], bad["total"],
                                           bad["t_after"], bad["after"])]
    expected = np.sqrt(bad["before"].to_numpy() * bad["after"].to_numpy())
    return findings(bad.index.to_numpy(), "series.spike", "error", "series.spike", msg, expected,
                    bad["total"].to_numpy(), cells)
