"""Plausibility of a source's sex and age structure, against bounds from published estimates.

Bounds are the extremes of UN DESA's International Migrant Stock 2020 over all 235 countries and
the years 1990-2020 [1]_: the share of women among migrants ranged from 12.3 % (Maldives, 2020) to
70.7 % (Nepal, 1990) (Table 4); the share of migrants under 15 reached at most 61.1 % (Wallis and
Futuna Islands, 1990) and the share aged 65 or more at most 66.1 % (Poland, 2010) (the age and sex
file). A source beyond these extremes is possible but unusual (warning). Only migrant universes
(foreign-born, foreign citizens) with at least ``MIN_PERSONS`` persons are checked: small counts vary
by chance.

References
----------
.. [1] United Nations DESA, Population Division (2020). International Migrant Stock 2020, Table 4
   (female migrants as a percentage of the international migrant stock) and the stock by age and sex.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from gmrd.ingest.records import ORIGIN_TOTAL
from gmrd.verify.frame import OPEN, findings, fmt, is_age_total, no_findings

FEMALE_SHARE = (0.123318, 0.707038)
MAX_SHARE_UNDER_15 = 0.610556
MAX_SHARE_65_PLUS = 0.660949
MIN_PERSONS = 1000.0
MIGRANT_UNIVERSES = (3, 4)


def check_sex_ratio(totals: pd.DataFrame, universes: pd.Series) -> pd.DataFrame:
    """Share of women outside the published range (warning). ``totals`` from source_totals.

    References
    ----------
    .. [1] United Nations DESA, Population Division (2020). International Migrant Stock 2020, Table 4
       (female migrants as a percentage of the international migrant stock): 12.3 % to 70.7 %.
    """
    t = totals[totals.index.isin(universes[universes.isin(MIGRANT_UNIVERSES)].index)]
    n = t["male"] + t["female"]
    share = t["female"] / n
    bad = t[(n >= MIN_PERSONS) & ((share < FEMALE_SHARE[0]) | (share > FEMALE_SHARE[1]))]
    if bad.empty:
        return no_findings()
    s = share[bad.index]
    msg = [f"women are {100 * x:.1f} % of {fmt(m)} migrants, outside the {100 * FEMALE_SHARE[0]:.1f}-"
           f"{100 * FEMALE_SHARE[1]:.1f} % range of all countries in IMS 2020" for x, m in zip(s, n[bad.index])]
    cells = [[{"sex": "male", "age": "total", "origin": "total", "value": float(a)},
              {"sex": "female", "age": "total", "origin": "total", "value": float(b)}]
             for a, b in zip(bad["male"], bad["female"])]
    expected = np.where(s < FEMALE_SHARE[0], FEMALE_SHARE[0], FEMALE_SHARE[1])
    return findings(bad.index.to_numpy(), "plausibility.sex_ratio", "warning", "plausibility.sex_ratio",
                    msg, expected, s.to_numpy(), cells)


def check_age_structure(cells: pd.DataFrame, universes: pd.Series) -> pd.DataFrame:
    """Share under 15 or aged 65+ beyond the published maximum (warning), both sexes, all origins,
    where the source's age groups have a boundary at 15 (or 65).

    References
    ----------
    .. [1] United Nations DESA, Population Division (2020). International Migrant Stock 2020 by age
       and sex: at most 61.1 % under 15 and 66.1 % aged 65+ over all countries, 1990-2020.
    """
    keep = cells["source_id"].isin(universes[universes.isin(MIGRANT_UNIVERSES)].index).to_numpy()
    c = cells[keep & (cells["sex"] == 0).to_numpy() & (cells["origin_code"] == ORIGIN_TOTAL).to_numpy()]
    total = c[is_age_total(c)].groupby("source_id")["value"].sum()
    total = total[total >= MIN_PERSONS]
    c = c[c["source_id"].isin(total.index)]
    out = []
    for name, mask, limit in (
            ("under 15", (c["age_lo"] >= 0) & (c["age_hi"] <= 15), MAX_SHARE_UNDER_15),
            ("aged 65+", (c["age_lo"] >= 65) & (c["age_hi"] == OPEN), MAX_SHARE_65_PLUS)):
        part = _finest_sum(c[mask.to_numpy()], name)
        share = (part / total.reindex(part.index)).dropna()
        bad = share[share > limit]
        if bad.empty:
            continue
        msg = [f"{100 * x:.1f} % of migrants are {name}, above the highest share of any country in "
               f"IMS 2020 ({100 * limit:.1f} %)" for x in bad]
        out.append(findings(bad.index.to_numpy(), "plausibility.age_structure", "warning",
                            f"plausibility.age_structure:{name}", msg, limit, bad.to_numpy()))
    return pd.concat(out, ignore_index=True) if out else no_findings()


def _finest_sum(c: pd.DataFrame, name: str) -> pd.Series:
    """Sum of the groups in the range without double counting nested ones: for ages under 15 the
    groups that start at 0 and tile up to 15 are summed by taking, per source, the finest scheme
    (the leaves, groups containing no other group); for 65+ the open group starting lowest."""
    if c.empty:
        return pd.Series(dtype=float)
    if name == "aged 65+":
        first = c.sort_values(["source_id", "age_lo"]).groupby("source_id").first()
        return first.loc[first["age_lo"] == 65, "value"]
    iv = c[["source_id", "age_lo", "age_hi"]].drop_duplicates()
    pairs = iv.merge(iv, on="source_id", suffixes=("", "_in"))
    inner = pairs[((pairs["age_lo"] <= pairs["age_lo_in"]) & (pairs["age_hi_in"] <= pairs["age_hi"])
                   & ((pairs["age_lo"] != pairs["age_lo_in"]) | (pairs["age_hi"] != pairs["age_hi_in"])))
                  .to_numpy()]
    parent = pd.MultiIndex.from_frame(inner[["source_id", "age_lo", "age_hi"]])
    leaf = ~pd.MultiIndex.from_frame(c[["source_id", "age_lo", "age_hi"]]).isin(parent)
    leaves = c[leaf]
    width = (leaves["age_hi"].astype(int) - leaves["age_lo"].astype(int)).groupby(leaves["source_id"]).sum()
    start = leaves.groupby("source_id")["age_lo"].min()
    full = width[(width == 15) & (start.reindex(width.index) == 0)].index
    return leaves[leaves["source_id"].isin(full)].groupby("source_id")["value"].sum()
