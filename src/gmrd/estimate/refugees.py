"""Refugees and asylum seekers added to the stock where the census or register does not count them.

The UN Population Division adds the refugees reported by UNHCR (and UNRWA) to the migrant stock of
countries whose census or register leaves them out (its "Type of data" R) [1]_. gmrd decides from
the data, by the declared rule :class:`RefugeeRules`, never from the UN's published type. The
refugee series sums refugees, asylum seekers and Venezuelans displaced abroad (UNHCR's "other
people in need of international protection"), which IMS 2020 adds as well [1]_:

``none``
    nothing is added.
``share``
    the refugee series (universes refugees + asylum seekers, :func:`refugee_points`) is compared
    with the country's own data points: where the refugees at the dates of the country's data
    points are, in median, at least ``share`` times the migrant stock counted at those dates, the
    sources are taken not to count them (a stock that counted them could hardly be smaller than
    them) and the refugees of every year are added. Otherwise, with ``arrivals``, the refugees
    who arrived after the country's last data point are added: the growth of the refugee series
    beyond its value at that date (no source could have counted them).
``arrivals``
    only the refugees who arrived after the country's last data point are added (``share`` with an
    infinite threshold).
``always``
    the refugees of every year are added to every country with data.

A curator overrides the rule per source (``sources.counts_refugees``, set with ``gmrd review
SOURCE_ID refugees counted|not-counted|rule --reason TEXT``, audited): the latest source of the
country with an override decides (counted: treated as if the rule had found them counted; not
counted: all refugees are added). The refugee series is interpolated linearly between its (end-of-year) dates,
is zero before its first date and held after its last. Data points of ``republished_types``
(for example ``estimate``: series such as the World Bank's that republish earlier UN figures,
refugees included) neither decide the rule nor receive refugees: a year whose nearest data point is
of such a type gets none (default ``estimate``) -- unless the refugees at its date are at least
``republished_share`` times its value (then it is taken to leave them out), and, with
``republished_net`` (default), a republished point that includes them has them subtracted
(:func:`net_republished`) so that every year gets them all. The defaults (``always``; ``estimate``
points net of their refugees unless these are at least half their value) are the rules the
cross-validation of :mod:`gmrd.estimate.crossval` chose most often. Estimates with refugees added
carry the flag ``refugees_added``; the sex and age structure is the country's own (refugees are spread like the
counted migrants).

References
----------
.. [1] United Nations, Department of Economic and Social Affairs, Population Division (2020).
   International Migrant Stock 2020: Documentation (POP/DB/MIG/Stock/Rev.2020), "Methodology"
   (refugees added to the census or register stock: "Type of data" R).
.. [2] UNHCR (2021). Global Trends: Forced Displacement in 2020, "Methodology" (refugees and
   asylum seekers by country of asylum, end-year figures).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from gmrd.errors import InputError
from gmrd.estimate.dates import mid_year
from gmrd.estimate.interpolate import interpolate_panel

REFUGEES, ASYLUM_SEEKERS, VENEZUELANS_DISPLACED, OTHER_IN_NEED = 2, 6, 7, 10
#: refugees, asylum seekers, Venezuelans displaced abroad (UNHCR's "other people in need of
#: international protection", universe 10 in the UN's inputs); not the stateless (8), who are mostly
#: born in the country
REFUGEE_UNIVERSES = (REFUGEES, ASYLUM_SEEKERS, VENEZUELANS_DISPLACED, OTHER_IN_NEED)
RULES = ("none", "share", "arrivals", "always")
#: origin code of the cells :func:`gmrd.db.queries.estimation_cells` summed over origins
ORIGINS_SUMMED = -1
FLAG = "refugees_added"


@dataclass(frozen=True)
class RefugeeRules:
    """The declared refugee-addition rule (see the module docstring)."""

    rule: str = "always"
    share: float = 0.1
    arrivals: bool = True
    universes: tuple[int, ...] = REFUGEE_UNIVERSES
    republished_types: tuple[str, ...] = ("estimate",)
    republished_share: float = 0.5
    republished_net: bool = True

    def __post_init__(self) -> None:
        if self.rule not in RULES:
            raise InputError(f"unknown refugee rule {self.rule!r}: use {', '.join(RULES)}",
                             field="refugees")
        if not self.share > 0:
            raise InputError("the refugee share threshold must be positive", field="refugee_share")
        if not self.republished_share > 0:
            raise InputError("the republished-type refugee threshold must be positive",
                             field="republished_share")

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def refugee_points(cells: pd.DataFrame, universes: Sequence[int] = REFUGEE_UNIVERSES) -> pd.DataFrame:
    """``country_code, t, value``: refugees + asylum seekers per country and date.

    Both-sexes all-ages all-origins cells of ``universes``; several sources of one universe at a
    date give their median, the universes are summed.

    References
    ----------
    .. [1] UN DESA Population Division (2020), IMS 2020 Documentation, "Methodology" (type R).
    .. [2] UNHCR (2021), Global Trends: Forced Displacement in 2020, "Methodology".
    """
    rows = cells[cells["universe"].isin(list(universes)) & (cells["sex"] == 0) & (cells["age_lo"] == 0)
                 & cells["age_hi"].isna() & cells["origin_code"].isin([0, ORIGINS_SUMMED])]
    if rows.empty:
        return pd.DataFrame({"country_code": pd.Series(dtype=np.int64), "t": pd.Series(dtype=float),
                             "value": pd.Series(dtype=float)})
    t = rows["t"] if "t" in rows.columns else _decimal(rows["reference_date"])
    rows = rows.assign(t=np.round(np.asarray(t, dtype=float), 3))
    per = rows.groupby(["country_code", "universe", "t"], as_index=False)["value"].median()
    out = per.groupby(["country_code", "t"], as_index=False)["value"].sum()
    out["country_code"] = out["country_code"].astype(np.int64)
    return out.sort_values(["country_code", "t"], kind="stable").reset_index(drop=True)


def _decimal(dates: pd.Series) -> np.ndarray:
    from gmrd.estimate.dates import decimal_years

    return np.asarray(decimal_years(dates), dtype=float)


def refugees_at(points: pd.DataFrame, codes: np.ndarray, times: np.ndarray) -> np.ndarray:
    """Refugees of country ``codes[i]`` at decimal time ``times[i]`` (0 where no series).

    Linear between dates, 0 before the first date, the last value held after it.

    References
    ----------
    .. [1] UN DESA Population Division (2020), IMS 2020 Documentation, "Methodology" (type R).
    .. [2] UNHCR (2021), Global Trends: Forced Displacement in 2020, "Methodology".

    Examples
    --------
    >>> pts = pd.DataFrame({"country_code": [4, 4], "t": [2000.0, 2010.0], "value": [10.0, 30.0]})
    >>> refugees_at(pts, np.array([4, 4, 4, 8]), np.array([1990.0, 2005.0, 2020.0, 2005.0])).tolist()
    [0.0, 20.0, 30.0, 0.0]
    """
    codes = np.asarray(codes, dtype=np.int64)
    times = np.asarray(times, dtype=float)
    out = np.zeros(len(codes))
    if points.empty or not len(codes):
        return out
    series_codes = np.sort(points["country_code"].unique())
    series = np.searchsorted(series_codes, points["country_code"].to_numpy())
    uniq_t = np.unique(times)
    result = interpolate_panel(series, points["t"].to_numpy(float), points["value"].to_numpy(float),
                               len(series_codes), uniq_t, form="linear", extrapolation="constant")
    first = points.groupby("country_code")["t"].min().reindex(series_codes).to_numpy()
    pos = np.searchsorted(series_codes, codes)
    known = (pos < len(series_codes)) & (series_codes[np.minimum(pos, len(series_codes) - 1)] == codes)
    col = np.searchsorted(uniq_t, times)
    p = np.minimum(pos, len(series_codes) - 1)
    vals = result.values[p, col]
    vals = np.where(times < first[p], 0.0, vals)
    return np.where(known, np.nan_to_num(vals), 0.0)


def not_counted(stock: pd.DataFrame, refugees: pd.DataFrame, rules: RefugeeRules,
                overrides: pd.DataFrame | None = None) -> pd.Series:
    """Per country with data points (index country_code): True where the refugees are taken as not
    counted by its sources, so that all of them are added.

    Parameters
    ----------
    stock
        the country's both-sexes data points ``country_code, sex, t, value`` (one per date).
    refugees
        :func:`refugee_points`.
    overrides
        ``country_code, t, counts_refugees`` (True/False) of the sources a curator marked; the
        latest per country decides.

    References
    ----------
    .. [1] UN DESA Population Division (2020), IMS 2020 Documentation, "Methodology" (type R).
    .. [2] UNHCR (2021), Global Trends: Forced Displacement in 2020, "Methodology".
    """
    both = stock[stock["sex"] == 0]
    codes = np.sort(both["country_code"].unique()).astype(np.int64)
    if "source_type" in both.columns:
        both = both[~both["source_type"].isin(rules.republished_types)]
    if rules.rule in ("none", "arrivals"):
        decided = pd.Series(False, index=codes)
    elif rules.rule == "always":
        decided = pd.Series(True, index=codes)
    else:
        r = refugees_at(refugees, both["country_code"].to_numpy(), both["t"].to_numpy(float))
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(both["value"].to_numpy(float) > 0, r / both["value"].to_numpy(float), np.inf)
        med = pd.Series(ratio, index=both["country_code"].to_numpy()).groupby(level=0).median()
        decided = (med.reindex(codes) >= rules.share).fillna(False)
    if overrides is not None and len(overrides):
        latest = overrides.sort_values("t", kind="stable").groupby("country_code")["counts_refugees"].last()
        latest = latest[latest.index.isin(codes)]
        decided.loc[latest.index] = ~latest.astype(bool).to_numpy()
    return decided.astype(bool).rename("not_counted")


def added_refugees(totals: pd.DataFrame, stock: pd.DataFrame, refugees: pd.DataFrame,
                   decided: pd.Series, rules: RefugeeRules) -> np.ndarray:
    """Refugees to add to each row of ``totals`` (``country_code, year``).

    All refugees at mid-year where ``decided`` (not counted); otherwise, when ``rules.arrivals``
    (and the rule is not ``none``), the growth of the refugee series after the country's last data
    point (no earlier source can have counted them).

    References
    ----------
    .. [1] UN DESA Population Division (2020), IMS 2020 Documentation, "Methodology" (type R).
    .. [2] UNHCR (2021), Global Trends: Forced Displacement in 2020, "Methodology".
    """
    codes = totals["country_code"].to_numpy(np.int64)
    now = refugees_at(refugees, codes, mid_year(totals["year"].to_numpy()))
    flag = decided.reindex(codes).fillna(False).to_numpy(bool)
    last = stock[stock["sex"] == 0].groupby("country_code")["t"].max().reindex(codes).to_numpy(float)
    at_last = refugees_at(refugees, codes, np.nan_to_num(last, nan=-np.inf))
    later = mid_year(totals["year"].to_numpy()) > last
    arrivals = np.where(later, np.maximum(now - at_last, 0.0), 0.0)
    use_arrivals = rules.arrivals and rules.rule != "none"
    extra = np.where(flag, now, arrivals if use_arrivals else 0.0)
    republished = republished_nearest(totals, stock, rules.republished_types)
    excluded = republished & republished_excludes(totals, stock, refugees, rules)
    extra = np.where(excluded, now, extra)
    skip = republished & ~excluded
    if rules.republished_net:  # their refugees were subtracted (net_republished): all are added back
        skip &= ~flag
    return np.where(skip | (rules.rule == "none"), 0.0, extra)


def net_republished(points: pd.DataFrame, refugees: pd.DataFrame, decided: pd.Series,
                    rules: RefugeeRules) -> pd.DataFrame:
    """``points`` with the refugees subtracted from the both-sexes points of ``republished_types``
    that include them, in the countries whose refugees are added in full (``decided``).

    With ``republished_net``, such a point (refugees at its date below ``republished_share`` times
    and below once its value) becomes the stock without refugees, as the census and register points
    of the country are, so that the series is interpolated on one concept and the refugees of every
    year are added on top (the UN's order: interpolate the stock without refugees, add UNHCR's
    [1]_). Without it, ``points`` is returned unchanged.

    References
    ----------
    .. [1] UN DESA Population Division (2020), IMS 2020 Documentation, "Methodology" (type R).
    .. [2] UNHCR (2021), Global Trends: Forced Displacement in 2020, "Methodology".

    Examples
    --------
    >>> pts = pd.DataFrame({"country_code": 4, "sex": 0, "t": [1990.5, 2000.5],
    ...                     "value": [100.0, 300.0], "source_type": ["census", "estimate"]})
    >>> ref = pd.DataFrame({"country_code": [4], "t": [1990.0], "value": [50.0]})
    >>> rules = RefugeeRules(republished_share=1.0, republished_net=True)
    >>> net_republished(pts, ref, pd.Series(True, index=[4]), rules)["value"].tolist()
    [100.0, 250.0]
    """
    if not rules.republished_net or "source_type" not in points.columns or points.empty:
        return points
    codes = points["country_code"].to_numpy(np.int64)
    held = refugees_at(refugees, codes, points["t"].to_numpy(float))
    value = points["value"].to_numpy(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(value > 0, held / value, np.inf)
    net = ((points["sex"] == 0).to_numpy() & points["source_type"].isin(rules.republished_types).to_numpy()
           & decided.reindex(codes).fillna(False).to_numpy(bool) & (held > 0)
           & (ratio < min(rules.republished_share, 1.0)))
    return points.assign(value=np.where(net, value - held, value))


def republished_excludes(totals: pd.DataFrame, stock: pd.DataFrame, refugees: pd.DataFrame,
                         rules: RefugeeRules) -> np.ndarray:
    """Per row of ``totals``: whether the country's data point nearest to mid-year is one that
    leaves the refugees out although of a ``republished_types`` type: the refugees at its date are
    at least ``republished_share`` times its value (a republished stock that included them could
    hardly be smaller than them; e.g. the World Bank's 1990 figures for Pakistan, Iran, Sudan,
    Malawi exclude the refugees its 2020 figures include).

    References
    ----------
    .. [1] UN DESA Population Division (2020), IMS 2020 Documentation, "Methodology" (type R).
    .. [2] UNHCR (2021), Global Trends: Forced Displacement in 2020, "Methodology".

    Examples
    --------
    >>> pts = pd.DataFrame({"country_code": [4, 4], "sex": 0, "t": [1990.5, 2020.5],
    ...                     "value": [100.0, 300.0], "source_type": "estimate"})
    >>> ref = pd.DataFrame({"country_code": [4, 4], "t": [1990.5, 2020.5], "value": [120.0, 100.0]})
    >>> tot = pd.DataFrame({"country_code": [4, 4], "year": [1990, 2020]})
    >>> republished_excludes(tot, pts, ref, RefugeeRules(republished_share=1.0)).tolist()
    [True, False]
    """
    nearest, same = _nearest_point(totals, stock)
    if nearest is None or not (np.isfinite(rules.republished_share) or rules.republished_net):
        return np.zeros(len(totals), dtype=bool)
    both = _sorted_points(stock)
    value = both["value"].to_numpy(float)[nearest]
    held = refugees_at(refugees, both["country_code"].to_numpy(np.int64)[nearest],
                       both["t"].to_numpy(float)[nearest])
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(value > 0, held / value, np.inf)
    threshold = min(rules.republished_share, 1.0) if rules.republished_net else rules.republished_share
    return same & (held > 0) & (ratio >= threshold)


def _sorted_points(stock: pd.DataFrame) -> pd.DataFrame:
    return stock[stock["sex"] == 0].sort_values(["country_code", "t"], kind="stable")


def _nearest_point(totals: pd.DataFrame, stock: pd.DataFrame) -> tuple[np.ndarray | None, np.ndarray]:
    """Index (into :func:`_sorted_points`) of each row's nearest data point of its country, and
    whether the country has one (None where ``stock`` has no both-sexes point)."""
    both = _sorted_points(stock)
    if both.empty:
        return None, np.zeros(len(totals), dtype=bool)
    key = both["country_code"].to_numpy(np.int64) * 10_000.0 + both["t"].to_numpy(float)
    target = totals["country_code"].to_numpy(np.int64) * 10_000.0 + mid_year(totals["year"].to_numpy())
    pos = np.searchsorted(key, target)
    lo, hi = np.clip(pos - 1, 0, len(key) - 1), np.clip(pos, 0, len(key) - 1)
    nearest = np.where(np.abs(key[lo] - target) <= np.abs(key[hi] - target), lo, hi)
    return nearest, np.abs(key[nearest] - target) < 5_000


def republished_nearest(totals: pd.DataFrame, stock: pd.DataFrame, types: Sequence[str]) -> np.ndarray:
    """Per row of ``totals``: whether the country's data point nearest to mid-year is of ``types``.

    References
    ----------
    .. [1] UN DESA Population Division (2020), IMS 2020 Documentation, "Methodology" (type R).
    .. [2] UNHCR (2021), Global Trends: Forced Displacement in 2020, "Methodology".

    Examples
    --------
    >>> pts = pd.DataFrame({"country_code": [4, 4], "sex": 0, "t": [2000.5, 2020.5],
    ...                     "source_type": ["census", "estimate"]})
    >>> tot = pd.DataFrame({"country_code": [4, 4, 8], "year": [2005, 2015, 2015]})
    >>> republished_nearest(tot, pts, ("estimate",)).tolist()
    [False, True, False]
    """
    nearest, same = _nearest_point(totals, stock)
    if "source_type" not in stock.columns or nearest is None or not types:
        return np.zeros(len(totals), dtype=bool)
    return same & _sorted_points(stock)["source_type"].isin(list(types)).to_numpy()[nearest]


def add_refugees(totals: pd.DataFrame, stock: pd.DataFrame, cells: pd.DataFrame, rules: RefugeeRules,
                 refugees: pd.DataFrame | None = None) -> pd.DataFrame:
    """``totals`` (``country_code, year, value``) with refugees added and a boolean ``refugees_added``.

    ``stock`` are the country's data points (:func:`gmrd.estimate.selection.one_per_date`);
    ``cells`` the accepted cells (refugee universes and, if present, the sources'
    ``counts_refugees`` overrides); ``refugees`` the :func:`refugee_points` of ``cells`` if known.

    References
    ----------
    .. [1] UN DESA Population Division (2020), IMS 2020 Documentation, "Methodology" (type R).
    .. [2] UNHCR (2021), Global Trends: Forced Displacement in 2020, "Methodology".
    """
    refugees = refugee_points(cells, rules.universes) if refugees is None else refugees
    decided = not_counted(stock, refugees, rules, curator_overrides(cells))
    extra = added_refugees(totals, stock, refugees, decided, rules)
    return totals.assign(value=totals["value"].to_numpy(float) + extra, refugees_added=extra > 0)


def curator_overrides(cells: pd.DataFrame) -> pd.DataFrame:
    """``country_code, t, counts_refugees`` of the migrant-stock sources a curator marked."""
    if "counts_refugees" not in cells.columns:
        return pd.DataFrame(columns=["country_code", "t", "counts_refugees"])
    marked = cells[cells["counts_refugees"].notna() & ~cells["universe"].isin(REFUGEE_UNIVERSES)]
    marked = marked.drop_duplicates("source_id")
    t = marked["t"] if "t" in marked.columns else _decimal(marked["reference_date"])
    return pd.DataFrame({"country_code": marked["country_code"].to_numpy(np.int64),
                         "t": np.asarray(t, dtype=float),
                         "counts_refugees": marked["counts_refugees"].astype(bool).to_numpy()})
