"""Internal-consistency reliability of multi-item scales: Cronbach's alpha and item statistics."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from scipy import stats

from gmrd.errors import InputError


@dataclass(frozen=True)
class AlphaResult:
    """Cronbach's alpha of a scale with its confidence interval and item statistics.

    ``item_total`` and ``alpha_if_deleted`` are indexed by item name.
    """

    alpha: float
    ci: tuple[float, float]
    level: float
    n: int
    k: int
    item_total: pd.Series
    alpha_if_deleted: pd.Series


def _alpha(cov: np.ndarray) -> float:
    k = cov.shape[0]
    return float(k / (k - 1) * (1.0 - np.trace(cov) / cov.sum()))


def _prepare(items: pd.DataFrame, nan_policy: str) -> pd.DataFrame:
    if nan_policy not in ("pairwise", "listwise"):
        raise InputError(f"nan_policy must be 'pairwise' or 'listwise', not {nan_policy!r}",
                         field="nan_policy")
    data = items.apply(pd.to_numeric, errors="coerce").astype(float)
    for column in items.columns:
        bad = items[column].notna() & data[column].isna()
        if bad.any():
            raise InputError(f"item value {items[column][bad].iloc[0]!r} is not a number",
                             row=int(np.flatnonzero(bad.to_numpy())[0]) + 1, field=str(column))
    if nan_policy == "listwise":
        data = data.dropna()
    if data.shape[1] < 2:
        raise InputError("Cronbach's alpha needs at least two items", field="items")
    if data.shape[0] < 2:
        raise InputError("Cronbach's alpha needs at least two respondents with answers", field="items")
    return data


def feldt_interval(alpha: float, n: int, k: int, level: float = 0.95) -> tuple[float, float]:
    """Feldt's F-based confidence interval for Cronbach's alpha.

    (1 - alpha) / (1 - A) follows an F distribution with n - 1 and (n - 1)(k - 1) degrees of freedom,
    so the limits are 1 - (1 - alpha) F_{(1 -+ level)/2}.

    References
    ----------
    .. [1] Feldt LS (1965). The approximate sampling distribution of Kuder-Richardson reliability
       coefficient twenty. Psychometrika 30(3):357-370. doi:10.1007/BF02289499
    .. [2] Feldt LS, Woodruff DJ, Salih FA (1987). Statistical inference for coefficient alpha.
       Applied Psychological Measurement 11(1):93-103. doi:10.1177/014662168701100107
    """
    df1 = n - 1
    df2 = df1 * (k - 1)
    lower = 1.0 - (1.0 - alpha) * stats.f.isf((1.0 - level) / 2.0, df1, df2)
    upper = 1.0 - (1.0 - alpha) * stats.f.isf((1.0 + level) / 2.0, df1, df2)
    return float(lower), float(upper)


def cronbach_alpha(items: pd.DataFrame, nan_policy: Literal["pairwise", "listwise"] = "pairwise",
                   ci: float = 0.95, ci_n: Literal["used", "input"] = "used") -> AlphaResult:
    """Cronbach's alpha with Feldt's confidence interval, corrected item-total correlations and
    alpha if each item is deleted.

    alpha = k / (k - 1) (1 - sum of item variances / sum of all item covariances), from the item
    covariance matrix: with ``nan_policy="pairwise"`` each covariance uses the respondents who
    answered both items (as R's ``psych::alpha(use="pairwise")``), with ``"listwise"`` only
    respondents who answered every item. The interval's n is the number of rows used (all rows for
    pairwise, complete rows for listwise); ``ci_n="input"`` uses the number of input rows for
    listwise too, as pingouin 0.7 does (its published listwise interval [0.581, 0.933] has n = 12
    where 9 rows are complete). The corrected item-total correlation of an item is its Pearson correlation with the
    sum of the other items, from the same covariance matrix; alpha if deleted is alpha of the
    covariance matrix without the item.

    Parameters
    ----------
    items : DataFrame
        One column per item, one row per respondent; missing answers as NaN.
    nan_policy : {"pairwise", "listwise"}
    ci : float
        Confidence level of the interval.
    ci_n : {"used", "input"}
        Number of respondents in Feldt's interval: rows used for alpha, or all input rows.

    Returns
    -------
    AlphaResult

    Raises
    ------
    InputError
        Fewer than two items or respondents, a non-numeric answer, or an unknown nan_policy.

    References
    ----------
    .. [1] Cronbach LJ (1951). Coefficient alpha and the internal structure of tests.
       Psychometrika 16(3):297-334. doi:10.1007/BF02310555
    .. [2] Feldt LS, Woodruff DJ, Salih FA (1987). Statistical inference for coefficient alpha.
       Applied Psychological Measurement 11(1):93-103. doi:10.1177/014662168701100107
    .. [3] Vallat R (2018). Pingouin: statistics in Python. Journal of Open Source Software 3(31):1026
       (``pingouin.cronbach_alpha``, the published examples this function reproduces).

    Examples
    --------
    >>> x = pd.DataFrame({"a": [1, 2, 3, 4], "b": [1, 2, 3, 4]})
    >>> round(cronbach_alpha(x).alpha, 6)
    1.0
    """
    data = _prepare(items, nan_policy)
    cov = data.cov().to_numpy()
    if not np.all(np.isfinite(cov)):
        raise InputError("some pair of items has fewer than two common answers", field="items")
    k = data.shape[1]
    n = data.shape[0] if ci_n == "used" else items.shape[0]
    if cov.sum() <= 0:
        raise InputError("the items have no variance", field="items")
    alpha = _alpha(cov)
    names = [str(c) for c in data.columns]
    item_total: list[float] = []
    if_deleted: list[float] = []
    for j in range(k):
        rest = [i for i in range(k) if i != j]
        rest_var = cov[np.ix_(rest, rest)].sum()
        cov_item_rest = cov[j, rest].sum()
        item_total.append(float(cov_item_rest / np.sqrt(cov[j, j] * rest_var)))
        if_deleted.append(_alpha(cov[np.ix_(rest, rest)]) if k > 2 else float("nan"))
    return AlphaResult(alpha=alpha, ci=feldt_interval(alpha, n, k, ci), level=ci, n=n, k=k,
                       item_total=pd.Series(item_total, index=names, name="item_total"),
                       alpha_if_deleted=pd.Series(if_deleted, index=names, name="alpha_if_deleted"))
