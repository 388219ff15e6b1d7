"""Imputation where the data are missing: regional model patterns, flagged.

* **Age-sex structure.** A country without usable age data takes the *regional model pattern*: the
  unweighted mean, over the countries of its SDG region that have age data, of their fine-group
  shares (by sex and year); the world mean where its region has none. The same holds for the male
  share. Flag ``age_imputed`` / ``sex_imputed``.
* **Totals.** A country without any data point takes the median migrant share of the total
  population among the countries of its geographic sub-region (region, then world, when the
  sub-region has none) in each year, times its population. Flag ``imputed`` (the UN's type I [1]_).

References
----------
.. [1] United Nations, Department of Economic and Social Affairs, Population Division (2020).
   International Migrant Stock 2020: Documentation (POP/DB/MIG/Stock/Rev.2020): countries without
   data are estimated from a model ("Type of data" I).
.. [2] United Nations (1983). Manual X: Indirect Techniques for Demographic Estimation, ch. 1
   (borrowing patterns from comparable populations where own data are lacking).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from gmrd.estimate.population import population_at
from gmrd.reference.countries import countries


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
                  population: pd.DataFrame | None = None) -> pd.DataFrame:
    """Totals for the areas without data, from the sub-regional median share of the population.

    ``totals`` has ``country_code, year, value``; returns the imputed rows with the same columns.
    """
    years_a = np.asarray(years, dtype=np.int64)
    known = totals.merge(areas[["code", "subregion", "region"]], left_on="country_code", right_on="code")
    known = known.assign(share=known["value"] / population_at(known["country_code"], known["year"] + 0.5,
                                                              population))
    missing = areas[~areas["code"].isin(totals["country_code"].unique())]
    if missing.empty:
        return pd.DataFrame(columns=["country_code", "year", "value"])
    grid = missing[["code", "subregion", "region"]].merge(pd.DataFrame({"year": years_a}), how="cross")
    share = grid.join(known.groupby(["subregion", "year"])["share"].median(), on=["subregion", "year"])
    for level in ("region",):
        gaps = share["share"].isna()
        share.loc[gaps, "share"] = grid[gaps].join(known.groupby([level, "year"])["share"].median(),
                                                   on=[level, "year"])["share"].to_numpy()
    gaps = share["share"].isna()
    share.loc[gaps, "share"] = share.loc[gaps, "year"].map(known.groupby("year")["share"].median())
    pop = population_at(grid["code"], grid["year"] + 0.5, population)
    value = share["share"].to_numpy() * pop
    return pd.DataFrame({"country_code": grid["code"].to_numpy(), "year": grid["year"].to_numpy(),
                         "value": np.nan_to_num(value)})
