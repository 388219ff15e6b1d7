"""Regroup single years (or any fine groups) into 5-year groups or cohorts such as 15-17 and 0-17."""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence

import numpy as np

from gmrd.errors import InputError
from gmrd.estimate.graduation.base import ArrayLike, FloatArray, GraduationResult, check_groups

Cohort = tuple[int, int | None]

#: The child cohorts gmrd publishes (half-open [lo, hi) in years).
CHILD_COHORTS: dict[str, Cohort] = {
    "0-4": (0, 5), "5-9": (5, 10), "10-14": (10, 15), "15-17": (15, 18),
    "15-19": (15, 20), "0-17": (0, 18), "0-19": (0, 20),
}

_LABEL = re.compile(r"^\s*(\d+)\s*(?:-\s*(\d+)|(\+))\s*$")


def parse_cohort(label: str) -> Cohort:
    """``"15-17"`` -> (15, 18); ``"65+"`` -> (65, None). Labels name inclusive ages."""
    match = _LABEL.match(label)
    if not match:
        raise InputError(f"age label {label!r} is not of the form 15-17 or 65+", field="age")
    lo = int(match.group(1))
    if match.group(3):
        return (lo, None)
    hi = int(match.group(2)) + 1
    if hi <= lo:
        raise InputError(f"age label {label!r} ends before it starts", field="age")
    return (lo, hi)


def regroup(values: ArrayLike, age_starts: ArrayLike, age_widths: ArrayLike | None,
            cohorts: Sequence[Cohort]) -> FloatArray:
    """Sum contiguous groups into each cohort [lo, hi) (hi None: lo and over, open group included).

    Raises
    ------
    InputError
        when a cohort boundary falls inside an input group (it cannot be regrouped without
        graduating first) or the cohort reaches beyond the ages given.
    """
    groups = check_groups(values, age_starts, age_widths)
    starts = groups.starts
    uppers = set(starts[1:].tolist()) if groups.open else set(starts[1:].tolist()) | {groups.end}
    out = np.empty(len(cohorts))
    for k, (lo, hi) in enumerate(cohorts):
        name = f"{lo}+" if hi is None else f"{lo}-{hi - 1}"
        if lo not in starts:
            raise InputError(f"cohort {name} does not start at an age group boundary "
                             f"(group starts {starts.tolist()})", field="age_start")
        if hi is not None and hi not in uppers:
            reason = ("it cuts the open group" if groups.open and hi > starts[-1]
                      else "it does not end at an age group boundary")
            raise InputError(f"cohort {name} cannot be formed: {reason}", field="age_start")
        inside = starts >= lo if hi is None else (starts >= lo) & (starts < hi)
        out[k] = groups.values[inside].sum()
    return out


def regroup_result(result: GraduationResult, cohorts: Sequence[Cohort]) -> FloatArray:
    """:func:`regroup` applied to a graduation result."""
    return regroup(result.values, result.age_starts, result.age_widths, cohorts)


def to_five_year(result: GraduationResult) -> GraduationResult:
    """Single years regrouped into 5-year groups starting at multiples of 5; an open group is kept.

    A range that does not start or end at a multiple of 5 gives a shorter first or last group.
    """
    closed = ~np.isnan(result.age_widths)
    starts = result.age_starts[closed]
    ends = starts + result.age_widths[closed].astype(np.int64)
    lo, hi = int(starts[0]), int(ends[-1])
    edges = sorted({lo, hi, *range((lo // 5 + 1) * 5, hi, 5)})
    cohorts: list[Cohort] = list(itertools.pairwise(edges))
    values = regroup_result(result, cohorts)
    new_starts = np.array(edges[:-1], dtype=np.int64)
    new_widths = np.diff(edges).astype(float)
    if result.open:
        new_starts = np.append(new_starts, result.age_starts[-1])
        new_widths = np.append(new_widths, np.nan)
        values = np.append(values, result.values[-1])
    return GraduationResult(method=result.method, age_starts=new_starts, age_widths=new_widths, values=values)
