"""The numbers of a country profile, computed from estimate rows in plain Python (fast per request).

Pure functions: rows in (fields area_code, year, sex, age_lo, age_hi, value, lower, upper, flags), tables out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from gmrd.web.labels import SEXES, age_name
from gmrd.web.tables import how_made, width_text

SERIES = (((0, None), "All ages"), ((0, 18), "Children 0-17"), ((0, 20), "Children and youth 0-19"))


@dataclass
class Profile:
    latest: int | None
    series: list[tuple[str, list[Any]]] = field(default_factory=list)
    pyramid: list[tuple[str, float | None, float | None]] = field(default_factory=list)
    cohorts: list[tuple[int, str, float | None, float | None, float | None]] = field(default_factory=list)


def build_profile(rows: Sequence[Any]) -> Profile:
    """Time series (both sexes: total, 0-17, 0-19), the pyramid of the latest year (5-year groups and the
    open group, by sex) and every child group (upper bound at most 20) by year and sex."""
    if not rows:
        return Profile(latest=None)
    latest = max(r.year for r in rows)
    profile = Profile(latest=latest)
    for (lo, hi), title in SERIES:
        part = [r for r in rows if r.sex == 0 and r.age_lo == lo and r.age_hi == hi]
        if part:
            profile.series.append((title, part))
    groups: dict[int, dict[int, float]] = {}
    labels: dict[int, str] = {}
    for r in rows:
        if r.year == latest and r.sex in (1, 2) and (
                (r.age_hi is not None and r.age_hi - r.age_lo == 5) or (r.age_hi is None and r.age_lo > 0)):
            groups.setdefault(r.age_lo, {})[r.sex] = r.value
            labels[r.age_lo] = age_name(r.age_lo, r.age_hi)
    profile.pyramid = [(labels[lo], groups[lo].get(1), groups[lo].get(2)) for lo in sorted(groups)]
    kids: dict[tuple[int, int, int], dict[int, float]] = {}
    for r in rows:
        if r.age_hi is not None and r.age_hi <= 20 and r.age_lo >= 0:
            kids.setdefault((r.year, r.age_lo, r.age_hi), {})[r.sex] = r.value
    profile.cohorts = [(year, age_name(lo, hi), v.get(0), v.get(1), v.get(2))
                       for (year, lo, hi), v in sorted(kids.items(), key=lambda kv: (kv[0][0], kv[0][1],
                                                                                      kv[0][2] - kv[0][1]))]
    return profile


SERIES_COLUMNS = ("Series", "Year", "Sex", "Migrants", "Lower (80 % interval)", "Upper (80 % interval)",
                  "Interval width", "How it was made")


def series_rows(profile: Profile, area: int, shares: dict[tuple[int, int], float]
                ) -> list[tuple[str, int, str, float, float | None, float | None, str, str]]:
    """The data of the time-series chart (:data:`SERIES_COLUMNS`): series, year, sex, value, the interval,
    its width and how the estimate was made (``shares``: imputed share of (area, year) for aggregates)."""
    return [(title, r.year, SEXES[r.sex], r.value, r.lower, r.upper, width_text(r.value, r.lower, r.upper),
             how_made(area, r.flags, shares.get((area, r.year))))
            for title, part in profile.series for r in part]


def latest_total(profile: Profile) -> Any | None:
    """The all-ages, both-sexes estimate of the latest year (a row with value, lower, upper, flags)."""
    for title, part in profile.series:
        if title == SERIES[0][1]:
            return next((r for r in part if r.year == profile.latest), None)
    return None
