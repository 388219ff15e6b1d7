"""Query-string filters shared by the tabulation browser and /api/v1 (country, region, year, type …)."""

from __future__ import annotations

from typing import Annotated

from fastapi import HTTPException, Path, Query, Request

from gmrd.db.queries import TabulationFilter
from gmrd.errors import UnknownCountry
from gmrd.reference.countries import members
from gmrd.web.labels import DIMENSIONS, SOURCE_TYPES, STATUSES, concept_code

MAX_PER_PAGE = 500
#: the largest id or code a filter takes: the databases' 32-bit INTEGER (larger ones are 422, not a 500)
MAX_INT = 2**31 - 1
MAX_PAGE = 1_000_000
DbId = Annotated[int, Path(ge=0, le=MAX_INT, description="An id (a whole number).")]
OptionalId = Annotated[int | None, Query(ge=0, le=MAX_INT)]


def _ints(request: Request, name: str) -> list[int]:
    out = []
    for value in request.query_params.getlist(name):
        for part in value.split(","):
            if part.strip():
                try:
                    number = int(part)
                except ValueError:
                    raise HTTPException(422, f"{name}: {part!r} is not a number (use M49 codes)") from None
                if not 0 <= number <= MAX_INT:
                    raise HTTPException(422, f"{name}: {part!r} is out of range (use M49 codes)")
                out.append(number)
    return out


def _strs(request: Request, name: str, allowed: tuple[str, ...]) -> list[str]:
    out = [p.strip() for v in request.query_params.getlist(name) for p in v.split(",") if p.strip()]
    for value in out:
        if value not in allowed:
            raise HTTPException(422, f"{name}: {value!r} is not one of {', '.join(allowed)}")
    return out


def _year(request: Request, name: str) -> int | None:
    value = request.query_params.get(name, "").strip()
    if not value:
        return None
    if not value.isdigit() or not 1800 <= int(value) <= 2200:
        raise HTTPException(422, f"{name}: {value!r} is not a year")
    return int(value)


def tabulation_filter(request: Request) -> TabulationFilter:
    """Filters from ?country=&region=&year_from=&year_to=&source_type=&concept=&dim=&status=&q=."""
    countries = _ints(request, "country")
    for region in _ints(request, "region"):
        try:
            countries.extend(members(region))
        except UnknownCountry:
            raise HTTPException(422, f"region: no area has the code {region}") from None
    concepts = []
    for name in _strs(request, "concept", tuple(_concept_names())):
        concepts.append(concept_code(name))
    return TabulationFilter(
        countries=tuple(dict.fromkeys(countries)), year_from=_year(request, "year_from"),
        year_to=_year(request, "year_to"), source_types=tuple(_strs(request, "source_type", SOURCE_TYPES)),
        universes=tuple(c for c in concepts if c is not None), dims=tuple(_strs(request, "dim", DIMENSIONS)),
        statuses=tuple(_strs(request, "status", STATUSES)), q=request.query_params.get("q", "").strip()[:200])


def _concept_names() -> list[str]:
    from gmrd.reference.universes import UNIVERSES

    return list(UNIVERSES.values())


def paging(request: Request, default: int = 50) -> tuple[int, int, int]:
    """(page, per_page, offset) from ?page=&per_page= (pages count from 1)."""
    try:
        page = min(MAX_PAGE, max(1, int(request.query_params.get("page", "1"))))
        per_page = min(MAX_PER_PAGE, max(1, int(request.query_params.get("per_page", str(default)))))
    except ValueError:
        raise HTTPException(422, "page and per_page must be whole numbers") from None
    return page, per_page, (page - 1) * per_page
