"""Total population by country at any date, from IMS 2020 Table 2 (shipped in ``estimate/data``).

The workbook gives the population on 1 July 1990, 1995, …, 2020 (World Population Prospects 2019).
Between those dates the population is interpolated at a constant rate of growth; before 1990 and
after 2020 the rate of the nearest five-year interval is carried.

References
----------
.. [1] United Nations, Department of Economic and Social Affairs, Population Division (2020).
   International Migrant Stock 2020, Table 2 (total population, thousands). CC BY 3.0 IGO.
.. [2] Preston, S. H., Heuveline, P. and Guillot, M. (2001). Demography, section 1.5.
"""

from __future__ import annotations

import hashlib
from functools import cache
from importlib import resources

import numpy as np
import numpy.typing as npt
import pandas as pd

FloatArray = npt.NDArray[np.float64]
FILE = "data/total_population_ims2020.csv"


@cache
def total_population() -> pd.DataFrame:
    """``area_code, year, sex, population`` (persons) for the 235 countries and areas of IMS 2020."""
    with resources.files("gmrd.estimate").joinpath(FILE).open(encoding="utf-8") as fh:
        return pd.read_csv(fh)


def population_checksum() -> str:
    """SHA-256 of the shipped population table (recorded in revision manifests)."""
    return hashlib.sha256(resources.files("gmrd.estimate").joinpath(FILE).read_bytes()).hexdigest()


def population_at(codes: npt.ArrayLike, times: npt.ArrayLike, table: pd.DataFrame | None = None
                  ) -> FloatArray:
    """Both-sexes population of ``codes[i]`` at decimal time ``times[i]``; NaN for unknown codes.

    Examples
    --------
    >>> p = population_at([250, 250], [2000.5, 2003.0])
    >>> bool(p[0] < p[1])
    True
    """
    table = total_population() if table is None else table
    both = table[table["sex"] == 0].pivot(index="area_code", columns="year", values="population")
    years = both.columns.to_numpy(dtype=float) + 0.5
    logs = np.log(both.to_numpy(dtype=float))
    codes_a = np.asarray(codes, dtype=np.int64)
    times_a = np.asarray(times, dtype=float)
    row = both.index.get_indexer(codes_a)
    out = np.full(len(codes_a), np.nan)
    ok = row >= 0
    if not ok.any():
        return out
    k = np.clip(np.searchsorted(years, times_a[ok], side="right") - 1, 0, len(years) - 2)
    y0, y1 = years[k], years[k + 1]
    l0, l1 = logs[row[ok], k], logs[row[ok], k + 1]
    out[ok] = np.exp(l0 + (times_a[ok] - y0) * (l1 - l0) / (y1 - y0))
    return out
