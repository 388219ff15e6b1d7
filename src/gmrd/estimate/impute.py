"""Imputation where the data are missing: regional model patterns, flagged.

* **Age-sex structure.** A country without usable age data takes the *regional model pattern*: the
  unweighted mean, over the countries of its SDG region that have age data, of their fine-group
  shares (by sex and year); the world mean where its region has none. The same holds for the male
  share. Flag ``age_imputed`` / ``sex_imputed``.
* **Totals.** A country without any data point takes the migrant share of the total population
  of its geographic sub-region (region, then world, when the sub-region has none) in each year,
  times its population. Flag ``imputed`` (the UN's type I [1]_). The sub-region's share is, by the
  declared rule ``share``: ``median`` (the median of its countries' shares) or ``pooled`` (its
  countries' migrants over their population: the share of the sub-region as a whole, which the
  many small countries with high shares do not dominate [3]_).

References
----------
.. [1] United Nations, Department of Economic and Social Affairs, Population Division (2020).
   International Migrant Stock 2020: Documentation (POP/DB/MIG/Stock/Rev.2020): countries without
   data are estimated from a model ("Type of data" I).
.. [2] United Nations (1983). Manual X: Indirect Techniques for Demographic Estimation, ch. 1
   (borrowing patterns from comparable populations where own data are lacking).
.. [3] Preston, S. H., Heuveline, P. and Guillot, M. (2001). Demography: Measuring and Modeling
   Population Processes. Oxford: Blackwell, section 1.5 (rates of a population as a whole).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal, get_args

import numpy as np
import pandas as pd

from gmrd.estimate.population import population_at
from gmrd.reference.countries import countries

ImputeShare = Literal["median", "pooled"]
IMPUTE_SHARES: tuple[str, ...] = get_args(ImputeShare)


def published_areas() -> pd.DataFrame:
    """The 235 countries and areas of the estimates with ``subregion``, ``region``, ``sdg_region``."""
    table = countries()
    rows = table[table["kind"] == "country"]
    return rows[["code", "name", "region", "subregion", "sdg_region"]].reset_index(drop=True)


def regional_pattern(shares: pd.DataFrame, value_columns: Sequence[str], areas: pd.DataFrame,
                     keys: Sequence[str] = ("sex", "year"), level: str = "sdg_region") -> pd.DataFrame:
    """Fill every area of ``areas`` missing from ``shares`` with its region's mean pattern.

    Parameters
    ----------
    shares
        ``country_code``, ``keys`` and ``value_columns`` for the countries with data.
    areas
        :func:`published_areas`.

    Returns
    -------
    pandas.DataFrame
        the rows of ``shares`` plus imputed rows for the others, with a boolean ``imputed``.
    """
    keys = list(keys)
    cols = list(value_columns)
    have = shares.merge(areas[["code", level]], left_on="country_code", right_on="code")
    regional = have.groupby([level, *keys])[cols].mean()
    world = have.groupby(keys)[cols].mean()
    missing = areas[~areas["code"].isin(shares["country_code"].unique())]
    combos = shares[keys].drop_duplicates()
    if missing.empty or combos.empty:
        return shares.assign(imputed=False)
    grid = missing[["code", level]].merge(combos, how="cross")
    filled = grid.join(regional, on=[level, *keys])
    gaps = filled[cols[0]].isna()
    if gaps.any():
        filled.loc[gaps, cols] = grid[gaps].join(world, on=keys)[cols].to_numpy()
    filled = filled.rename(columns={"code": "country_code"}).drop(columns=[level])
    return pd.concat([shares.assign(imputed=False), filled.assign(imputed=True)], ignore_index=True)


def impute_totals(totals: pd.DataFrame, areas: pd.DataFrame, years: Sequence[int],
                  population: pd.DataFrame | None = None, share: ImputeShare = "median") -> pd.DataFrame:
    """Totals for the areas without data, from the sub-regional share of the population.

    ``totals`` has ``country_code, year, value``; returns the imputed rows with the same columns.
    ``share``: ``median`` of the countries' shares or ``pooled`` (sum of migrants over sum of
    population), module docstring.

    References
    ----------
    .. [1] UN DESA Population Division (2020), IMS 2020 Documentation (type of data I).
    .. [2] Preston, Heuveline and Guillot (2001), Demography, section 1.5.

    Examples
    --------
    >>> areas = pd.DataFrame({"code": [1, 2, 3], "subregion": 9, "region": 8})
    >>> pop = pd.DataFrame({"area_code": [1, 2, 3] * 2, "sex": 0, "year": [2000] * 3 + [2001] * 3,
    ...                     "population": [100.0, 10.0, 50.0] * 2})
    >>> tot = pd.DataFrame({"country_code": [1, 2], "year": [2000, 2000], "value": [1.0, 3.0]})
    >>> round(float(impute_totals(tot, areas, [2000], pop, "pooled")["value"].iloc[0]), 6)
    1.818182
    """
    years_a = np.asarray(years, dtype=np.int64)
    known = totals.merge(areas[["code", "subregion", "region"]], left_on="country_code", right_on="code")
    known = known.assign(pop=population_at(known["country_code"], known["year"] + 0.5, population))
    known = known.assign(share=known["value"] / known["pop"])
    missing = areas[~areas["code"].isin(totals["country_code"].unique())]
    if missing.empty:
        return pd.DataFrame(columns=["country_code", "year", "value"])

    def by(keys: list[str]) -> pd.Series:
        if share == "median":
            return known.groupby(keys)["share"].median()
        sums = known[known["pop"] > 0].groupby(keys)[["value", "pop"]].sum()
        return sums["value"] / sums["pop"]

    grid = missing[["code", "subregion", "region"]].merge(pd.DataFrame({"year": years_a}), how="cross")
    out = grid.join(by(["subregion", "year"]).rename("share"), on=["subregion", "year"])
    gaps = out["share"].isna()
    out.loc[gaps, "share"] = grid[gaps].join(by(["region", "year"]).rename("share"),
                                             on=["region", "year"])["share"].to_numpy()
    gaps = out["share"].isna()
    out.loc[gaps, "share"] = out.loc[gaps, "year"].map(by(["year"]))
    share_a = out["share"].to_numpy(float)
    pop = population_at(grid["code"], grid["year"] + 0.5, population)
    value = share_a * pop
    return pd.DataFrame({"country_code": grid["code"].to_numpy(), "year": grid["year"].to_numpy(),
                         "value": np.nan_to_num(value)})
