"""Life-satisfaction scores of the MICS module LS, as pure functions over answer codes.

Codes are those of :mod:`gmrd.survey.modules.life_satisfaction`: LS1 happiness 1 very happy ...
5 very unhappy; LS2 ladder step 0-10 (98 don't know); LS3 1 improved, 2 same, 3 worsened; LS4
1 better, 2 same, 3 worse; domain items 1 very satisfied ... 5 very unsatisfied; 8 don't know.
Every function returns floats with NaN where the answer is missing or "don't know", so that
design-based estimates drop them (like ``na.rm=TRUE``); pass ``missing_as_no=True`` to count them
as 0 instead, as MICS tables do, whose denominators are all respondents of the age group.

References
----------
.. [1] UNICEF (2017). MICS6 Tabulation Plan, tables EQ (Subjective well-being: life satisfaction,
   happiness, perception of a better life) and the MICS6 indicator list (Overall life satisfaction
   index: average life satisfaction score of women and men age 15-24; Happiness; Perception of a
   better life). https://mics.unicef.org/tools#analysis
.. [2] Cantril H (1965). The Pattern of Human Concerns. New Brunswick: Rutgers University Press.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeAlias

import numpy as np
import pandas as pd

from gmrd.errors import InputError

ArrayLike: TypeAlias = Sequence[float | None] | np.ndarray | pd.Series


def _codes(values: ArrayLike, valid: set[int], field: str, dont_know: set[int]) -> np.ndarray:
    """Answers as floats, NaN for missing/don't know; InputError for any other code."""
    x = pd.to_numeric(pd.Series(np.asarray(values, dtype=object)), errors="coerce").to_numpy(float)
    raw = np.asarray(values, dtype=object)
    for i, (v, r) in enumerate(zip(x, raw)):
        if np.isnan(v):
            if r is not None and not (isinstance(r, float) and np.isnan(r)) and str(r).strip() != "":
                raise InputError(f"answer {r!r} is not a code", row=i + 1, field=field)
        elif v not in valid and v not in dont_know:
            raise InputError(f"code {v:g} is not one of {sorted(valid | dont_know)}", row=i + 1, field=field)
    x[np.isin(x, list(dont_know))] = np.nan
    return x


def _indicator(condition: np.ndarray, x: np.ndarray, missing_as_no: bool) -> np.ndarray:
    out = condition.astype(float)
    out[np.isnan(x)] = 0.0 if missing_as_no else np.nan
    return out


def ladder_score(ls2: ArrayLike) -> np.ndarray:
    """Life satisfaction score: the Cantril ladder step 0-10 (LS2), NaN for don't know (98) or missing.

    Its mean over women (men) age 15-24 is MICS6's overall life satisfaction index [1]_.

    References
    ----------
    .. [1] UNICEF (2017). MICS6 Tabulation Plan, table EQ "Life satisfaction" (average life
       satisfaction score). https://mics.unicef.org/tools#analysis
    """
    return _codes(ls2, set(range(11)), "LS2", {98, 99})


def happy(ls1: ArrayLike, missing_as_no: bool = False) -> np.ndarray:
    """1 if very or somewhat happy (LS1 = 1 or 2), else 0: MICS6's happiness indicator [1]_.

    References
    ----------
    .. [1] UNICEF (2017). MICS6 Tabulation Plan, table EQ "Happiness" (percentage of women age
       15-24 who are very or somewhat happy). https://mics.unicef.org/tools#analysis
    """
    x = _codes(ls1, {1, 2, 3, 4, 5}, "LS1", {8, 9})
    return _indicator(x <= 2, x, missing_as_no)


def better_life(ls3: ArrayLike, ls4: ArrayLike, missing_as_no: bool = False) -> np.ndarray:
    """1 if life improved in the last year (LS3 = 1) and is expected to be better in a year (LS4 = 1).

    MICS6's perception of a better life [1]_.

    References
    ----------
    .. [1] UNICEF (2017). MICS6 Tabulation Plan, table EQ "Perception of a better life".
       https://mics.unicef.org/tools#analysis
    """
    past = _codes(ls3, {1, 2, 3}, "LS3", {8, 9})
    future = _codes(ls4, {1, 2, 3}, "LS4", {8, 9})
    both = (past == 1) & (future == 1)
    out = both.astype(float)
    known_no = ((past == 2) | (past == 3)) | ((future == 2) | (future == 3))
    unknown = (np.isnan(past) | np.isnan(future)) & ~known_no
    out[unknown] = 0.0 if missing_as_no else np.nan
    return out


def satisfied(item: ArrayLike, missing_as_no: bool = False, field: str = "LSD") -> np.ndarray:
    """1 if very or somewhat satisfied (code 1 or 2) with a life domain, else 0.

    Applied to LSD_LIFE it is MICS5's life satisfaction indicator [1]_ (percentage of women age
    15-24 very or somewhat satisfied with their life overall).

    References
    ----------
    .. [1] UNICEF (2013). MICS5 Tabulation Plan, table SW "Overall life satisfaction and
       happiness" (indicator 11.1). https://mics.unicef.org/tools#analysis
    """
    x = _codes(item, {1, 2, 3, 4, 5}, field, {8, 9})
    return _indicator(x <= 2, x, missing_as_no)


def domain_satisfaction(items: pd.DataFrame) -> pd.DataFrame:
    """Each domain item of a frame (columns LSD_*) as very or somewhat satisfied (1/0, NaN missing).

    Rows are respondents; the column means are the percentages of MICS5's table of life-satisfaction
    domains [1]_ (unweighted; use the survey design for estimates).

    References
    ----------
    .. [1] UNICEF (2013). MICS5 Tabulation Plan, table SW "Domains of life satisfaction".
       https://mics.unicef.org/tools#analysis
    """
    return pd.DataFrame({c: satisfied(items[c], field=str(c)) for c in items.columns}, index=items.index)
