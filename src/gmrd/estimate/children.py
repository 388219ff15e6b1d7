"""Published age groups and child cohorts from the fine groups (single years 0-19, 20-24 … 75+).

The estimates carry the 5-year groups 0-4 … 70-74 and 75+ of the UN series [1]_ and the child
cohorts 0-4, 5-9, 10-14, 15-17, 15-19, 0-17 and 0-19; 15-17 and 0-17 are sums of single years
(from graduation), the others sums of 5-year groups. UNICEF counts children under 18 [2]_, UN DESA
reports ages 0-19 [1]_: :func:`cohorts_from_five_year` turns published 5-year groups into both.

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
