"""Sums of country estimates to M49 regions and sub-regions, SDG regions and the world.

Every aggregate is the sum over today's published countries and areas
(:func:`gmrd.reference.countries.members`), for every year, as in the UN Population Division's
tables [1]_. Aggregates use the Population Division's codes as in the IMS workbooks (900 World,
903 Africa, 947 Sub-Saharan Africa …); their M49 standard codes are in the countries table.

References
----------
.. [1] United Nations, Department of Economic and Social Affairs, Population Division (2020).
   International Migrant Stock 2020, Table 1 (regions, sub-regions, SDG regions, world).
.. [2] United Nations Statistics Division. Standard country or area codes for statistical use (M49).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

import numpy as np
import pandas as pd

from gmrd.reference.countries import countries, members

AGGREGATE_KINDS: tuple[str, ...] = ("world", "region", "subregion", "sdg_region")


@cache
def membership(kinds: tuple[str, ...] = AGGREGATE_KINDS) -> pd.DataFrame:
    """``area_code, country_code``: one row per member country of each aggregate of ``kinds``."""
    table = countries()
    codes = table.index[table["kind"].isin(kinds)].tolist()
    rows = [(int(a), int(c)) for a in codes for c in members(int(a))]
    return pd.DataFrame(rows, columns=["area_code", "country_code"])


def aggregate(estimates: pd.DataFrame, value_columns: Sequence[str] = ("value",),
              keys: Sequence[str] = ("year", "sex", "age"), kinds: tuple[str, ...] = AGGREGATE_KINDS
              ) -> pd.DataFrame:
    """Sum ``value_columns`` of country rows (``country_code`` + ``keys``) into every aggregate.

    Returns ``area_code`` + ``keys`` + ``value_columns`` for the aggregates only, sorted by area and
    keys; an aggregate appears for a key where at least one of its members has a row (missing
    values count as zero). Computed as one product of the membership matrix (aggregates x
    countries) with the countries x keys matrix of each value column.

    Examples
    --------
    >>> rows = pd.DataFrame({"country_code": [4, 8], "year": 2020, "sex": 0, "age": "total",
    ...                      "value": [1.0, 2.0]})
    >>> float(aggregate(rows).set_index("area_code").loc[900, "value"])
    3.0
    """
    keys = list(keys)
    links = membership(kinds)
    codes = np.sort(estimates["country_code"].unique())
    links = links[links["country_code"].isin(codes)]
    areas = np.sort(links["area_code"].unique())
    if estimates.empty or len(areas) == 0:
        return pd.DataFrame(columns=["area_code", *keys, *value_columns])
    member = np.zeros((len(areas), len(codes)))
    member[np.searchsorted(areas, links["area_code"].to_numpy()),
           np.searchsorted(codes, links["country_code"].to_numpy())] = 1.0
    combo, combos = _key_codes(estimates, keys)
    row = np.searchsorted(codes, estimates["country_code"].to_numpy())
    flat = row * len(combos) + combo
    size = len(codes) * len(combos)
    present = member @ np.bincount(flat, minlength=size).reshape(len(codes), len(combos))
    keep = (present > 0).ravel()
    out = pd.DataFrame({"area_code": np.repeat(areas, len(combos))[keep]})
    for k in keys:
        out[k] = np.tile(combos[k].to_numpy(), len(areas))[keep]
    for column in value_columns:
        values = np.nan_to_num(estimates[column].to_numpy(dtype=float))
        matrix = np.bincount(flat, weights=values, minlength=size).reshape(len(codes), len(combos))
        out[column] = (member @ matrix).ravel()[keep]
    return out.reset_index(drop=True)


def _key_codes(frame: pd.DataFrame, keys: list[str]) -> tuple[np.ndarray, pd.DataFrame]:
    """Group number of each row (sorted by ``keys``) and the distinct key combinations in order."""
    grouped = frame.groupby(keys, sort=True)
    codes = grouped.ngroup().to_numpy()
    combos = grouped.size().reset_index()[keys]
    return codes, combos
