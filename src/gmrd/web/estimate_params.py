"""Query-string choices of the estimates explorer and /api/v1/estimates: revision, areas, years, sex, ages."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from fastapi import HTTPException, Request
from sqlalchemy.engine import Connection

from gmrd.web import cache
from gmrd.web.filters import MAX_INT
from gmrd.web.labels import SEX_CODES, parse_age

YEARS = (1800, 2200)
MAX_AGE = 150
MAX_VALUES = 1000


@dataclass(frozen=True)
class EstimateQuery:
    revision: sa.Row | None
    areas: tuple[int, ...]
    years: tuple[int, ...]
    sexes: tuple[int, ...]
    ages: tuple[tuple[int, int | None], ...]

    @property
    def age_labels(self) -> list[str]:
        from gmrd.web.labels import age_name

        return [age_name(lo, hi) for lo, hi in self.ages]


def _values(request: Request, name: str) -> list[str]:
    return [p.strip() for v in request.query_params.getlist(name) for p in v.split(",") if p.strip()]


def estimate_query(request: Request, conn: Connection, *, default_areas: tuple[int, ...] = (),
                   default_ages: tuple[tuple[int, int | None], ...] = (), default_sexes: tuple[int, ...] = (),
                   revision: sa.Row | None = None) -> EstimateQuery:
    """Parse ?revision=&area=&year=&sex=&age= (repeatable or comma-separated); 422 on a bad value."""
    name = request.query_params.get("revision") or None
    if revision is None:
        found = cache.revision(conn, name)
        if found is None and name is not None:
            raise HTTPException(404, f"no revision named {name!r}")
        revision = found
    try:
        areas = tuple(int(v) for v in _values(request, "area")) or default_areas
        years = tuple(int(v.split(":")[0]) for v in _values(request, "year") if ":" not in v)
        ranges = [v for v in _values(request, "year") if ":" in v]
    except ValueError:
        raise HTTPException(422, "area and year take whole numbers (M49 codes; years like 2020 or 1990:2020)") \
            from None
    if any(not 0 <= a <= MAX_INT for a in areas):
        raise HTTPException(422, "area: out of range (use M49 codes)")
    for text in ranges:
        parts = text.split(":")
        try:
            lo, hi, step = int(parts[0]), int(parts[1]), int(parts[2]) if len(parts) > 2 else 1
        except (ValueError, IndexError):
            raise HTTPException(422, f"year: {text!r} is not a range like 1990:2020 or 1990:2020:5") from None
        if not (YEARS[0] <= lo <= YEARS[1] and YEARS[0] <= hi <= YEARS[1]):
            raise HTTPException(422, f"year: {text!r} is outside {YEARS[0]}-{YEARS[1]}")
        years += tuple(range(lo, hi + 1, max(step, 1)))
    if any(not YEARS[0] <= y <= YEARS[1] for y in years):
        raise HTTPException(422, f"year: years are from {YEARS[0]} to {YEARS[1]}")
    sexes = []
    for v in _values(request, "sex"):
        if v not in SEX_CODES:
            raise HTTPException(422, f"sex: {v!r} is not one of both, male, female")
        sexes.append(SEX_CODES[v])
    ages = []
    for v in _values(request, "age"):
        try:
            lo_age, hi_age = parse_age(v)
        except ValueError as exc:
            raise HTTPException(422, f"age: {exc}") from None
        if lo_age > MAX_AGE or (hi_age is not None and hi_age > MAX_AGE + 1):
            raise HTTPException(422, f"age: {v!r}: ages go up to {MAX_AGE}")
        ages.append((lo_age, hi_age))
    if max(len(areas), len(years), len(ages)) > MAX_VALUES:
        raise HTTPException(422, f"at most {MAX_VALUES} areas, years or age groups per request")
    return EstimateQuery(revision, areas, tuple(sorted(set(years))), tuple(sexes) or default_sexes,
                         tuple(ages) or default_ages)
