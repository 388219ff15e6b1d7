"""Totals: male + female = both sexes; age groups (and unknown age) sum to their total or parent
group; origins sum to the all-origins total. One finding per source and check, naming the worst cell.

The tolerance is what rounding explains. A source's rounding unit ``u`` is the largest power of ten
(10^-3 … 10^3) that divides all its non-zero values. Each published figure then carries a rounding
error uniform on ±u/2, variance u²/12 [1]_; a comparison of the sum of ``k`` parts with their total
involves ``k + 1`` such errors, so the difference is at most ``(k + 1)·u/2`` and has standard
deviation ``u·sqrt((k + 1)/12)``. The tolerance is the smaller of that worst case and four standard
deviations (but at least ``u``): differences beyond it are not rounding.

References
----------
.. [1] Sheppard, W. F. (1898). On the calculation of the most probable values of frequency-constants,
   for data arranged according to equidistant divisions of a scale. Proceedings of the London
   Mathematical Society, 29, 353-380 (rounding error variance h²/12).
.. [2] UNICEF and United Nations DESA (2008). Verification of migrant stock data: totals by sex, age
   and origin are checked against the sums of their parts.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from gmrd.ingest.records import ORIGIN_OTHER, ORIGIN_TOTAL, ORIGIN_UNKNOWN
from gmrd.verify.frame import OPEN, cell_dict, findings, fmt, is_age_total, no_findings

UNITS = 10.0 ** np.arange(3, -4, -1)
MIN_VALUES_FOR_UNIT = 6
MAX_CELLS = 10


def rounding_units(cells: pd.DataFrame) -> pd.Series:
    """Per source, the largest power of ten (1000 … 0.001) dividing every non-zero value.

    A unit above 1 needs at least MIN_VALUES_FOR_UNIT non-zero values (six integers are all multiples
    of 10 by chance with probability 10^-6); with fewer, integer data get the unit 1.

    References
    ----------
    .. [1] Sheppard, W. F. (1898). On the calculation of the most probable values of frequency-constants,
       for data arranged according to equidistant divisions of a scale. Proceedings of the London
       Mathematical Society, 29, 353-380 (rounding error variance h²/12).

    Examples
    --------
    >>> frame = pd.DataFrame({"source_id": [1] * 6 + [2, 2, 3],
    ...                       "value": [1000.0, 25000.0, 3000.0, 4000.0, 5000.0, 6000.0, 12.5, 3.0, 700.0]})
    >>> rounding_units(frame).to_dict()
    {1: 1000.0, 2: 0.1, 3: 1.0}
    """
    v = np.abs(cells["value"].to_numpy(dtype=float))
    unit = np.full(v.shape, np.inf)
    pending = v > 0
    for u in UNITS:
        q = v / u
        hit = pending & (np.abs(q - np.round(q)) <= 1e-6 * np.maximum(1.0, q))
        unit[hit] = u
        pending &= ~hit
    unit[pending] = UNITS[-1]
    by = pd.Series(unit).groupby(cells["source_id"].to_numpy())
    out = by.min()
    out = out.where(np.isfinite(out), 1.0)
    few = pd.Series(np.isfinite(unit)).groupby(cells["source_id"].to_numpy()).sum() < MIN_VALUES_FOR_UNIT
    return out.where(~few.to_numpy() | (out < 1.0), 1.0)


def rounding_tolerance(n_parts: np.ndarray, unit: np.ndarray) -> np.ndarray:
    """Largest difference between a sum of ``n_parts`` rounded parts and their rounded total that
    rounding to ``unit`` explains: min((k+1)u/2, max(u, 4u·sqrt((k+1)/12))).

    References
    ----------
    .. [1] Sheppard, W. F. (1898). On the calculation of the most probable values of frequency-constants,
       for data arranged according to equidistant divisions of a scale. Proceedings of the London
       Mathematical Society, 29, 353-380 (rounding error variance h²/12).

    Examples
    --------
    >>> rounding_tolerance(np.array([2, 200]), np.array([1.0, 1.0])).round(2).tolist()
    [1.5, 16.37]
    """
    k1 = np.asarray(n_parts, dtype=float) + 1.0
    u = np.asarray(unit, dtype=float)
    return np.minimum(k1 * u / 2.0, np.maximum(u, 4.0 * u * np.sqrt(k1 / 12.0)))


def _report(check: str, key_cols: list[str], joined: pd.DataFrame, what: str,
            severity: np.ndarray | str = "error") -> pd.DataFrame:
    """One finding per (source, severity) from compared rows with columns expected, found, n."""
    if joined.empty:
        return no_findings()
    joined = joined.assign(severity=severity, gap=(joined["found"] - joined["expected"]).abs())
    joined = joined.sort_values(["source_id", "severity", "gap"], ascending=[True, True, False],
                                ignore_index=True)
    rank = joined.groupby(["source_id", "severity"], sort=False).cumcount().to_numpy()
    count = joined.groupby(["source_id", "severity"], sort=False)["gap"].transform("size").to_numpy()
    shown = joined[rank < MAX_CELLS]
    cells = [dict(cell_dict(r[0], r[1], r[2], r[3], r[4]), expected=float(r[5]), found=float(r[4]))
             for r in zip(shown["sex"], shown["age_lo"], shown["age_hi"], shown["origin_code"], shown["found"],
                          shown["expected"])]
    group_of = (shown["source_id"].astype(str) + "|" + shown["severity"]).to_numpy()
    grouped: dict[str, list[dict[str, object]]] = {}
    for g, c in zip(group_of, cells):
        grouped.setdefault(g, []).append(c)
    worst = joined[rank == 0]
    n = count[rank == 0]
    msg = [f"{what} in {k} cell(s); largest at "
           + ", ".join(f"{a} {b}" for a, b in cell_dict(sx, lo, hi, o).items())
           + f": sum of {int(parts)} parts {fmt(e)}, total {fmt(f)}"
           for k, sx, lo, hi, o, parts, e, f in zip(n, worst["sex"], worst["age_lo"], worst["age_hi"],
                                                    worst["origin_code"], worst["n"], worst["expected"],
                                                    worst["found"])]
    keys = (worst["source_id"].astype(str) + "|" + worst["severity"]).to_numpy()
    return findings(worst["source_id"].to_numpy(), check, list(worst["severity"]),
                    [f"{check}:{s}" for s in worst["severity"]], msg, worst["expected"].to_numpy(),
                    worst["found"].to_numpy(), [grouped[k] for k in keys])


def _compare(parts: pd.DataFrame, totals: pd.DataFrame, keys: list[str],
             units: pd.Series) -> pd.DataFrame:
    """Sum ``parts`` by ``keys`` and join the total cells; rows beyond the rounding tolerance."""
    summed = parts.groupby(keys, sort=False)["value"].agg(expected="sum", n="size").reset_index()
    joined = summed.merge(totals[keys + ["value"]].rename(columns={"value": "found"}), on=keys)
    unit = units.reindex(joined["source_id"]).to_numpy()
    tol = rounding_tolerance(joined["n"].to_numpy(), unit)
    return joined[np.abs(joined["found"] - joined["expected"]).to_numpy() > tol]


def check_sex_totals(cells: pd.DataFrame, units: pd.Series | None = None) -> pd.DataFrame:
    """Male + female = both sexes, in every (age, origin) cell where all three are given.

    References
    ----------
    .. [1] UNICEF and United Nations DESA (2008). Verification of migrant stock data: totals by sex, age
       and origin are checked against the sums of their parts.
    .. [2] Sheppard, W. F. (1898). Proceedings of the London Mathematical Society, 29, 353-380
       (rounding error variance, behind the tolerance of :func:`rounding_tolerance`).
    """
    units = rounding_units(cells) if units is None else units
    keys = ["source_id", "age_lo", "age_hi", "origin_code"]
    parts = cells[cells["sex"].isin((1, 2))]
    complete = parts.groupby(keys, sort=False)["sex"].transform("nunique") == 2
    bad = _compare(parts[complete.to_numpy()], cells[cells["sex"] == 0], keys, units).assign(sex=0)
    return _report("totals.sex", keys, bad, "male + female differs from both sexes")


def check_origin_totals(cells: pd.DataFrame, units: pd.Series | None = None,
                        aggregates: frozenset[int] | None = None) -> pd.DataFrame:
    """Origins (countries, 'other', 'unknown') sum to the all-origins total of each (sex, age).

    Region codes (M49 900-999 and UNPD's 1833, 1836, 5500, 5501) and UNPD's own groupings (codes
    ≥ 1,000,000 other than 9999999 'unknown', e.g. 'EU27 incl. reporting country' or 'Other Africa')
    may be aggregates of origins listed beside them or residual parts: the check passes if the parts
    add up with all codes, without the regions, or without regions and groupings. The difference
    reported is the smallest of the three. A shortfall in a source without any residual category
    (other, unknown, UNPD groupings) is a warning: the list may name the main origins only.

    References
    ----------
    .. [1] UNICEF and United Nations DESA (2008). Verification of migrant stock data: totals by sex, age
       and origin are checked against the sums of their parts.
    .. [2] Sheppard, W. F. (1898). Proceedings of the London Mathematical Society, 29, 353-380
       (rounding error variance, behind the tolerance of :func:`rounding_tolerance`).
    """
    units = rounding_units(cells) if units is None else units
    aggregates = REGION_CODES if aggregates is None else aggregates
    keys = ["source_id", "sex", "age_lo", "age_hi"]
    parts = cells[cells["origin_code"] != ORIGIN_TOTAL]
    totals = cells[cells["origin_code"] == ORIGIN_TOTAL]
    bad = _compare(parts, totals, keys, units)
    if bad.empty:
        return no_findings()
    code = parts["origin_code"]
    grouping = ((code >= 1_000_000) & (code != ORIGIN_UNKNOWN)).to_numpy()
    region = code.isin(aggregates).to_numpy()
    for drop in (region, region | grouping):
        if drop.any():
            other = _compare(parts[~drop], totals, keys, units)
            bad = bad.merge(other[keys + ["expected", "n"]], on=keys, suffixes=("", "_v"))
            closer = (np.abs(bad["expected_v"] - bad["found"]) < np.abs(bad["expected"] - bad["found"])).to_numpy()
            bad.loc[closer, ["expected", "n"]] = bad.loc[closer, ["expected_v", "n_v"]].to_numpy()
            bad = bad.drop(columns=["expected_v", "n_v"])
    if bad.empty:
        return no_findings()
    residual = cells.loc[cells["origin_code"].isin((ORIGIN_OTHER, ORIGIN_UNKNOWN))
                         | (cells["origin_code"] >= 1_000_000), "source_id"].unique()
    short = (bad["expected"] < bad["found"]).to_numpy() & ~bad["source_id"].isin(residual).to_numpy()
    bad = bad.assign(origin_code=ORIGIN_TOTAL)
    severity = np.where(short, "warning", "error")
    return _report("totals.origin", keys, bad, "origins do not add up to the total", severity)


REGION_CODES = frozenset(range(900, 1000)) | {1833, 1836, 5500, 5501}


def age_parents(cells: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per source, the parent age groups and the leaf groups that exactly tile each of them.

    Leaves are the groups that contain no other group of the source (its finest scheme); a parent
    is the total or any coarser group. Returns (mapping, intervals): mapping has source_id,
    p_lo, p_hi, age_lo, age_hi (a leaf inside a tiled parent); intervals lists the source's groups
    with ``leaf`` flags. Sources with partly overlapping groups get no mapping.
    """
    known = cells[cells["age_lo"] >= 0]
    iv = known[["source_id", "age_lo", "age_hi"]].drop_duplicates()
    total = (iv["age_lo"] == 0) & (iv["age_hi"] == OPEN)
    groups = iv[~total.to_numpy()]
    pairs = groups.merge(groups, on="source_id", suffixes=("", "_in"))
    inside = ((pairs["age_lo"] <= pairs["age_lo_in"]) & (pairs["age_hi_in"] <= pairs["age_hi"])
              & ((pairs["age_lo"] != pairs["age_lo_in"]) | (pairs["age_hi"] != pairs["age_hi_in"])))
    partial = ((pairs["age_lo"] < pairs["age_lo_in"]) & (pairs["age_lo_in"] < pairs["age_hi"])
               & (pairs["age_hi"] < pairs["age_hi_in"]))
    has_inner = pairs[inside.to_numpy()].groupby(["source_id", "age_lo", "age_hi"]).size()
    idx = pd.MultiIndex.from_frame(groups)
    leaf = ~idx.isin(has_inner.index)
    intervals = groups.assign(leaf=leaf)
    overlapping = set(pairs.loc[partial.to_numpy(), "source_id"])
    parents = pd.concat([groups[~leaf], iv[total.to_numpy()]])
    parents = parents[~parents["source_id"].isin(overlapping)]
    leaves = intervals[intervals["leaf"]].drop(columns="leaf")
    m = parents.rename(columns={"age_lo": "p_lo", "age_hi": "p_hi"}).merge(leaves, on="source_id")
    m = m[((m["p_lo"] <= m["age_lo"]) & (m["age_hi"] <= m["p_hi"])).to_numpy()]
    width = np.where(m["age_hi"] == OPEN, 0, m["age_hi"].astype(int) - m["age_lo"].astype(int))
    m = m.assign(width=width, is_open=(m["age_hi"] == OPEN).to_numpy())
    agg = m.groupby(["source_id", "p_lo", "p_hi"]).agg(
        lo=("age_lo", "min"), hi=("age_hi", "max"), width=("width", "sum"), n_open=("is_open", "sum"))
    # tiled: leaves start at the parent's start, end at its end, and their widths fill it
    open_start = m[m["is_open"]].groupby(["source_id", "p_lo", "p_hi"])["age_lo"].min()
    agg["open_lo"] = open_start.reindex(agg.index).fillna(0).to_numpy()
    p_lo = agg.index.get_level_values("p_lo").to_numpy().astype(int)
    p_hi = agg.index.get_level_values("p_hi").to_numpy().astype(int)
    end = np.where(p_hi == int(OPEN), agg["open_lo"].to_numpy(), p_hi)
    tiled = ((agg["lo"].to_numpy() == p_lo) & (agg["hi"].to_numpy() == p_hi)
             & (agg["width"].to_numpy() == end - p_lo) & (agg["n_open"].to_numpy() <= 1))
    ok = agg.index[tiled]
    m = m[pd.MultiIndex.from_frame(m[["source_id", "p_lo", "p_hi"]]).isin(ok)]
    return m[["source_id", "p_lo", "p_hi", "age_lo", "age_hi"]], intervals.assign(
        overlapping=intervals["source_id"].isin(overlapping).to_numpy())


def check_age_totals(cells: pd.DataFrame, units: pd.Series | None = None,
                     mapping: pd.DataFrame | None = None) -> pd.DataFrame:
    """Age groups sum to their total (with unknown age added) and to every coarser group they tile.

    References
    ----------
    .. [1] UNICEF and United Nations DESA (2008). Verification of migrant stock data: totals by sex, age
       and origin are checked against the sums of their parts.
    .. [2] Sheppard, W. F. (1898). Proceedings of the London Mathematical Society, 29, 353-380
       (rounding error variance, behind the tolerance of :func:`rounding_tolerance`).
    """
    units = rounding_units(cells) if units is None else units
    mapping = age_parents(cells)[0] if mapping is None else mapping
    unknown = cells.loc[cells["age_lo"] < 0, ["source_id"]].drop_duplicates().assign(
        p_lo=np.int32(0), p_hi=OPEN, age_lo=np.int32(-1), age_hi=OPEN)
    unknown = unknown[unknown["source_id"].isin(mapping["source_id"])]
    mapping = pd.concat([mapping, unknown], ignore_index=True)
    mapping[["age_lo", "age_hi", "p_lo", "p_hi"]] = mapping[["age_lo", "age_hi", "p_lo", "p_hi"]].astype(
        np.int32)
    cells = cells.assign(age_hi=np.where(cells["age_lo"] < 0, OPEN, cells["age_hi"]).astype(np.int32))
    parts = cells.merge(mapping, on=["source_id", "age_lo", "age_hi"])
    parts = parts.drop(columns=["age_lo", "age_hi"]).rename(columns={"p_lo": "age_lo", "p_hi": "age_hi"})
    keys = ["source_id", "sex", "origin_code", "age_lo", "age_hi"]
    bad = _compare(parts, cells, keys, units)
    return _report("totals.age", keys, bad, "age groups do not add up to their total")


def source_totals(cells: pd.DataFrame) -> pd.DataFrame:
    """Per source: the all-ages, all-origins total (both sexes, or male + female), male and female."""
    top = cells[is_age_total(cells) & (cells["origin_code"] == ORIGIN_TOTAL).to_numpy()]
    wide = top.pivot_table(index="source_id", columns="sex", values="value", aggfunc="sum")
    wide = wide.reindex(columns=[0, 1, 2])
    both = wide[0].where(wide[0].notna(), wide[1] + wide[2])
    return pd.DataFrame({"total": both, "male": wide[1], "female": wide[2]})
