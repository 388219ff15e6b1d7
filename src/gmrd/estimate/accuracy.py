"""Measuring the pipeline against the published UN series (IMS 2020) on the UN's own inputs.

:func:`naive_baseline` is the yardstick of issue 4: the median of the sources at each date (the
universe the UN marks in "Type of data": B foreign-born, C foreign citizens), exponential
interpolation, the last interval's rate carried outside the data range. :func:`error_by_year`
gives the median absolute percentage error by year, separately inside and outside each country's
data range (the baseline's range: first to last dated point of the published universe).

References
----------
.. [1] United Nations, Department of Economic and Social Affairs, Population Division (2020).
   International Migrant Stock 2020 (Table 1, "Type of data"). CC BY 3.0 IGO.
.. [2] Hyndman, R. J. and Koehler, A. B. (2006). Another look at measures of forecast accuracy.
   International Journal of Forecasting 22(4), 679-688 (absolute percentage errors).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from gmrd.estimate.dates import mid_year
from gmrd.estimate.interpolate import interpolate_panel
from gmrd.estimate.selection import FOREIGN_BORN, FOREIGN_CITIZENS, origin_totals

TYPE_UNIVERSE = {"B": FOREIGN_BORN, "C": FOREIGN_CITIZENS}


def published_types(records: pd.DataFrame) -> pd.Series:
    """"Type of data" per country (index country_code) from the IMS workbook records (``note``)."""
    rows = records[records["country_code"] < 900].drop_duplicates("country_code")
    kind = rows["note"].astype(str).str.extract(r"type of data:\s*([A-Z ]+)", expand=False).str.strip()
    return pd.Series(kind.to_numpy(), index=rows["country_code"].to_numpy(), name="type").dropna()


def published_totals(records: pd.DataFrame) -> pd.DataFrame:
    """``country_code, year, value``: both-sexes published totals of the countries (not aggregates)."""
    rows = records[(records["country_code"] < 900) & (records["sex"] == 0)
                   & (records["age_lo"] == 0) & records["age_hi"].isna()]
    years = pd.to_datetime(rows["reference_date"]).dt.year
    return pd.DataFrame({"country_code": rows["country_code"].to_numpy(), "year": years.to_numpy(),
                         "value": rows["value"].to_numpy(dtype=float)})


def baseline_universes(types: pd.Series) -> dict[int, int]:
    """Countries whose type names B or C (with or without R) -> the first of those universes (the
    naive baseline's universe; scoring only)."""
    out = {}
    for code, kind in types.items():
        letters = [x for x in str(kind).split() if x in TYPE_UNIVERSE]
        if letters:
            out[int(code)] = TYPE_UNIVERSE[letters[0]]
    return out


def published_aggregates(records: pd.DataFrame) -> pd.DataFrame:
    """``area_code, year, value``: both-sexes published totals of the world and the regions."""
    rows = records[(records["country_code"] >= 900) & (records["sex"] == 0)
                   & (records["age_lo"] == 0) & records["age_hi"].isna()]
    years = pd.to_datetime(rows["reference_date"]).dt.year
    return pd.DataFrame({"area_code": rows["country_code"].to_numpy(np.int64), "year": years.to_numpy(),
                         "value": rows["value"].to_numpy(dtype=float)}).drop_duplicates(["area_code", "year"])


def countries_of_type(types: pd.Series, allowed: Sequence[str] = ("B", "C")) -> dict[int, int]:
    """Countries whose type is exactly one of ``allowed`` (no refugees added) -> universe code."""
    return {int(c): TYPE_UNIVERSE[t] for c, t in types.items() if t in allowed}


def baseline_points(cells: pd.DataFrame, universe_of: dict[int, int],
                    exclude_types: Sequence[str] = ()) -> pd.DataFrame:
    """The baseline's data points: explicit both-sexes all-ages totals of the country's published
    universe, the median of the sources at each date (sources of ``exclude_types`` left out)."""
    cells = cells[~cells["source_type"].isin(list(exclude_types))]
    points = origin_totals(cells[cells["country_code"].isin(list(universe_of))])
    points = points[(points["sex"] == 0) & (points["age_lo"] == 0) & points["age_hi"].isna()]
    wanted = points["country_code"].map(universe_of)
    points = points[points["universe"] == wanted]
    return (points.groupby(["country_code", "t"], as_index=False)["value"].median()
            .assign(sex=0).sort_values(["country_code", "t"]))


def naive_baseline(points: pd.DataFrame, years: Sequence[int]) -> pd.DataFrame:
    """Exponential interpolation of ``points`` and the last rate carried outside the data range.

    Returns ``country_code, year, value, inside``.
    """
    codes = np.sort(points["country_code"].unique())
    series = np.searchsorted(codes, points["country_code"].to_numpy())
    targets = mid_year(np.asarray(years))
    result = interpolate_panel(series, points["t"].to_numpy(dtype=float),
                               points["value"].to_numpy(dtype=float), len(codes), targets,
                               form="exponential", extrapolation="rate")
    return pd.DataFrame({"country_code": np.repeat(codes, len(targets)),
                         "year": np.tile(np.asarray(years, dtype=np.int64), len(codes)),
                         "value": result.values.ravel(), "inside": result.inside.ravel()})


def error_by_year(estimates: pd.DataFrame, published: pd.DataFrame, inside: pd.DataFrame
                  ) -> pd.DataFrame:
    """Median absolute % error by year and range (``inside`` True/False), with the number of countries.

    Parameters
    ----------
    estimates, published
        ``country_code, year, value``.
    inside
        ``country_code, year, inside``: which cells count as inside the data range.
    """
    merged = (estimates[["country_code", "year", "value"]]
              .merge(published, on=["country_code", "year"], suffixes=("", "_pub"))
              .merge(inside[["country_code", "year", "inside"]], on=["country_code", "year"]))
    merged = merged[(merged["value_pub"] > 0) & merged["value"].notna()]
    merged["ape"] = 100 * (merged["value"] - merged["value_pub"]).abs() / merged["value_pub"]
    table = merged.groupby(["year", "inside"])["ape"].agg(["median", "size"]).reset_index()
    return table.rename(columns={"median": "median_ape", "size": "countries"})


def cells_from_un_long(frame: pd.DataFrame) -> pd.DataFrame:
    """The UN long format (LocID, sex, LocIDorg, yearref, age, agelength, PopulationUniverse,
    source, value) as pipeline cells, with the decimal year kept as ``t`` (benchmarks and tests)."""
    from gmrd.ingest.un_long import source_type_of

    src = frame["source"].astype("category")
    types = src.cat.categories.map(source_type_of)
    hi = (frame["age"] + frame["agelength"]).where(frame["agelength"] > 0)
    cells = pd.DataFrame({
        "country_code": frame["LocID"].astype(np.int64), "t": frame["yearref"].astype(float),
        "reference_date": frame["yearref"].astype(float), "universe": frame["PopulationUniverse"].astype(np.int64),
        "source_title": src.astype(str), "source_type": np.asarray(types)[src.cat.codes],
        "sex": frame["sex"].astype(np.int64), "age_lo": frame["age"].clip(lower=-1).astype(np.int64),
        "age_hi": pd.array(hi, dtype="Int64"), "origin_code": frame["LocIDorg"].astype(np.int64),
        "value": frame["value"].astype(float)})
    cells["source_id"] = cells.groupby(["country_code", "t", "universe", "source_title"], sort=True).ngroup()
    return cells


def reproduction(cells: pd.DataFrame, published: pd.DataFrame, universe_of: dict[int, int],
                 years: Sequence[int], baseline_exclude: Sequence[str] = (), **choices: object
                 ) -> pd.DataFrame:
    """gmrd totals vs the naive baseline against ``published``: ``year, inside, gmrd, baseline, countries``.

    ``inside`` is the baseline's data range on all sources (the same cells in every comparison);
    ``baseline_exclude`` drops source types from the baseline's points (e.g. ``("estimate",)`` for
    a baseline on primary sources only); ``choices`` are :func:`gmrd.estimate.pipeline.with_choice`
    changes to the default parameters. Both are scored on the country-years where both have a
    value; ``countries`` counts them in each cell.
    """
    from gmrd.estimate.pipeline import Params, with_choice
    from gmrd.estimate.selection import select_points
    from gmrd.estimate.totals import mid_year_totals

    cells = cells[cells["country_code"].isin(list(universe_of))]
    inside = naive_baseline(baseline_points(cells, universe_of), years)[["country_code", "year", "inside"]]
    base = naive_baseline(baseline_points(cells, universe_of, baseline_exclude), years)
    params = with_choice(Params(years=tuple(years)), dict(choices))
    series, _, _ = select_points(cells, params.selection)
    ours = mid_year_totals(series, years, form=params.form, extrapolation=params.extrapolation,
                           min_span=params.min_span)
    both = ours[["country_code", "year", "value"]].merge(
        base[["country_code", "year", "value"]], on=["country_code", "year"], suffixes=("", "_b")).dropna()
    common = both[["country_code", "year"]]
    ours, base = ours.merge(common), base.merge(common)
    a = error_by_year(ours, published, inside).rename(columns={"median_ape": "gmrd"})
    b = error_by_year(base, published, inside).rename(columns={"median_ape": "baseline"})
    return a.drop(columns="countries").merge(b, on=["year", "inside"])
