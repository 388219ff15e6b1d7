"""Reference dates as decimal years, and the mid-year (1 July) reference points of the estimates.

The UN Population Division writes dates as decimal years: 1 July of year *y* is ``y + 0.5``, any other
day is ``y + (day of year - 1) / days in year`` (9 May 2011 -> 2011.35). gmrd uses the same scale so
that its data points and the Division's long-format files line up, and so that the growth rates of
:mod:`gmrd.estimate.interpolate` are per year.

References
----------
.. [1] United Nations, Department of Economic and Social Affairs, Population Division (2020).
   International Migrant Stock 2020: Documentation (POP/DB/MIG/Stock/Rev.2020), section
   "Methodology": estimates refer to 1 July of the reference year.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence

import numpy as np
import numpy.typing as npt
import pandas as pd

from gmrd.errors import InputError

FloatArray = npt.NDArray[np.float64]
_YEARS = re.compile(r"^\s*(\d{4})\s*(?::\s*(\d{4})\s*(?::\s*(\d+)\s*)?)?$")


def decimal_year(day: dt.date) -> float:
    """``day`` as a decimal year; 1 July is exactly ``year + 0.5``.

    Examples
    --------
    >>> decimal_year(dt.date(1990, 7, 1))
    1990.5
    >>> round(decimal_year(dt.date(2011, 5, 9)), 2)
    2011.35
    """
    if day.month == 7 and day.day == 1:
        return day.year + 0.5
    start = dt.date(day.year, 1, 1)
    days = (dt.date(day.year + 1, 1, 1) - start).days
    return day.year + (day - start).days / days


def decimal_years(days: Iterable[dt.date] | pd.Series) -> FloatArray:
    """:func:`decimal_year` over many dates (each distinct date is converted once)."""
    series = pd.Series(list(days) if not isinstance(days, pd.Series) else days)
    uniques = series.drop_duplicates()
    lookup = {d: decimal_year(d if isinstance(d, dt.date) else pd.Timestamp(d).date()) for d in uniques}
    return series.map(lookup).to_numpy(dtype=float)


def mid_year(years: Sequence[int] | npt.NDArray[np.int64]) -> FloatArray:
    """The decimal times of 1 July of ``years``."""
    return np.asarray(years, dtype=float) + 0.5


def parse_years(text: str) -> list[int]:
    """``"1990:2020:5"`` -> [1990, 1995, …, 2020]; ``"2020"`` -> [2020]; ``"1990:2000"`` steps by 1.

    Raises
    ------
    InputError
        for text that is not START[:END[:STEP]] with END >= START and STEP >= 1.
    """
    match = _YEARS.match(text)
    if not match:
        raise InputError(f"years {text!r} are not of the form 1990:2020:5", field="--years")
    start = int(match.group(1))
    end = int(match.group(2) or start)
    step = int(match.group(3) or 1)
    if end < start or step < 1:
        raise InputError(f"years {text!r}: the end must not precede the start and the step must be "
                         "at least 1", field="--years")
    return list(range(start, end + 1, step))
