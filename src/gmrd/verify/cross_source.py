"""Cross-source: two sources for the same country and nearby dates whose totals differ a lot.

Like is compared with like [1]_: sources of the same population universe within ``MAX_YEARS`` of
each other whose totals differ by more than ``THRESHOLD`` (relative to the larger) get a warning on
both, naming the other; curators then reject one. Foreign-born against foreign-citizen counts for
the same country and time differ by concept (naturalized immigrants, children born to foreigners in
the country): that difference is reported as 'info' with the explanation, never as an error.
Other universes (refugees, asylum seekers, stateless …) are only compared with themselves.

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

from gmrd.verify.frame import concat, findings, fmt, no_findings

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
    p = p[(p["id"] != p["id_b"]).to_numpy() & (np.abs(p["t"] - p["t_b"]) <= MAX_YEARS).to_numpy()]
    if same_universe:
        return p[(p["universe"] == p["universe_b"]).to_numpy()]
    return p[((p["universe"] == 3) & (p["universe_b"] == 4)).to_numpy()
             | ((p["universe"] == 4) & (p["universe_b"] == 3)).to_numpy()]


def check_cross_source(points: pd.DataFrame, only: set[int] | None = None) -> pd.DataFrame:
    """Findings on each source of a differing pair (only for sources in ``only`` if given)."""
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
