"""Data-point selection: from accepted tabulations to one series of data points per country.

Rules, each declared in :class:`SelectionRules` and recorded in the revision manifest:

1. **Origins.** A tabulation's number is its all-origins cell (origin 0); a tabulation that has only
   origin detail is summed over its origins (unknown and "other" origins included).
2. **Derived universes.** A source that gives the total population (universe 0) and the native-born
   (5) but not the foreign-born (3) yields foreign-born = total - native-born; likewise foreign
   citizens (4) = total - citizens (1) (``derive=True``).
3. **Totals.** Where a (source, sex) has no all-ages cell its age cells are summed (unknown age
   included); where a source has no both-sexes cell, males + females.
4. **Dates known only to the year.** A data point dated exactly 1 January (how a year-only date
   such as Eurostat's or the World Bank's "2010" is stored) refers to that year and is placed at
   1 July (``year_only_mid_year``). Measured on IMS 2020: the published 2010 and 2015 values of
   register countries equal the register figure "of" that year (Germany 2010 and 2015, France 2010).
5. **Concept.** Per country, one universe for the whole series (never mixed): the first universe
   of ``concepts`` (default foreign-born) unless the second (foreign citizens) has more than
   ``concept_ratio`` times as many dated points from ``since`` on (primary sources only), then the
   second: the UN Population Division's rule "foreign-born where the data allow, otherwise foreign
   citizens" [1]_, where "allow" means a series that covers the period comparably.
6. **Source types.** ``exclude_types`` are dropped. ``last_resort_types`` (default ``estimate``:
   series published by others, such as the World Bank's, which republish earlier UN revisions) are
   used only at dates with no other data point of the country within ``last_resort_window`` years.
7. **One value per date.** Data points of one country less than ``same_date`` years apart are one
   date; among them the source types are ranked by ``type_order`` (census, register, survey,
   estimate) and the values of the best-ranked type are combined with ``combine``:
   ``nearest`` (default) keeps the value closest, on the log scale, to the median of the country's
   other dates within ``neighbour_window`` years (the median of the values where there are none) --
   one wrong table at a date (a native-born count labelled foreign-born) cannot capture it, as it
   can capture ``max``; ``median`` (the median absolute deviation's robust centre [3]_),
   ``max`` and ``min`` are the declared alternatives. The default was chosen by the
   cross-validation of :mod:`gmrd.estimate.crossval`.

References
----------
.. [1] United Nations, Department of Economic and Social Affairs, Population Division (2020).
   International Migrant Stock 2020: Documentation (POP/DB/MIG/Stock/Rev.2020), "Methodology".
.. [2] United Nations (2017). Principles and Recommendations for Population and Housing Censuses,
   Revision 3, paras. 4.84-4.98 (country of birth and citizenship as migration topics).
.. [3] Huber, P. J. and Ronchetti, E. M. (2009). Robust Statistics, 2nd ed. Wiley, ch. 1
   (breakdown point: the median, unlike the maximum, resists a minority of gross errors).
"""

from __future__ import annotations

import itertools
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from gmrd.errors import InputError
from gmrd.estimate.dates import decimal_years
from gmrd.reference.countries import AGGREGATE_KINDS, countries

FOREIGN_BORN, FOREIGN_CITIZENS, TOTAL, CITIZENS, NATIVE_BORN = 3, 4, 0, 1, 5
CONCEPT_CODES = {"foreign_born": FOREIGN_BORN, "foreign_citizens": FOREIGN_CITIZENS}
CELL_COLUMNS = ("source_id", "country_code", "reference_date", "source_type", "universe",
                "source_title", "sex", "age_lo", "age_hi", "origin_code", "value")
COMBINES = ("nearest", "median", "max", "min")
POINT_COLUMNS = ["source_id", "country_code", "t", "source_type", "universe", "source_title",
                 "sex", "age_lo", "age_hi", "value"]


@dataclass(frozen=True)
class SelectionRules:
    """The declared data-point selection rules (see the module docstring)."""

    concepts: tuple[str, ...] = ("foreign_born", "foreign_citizens")
    min_points: int = 1
    since: float = 1975.0
    concept_ratio: float = 4.0
    derive: bool = True
    year_only_mid_year: bool = True
    exclude_types: tuple[str, ...] = ()
    last_resort_types: tuple[str, ...] = ("estimate",)
    last_resort_window: float = 2.5
    type_order: tuple[str, ...] = ("census", "register", "survey", "estimate")
    same_date: float = 0.25
    combine: str = "nearest"
    neighbour_window: float = 10.0

    def __post_init__(self) -> None:
        unknown = [c for c in self.concepts if c not in CONCEPT_CODES]
        if unknown or not self.concepts:
            raise InputError(f"unknown concept(s) {unknown}: use {', '.join(CONCEPT_CODES)}",
                             field="concepts")
        if self.combine not in COMBINES:
            raise InputError(f"unknown combine rule {self.combine!r}: use {', '.join(COMBINES)}",
                             field="combine")

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def year_only_to_mid_year(t: np.ndarray) -> np.ndarray:
    """Rule 4: decimal times on exactly 1 January (``t`` whole) moved to 1 July of that year.

    Examples
    --------
    >>> year_only_to_mid_year(np.array([2010.0, 2011.35])).tolist()
    [2010.5, 2011.35]
    """
    t = np.asarray(t, dtype=float)
    return np.where(t == np.floor(t), t + 0.5, t)


def _aggregate_codes() -> list[int]:
    table = countries()
    return table.index[table["kind"].isin(AGGREGATE_KINDS)].tolist()


def origin_totals(cells: pd.DataFrame) -> pd.DataFrame:
    """Rule 1: one all-origins value per (source, sex, age), with the date as decimal year ``t``.

    Parameters
    ----------
    cells
        accepted cells with the columns of :data:`CELL_COLUMNS` (``age_hi`` NA for open groups).
    """
    missing = [c for c in CELL_COLUMNS if c not in cells.columns]
    if missing:
        raise InputError(f"cells lack column(s) {', '.join(missing)}")
    has_total = cells.loc[cells["origin_code"] == 0, "source_id"].unique()
    by_origin = cells[~cells["source_id"].isin(has_total)
                      & ~cells["origin_code"].isin(_aggregate_codes())]
    keys = ["source_id", "sex", "age_lo", "age_hi"]
    summed = (by_origin.assign(age_hi=by_origin["age_hi"].fillna(-2))
              .groupby(keys, sort=False, as_index=False)["value"].sum())
    summed["age_hi"] = summed["age_hi"].where(summed["age_hi"] != -2)
    attrs = by_origin.drop_duplicates("source_id")[
        ["source_id", "country_code", "reference_date", "source_type", "universe", "source_title"]]
    summed = summed.merge(attrs, on="source_id", how="left")
    direct = cells[cells["origin_code"] == 0]
    out = pd.concat([direct[list(CELL_COLUMNS)].drop(columns="origin_code"), summed], ignore_index=True)
    out["age_hi"] = pd.array(out["age_hi"], dtype="Int64")
    if "t" in cells.columns:
        times = cells.drop_duplicates("source_id").set_index("source_id")["t"]
        out["t"] = out["source_id"].map(times).to_numpy(dtype=float)
    else:
        out["t"] = decimal_years(out["reference_date"]) if len(out) else np.empty(0)
    return out[POINT_COLUMNS].reset_index(drop=True)


def derive_universes(points: pd.DataFrame) -> pd.DataFrame:
    """Rule 2: add foreign-born = total - native-born and foreign citizens = total - citizens.

    Only where the same publication (country, date, title) gives both parts and not the universe
    itself; negative differences (inconsistent tables) are not derived.
    """
    key = ["country_code", "t", "source_title"]
    cell = ["sex", "age_lo", "age_hi"]
    frame = points.assign(age_hi=points["age_hi"].fillna(-2))
    wide = frame.pivot_table(index=key + cell, columns="universe", values="value", aggfunc="first")
    present = frame.groupby(key)["universe"].agg(lambda u: frozenset(u.tolist()))
    extra = []
    for universe, part in ((FOREIGN_BORN, NATIVE_BORN), (FOREIGN_CITIZENS, CITIZENS)):
        if TOTAL not in wide.columns or part not in wide.columns:
            continue
        diff = (wide[TOTAL] - wide[part]).dropna()
        diff = diff[diff >= 0]
        pubs = present[present.map(lambda u, x=universe, p=part: TOTAL in u and p in u and x not in u)]
        diff = diff[diff.index.droplevel(cell).isin(pubs.index)]
        if diff.empty:
            continue
        rows = diff.rename("value").reset_index()
        rows["universe"] = universe
        extra.append(rows)
    if not extra:
        return points
    added = pd.concat(extra, ignore_index=True)
    attrs = frame.drop_duplicates(key)[key + ["source_id", "source_type"]]
    added = added.merge(attrs, on=key, how="left")
    added["source_title"] = added["source_title"] + " (derived)"
    added["age_hi"] = pd.array(added["age_hi"].where(added["age_hi"] != -2), dtype="Int64")
    return pd.concat([points, added[POINT_COLUMNS]], ignore_index=True)


def complete_totals(points: pd.DataFrame) -> pd.DataFrame:
    """Rule 3: all-ages totals by sex (ages summed where missing), both sexes (m + f where missing).

    Returns one row per (source, universe, sex) with ``value``; sources without a both-sexes
    total nor both single sexes keep only what they have.
    """
    key = ["country_code", "t", "source_title", "source_type", "universe"]
    is_total = (points["age_lo"] == 0) & points["age_hi"].isna()
    explicit = points[is_total].groupby(key + ["sex"], as_index=False)["value"].sum()
    ages = points[~is_total].groupby(key + ["sex"], as_index=False)["value"].sum()
    merged = pd.concat([explicit.assign(_p=0), ages.assign(_p=1)], ignore_index=True)
    merged = merged.sort_values("_p", kind="stable").drop_duplicates(key + ["sex"]).drop(columns="_p")
    wide = merged.pivot_table(index=key, columns="sex", values="value", aggfunc="first")
    for s in (0, 1, 2):
        if s not in wide.columns:
            wide[s] = np.nan
    both = wide[0].fillna(wide[1] + wide[2])
    wide[0] = both
    out = wide[[0, 1, 2]].stack().rename("value").reset_index()
    return out.rename(columns={"level_5": "sex"}) if "level_5" in out.columns else out


def choose_concept(totals: pd.DataFrame, rules: SelectionRules) -> pd.Series:
    """Rule 5: the universe code used for each country (index country_code).

    Counts the distinct dates (from ``rules.since``, excluded and last-resort types left out) per
    universe; walks ``rules.concepts`` from the last to the first, each taking over a country where
    it has at least ``min_points`` dates and ``concept_ratio`` times its dates are at least the dates
    of the universe chosen so far. A country with no primary date in any universe is decided on all
    its dates the same way.
    """
    dated = totals[(totals["sex"] == 0) & (totals["t"] >= rules.since)
                   & ~totals["source_type"].isin(rules.exclude_types)]
    primary = dated[~dated["source_type"].isin(rules.last_resort_types)]
    rest = dated[~dated["country_code"].isin(primary["country_code"].unique())]
    chosen: dict[int, int] = {}
    for frame in (primary, rest):
        counts = frame.groupby(["country_code", "universe"])["t"].nunique().unstack(fill_value=0)
        best = pd.Series(-1, index=counts.index, dtype="int64")
        n_best = pd.Series(0, index=counts.index, dtype="int64")
        for concept in reversed(rules.concepts):
            code = CONCEPT_CODES[concept]
            n = counts[code] if code in counts.columns else pd.Series(0, index=counts.index)
            take = (n >= rules.min_points) & (n * rules.concept_ratio >= n_best)
            best = best.where(~take, code)
            n_best = n_best.where(~take, n)
        chosen.update({int(c): int(u) for c, u in best[best >= 0].items()})
    return pd.Series(chosen, name="universe", dtype="int64").sort_index()


def last_resort(totals: pd.DataFrame, rules: SelectionRules) -> pd.DataFrame:
    """Rule 6: drop points of ``last_resort_types`` within ``last_resort_window`` years of a point of
    another type of the same country (any sex: the dates are compared per country)."""
    weak = totals["source_type"].isin(rules.last_resort_types).to_numpy()
    if not weak.any():
        return totals
    strong = totals[~weak].sort_values(["country_code", "t"])
    key_s = strong["country_code"].to_numpy(np.int64) * 10_000.0 + strong["t"].to_numpy(float)
    cand = totals[weak]
    key_c = cand["country_code"].to_numpy(np.int64) * 10_000.0 + cand["t"].to_numpy(float)
    pos = np.searchsorted(key_s, key_c)
    near = np.full(len(key_c), np.inf)
    for side in (pos - 1, pos):
        ok = (side >= 0) & (side < len(key_s))
        gap = np.abs(key_s[np.clip(side, 0, max(len(key_s) - 1, 0))] - key_c) if len(key_s) else near
        near = np.where(ok, np.minimum(near, gap), near)
    keep = np.ones(len(totals), dtype=bool)
    keep[np.flatnonzero(weak)] = near >= rules.last_resort_window
    return totals[keep]


def one_per_date(totals: pd.DataFrame, rules: SelectionRules) -> pd.DataFrame:
    """Rules 6-7: one value per country, sex and date; returns ``country_code, sex, t, value, n_sources,
    source_type, sources`` (``source_type``: the best-ranked type of the date), sorted by country, sex
    and time."""
    frame = last_resort(totals[~totals["source_type"].isin(rules.exclude_types)], rules).copy()
    if frame.empty:
        return pd.DataFrame(columns=["country_code", "sex", "t", "value", "n_sources", "source_type",
                                     "sources"])
    frame = frame.sort_values(["country_code", "sex", "t", "source_title"], kind="stable")
    gap = frame.groupby(["country_code", "sex"])["t"].diff().fillna(np.inf)
    frame["date_group"] = (gap > rules.same_date).cumsum()
    rank = {name: i for i, name in enumerate(rules.type_order)}
    frame["rank"] = frame["source_type"].map(rank).fillna(len(rank))
    best = frame.groupby("date_group")["rank"].transform("min")
    frame = frame[frame["rank"] == best]
    grouped = frame.groupby(["country_code", "sex", "date_group"], sort=True)
    how = "median" if rules.combine == "nearest" else rules.combine
    out = grouped.agg(t=("t", "mean"), value=("value", how), n_sources=("value", "size"),
                      source_type=("source_type", "first")).reset_index()
    if rules.combine == "nearest":
        out["value"] = nearest_to_neighbours(frame, out, rules.neighbour_window)
    titles = frame[["date_group", "source_title"]].drop_duplicates().sort_values(
        ["date_group", "source_title"], kind="stable")
    joined = {g: "; ".join(str(t) for _, t in rows) for g, rows in itertools.groupby(
        zip(titles["date_group"].tolist(), titles["source_title"].tolist()), key=lambda r: r[0])}
    out["sources"] = out["date_group"].map(joined)
    return out.drop(columns="date_group")


def nearest_to_neighbours(frame: pd.DataFrame, dates: pd.DataFrame, window: float) -> np.ndarray:
    """The ``nearest`` combination: per date group, the value closest in log to the neighbours.

    Parameters
    ----------
    frame
        the data points with ``country_code, sex, t, value, date_group``.
    dates
        one row per date group (``country_code, sex, date_group, t``, ``value`` the median).

    Returns
    -------
    numpy.ndarray
        per row of ``dates``: its value when it has one source or no neighbour within ``window``
        years, else the source value closest (|log ratio|) to the median of the other dates' medians
        of the same country and sex within ``window`` years.

    References
    ----------
    .. [1] Huber, P. J. and Ronchetti, E. M. (2009). Robust Statistics, 2nd ed. Wiley, ch. 1.

    Examples
    --------
    >>> pts = pd.DataFrame({"country_code": 1, "sex": 0, "t": [2000.0, 2000.0, 2005.0],
    ...                     "value": [9.0, 77.0, 10.0], "date_group": [0, 0, 1]})
    >>> per = pts.groupby(["country_code", "sex", "date_group"], as_index=False).agg(
    ...     t=("t", "mean"), value=("value", "median"))
    >>> nearest_to_neighbours(pts, per, 10.0).tolist()
    [9.0, 10.0]
    """
    medians = dates["value"].to_numpy(float)
    values = medians.copy()
    multi = frame.groupby("date_group")["value"].transform("size").to_numpy() > 1
    row_of = pd.Series(np.arange(len(dates)), index=dates["date_group"].to_numpy())
    cc, sx, tt = (dates[c].to_numpy() for c in ("country_code", "sex", "t"))
    for group, rows in frame[multi].groupby("date_group", sort=True):
        i = int(row_of[group])
        near = (cc == cc[i]) & (sx == sx[i]) & (np.abs(tt - tt[i]) <= window) & (medians > 0)
        near[i] = False
        pool = rows["value"].to_numpy(float)
        if not near.any() or not (pool > 0).any():
            continue
        with np.errstate(divide="ignore"):
            dist = np.abs(np.log(np.where(pool > 0, pool, np.nan)) - np.log(np.median(medians[near])))
        values[i] = pool[int(np.nanargmin(dist))]
    return values


#: Rules applied only by :func:`one_per_date`; :func:`prepare_points` does not depend on them.
PER_DATE_RULES: frozenset[str] = frozenset({"combine", "same_date", "type_order", "last_resort_window",
                                            "neighbour_window"})


def preparation_key(rules: SelectionRules) -> tuple[object, ...]:
    """The rules :func:`prepare_points` depends on (a cache key shared by per-date alternatives)."""
    return tuple((k, v) for k, v in asdict(rules).items() if k not in PER_DATE_RULES)


def prepare_points(cells: pd.DataFrame, rules: SelectionRules = SelectionRules()
                   ) -> tuple[pd.DataFrame, pd.DataFrame, pd.Series]:
    """Rules 1-5: (totals of the chosen universe, its age-detail points, the chosen universe).

    The totals have one row per source, universe and sex (:func:`complete_totals`); the age points
    are the rows of :func:`origin_totals` (after derivation) with age detail, in the chosen universe
    and not of an excluded or last-resort type.
    """
    points = origin_totals(cells)
    if rules.year_only_mid_year:
        points["t"] = year_only_to_mid_year(points["t"].to_numpy(float))
    points = points[points["universe"].isin([TOTAL, CITIZENS, NATIVE_BORN, FOREIGN_BORN, FOREIGN_CITIZENS])]
    if rules.derive:
        points = derive_universes(points)
    points = points[points["universe"].isin([FOREIGN_BORN, FOREIGN_CITIZENS])]
    totals = complete_totals(points)
    concept = choose_concept(totals, rules)
    chosen_frame = concept.rename("universe").rename_axis("country_code").reset_index()
    chosen = totals.merge(chosen_frame, on=["country_code", "universe"])
    ages = points.merge(chosen_frame, on=["country_code", "universe"])
    ages = ages[~ages["source_type"].isin(rules.exclude_types + rules.last_resort_types)
                & ~((ages["age_lo"] == 0) & ages["age_hi"].isna())]
    return chosen, ages.reset_index(drop=True), concept


def select_points(cells: pd.DataFrame, rules: SelectionRules = SelectionRules()
                  ) -> tuple[pd.DataFrame, pd.DataFrame, pd.Series]:
    """All rules: (total data points, age-detail points of the chosen universe, chosen universe).

    The total data points have columns ``country_code, sex, t, value, n_sources, sources``; see
    :func:`prepare_points` for the others.
    """
    chosen, ages, concept = prepare_points(cells, rules)
    return one_per_date(chosen, rules), ages, concept
