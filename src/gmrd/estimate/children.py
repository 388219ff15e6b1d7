"""Published age groups and child cohorts from the fine groups (single years 0-19, 20-24 … 75+).

The estimates carry the 5-year groups 0-4 … 70-74 and 75+ of the UN series [1]_ and the child
cohorts 0-4, 5-9, 10-14, 15-17, 15-19, 0-17 and 0-19; 15-17 and 0-17 are sums of single years
(from graduation), the others sums of 5-year groups. UNICEF counts children under 18 [2]_, UN DESA
reports ages 0-19 [1]_: :func:`cohorts_from_five_year` turns published 5-year groups into both.
:func:`against_published` sets the pipeline's world children beside those published figures
(:data:`PUBLISHED_WORLD`, :func:`world_cohorts_from_ages`), with the difference and whether the
interval covers them.

References
----------
.. [1] United Nations, Department of Economic and Social Affairs, Population Division (2020).
   International Migrant Stock 2020 by age and sex; International Migration 2020 Highlights
   (ST/ESA/SER.A/452): 40.9 million migrants under 20 in 2020.
.. [2] UNICEF (2021). Child migration data: 35.5 million (about 36 million) international migrant
   children under 18 in 2020 (data.unicef.org/topic/child-migration-and-displacement).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import numpy.typing as npt
import pandas as pd

from gmrd.estimate.graduation import CHILD_COHORTS, Method, graduate
from gmrd.estimate.structure import FINE_LABELS, FINE_STARTS

FloatArray = npt.NDArray[np.float64]
FIVE_YEAR: dict[str, tuple[int, int | None]] = {
    **{f"{a}-{a + 4}": (a, a + 5) for a in range(0, 75, 5)}, "75+": (75, None)}
OUTPUT_GROUPS: dict[str, tuple[int, int | None]] = {
    **FIVE_YEAR, "15-17": (15, 18), "0-17": (0, 18), "0-19": (0, 20), "total": (0, None)}


def output_matrix() -> FloatArray:
    """(n fine groups, n output groups) 0/1 matrix: output = fine @ matrix."""
    starts = np.asarray(FINE_STARTS)
    out = np.zeros((len(FINE_LABELS), len(OUTPUT_GROUPS)))
    for j, (lo, hi) in enumerate(OUTPUT_GROUPS.values()):
        out[:, j] = (starts >= lo) & (True if hi is None else starts < hi)
    return out


def cohorts_from_five_year(frame: pd.DataFrame, method: Method = "sprague",
                           cohorts: Mapping[str, tuple[int, int | None]] = CHILD_COHORTS) -> pd.DataFrame:
    """Child cohorts of every row of a table of 5-year groups (columns ``0-4`` … ``75+``).

    Each row is graduated to single years with ``method`` (:func:`gmrd.estimate.graduation.graduate`)
    and its single years summed into each cohort (a negative single year that an oscillating formula
    such as Sprague's can give at old ages is summed as it is, so totals stay exact); returns one
    column per cohort, index as ``frame``.
    """
    labels = list(FIVE_YEAR)
    starts = [FIVE_YEAR[label][0] for label in labels]
    values = frame[labels].to_numpy(dtype=float)
    rows = []
    for v in values:
        result = graduate(np.nan_to_num(v), starts, None, method)
        ages, single = result.age_starts, result.values
        rows.append({name: float(single[(ages >= lo) & ((ages < hi) if hi is not None else True)].sum())
                     for name, (lo, hi) in cohorts.items()})
    return pd.DataFrame(rows, index=frame.index)


WORLD = 900
SEX_CODES = {"both": 0, "male": 1, "female": 2}

#: World migrant children as published, in persons: (publisher, age group, year) -> count. UNICEF's
#: under-18 figures [2]_ (35.5 M unrounded for 2020, "about 36 million"; 31 M for 2015) and UN DESA's
#: 0-19 figures [1]_ (29 M in 1990, 40.9 M in 2020).
PUBLISHED_WORLD: dict[tuple[str, str, int], float] = {
    ("UNICEF", "0-17", 2015): 31.0e6, ("UNICEF", "0-17", 2020): 35.5e6,
    ("UN DESA", "0-19", 1990): 29.0e6, ("UN DESA", "0-19", 2020): 40.9e6}


def headline_figures(published: Mapping[tuple[str, str, int], float] = PUBLISHED_WORLD) -> pd.DataFrame:
    """``source, year, sex, age, published``: the published world figures as rows (both sexes)."""
    return pd.DataFrame([{"source": src, "year": year, "sex": 0, "age": age, "published": value}
                         for (src, age, year), value in published.items()])


def world_cohorts_from_ages(frame: pd.DataFrame, method: Method = "sprague") -> pd.DataFrame:
    """``source, year, sex, age, published``: world 0-17 and 0-19 from a table of 5-year groups.

    ``frame`` is the IMS 2020 table by destination, sex (``both``, ``male``, ``female``) and 5-year
    age group (columns ``year``, ``sex``, ``0-4`` … ``75+``); 0-19 is the sum of the four groups
    below 20, 0-17 splits 15-19 with ``method`` (:func:`cohorts_from_five_year`), summed over
    destinations. The source is ``"IMS 2020 ages"``.

    References
    ----------
    .. [1] United Nations, Department of Economic and Social Affairs, Population Division (2020).
       International Migrant Stock 2020 by age and sex (ims2020_age_sex_destination_wide.csv).
    .. [2] Sprague, T. B. (1880). Explanation of a new formula for interpolation. Journal of the
       Institute of Actuaries 22, 270-285.
    """
    cohorts = cohorts_from_five_year(frame, method, {k: CHILD_COHORTS[k] for k in ("0-17", "0-19")})
    cohorts[["year", "sex"]] = frame[["year", "sex"]].to_numpy()
    sums = cohorts.groupby(["year", "sex"])[["0-17", "0-19"]].sum().reset_index()
    long = sums.melt(id_vars=["year", "sex"], var_name="age", value_name="published")
    long["sex"] = long["sex"].map(SEX_CODES)
    long[["year", "sex"]] = long[["year", "sex"]].astype(np.int64)
    return long.assign(source="IMS 2020 ages")[["source", "year", "sex", "age", "published"]]


def against_published(estimates: pd.DataFrame, published: pd.DataFrame) -> pd.DataFrame:
    """The world rows of ``estimates`` beside ``published`` (``source, year, sex, age, published``).

    ``estimates`` is the pipeline's output (``area_code, year, sex, age, value, lower, upper``).
    Adds ``diff_pct`` (100 (value / published - 1)), ``covered`` (the published figure lies in
    [lower, upper]), the interval's ends relative to the value (``lower_pct``, ``upper_pct``) and
    ``share``, the group's share of the estimated world total of its year and sex.

    References
    ----------
    .. [1] Hyndman, R. J. and Koehler, A. B. (2006). Another look at measures of forecast accuracy.
       International Journal of Forecasting 22(4), 679-688 (percentage errors).
    """
    world = estimates[estimates["area_code"] == WORLD]
    totals = world[world["age"] == "total"][["year", "sex", "value"]].rename(columns={"value": "world_total"})
    out = published.merge(world[["year", "sex", "age", "value", "lower", "upper"]],
                          on=["year", "sex", "age"], how="left").merge(totals, on=["year", "sex"], how="left")
    value = out["value"].to_numpy(float)
    out["diff_pct"] = 100 * (value / out["published"].to_numpy(float) - 1)
    out["covered"] = (out["lower"] <= out["published"]) & (out["published"] <= out["upper"])
    out["lower_pct"] = 100 * (out["lower"].to_numpy(float) / value - 1)
    out["upper_pct"] = 100 * (out["upper"].to_numpy(float) / value - 1)
    out["share"] = value / out["world_total"].to_numpy(float)
    return out.drop(columns="world_total")
