"""Migrant stocks against the destination's total population (errors that block acceptance).

A source's **stock** is its all-ages, both-sexes (or male + female) count for all origins: the
all-origins cell where the source gives one; otherwise the larger of the sum of its country origins
(countries, territories, "other", "unknown": disjoint parts) and its largest origin cell of any kind
(an aggregate such as "EU-27" is a part of the stock too). Each is a lower bound of what the source
claims, so a stock above the population is an impossibility of the source, not of the rule. Sources
without any all-ages cell have no stock and are not checked here.

Two checks compare the stock with the destination's total population on the reference date, from
the table shipped with gmrd (IMS 2020 Table 2, World Population Prospects 2019, interpolated at a
constant rate [1]_), for dates from ``YEARS[0]`` to ``YEARS[1]`` (at most five years outside the
table's 1990-2020: farther out the carried growth rate is unreliable):

* ``plausibility.population_share``: a stock of migrants (every universe of persons who moved or need
  protection: foreign-born, foreign citizens, refugees, asylum seekers, …) above ``MAX_SHARE`` = 95 %
  of the population. The highest share of any country in IMS 2020 that is not a special case is
  88.1 % (United Arab Emirates, 2020); only the Holy See, Tokelau (born in Samoa) and Bonaire, Sint
  Eustatius and Saba reach 100 % there, and they get the bound 100 % (``WHOLE_POPULATION_AREAS``).
  The margin above 88.1 % covers the gap between a census count and the WPP population.
* ``cross_source.population_share``: a foreign-born or foreign-citizen stock above ``MIN_SHARE``
  = 50 % of the population and more than ``RATIO`` = 3 times the highest share of the other
  publications (other titles) of the same country within ``WINDOW`` = 5 years, in the same universe
  or foreign-born (the wider concept: a foreign-born stock is not compared with foreign citizens,
  fewer where naturalization is common): a table of the whole (or native) population labelled as
  migrants, where the country's other sources say otherwise. Measured on the corpus
  (docs/verification.md): legitimate shares in the Gulf states are at most 1.2 times the highest of
  their other sources; flagged ones 3.2 to 61 times.

References
----------
.. [1] United Nations, Department of Economic and Social Affairs, Population Division (2020).
   International Migrant Stock 2020, Table 2 (total population) and Table 3 (migrants as a
   percentage of the total population).
.. [2] UNICEF and United Nations DESA (2008). Sources for the same country and period are compared
   and some rejected.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from gmrd.estimate.population import population_at
from gmrd.ingest.records import ORIGIN_OTHER, ORIGIN_TOTAL, ORIGIN_UNKNOWN
from gmrd.reference.countries import countries
from gmrd.verify.frame import findings, fmt, is_age_total, no_findings

MIGRANT_UNIVERSES = (2, 3, 4, 6, 7, 8, 9, 10, 11)
FOREIGN_BORN, FOREIGN_CITIZENS = 3, 4
CONCEPT_UNIVERSES = (FOREIGN_BORN, FOREIGN_CITIZENS)
MAX_SHARE = 0.95
WHOLE_POPULATION_AREAS = {336: 1.0, 535: 1.0, 772: 1.0}
YEARS = (1985.5, 2025.5)
MIN_SHARE = 0.5
RATIO = 3.0
WINDOW = 5.0
UNIVERSE_NAMES = {2: "refugees", 3: "foreign-born", 4: "foreign citizens", 6: "asylum seekers",
                  7: "Venezuelans displaced abroad", 8: "stateless", 9: "international migrants",
                  10: "other people in need of protection", 11: "non-permanent residents"}


def _disjoint_origins() -> np.ndarray:
    table = countries()
    codes = table.index[table["kind"].isin(["country", "territory"])].to_numpy(dtype=np.int64)
    return np.concatenate([codes, np.array([ORIGIN_OTHER, ORIGIN_UNKNOWN], dtype=np.int64)])


def source_stocks(cells: pd.DataFrame) -> pd.DataFrame:
    """Per source with an all-ages cell: ``total`` (the stock, see the module docstring) and
    ``from_origins`` (True where no all-origins cell exists and the stock comes from its origins).

    References
    ----------
    .. [1] United Nations DESA, Population Division (2020). International Migrant Stock 2020:
       Documentation, "Methodology" (a tabulation's number is its total over all origins).
    """
    top = cells[is_age_total(cells)]
    if top.empty:
        return pd.DataFrame({"total": pd.Series(dtype=float), "from_origins": pd.Series(dtype=bool)})
    by = top.groupby(["source_id", "sex", "origin_code"], sort=False)["value"].max().reset_index()
    origin = by["origin_code"].to_numpy()
    direct = by[origin == ORIGIN_TOTAL].groupby(["source_id", "sex"])["value"].sum()
    parts = by[(origin != ORIGIN_TOTAL) & ~by["source_id"].isin(direct.index.get_level_values(0))]
    largest = parts.groupby(["source_id", "sex"])["value"].max()
    countries_ = parts[parts["origin_code"].isin(_disjoint_origins())]
    summed = countries_.groupby(["source_id", "sex"])["value"].sum()
    bound = pd.concat([largest, summed], axis=1).max(axis=1)
    wide = pd.concat([direct, bound]).unstack().reindex(columns=[0, 1, 2])
    total = wide[0].where(wide[0].notna(), wide[1] + wide[2]).dropna()
    from_origins = ~total.index.isin(direct.index.get_level_values(0))
    return pd.DataFrame({"total": total, "from_origins": from_origins}, index=total.index)


def population_shares(points: pd.DataFrame) -> pd.DataFrame:
    """``points`` (from :func:`gmrd.verify.cross_source.source_points`) with ``population`` and
    ``share`` (stock / population), for dates within ``YEARS`` and areas of the population table.

    References
    ----------
    .. [1] United Nations DESA, Population Division (2020). International Migrant Stock 2020, Table 2
       (total population) and Table 3 (migrants as a percentage of the total population).
    """
    p = points[(points["t"] >= YEARS[0]) & (points["t"] < YEARS[1])]
    population = population_at(p["country_code"].to_numpy(), p["t"].to_numpy())
    p = p.assign(population=population, share=p["total"].to_numpy() / population)
    return p[np.isfinite(p["share"].to_numpy())]


def _what(universe: int, from_origins: bool) -> str:
    name = UNIVERSE_NAMES.get(int(universe), f"universe {universe}")
    return f"{name} stock" + (" (no all-origins total: its largest origin or the sum of its countries)"
                              if from_origins else "")


def check_population_share(points: pd.DataFrame, only: set[int] | None = None) -> pd.DataFrame:
    """Errors on migrant stocks above ``MAX_SHARE`` of the destination's population.

    References
    ----------
    .. [1] United Nations DESA, Population Division (2020). International Migrant Stock 2020, Table 2
       (total population) and Table 3 (at most 88.1 % migrants outside the Holy See, Tokelau and
       Bonaire, Sint Eustatius and Saba, 1990-2020).
    """
    p = points[points["universe"].isin(MIGRANT_UNIVERSES)]
    if only is not None:
        p = p[p["id"].isin(only)]
    p = population_shares(p)
    bound = p["country_code"].map(WHOLE_POPULATION_AREAS).fillna(MAX_SHARE).to_numpy()
    bad = p[p["share"].to_numpy() > bound].assign(bound=bound[p["share"].to_numpy() > bound])
    if bad.empty:
        return no_findings()
    msg = [f"{_what(u, o)} {fmt(n)} on {d} is {100 * s:.1f} % of the total population of {fmt(round(pop))} "
           f"(IMS 2020 Table 2); above {100 * b:.0f} % is not plausible (the highest share in IMS 2020 is "
           "88.1 %): is this the total or native population?"
           for u, o, n, d, s, pop, b in zip(bad["universe"], bad["from_origins"], bad["total"],
                                            bad["reference_date"], bad["share"], bad["population"],
                                            bad["bound"])]
    cells = [[{"t": float(t), "total": float(n), "population": float(pop)}]
             for t, n, pop in zip(bad["t"], bad["total"], bad["population"])]
    return findings(bad["id"].to_numpy(), "plausibility.population_share", "error",
                    "plausibility.population_share", msg, (bad["bound"] * bad["population"]).to_numpy(),
                    bad["total"].to_numpy(), cells)


def check_relative_share(points: pd.DataFrame, only: set[int] | None = None) -> pd.DataFrame:
    """Errors on foreign-born or foreign-citizen stocks above ``MIN_SHARE`` of the population and
    above ``RATIO`` times the highest share of the country's other publications within ``WINDOW``.

    References
    ----------
    .. [1] UNICEF and United Nations DESA (2008). Sources for the same country and period are compared
       and some rejected.
    .. [2] United Nations DESA, Population Division (2020). International Migrant Stock 2020, Table 2
       (total population).
    """
    p = population_shares(points[points["universe"].isin(CONCEPT_UNIVERSES)])
    cand = p[p["share"] > MIN_SHARE]
    if only is not None:
        cand = cand[cand["id"].isin(only)]
    if cand.empty:
        return no_findings()
    others = p[["country_code", "universe", "title", "t", "share", "id", "reference_date", "total"]]
    pairs = cand.merge(others, on="country_code", suffixes=("", "_b"))
    like = ((pairs["universe_b"] == pairs["universe"]) | (pairs["universe_b"] == FOREIGN_BORN)).to_numpy()
    pairs = pairs[(pairs["title"] != pairs["title_b"]).to_numpy() & like
                  & (np.abs(pairs["t"] - pairs["t_b"]) <= WINDOW).to_numpy()]
    if pairs.empty:
        return no_findings()
    best = pairs.sort_values("share_b", ascending=False).drop_duplicates("id")
    bad = best[(best["share"] > RATIO * best["share_b"]).to_numpy()].sort_values("id")
    if bad.empty:
        return no_findings()
    msg = [f"{_what(u, o)} {fmt(n)} on {d} is {100 * s:.1f} % of the total population, {s / sb:.1f} times "
           f"the highest share of the country's other sources within {WINDOW:g} years: {100 * sb:.1f} % in "
           f"source {ib} ({tb!r}, {db}, {fmt(nb)}); more than {RATIO:g} times is not plausible"
           for u, o, n, d, s, sb, ib, tb, db, nb in zip(
               bad["universe"], bad["from_origins"], bad["total"], bad["reference_date"], bad["share"],
               bad["share_b"], bad["id_b"], bad["title_b"], bad["reference_date_b"], bad["total_b"])]
    cells = [[{"source_id": int(i), "total": float(n), "share": float(s)},
              {"source_id": int(ib), "total": float(nb), "share": float(sb)}]
             for i, n, s, ib, nb, sb in zip(bad["id"], bad["total"], bad["share"], bad["id_b"],
                                             bad["total_b"], bad["share_b"])]
    return findings(bad["id"].to_numpy(), "cross_source.population_share", "error",
                    "cross_source.population_share", msg,
                    (RATIO * bad["share_b"] * bad["population"]).to_numpy(), bad["total"].to_numpy(), cells)


def stock_points(sources: pd.DataFrame, stocks: pd.DataFrame) -> pd.DataFrame:
    """One point per source with a stock (:func:`gmrd.verify.cross_source.source_points` of the stocks),
    with ``from_origins``.

    References
    ----------
    .. [1] United Nations DESA, Population Division (2020). International Migrant Stock 2020:
       Documentation, "Methodology" (one data point per source and date).
    """
    from gmrd.verify.cross_source import source_points

    points = source_points(sources, stocks[["total"]])
    return points.assign(from_origins=stocks["from_origins"].reindex(points["id"]).eq(True).to_numpy())
