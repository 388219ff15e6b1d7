"""Mid-year totals (both sexes) per country from the selected data points.

Builds the panel of :func:`gmrd.estimate.interpolate.interpolate_panel` from the data points of
:func:`gmrd.estimate.selection.select_points` (both sexes), with the total population of
:mod:`gmrd.estimate.population` for share-based extrapolation, and returns one row per country and
year with the flag ``inside`` (the year lies within the country's data range).

With the extrapolation ``trend`` (:func:`regional_trend`), a country's migrant share of the
population outside its data range changes like the pooled share of its geographic sub-region
(region where the sub-region has too few countries with data) over the same years: the UN's
practice of carrying a country forward by the rate of change of comparable countries where its
own data end [1]_ [2]_.

References
----------
.. [1] United Nations, Department of Economic and Social Affairs, Population Division (2020).
   International Migrant Stock 2020: Documentation (POP/DB/MIG/Stock/Rev.2020), "Methodology".
.. [2] United Nations (1983). Manual X: Indirect Techniques for Demographic Estimation, ch. 1
   (borrowing patterns from comparable populations where own data are lacking).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from gmrd.estimate.dates import mid_year
from gmrd.estimate.interpolate import Extrapolation, Form, interpolate_panel
from gmrd.estimate.population import population_at


def mid_year_totals(points: pd.DataFrame, years: Sequence[int], *, form: Form = "exponential",
                    extrapolation: Extrapolation = "share", min_span: float = 0.0,
                    population: pd.DataFrame | None = None) -> pd.DataFrame:
    """Both-sexes totals on 1 July of ``years`` for every country with data points.

    Parameters
    ----------
    points
        ``country_code, sex, t, value`` (rows with sex other than 0 are ignored).
    years
        reference years.
    form, extrapolation, min_span
        see :func:`gmrd.estimate.interpolate.interpolate_panel`.
    population
        a population table like :func:`gmrd.estimate.population.total_population` (default: the
        shipped IMS 2020 Table 2).

    Returns
    -------
    pandas.DataFrame
        ``country_code, year, value, inside, first, last`` (``first``/``last``: the data range).
    """
    both = points[points["sex"] == 0].sort_values(["country_code", "t"], kind="stable")
    both = both.drop_duplicates(["country_code", "t"])
    codes = np.sort(both["country_code"].unique())
    series = np.searchsorted(codes, both["country_code"].to_numpy())
    t = both["t"].to_numpy(dtype=float)
    targets = mid_year(np.asarray(years))
    pop_points = population_at(both["country_code"].to_numpy(), t, population)
    pop_targets = population_at(np.repeat(codes, len(targets)), np.tile(targets, len(codes)),
                                population).reshape(len(codes), len(targets))
    result = interpolate_panel(series, t, both["value"].to_numpy(dtype=float), len(codes), targets,
                               form=form, extrapolation=extrapolation, min_span=min_span,
                               pop_points=pop_points, pop_targets=pop_targets)
    values = result.values
    if extrapolation == "trend" and len(codes):
        values = regional_trend(codes, values, result.inside, pop_targets)
    span = both.groupby("country_code")["t"].agg(["min", "max"]).reindex(codes)
    return pd.DataFrame({
        "country_code": np.repeat(codes, len(targets)),
        "year": np.tile(np.asarray(years, dtype=np.int64), len(codes)),
        "value": values.ravel(),
        "inside": result.inside.ravel(),
        "first": np.repeat(span["min"].to_numpy(), len(targets)),
        "last": np.repeat(span["max"].to_numpy(), len(targets)),
    })


#: fewest countries with data in both years for a sub-region's (else the region's) share change
MIN_TREND_COUNTRIES = 3


def regional_trend(codes: np.ndarray, values: np.ndarray, inside: np.ndarray, population: np.ndarray,
                   groups: pd.DataFrame | None = None, min_countries: int = MIN_TREND_COUNTRIES
                   ) -> np.ndarray:
    """Values outside each country's data range moved with its sub-region's migrant share.

    For a country outside its range at target ``j`` (after its last target inside, ``a``; or before
    its first), the value is ``v[a] * (P[j] / P[a]) * (S[j] / S[a])``: its share at ``a`` times the
    change of the pooled share ``S`` (migrants over population) of the countries of its sub-region
    inside their ranges at both ``j`` and ``a`` (the region's when fewer than ``min_countries``;
    else the share held, as ``share``). Countries with no target inside keep ``values``.

    Parameters
    ----------
    codes
        country codes of the rows of ``values`` (n_series).
    values, inside, population
        (n_series, n_targets): the panel's values, whether inside the data range, total population.
    groups
        ``code, subregion, region`` (default :func:`gmrd.estimate.impute.published_areas`).

    References
    ----------
    .. [1] UN DESA Population Division (2020), IMS 2020 Documentation, "Methodology".
    .. [2] United Nations (1983). Manual X: Indirect Techniques for Demographic Estimation, ch. 1.

    Examples
    --------
    >>> groups = pd.DataFrame({"code": [1, 2], "subregion": 5, "region": 9})
    >>> v = np.array([[10.0, 20.0], [10.0, np.nan]])
    >>> inside = np.array([[True, True], [True, False]])
    >>> pop = np.full((2, 2), 100.0)
    >>> regional_trend(np.array([1, 2]), v, inside, pop, groups, min_countries=1)[1].tolist()
    [10.0, 20.0]
    """
    if groups is None:
        from gmrd.estimate.impute import published_areas

        groups = published_areas()
    out = values.copy()
    n, m = values.shape
    if m < 2:
        return out
    info = groups.set_index("code").reindex(codes)
    levels = [pd.factorize(info[k].fillna(-1).to_numpy())[0] for k in ("subregion", "region")]
    has = inside.any(axis=1)
    cols = np.arange(m)
    first = np.where(has, inside.argmax(axis=1), -1)
    last = np.where(has, m - 1 - inside[:, ::-1].argmax(axis=1), -1)
    anchor = np.where(cols[None, :] > last[:, None], last[:, None], first[:, None])
    outside = has[:, None] & ~inside & ((cols[None, :] > last[:, None]) | (cols[None, :] < first[:, None]))
    v = np.where(inside, np.nan_to_num(values), 0.0)
    p = np.where(inside, np.nan_to_num(population), 0.0)
    ratio = np.full((n, m), np.nan)
    for a in np.unique(anchor[outside]):
        cells = outside & (anchor == a)
        for j in np.flatnonzero(cells.any(axis=0)):
            rows = cells[:, j]
            both = inside[:, a] & inside[:, j]
            for level in reversed(levels):  # the region's first, the sub-region's where it has enough
                k = level.max() + 1
                count = np.bincount(level[both], minlength=k)
                sums = [np.bincount(level[both], weights=w[both], minlength=k)
                        for w in (v[:, j], p[:, j], v[:, a], p[:, a])]
                with np.errstate(divide="ignore", invalid="ignore"):
                    change = (sums[0] / sums[1]) / (sums[2] / sums[3])
                ok = (count >= min_countries) & np.isfinite(change) & (change > 0)
                pick = rows & ok[level]
                ratio[pick, j] = change[level[pick]]
    base = values[np.arange(n)[:, None], np.clip(anchor, 0, m - 1)]
    with np.errstate(divide="ignore", invalid="ignore"):
        grown = base * population / population[np.arange(n)[:, None], np.clip(anchor, 0, m - 1)] * ratio
    use = outside & np.isfinite(grown)
    out[use] = grown[use]
    return out
