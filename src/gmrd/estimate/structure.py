"""Sex and age structure of each country's migrant stock at the reference dates.

Each age tabulation of the chosen universe is reduced to one partition of contiguous groups from
age 0 (the finest groups win where a table gives several groupings; unknown ages are dropped, the
rest keeps its proportions), graduated to single years with the declared method
(:func:`gmrd.estimate.graduation.graduate`; an open group starting below 75 is closed at 100),
and regrouped into the *fine groups*: single years 0-19, five-year groups 20-24 … 70-74 and 75+,
from which every published group and child cohort is a sum (15-17 and 0-17 come from single years).
The shares of the fine groups (and the male share) are interpolated linearly between the dates of
the tabulations and held constant outside them, as the UN Population Division applies age and sex
distributions from the data to its totals [1]_.

References
----------
.. [1] United Nations, Department of Economic and Social Affairs, Population Division (2020).
   International Migrant Stock 2020: Documentation (POP/DB/MIG/Stock/Rev.2020), "Methodology".
.. [2] Riffe, T. et al. DemoTools (R package), ``graduate()`` and ``groupAges()``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import pandas as pd

from gmrd.errors import InputError
from gmrd.estimate.dates import mid_year
from gmrd.estimate.graduation import Method, graduate
from gmrd.estimate.interpolate import interpolate_panel

FloatArray = npt.NDArray[np.float64]
FINE_STARTS: tuple[int, ...] = tuple(range(20)) + tuple(range(20, 80, 5))
FINE_LABELS: tuple[str, ...] = tuple(str(a) for a in range(20)) + tuple(
    f"{a}-{a + 4}" for a in range(20, 75, 5)) + ("75+",)


def partition(age_lo: npt.ArrayLike, age_hi: npt.ArrayLike, values: npt.ArrayLike
              ) -> tuple[FloatArray, FloatArray, FloatArray] | None:
    """One chain of contiguous groups from age 0 (finest first), or None if there is none.

    ``age_hi`` NaN marks open groups. Returns (values, starts, widths with NaN for an open end).
    """
    lo = np.asarray(age_lo, dtype=float)
    hi = (np.asarray(age_hi, dtype=float) if isinstance(age_hi, np.ndarray)
          else pd.array(age_hi, dtype="Float64").to_numpy(dtype=float, na_value=np.nan))
    val = np.asarray(values, dtype=float)
    keep = lo >= 0
    lo, hi, val = lo[keep], hi[keep], val[keep]
    order = np.lexsort((np.where(np.isnan(hi), np.inf, hi), lo))
    lo_l, hi_l, val_l = lo[order].tolist(), hi[order].tolist(), val[order].tolist()
    finest: dict[float, int] = {}
    for i, start in enumerate(lo_l):
        finest.setdefault(start, i)
    out_v: list[float] = []
    out_s: list[float] = []
    out_w: list[float] = []
    current = 0.0
    while current in finest:
        k = finest[current]
        out_v.append(val_l[k])
        out_s.append(current)
        if np.isnan(hi_l[k]):
            out_w.append(np.nan)
            break
        out_w.append(hi_l[k] - current)
        current = hi_l[k]
    if len(out_v) < 2 or (not np.isnan(out_w[-1]) and out_s[-1] + out_w[-1] < 75):
        return None
    return np.array(out_v), np.array(out_s), np.array(out_w)


def fine_groups(values: FloatArray, starts: FloatArray, widths: FloatArray, method: Method) -> FloatArray:
    """Counts in the fine groups (:data:`FINE_LABELS`) of one partition, graduated with ``method``.

    Raises
    ------
    InputError
        when the graduation method cannot take the groups (the caller skips the table).
    """
    open_width = None
    if np.isnan(widths[-1]) and starts[-1] < 75:
        open_width = int(100 - starts[-1])
    if open_width is None and method in TOTAL_KEEPING:
        direct = _direct_fine(values, starts, widths)
        if direct is not None:
            return direct
    use = method
    if method in ("sprague", "beers", "beers_mod") and not np.all(widths[:-1] == 5):
        use = "mono"
    result = graduate(values, starts, widths, use, open_width=open_width)
    ages = result.age_starts
    single = result.values
    bins = np.searchsorted(np.asarray(FINE_STARTS), ages, side="right") - 1
    out = np.bincount(bins, weights=single, minlength=len(FINE_STARTS))
    return np.clip(out, 0.0, None)


#: Methods that reproduce every group total exactly (PCLM, Grabill and the modified Beers formula
#: smooth across groups and are left out).
TOTAL_KEEPING: frozenset[str] = frozenset({"uniform", "mono", "sprague", "beers"})


def _direct_fine(values: FloatArray, starts: FloatArray, widths: FloatArray) -> FloatArray | None:
    """Fine-group counts as plain sums when every group lies inside one fine group (single years
    below 20, 5-year groups above, an open group from 75 on); None otherwise.

    For a method that keeps group totals this equals graduating and regrouping, without the work.
    """
    fine = np.asarray(FINE_STARTS, dtype=float)
    bins = np.searchsorted(fine, starts, side="right") - 1
    ends = np.where(np.isnan(widths), np.inf, starts + widths)
    upper = np.append(fine[1:], np.inf)[bins]
    if np.any(ends > upper) or np.any(np.isnan(widths) & (starts < fine[-1])):
        return None
    return np.clip(np.bincount(bins, weights=values, minlength=len(fine)), 0.0, None)


def age_share_points(ages: pd.DataFrame, method: Method, years: Sequence[int]) -> pd.DataFrame:
    """Fine-group shares of the age tabulations nearest each reference year, per country and sex.

    ``ages`` has ``country_code, t, sex, age_lo, age_hi, value`` (one tabulation per country, sex
    and date; where several sources share a date the first in sort order is used). Returns
    ``country_code, sex, t`` and one column per fine group (shares summing to 1).
    """
    targets = mid_year(np.asarray(years))
    frame = ages.sort_values(["country_code", "sex", "t", "age_lo"], kind="stable")
    code = frame["country_code"].to_numpy(np.int64)
    sex = frame["sex"].to_numpy(np.int64)
    t = frame["t"].to_numpy(float)
    lo = frame["age_lo"].to_numpy(float)
    hi = pd.array(frame["age_hi"], dtype="Float64").to_numpy(dtype=float, na_value=np.nan)
    val = frame["value"].to_numpy(float)
    new_series = np.r_[True, (code[1:] != code[:-1]) | (sex[1:] != sex[:-1])]
    new_tab = new_series | np.r_[True, t[1:] != t[:-1]]
    tab_start = np.flatnonzero(new_tab)
    tab_end = np.r_[tab_start[1:], len(t)]
    series_of_tab = np.cumsum(new_series)[tab_start] - 1
    rows = []
    for s_id in np.unique(series_of_tab):
        tabs = np.flatnonzero(series_of_tab == s_id)
        dates = t[tab_start[tabs]]
        nearest = np.unique(np.abs(dates[:, None] - targets[None, :]).argmin(axis=0))
        for k in tabs[nearest]:
            a, b = tab_start[k], tab_end[k]
            chain = partition(lo[a:b], hi[a:b], val[a:b])
            if chain is None or chain[0].sum() <= 0:
                continue
            try:
                fine = fine_groups(*chain, method=method)
            except InputError:
                continue
            if fine.sum() > 0:
                rows.append((int(code[a]), int(sex[a]), float(t[a]), *(fine / fine.sum())))
    return pd.DataFrame(rows, columns=["country_code", "sex", "t", *FINE_LABELS])


def shares_at(points: pd.DataFrame, value_columns: Sequence[str], years: Sequence[int],
              keys: Sequence[str] = ("country_code", "sex")) -> pd.DataFrame:
    """Shares interpolated linearly in time and held outside the data range, renormalized to 1
    when there are several columns. Returns ``keys, year`` and the value columns."""
    keys = list(keys)
    frame = points.sort_values([*keys, "t"]).drop_duplicates([*keys, "t"])
    ids = frame.groupby(keys, sort=True).ngroup().to_numpy()
    n = int(ids.max()) + 1 if len(ids) else 0
    targets = mid_year(np.asarray(years))
    outs = []
    for column in value_columns:
        r = interpolate_panel(ids, frame["t"].to_numpy(float), frame[column].to_numpy(float), n, targets,
                              form="linear", extrapolation="constant")
        outs.append(r.values.ravel())
    index = frame.drop_duplicates(keys)[keys]
    out = pd.DataFrame({k: np.repeat(index[k].to_numpy(), len(targets)) for k in keys})
    out["year"] = np.tile(np.asarray(years, dtype=np.int64), n)
    matrix = np.column_stack(outs) if outs else np.empty((len(out), 0))
    if len(value_columns) > 1:
        total = matrix.sum(axis=1, keepdims=True)
        matrix = np.divide(matrix, total, out=np.zeros_like(matrix), where=total > 0)
    for j, column in enumerate(value_columns):
        out[column] = matrix[:, j]
    return out


def male_share_points(totals_by_sex: pd.DataFrame) -> pd.DataFrame:
    """``country_code, t, male_share`` from data points that give both males and females."""
    wide = totals_by_sex.pivot_table(index=["country_code", "t"], columns="sex", values="value",
                                     aggfunc="first")
    if 1 not in wide.columns or 2 not in wide.columns:
        return pd.DataFrame(columns=["country_code", "t", "male_share"])
    both = (wide[1] + wide[2])
    share = (wide[1] / both).where(both > 0).dropna()
    return share.rename("male_share").reset_index()
