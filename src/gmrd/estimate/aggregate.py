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

    Returns ``area_code`` + ``keys`` + ``value_columns`` for the aggregates only.

    Examples
    --------
    >>> rows = pd.DataFrame({"country_code": [4, 8], "year": 2020, "sex": 0, "age": "total",
    ...                      "value": [1.0, 2.0]})
    >>> float(aggregate(rows).set_index("area_code").loc[900, "value"])
    3.0
    """
    keys = list(keys)
    merged = estimates.merge(membership(kinds), on="country_code")
    return merged.groupby(["area_code", *keys], as_index=False, sort=True)[list(value_columns)].sum()
