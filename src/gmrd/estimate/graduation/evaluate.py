"""Judge a graduation method on real data: aggregate known groups, graduate back, compare."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np

from gmrd.estimate.graduation import Cohort, Method, graduate, regroup, regroup_result
from gmrd.estimate.graduation.base import ArrayLike, FloatArray

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
