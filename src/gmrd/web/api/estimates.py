"""API: estimation revisions and estimates (areas, years, sex, age groups and child cohorts)."""

from __future__ import annotations

import json
import math
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import Response
from sqlalchemy.engine import Connection

from gmrd.db import queries
from gmrd.export.provenance import INTERVAL, split_flags
from gmrd.web import cache
from gmrd.web.api.common import Limit, Offset, envelope, plain
from gmrd.web.auth import Principal
from gmrd.web.deps import partner, read_conn
from gmrd.web.estimate_params import EstimateQuery, estimate_query
from gmrd.web.labels import SEXES, age_name, area_name

router = APIRouter(tags=["estimates"])


def _revision(conn: Connection, r: Any) -> dict[str, Any]:
    return {"name": r.name, "created_at": plain(r.created_at), "manifest": cache.manifest(conn, r)}


@router.get("/revisions", summary="Estimation revisions, newest first")
def list_revisions(user: Principal = Depends(partner), conn: Connection = Depends(read_conn)) -> dict[str, Any]:
    items = [_revision(conn, r) for r in queries.revisions(conn)]
    return {"total": len(items), "items": items}


@router.get("/revisions/{name}", summary="One revision with its manifest and what it covers")
def get_revision(name: str, user: Principal = Depends(partner),
                 conn: Connection = Depends(read_conn)) -> dict[str, Any]:
    found = queries.revision(conn, name)
    if found is None:
        raise HTTPException(404, f"no revision named {name!r}")
    dims = cache.dimensions(conn, found)
    return {**_revision(conn, found), "areas": dims["areas"], "years": dims["years"],
            "ages": [{"age_lo": lo, "age_hi": hi} for lo, hi in dims["ages"]]}


ESTIMATES_DESCRIPTION = (
    "Each item: area, year, sex, age; value, lower and upper in whole persons (lower and upper bound the "
    f"{INTERVAL}; null where unknown); flags: how the estimate was made (imputed, age_imputed, sex_imputed, "
    "extrapolated, refugees_added, foreign_born, foreign_citizens; empty for a country's estimate from its "
    "own data and for aggregates); imputed_share: the share of the area's all-ages estimate of that year "
    "that is imputed (1 or 0 for a country).")


@router.get("/estimates", summary="Estimates of one revision (default: the newest)",
            description=ESTIMATES_DESCRIPTION)
def list_estimates(
    request: Request,
    revision: str | None = Query(None, description="Revision name (default: newest)."),
    area: Annotated[list[str], Query(description="M49 area codes (900 world); repeat or comma-separate.")] = [],  # noqa: B006
    year: Annotated[list[str], Query(description="Years: 2020, or ranges 1990:2020[:5].")] = [],  # noqa: B006
    sex: Annotated[list[str], Query(description="both, male, female.")] = [],  # noqa: B006
    age: Annotated[list[str], Query(description="Age groups: 0-4 … 75+, cohorts 0-17, 0-19, total.")] = [],  # noqa: B006
    limit: Limit = 1000, offset: Offset = 0,
    user: Principal = Depends(partner), conn: Connection = Depends(read_conn),
) -> Response:
    q = estimate_query(request, conn)
    if q.revision is None:
        raise HTTPException(404, "no estimates yet: no revision has been computed")
    # the answer depends only on the revision and the query: kept per worker (gmrd.web.cache)
    key = (str(request.base_url), request.url.path, tuple(sorted(request.query_params.multi_items())))
    body = cache.per_revision(conn, q.revision, key, lambda: _estimates_body(request, conn, q, limit, offset))
    return Response(body, media_type="application/json")


def _estimates_body(request: Request, conn: Connection, q: EstimateQuery, limit: int, offset: int) -> bytes:
    assert q.revision is not None
    rows = queries.estimate_rows(conn, q.revision.id, areas=q.areas, years=q.years, sexes=q.sexes, ages=q.ages,
                                 limit=limit, offset=offset)
    total = (len(rows) + offset if len(rows) < limit and (rows or offset == 0)
             else queries.estimate_count(conn, q.revision.id, areas=q.areas, years=q.years, sexes=q.sexes,
                                         ages=q.ages))
    names: dict[int, str] = {}
    shares = cache.provenance(conn, q.revision).shares
    items = [{"revision": r.revision, "area_code": r.area_code,
              "area_name": names.get(r.area_code) or names.setdefault(r.area_code, area_name(r.area_code)),
              "year": r.year, "sex": SEXES[r.sex], "age": age_name(r.age_lo, r.age_hi),
              "value": _persons(r.value), "lower": _persons(r.lower), "upper": _persons(r.upper),
              "flags": split_flags(r.flags), "imputed_share": _share(shares.get((r.area_code, r.year)))}
             for r in rows]
    document = {**envelope(request, items, total, limit, offset), "revision": q.revision.name}
    return json.dumps(document, separators=(",", ":"), allow_nan=False).encode("utf-8")


def _persons(value: float | None) -> int | None:
    """A number of persons as a whole number; JSON has no NaN or infinity: such a value is null."""
    return None if value is None or not math.isfinite(value) else round(value)


def _share(value: float | None) -> float | None:
    return None if value is None or not math.isfinite(value) else round(value, 4)
