"""Age groups and cell keys: overlapping or gapped age groups, an open group that is not last,
duplicate cells.

A source may publish several age schemes at once (5-year groups beside 0-14/15-64/65+, or 65+
beside 65-69 … 85+): groups nested in one another are a hierarchy, not an overlap. So the checks
work on the source's set of groups (over all sexes and origins, since zero cells are often left out):
two groups that intersect without one containing the other overlap; the finest groups (those that
contain no other) must cover the ages from 0 without gaps (a coarser open group such as 85+ beside
100+ covers 85-99); an open group (``75+``) must not be
followed by closed groups that stop short of an open end.

References
----------
.. [1] UNICEF and United Nations DESA (2008). Verification of migrant stock data: age groups of a
   tabulation are checked for overlaps and gaps before totals are compared.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from gmrd.verify.frame import OPEN, age_label, cell_dict, findings, no_findings
from gmrd.verify.totals import age_parents

KEYS = ["source_id", "sex", "age_lo", "age_hi", "origin_code"]
MAX_AGE = 130
SERIAL_DATES = 20_000


def check_age_values(cells: pd.DataFrame) -> pd.DataFrame:
    """Age bounds no person can have (error): a group starting above MAX_AGE = 130 years (the oldest
    verified lifespan is 122 years [2]_; tables may list a few empty single years above it), or a
    closed group that ends before it starts. Bounds above 20,000 are flagged as spreadsheet date
    serials ("5-9" read as 9 May).

    References
    ----------
    .. [2] Robine, J.-M. and Allard, M. (1998). The oldest human. Science, 279(5358), 1834-1835.
    """
    closed = cells["age_hi"] != OPEN
    bad = cells[((cells["age_lo"] > MAX_AGE) | (closed & (cells["age_hi"] <= cells["age_lo"])))
                .to_numpy()]
    if bad.empty:
        return no_findings()
    out = []
    for sid, grp in bad.groupby("source_id", sort=True):
        r = grp.iloc[0]
        hint = (" (a spreadsheet date serial: an age label like '5-9' read as a date?)"
                if r["age_lo"] > SERIAL_DATES else "")
        shown = f"[{int(r['age_lo'])}, {'open' if r['age_hi'] == OPEN else int(r['age_hi'])})"
        out.append((sid, f"{len(grp)} cell(s) with an impossible age group, e.g. {shown}{hint}",
                    [dict(cell_dict(c.sex, 0, 1, c.origin_code, c.value), age=f"[{c.age_lo}, {c.age_hi})")
                     for c in grp.head(10).itertuples()]))
    sid, msg, cells_ = zip(*out)
    return findings(list(sid), "ages.invalid", "error", "ages.invalid", list(msg), cells=list(cells_))


def check_duplicates(cells: pd.DataFrame) -> pd.DataFrame:
    """Two cells of a source with the same sex, age group and origin (error).

    The importer refuses such files; this check guards data that reached the database another way.

    References
    ----------
    .. [1] UNICEF and United Nations DESA (2008). Verification of migrant stock data: each cell of
       a tabulation is checked before totals are compared.
    """
    dup = cells[cells.duplicated(KEYS, keep=False)]
    if dup.empty:
        return no_findings()
    out = []
    for sid, grp in dup.groupby("source_id", sort=True):
        first = grp.iloc[0]
        same = grp[(grp[KEYS[1:]] == first[KEYS[1:]]).all(axis=1)]
        cells_ = [cell_dict(r.sex, r.age_lo, r.age_hi, r.origin_code, r.value) for r in same.itertuples()]
        where = cells_[0]
        out.append((sid, (f"{len(grp)} cells share a key with another cell; e.g. {where['sex']}, age "
                         f"{where['age']}, origin {where['origin']}: values "
                         f"{', '.join(str(c.get('value')) for c in cells_)}"), cells_))
    sid, msg, cells_ = zip(*out)
    return findings(list(sid), "cells.duplicate", "error", "cells.duplicate", list(msg), cells=list(cells_))


def check_age_groups(cells: pd.DataFrame, intervals: pd.DataFrame | None = None) -> pd.DataFrame:
    """Overlapping groups (error), gaps between the finest groups (error) and an open group that is
    not last (error).

    References
    ----------
    .. [1] UNICEF and United Nations DESA (2008). Verification of migrant stock data: age groups of a
       tabulation are checked for overlaps and gaps before totals are compared.
    """
    intervals = age_parents(cells)[1] if intervals is None else intervals
    if intervals.empty:
        return no_findings()
    parts = [_overlaps(intervals), _gaps(intervals), _open_not_last(intervals)]
    return pd.concat([p for p in parts if len(p)] or [no_findings()], ignore_index=True)


def _overlaps(iv: pd.DataFrame) -> pd.DataFrame:
    over = iv[iv["overlapping"]]
    if over.empty:
        return no_findings()
    pairs = over.merge(over, on="source_id", suffixes=("", "_b"))
    pairs = pairs[((pairs["age_lo"] < pairs["age_lo_b"]) & (pairs["age_lo_b"] < pairs["age_hi"])
                   & (pairs["age_hi"] < pairs["age_hi_b"])).to_numpy()]
    first = pairs.sort_values(["source_id", "age_lo", "age_lo_b"]).groupby("source_id").agg(
        a_lo=("age_lo", "first"), a_hi=("age_hi", "first"), b_lo=("age_lo_b", "first"),
        b_hi=("age_hi_b", "first"), n=("age_lo", "size"))
    msg = [f"age groups {age_label(r.a_lo, r.a_hi)} and {age_label(r.b_lo, r.b_hi)} overlap without one "
           f"containing the other ({r.n} such pair(s))" for r in first.itertuples()]
    cells = [[{"age": age_label(r.a_lo, r.a_hi)}, {"age": age_label(r.b_lo, r.b_hi)}] for r in first.itertuples()]
    return findings(first.index.to_numpy(), "ages.overlap", "error", "ages.overlap", msg, cells=cells)


def _gaps(iv: pd.DataFrame) -> pd.DataFrame:
    """Ages from 0 up to the oldest group that no group covers (85+ beside 100+ covers 85-99)."""
    groups = iv[~iv["overlapping"]].sort_values(["source_id", "age_lo", "age_hi"])
    if groups.empty:
        return no_findings()
    sid = groups["source_id"].to_numpy()
    lo = groups["age_lo"].to_numpy().astype(np.int64)
    hi = groups["age_hi"].to_numpy().astype(np.int64)
    first = np.r_[True, sid[1:] != sid[:-1]]
    # coverage so far within each source: running maximum of the upper bounds, restarted per source
    offset = np.cumsum(first) * (int(OPEN) + 10)
    reach = np.maximum.accumulate(hi + offset) - offset
    prev = np.r_[0, reach[:-1]]
    prev[first] = 0
    gap = lo > prev
    if not gap.any():
        return no_findings()
    g = pd.DataFrame({"source_id": sid[gap], "lo": prev[gap], "hi": lo[gap]})
    agg = g.groupby("source_id").agg(lo=("lo", "first"), hi=("hi", "first"), n=("lo", "size"),
                                     all_lo=("lo", list), all_hi=("hi", list))
    msg = [f"no age group covers ages {age_label(r.lo, r.hi)}" + (f" ({r.n} gaps)" if r.n > 1 else "")
           for r in agg.itertuples()]
    cells = [[{"age": age_label(a, b), "missing": True} for a, b in zip(r.all_lo, r.all_hi)]
             for r in agg.itertuples()]
    keys = [f"ages.gap:{r.lo}-{r.hi}" for r in agg.itertuples()]
    return findings(agg.index.to_numpy(), "ages.gap", "error", keys, msg, cells=cells)


def _open_not_last(iv: pd.DataFrame) -> pd.DataFrame:
    ok = iv[~iv["overlapping"]]
    opens = ok[(ok["age_hi"] == OPEN).to_numpy()]
    if opens.empty:
        return no_findings()
    pairs = opens[["source_id", "age_lo"]].merge(ok[ok["leaf"]], on="source_id", suffixes=("", "_leaf"))
    inside = pairs[(pairs["age_lo_leaf"] >= pairs["age_lo"]).to_numpy()]
    top = inside.groupby(["source_id", "age_lo"])["age_hi"].max()
    bad = top[top != OPEN].reset_index()
    if bad.empty:
        return no_findings()
    bad = bad.groupby("source_id").first()
    msg = [f"open group {r.age_lo}+ is followed by closed groups ending at {r.age_hi} with no open "
           f"group above them" for r in bad.itertuples()]
    cells = [[{"age": f"{r.age_lo}+"}, {"age": f"last group ends at {r.age_hi}"}] for r in bad.itertuples()]
    return findings(bad.index.to_numpy(), "ages.open_group", "error", "ages.open_group", msg, cells=cells)


__all__ = ["check_age_groups", "check_age_values", "check_duplicates"]
