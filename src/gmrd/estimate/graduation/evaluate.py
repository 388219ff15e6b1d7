"""Judge a graduation method on real data: aggregate known groups, graduate back, compare."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from gmrd.errors import InputError
from gmrd.estimate.graduation import Cohort, Method, graduate, regroup, regroup_result
from gmrd.estimate.graduation.base import ArrayLike, FloatArray
from gmrd.estimate.graduation.groupings import Partition, fit_partition

#: The wide groups censuses often publish (the IMS benchmark of issue 4).
WIDE_GROUPS: tuple[Cohort, ...] = ((0, 15), (15, 25), (25, 65), (65, None))


def recovery(values: ArrayLike, age_starts: ArrayLike, age_widths: ArrayLike | None,
             wide: Sequence[Cohort], targets: Mapping[str, Cohort], method: Method,
             **options: Any) -> dict[str, tuple[float, float]]:
    """Aggregate fine groups into ``wide`` groups, graduate back, and regroup into ``targets``.

    Returns ``{target: (estimate, truth)}`` where truth sums the fine groups. Every target must
    follow the fine groups' boundaries; the last wide group may be open.

    References
    ----------
    .. [1] The design of the comparison follows Rizzi, Gampe & Eilers (2015), section "Simulation
       study": group known fine distributions coarsely and measure how well each method recovers
       them.
    """
    wide_values = regroup(values, age_starts, age_widths, wide)
    wide_starts = [lo for lo, _ in wide]
    wide_widths: list[float | None] = [None if hi is None else hi - lo for lo, hi in wide]
    result = graduate(wide_values, wide_starts, wide_widths, method, **options)
    estimate = regroup_result(result, list(targets.values()))
    truth = regroup(values, age_starts, age_widths, list(targets.values()))
    return {name: (float(e), float(t)) for name, e, t in zip(targets, estimate, truth)}


def absolute_percentage_errors(pairs: Sequence[tuple[float, float]]) -> FloatArray:
    """100 |estimate - truth| / truth for each pair with truth > 0.

    References
    ----------
    .. [1] Hyndman, R. J. and Koehler, A. B. (2006). Another look at measures of forecast accuracy.
       International Journal of Forecasting 22(4), 679-688 (absolute percentage errors).
    """
    arr = np.array([p for p in pairs if p[1] > 0], dtype=float).reshape(-1, 2)
    return np.asarray(100 * np.abs(arr[:, 0] - arr[:, 1]) / arr[:, 1], dtype=float)


def median_errors(series: Iterable[ArrayLike], age_starts: ArrayLike, age_widths: ArrayLike | None,
                  method: Method, wide: Sequence[Cohort] = WIDE_GROUPS,
                  targets: Mapping[str, Cohort] | None = None, **options: Any) -> dict[str, float]:
    """Median absolute percentage error of each target over many series (e.g. countries).

    Series with a zero or missing total are skipped; ``n`` in the result counts the series used.
    Targets default to 15-19 and 0-19 (the IMS benchmark of issue 4).

    References
    ----------
    .. [1] Rizzi, S., Gampe, J. & Eilers, P.H.C. (2015), section "Simulation study" (group known
       fine distributions coarsely, measure the recovery).
    .. [2] Hyndman, R. J. and Koehler, A. B. (2006). International Journal of Forecasting 22(4),
       679-688 (median absolute percentage error).
    """
    targets = dict(targets or {"15-19": (15, 20), "0-19": (0, 20)})
    pairs: dict[str, list[tuple[float, float]]] = {name: [] for name in targets}
    used = 0
    for values in series:
        arr = np.asarray(values, dtype=float)
        if not np.isfinite(arr).all() or arr.sum() <= 0:
            continue
        used += 1
        for name, pair in recovery(arr, age_starts, age_widths, wide, targets, method, **options).items():
            pairs[name].append(pair)
    out = {name: float(np.median(absolute_percentage_errors(p))) for name, p in pairs.items()}
    out["n"] = float(used)
    return out


@dataclass(frozen=True)
class AgeSeries:
    """One real age distribution: counts in groups from age 0, the last group open."""

    key: str
    country: int
    source: str  # "ims" (5-year groups) or "single" (single years of age)
    values: FloatArray
    starts: tuple[int, ...]

    @property
    def widths(self) -> list[float | None]:
        return [*(float(b - a) for a, b in zip(self.starts[:-1], self.starts[1:])), None]


def ims_series(frame: pd.DataFrame) -> list[AgeSeries]:
    """IMS 2020 by destination, sex and 5-year age (the wide file): one series per row with counts.

    ``frame`` has ``LocID, year, sex`` and the columns 0-4 … 70-74, 75+.

    References
    ----------
    .. [1] United Nations, Department of Economic and Social Affairs, Population Division (2020).
       International Migrant Stock 2020, by destination, sex and age (POP/DB/MIG/Stock/Rev.2020).
    """
    ages = [f"{a}-{a + 4}" for a in range(0, 75, 5)] + ["75+"]
    rows = frame[frame[ages].notna().all(axis=1) & (frame[ages].sum(axis=1) > 0)]
    starts = tuple(range(0, 80, 5))
    counts = rows[ages].to_numpy(float)
    return [AgeSeries(f"IMS {loc} {year} {sex}", int(loc), "ims", counts[i], starts)
            for i, (loc, year, sex) in enumerate(zip(rows["LocID"], rows["year"], rows["sex"]))]


def single_year_series(long: pd.DataFrame, max_dates: int = 2, top: int = 86) -> list[AgeSeries]:
    """Tabulations by single year of age from the UN DESA long file (ages with ``agelength`` 1).

    A tabulation (country, sex, date, universe, source) qualifies when it gives every single year
    from 0 to at least 69; ages from ``top`` (or from the first missing year, or its open group
    ``agelength`` 0) are summed into one open group. At most ``max_dates`` dates a country (evenly
    spaced from the first to the last; all sexes of each), so that a country with a yearly register
    (Denmark 1990-2024) does not outweigh the census countries.

    References
    ----------
    .. [1] United Nations, Department of Economic and Social Affairs, Population Division (2020).
       International Migrant Stock 2020: Documentation (POP/DB/MIG/Stock/Rev.2020) (the empirical
       data points behind the estimates, by age where the source tabulates it).
    """
    key = ["LocID", "sex", "yearref", "PopulationUniverse", "source"]
    ages = long[(long["age"] >= 0) & (long["agelength"].isin([0, 1]))
                & ~((long["age"] == 0) & (long["agelength"] == 0))]
    counts = ages[ages["agelength"] == 1].groupby(key).size()
    ages = ages.merge(counts[counts >= 70].index.to_frame(index=False), on=key)
    out: list[AgeSeries] = []
    tables: list[tuple[Any, FloatArray, int]] = []
    for ident, rows in ages.groupby(key, sort=True):
        single = rows[rows["agelength"] == 1].set_index("age")["value"]
        single = single[~single.index.duplicated()]
        n = 0
        while float(n) in single.index:
            n += 1
        if n < 70:
            continue
        cut = min(n, top)
        fine = single.loc[[float(a) for a in range(cut)]].to_numpy(float)
        rest = float(single[single.index >= cut].sum() + rows.loc[rows["agelength"] == 0, "value"].sum())
        tables.append((ident, np.append(fine, rest), cut))
    dates: dict[int, list[float]] = {}
    for (loc, _sex, date, _u, _s), _v, _c in tables:
        dates.setdefault(int(loc), []).append(float(date))
    keep: dict[int, list[float]] = {}
    for loc, found in dates.items():
        unique = sorted(set(found))
        picks = np.linspace(0, len(unique) - 1, min(max_dates, len(unique))).round().astype(int)
        keep[loc] = [unique[i] for i in picks]
    for (loc, sex, date, universe, source), values, cut in tables:
        if float(date) in keep[int(loc)] and values.sum() > 0:
            out.append(AgeSeries(f"{int(loc)} {date:.2f} sex {int(sex)} {source} u{int(universe)}", int(loc),
                                 "single", values, tuple(range(cut + 1))))
    return out


def grouping_errors(series: AgeSeries, partition: Partition, targets: Mapping[str, Cohort],
                    methods: Mapping[str, tuple[str, dict[str, Any]]],
                    closing: tuple[int, int] | None = (75, 100), min_truth: float = 100.0
                    ) -> list[dict[str, Any]]:
    """Group ``series`` by ``partition``, graduate back with every method, score every target.

    A target is scored only when the grouping cannot form it (not a sum of its groups), lies
    below its open group and counts at least ``min_truth`` persons (a percentage error on a handful
    of persons, as in the censuses of Saint Helena, measures noise, not the method). An open group
    starting below ``closing[0]`` is closed at ``closing[1]`` (``open_width``), as the estimation
    pipeline does (:func:`gmrd.estimate.structure.fine_groups`); None keeps it open. Methods whose
    preconditions fail (Sprague on wide groups) are left out. Returns one record per target and
    method: ``estimate``, ``truth``, ``ape`` (absolute % error).

    References
    ----------
    .. [1] Rizzi, S., Gampe, J. & Eilers, P.H.C. (2015), section "Simulation study" (group known
       fine distributions coarsely, measure the recovery).
    .. [2] Hyndman, R. J. and Koehler, A. B. (2006). International Journal of Forecasting 22(4),
       679-688 (absolute percentage errors).
    """
    fitted = fit_partition(partition, series.starts)
    if fitted is None:
        return []
    wanted = {name: c for name, c in targets.items()
              if not fitted.forms(c) and c[1] is not None and c[1] <= fitted.starts[-1]}
    if not wanted:
        return []
    truth = regroup(series.values, series.starts, series.widths, list(wanted.values()))
    keep = truth >= max(min_truth, 1e-9)
    if not keep.any():
        return []
    wanted = {name: c for (name, c), k in zip(wanted.items(), keep) if k}
    truth = truth[keep]
    grouped = regroup(series.values, series.starts, series.widths, fitted.cohorts)
    open_start = fitted.starts[-1]
    close = {"open_width": closing[1] - open_start} if closing and open_start < closing[0] else {}
    records = []
    for label, (method, options) in methods.items():
        try:
            result = graduate(grouped, fitted.starts, fitted.widths, method,  # type: ignore[arg-type]
                              **{**close, **options})
        except InputError:
            continue
        ages = result.age_starts[~np.isnan(result.age_widths)]
        single = result.values[~np.isnan(result.age_widths)]  # may hold negatives (Sprague)
        estimate = [single[(ages >= lo) & (ages < hi)].sum() for lo, hi in wanted.values()]
        for (name, _), e, t in zip(wanted.items(), estimate, truth):
            records.append({"series": series.key, "country": series.country, "source": series.source,
                            "family": partition.family, "partition": fitted.label, "target": name,
                            "method": label, "estimate": float(e), "truth": float(t),
                            "ape": float(100 * abs(e - t) / t)})
    return records


def split_countries(codes: Iterable[int], seed: int, test_share: float = 0.5) -> tuple[set[int], set[int]]:
    """Countries split at random (fixed ``seed``) into a training and a held-out set.

    References
    ----------
    .. [1] Hastie, T., Tibshirani, R. & Friedman, J. (2009) The Elements of Statistical Learning,
       2nd ed., Springer, section 7.2 (choose on a training set, assess on held-out data).
    """
    unique = sorted(set(codes))
    order = np.random.default_rng(seed).permutation(len(unique))
    held = {unique[i] for i in order[: round(test_share * len(unique))]}
    return set(unique) - held, held


def grouping_benchmark(series: Sequence[AgeSeries], partitions: Sequence[Partition],
                       targets: Mapping[str, Mapping[str, Cohort]],
                       methods: Mapping[str, tuple[str, dict[str, Any]]],
                       per_partition: Mapping[str, int], seed: int) -> list[dict[str, Any]]:
    """:func:`grouping_errors` of every partition on a random sample of the series of each source.

    ``targets`` and ``per_partition`` are keyed by source (``"ims"``, ``"single"``): the cohorts
    scored on that source's series and how many of its series each partition is tried on (drawn
    among those the partition fits, without replacement, from ``seed``).

    References
    ----------
    .. [1] Rizzi, S., Gampe, J. & Eilers, P.H.C. (2015), section "Simulation study" (group known
       fine distributions coarsely, measure the recovery).
    """
    rng = np.random.default_rng(seed)
    by_source = {src: [s for s in series if s.source == src] for src in per_partition}
    records: list[dict[str, Any]] = []
    for partition in partitions:
        for src, k in per_partition.items():
            fits = [s for s in by_source[src] if fit_partition(partition, s.starts) is not None]
            if not fits:
                continue
            for i in rng.choice(len(fits), min(k, len(fits)), replace=False):
                records += grouping_errors(fits[i], partition, targets[src], methods)
    return records


def median_table(records: pd.DataFrame, by: str | None = None, baseline: str = "uniform") -> pd.DataFrame:
    """Median absolute % error of each method (columns), overall or by ``by`` (rows), with ``n``.

    Only the records scored by every method of the table enter it (Sprague and Beers, which apply
    to 5-year groups only, get a table of their own from the caller), so columns compare alike.
    ``ratio`` columns divide each median by the ``baseline``'s.

    References
    ----------
    .. [1] Hyndman, R. J. and Koehler, A. B. (2006). International Journal of Forecasting 22(4),
       679-688 (median absolute percentage error).
    """
    keys = ["series", "partition", "target"]
    wide = records.pivot_table(index=[*keys, *([by] if by and by not in keys else [])], columns="method",
                               values="ape")
    wide = wide.dropna()
    groups = wide.groupby(level=by) if by else [("all", wide)]
    rows = {}
    for name, part in groups:
        medians = part.median()
        row = {**medians.to_dict(), "n": float(len(part))}
        row.update({f"{m} / {baseline}": medians[m] / medians[baseline]
                    for m in medians.index if m != baseline})
        rows[name] = row
    return pd.DataFrame.from_dict(rows, orient="index")
