"""Age graduation for the estimation pipeline (issue 4): the public entry point.

The methods live in :mod:`gmrd.estimate.graduation` (one module each); this module re-exports
them so the pipeline and the CLI import from one place, and adds :func:`child_cohorts`, the step
the estimates need: wide or 5-year groups -> single years -> 0-17, 15-17, 0-19 … counts.
"""

from __future__ import annotations

from collections.abc import Mapping

from gmrd.estimate.graduation import (
    CHILD_COHORTS,
    METHODS,
    Cohort,
    GraduationResult,
    Method,
    graduate,
    graduate_beers,
    graduate_grabill,
    graduate_mono,
    graduate_pclm,
    graduate_sprague,
    graduate_uniform,
    parse_cohort,
    regroup,
    regroup_result,
    to_five_year,
)
from gmrd.estimate.graduation.base import ArrayLike


def child_cohorts(values: ArrayLike, age_starts: ArrayLike, age_widths: ArrayLike | None, method: Method,
                  cohorts: Mapping[str, Cohort] = CHILD_COHORTS, *, open_width: int | None = None
                  ) -> dict[str, float]:
    """Counts of the child cohorts (0-4 … 15-17, 0-17, 0-19) from grouped counts.

    Graduates with ``method`` (see :func:`graduate`) and sums the single years of each cohort.
    Groups that already match a cohort boundary keep their totals exactly with every method but
    beers_mod and pclm.

    References
    ----------
    .. [1] Riffe, T. et al. DemoTools (R package), ``graduate()`` and ``groupAges()``.

    Examples
    --------
    >>> out = child_cohorts([300, 200, 500], [0, 15, 25], [15, 10, 40], "uniform")
    >>> out["0-17"], out["15-17"]
    (360.0, 60.0)
    """
    result = graduate(values, age_starts, age_widths, method, open_width=open_width)
    sums = regroup_result(result, list(cohorts.values()))
    return {name: float(v) for name, v in zip(cohorts, sums)}


__all__ = [
    "CHILD_COHORTS", "METHODS", "Cohort", "GraduationResult", "Method", "child_cohorts", "graduate",
    "graduate_beers", "graduate_grabill", "graduate_mono", "graduate_pclm", "graduate_sprague", "graduate_uniform",
    "parse_cohort", "regroup", "regroup_result", "to_five_year",
]
