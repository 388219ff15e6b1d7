"""Cross-source: two sources for the same country and nearby dates whose totals differ a lot.

Like is compared with like [1]_: sources of the same population universe, with different titles
(one publisher's yearly series is the time-series check's business), less than ``MAX_YEARS`` apart,
whose totals differ by more than ``THRESHOLD`` (relative to the larger) get a warning on
both, naming the other; curators then reject one. Foreign-born against foreign-citizen counts for
the same country and time differ by concept (naturalized immigrants, children born to foreigners in
the country): that difference is reported as 'info' with the explanation, never as an error.
Other universes (refugees, asylum seekers, stateless …) are only compared with themselves.
Two publications of the same data (same country, date and universe, most common cells equal) that
disagree in some cells (a reprint with a changed figure) are a conflict: the curator keeps one.

The 20 % threshold: UN DESA's published annual rates of change of national migrant stocks are under
22 % a year in 99 % of countries and periods (IMS 2020, Table 5), so two counts of the same
population one year apart rarely differ by more than about a fifth.

References
----------
.. [1] UNICEF and United Nations DESA (2008). Sources for the same country and period are compared
   and some rejected.
.. [2] United Nations DESA, Population Division (2020). International Migrant Stock 2020, Table 5.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from gmrd.verify.frame import cell_dict, cell_key, concat, findings, fmt, no_findings

MAX_YEARS = 1.0
THRESHOLD = 0.20
CONCEPTS = {3: "foreign-born", 4: "foreign citizens"}


def source_points(sources: pd.DataFrame, totals: pd.DataFrame) -> pd.DataFrame:
    """One point per source with a total: id, country_code, universe, title, t (decimal year), total."""
    s = sources.set_index("id")[["country_code", "universe", "title", "reference_date"]]
    s = s.join(totals["total"], how="inner").dropna(subset=["total"])
    s = s[s["total"] > 0]
    ref = pd.to_datetime(s["reference_date"], errors="coerce")
    s = s.assign(t=(ref.dt.year + (ref.dt.dayofyear - 1) / 365.25).to_numpy())
    return s.dropna(subset=["t"]).reset_index(names="id")


def _pairs(points: pd.DataFrame, same_universe: bool) -> pd.DataFrame:
    p = points.merge(points, on="country_code", suffixes=("", "_b"))
    p = p[(p["title"] != p["title_b"]).to_numpy() & (np.abs(p["t"] - p["t_b"]) < MAX_YEARS).to_numpy()]
    if same_universe:
        return p[(p["universe"] == p["universe_b"]).to_numpy()]
    return p[((p["universe"] == 3) & (p["universe_b"] == 4)).to_numpy()
             | ((p["universe"] == 4) & (p["universe_b"] == 3)).to_numpy()]


def check_cross_source(points: pd.DataFrame, only: set[int] | None = None) -> pd.DataFrame:
    """Findings on each source of a differing pair (only for sources in ``only`` if given).

    References
    ----------
    .. [1] UNICEF and United Nations DESA (2008). Sources for the same country and period are compared
       and some rejected.
    .. [2] United Nations DESA, Population Division (2020). International Migrant Stock 2020, Table 5
       (annual rates of change behind the 20 % threshold).
    """
    if points.empty:
        return no_findings()
    out = []
    for same, check, severity in ((True, "cross_source.difference", "warning"),
                                  (False, "cross_source.concept", "info")):
        p = _pairs(points, same)
        rel = np.abs(p["total"] - p["total_b"]) / np.maximum(p["total"], p["total_b"])
        p = p[(rel > THRESHOLD).to_numpy()]
        if only is not None:
            p = p[p["id"].isin(only).to_numpy()]
        if p.empty:
            continue
        if same:
            msg = [f"total {fmt(a)} differs by {100 * abs(a - b) / max(a, b):.0f} % from {fmt(b)} in source "
                   f"{ib} ({tb!r}, {db}) for the same country and population within {MAX_YEARS:g} year"
                   for a, b, ib, tb, db in zip(p["total"], p["total_b"], p["id_b"], p["title_b"],
                                               p["reference_date_b"])]
        else:
            msg = [f"{CONCEPTS[u]} total {fmt(a)} vs {CONCEPTS[ub]} {fmt(b)} in source {ib} ({tb!r}, {db}): "
                   "a difference of concept (naturalized immigrants count as foreign-born only, children "
                   "born in the country to foreigners as foreign citizens only), not an error"
                   for a, b, u, ub, ib, tb, db in zip(p["total"], p["total_b"], p["universe"],
                                                      p["universe_b"], p["id_b"], p["title_b"],
                                                      p["reference_date_b"])]
        cells = [[{"source_id": int(i), "total": float(a)}, {"source_id": int(ib), "total": float(b)}]
                 for i, a, ib, b in zip(p["id"], p["total"], p["id_b"], p["total_b"])]
        out.append(findings(p["id"].to_numpy(), check, severity, [f"{check}:{i}" for i in p["id_b"]], msg,
                            p["total_b"].to_numpy(), p["total"].to_numpy(), cells))
    return concat(out)


AGREEING_SHARE = 0.5
CONFLICT_SHARE = 0.001


def edition_pairs(sources: pd.DataFrame) -> pd.DataFrame:
    """Pairs (id, id_b) of sources with the same country, reference date and universe."""
    s = sources[["id", "country_code", "reference_date", "universe", "title"]]
    p = s.merge(s, on=["country_code", "reference_date", "universe"], suffixes=("", "_b"))
    return p[(p["id"] != p["id_b"]).to_numpy()]


def check_conflicting_editions(pairs: pd.DataFrame, cells: pd.DataFrame,
                               only: set[int] | None = None, batch_cells: int = 1_000_000) -> pd.DataFrame:
    """Two publications of the same data (same country, date and universe; most common cells equal)
    that disagree in some cells: a warning on each, listing the cells (the curator rejects one).

    Sources whose common cells mostly differ are different data, left to :func:`check_cross_source`.
    Cells differ when they are more than 1 person and more than 0.1 % apart (smaller differences are
    rounding or late corrections of no consequence). Pairs are compared in batches of about ``batch_cells`` cells (``cells`` sorted by source).

    References
    ----------
    .. [1] UNICEF and United Nations DESA (2008). Sources for the same country and period are compared
       and some rejected.
    """
    if pairs.empty:
        return no_findings()
    pairs = pairs[(pairs["id"] < pairs["id_b"]).to_numpy()] if only is None else pairs
    sid = cells["source_id"].to_numpy()
    ids = np.unique(np.concatenate([pairs["id"].to_numpy(), pairs["id_b"].to_numpy()]))
    start = np.searchsorted(sid, ids, side="left")
    stop = np.searchsorted(sid, ids, side="right")
    size = pd.Series(stop - start, index=ids)
    bounds = pd.DataFrame({"start": start, "stop": stop}, index=ids)
    weight = (size.reindex(pairs["id"]).to_numpy() + size.reindex(pairs["id_b"]).to_numpy())
    batch = np.cumsum(weight) // batch_cells
    out = []
    for _, group in pairs.groupby(batch, sort=False):
        members = np.unique(np.concatenate([group["id"].to_numpy(), group["id_b"].to_numpy()]))
        b = bounds.loc[members]
        rows = np.concatenate([np.arange(a, z) for a, z in zip(b["start"], b["stop"])])
        out.append(_conflicts(group, cells.iloc[rows], symmetric=only is None))
    found = concat(out)
    return found[found["source_id"].isin(only)] if only is not None and len(found) else found


def _conflicts(pairs: pd.DataFrame, c: pd.DataFrame, symmetric: bool) -> pd.DataFrame:
    c = c.assign(k=cell_key(c))
    both = pairs[["id", "id_b", "title", "title_b"]].merge(c, left_on="id", right_on="source_id").merge(
        c[["source_id", "k", "value"]].rename(columns={"source_id": "id_b", "value": "value_b"}),
        on=["id_b", "k"])
    if both.empty:
        return no_findings()
    gap = np.abs(both["value"] - both["value_b"])
    both = both.assign(differs=((gap > 1.0) & (gap > CONFLICT_SHARE * np.maximum(both["value"], both["value_b"])))
                       .to_numpy())
    share = both.groupby(["id", "id_b"])["differs"].agg(["mean", "sum", "size"])
    conflict = share[(share["sum"] > 0) & (share["mean"] < 1 - AGREEING_SHARE)].reset_index()
    if conflict.empty:
        return no_findings()
    diff = both[both["differs"]].merge(conflict[["id", "id_b"]], on=["id", "id_b"])
    if symmetric:
        swapped = diff.rename(columns={"id": "id_b", "id_b": "id", "value": "value_b", "value_b": "value",
                                       "title": "title_b", "title_b": "title"})
        diff = pd.concat([diff, swapped], ignore_index=True)
    n_common = share["size"].to_dict()
    out = []
    for (i, ib), grp in diff.groupby(["id", "id_b"], sort=True):
        grp = grp.assign(gap=np.abs(grp["value"] - grp["value_b"])).sort_values("gap", ascending=False)
        w = grp.iloc[0]
        where = cell_dict(w["sex"], w["age_lo"], w["age_hi"], w["origin_code"])
        cells_ = [dict(cell_dict(r.sex, r.age_lo, r.age_hi, r.origin_code, r.value), other=float(r.value_b))
                  for r in grp.head(10).itertuples()]
        common = n_common.get((i, ib), n_common.get((ib, i), len(grp)))
        out.append((i, ib, (f"same data as source {ib} ({w['title_b']!r}: same country, date and population, "
                           f"{int(grp.shape[0])} of {int(common)} common cells differ); "
                           f"largest at {where['sex']}, age {where['age']}, origin {where['origin']}: "
                           f"{fmt(w['value'])} here, {fmt(w['value_b'])} there"), w["value_b"], w["value"], cells_))
    i, ib, msg, exp, fnd, cells_ = zip(*out)
    return findings(list(i), "cross_source.conflict", "warning", [f"cross_source.conflict:{x}" for x in ib],
                    list(msg), list(exp), list(fnd), list(cells_))
