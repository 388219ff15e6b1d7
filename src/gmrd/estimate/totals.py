"""Mid-year totals (both sexes) per country from the selected data points.

Builds the panel of :func:`gmrd.estimate.interpolate.interpolate_panel` from the data points of
:func:`gmrd.estimate.selection.select_points` (both sexes), with the total population of
:mod:`gmrd.estimate.population` for share-based extrapolation, and returns one row per country and
year with the flag ``inside`` (the year lies within the country's data range).

References
----------
.. [1] United Nations, Department of Economic and Social Affairs, Population Division (2020).
   International Migrant Stock 2020: Documentation (POP/DB/MIG/Stock/Rev.2020), "Methodology".
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
    span = both.groupby("country_code")["t"].agg(["min", "max"]).reindex(codes)
    return pd.DataFrame({
        "country_code": np.repeat(codes, len(targets)),
        "year": np.tile(np.asarray(years, dtype=np.int64), len(codes)),
        "value": result.values.ravel(),
        "inside": result.inside.ravel(),
        "first": np.repeat(span["min"].to_numpy(), len(targets)),
        "last": np.repeat(span["max"].to_numpy(), len(targets)),
    })
