"""API: sources, tabulations (with cells), findings, countries and regions."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from sqlalchemy.engine import Connection

from gmrd.db import queries
from gmrd.reference.countries import all_countries, regions_of
from gmrd.web.api.common import Limit, Offset, envelope, plain
from gmrd.web.auth import Principal
from gmrd.web.deps import partner, read_conn
from gmrd.web.filters import DbId, OptionalId, tabulation_filter
from gmrd.web.labels import SEXES, age_name, area_name, concept_name

router = APIRouter(tags=["catalog"])
Countries = Annotated[list[int], Query(description="Destination M49 codes (repeat or comma-separate).")]
Regions = Annotated[list[int], Query(description="Region codes (903 Africa, 935 Asia, 908 Europe, 904, 905, 909).")]
Text = Annotated[list[str], Query()]


def _source(s: Any) -> dict[str, Any]:
    return {"id": s.id, "title": s.title, "country_code": s.country_code, "country": area_name(s.country_code),
            "reference_date": plain(s.reference_date), "date_precision": s.date_precision,
            "source_type": s.source_type, "concept": concept_name(s.universe), "citation": s.citation,
            "note": s.note, "status": s.status, "status_reason": s.status_reason}


def _tabulation(r: Any) -> dict[str, Any]:
    return {"id": r.id, "source_id": r.source_id, "source_title": r.title, "country_code": r.country_code,
            "country": area_name(r.country_code), "reference_date": plain(r.reference_date),
            "source_type": r.source_type, "concept": concept_name(r.universe),
            "dimensions": [d for d in r.dims.split(",") if d], "cells": r.n_cells, "status": r.status}


def _finding(f: Any) -> dict[str, Any]:
    return {"id": f.id, "source_id": f.source_id, "tabulation_id": f.tabulation_id, "check": f.check,
            "severity": f.severity, "message": f.message, "details": f.details, "status": f.status,
            "status_reason": f.status_reason, "created_at": plain(f.created_at)}


def _cell(c: Any) -> dict[str, Any]:
    return {"id": c.id, "sex": SEXES.get(c.sex), "age": age_name(c.age_lo, c.age_hi), "age_lo": c.age_lo,
            "age_hi": c.age_hi, "origin_code": c.origin_code, "value": c.value, "file_row": c.row,
            "labels": {"sex": c.sex_label, "age": c.age_label, "origin": c.origin_label}}


@router.get("/sources", summary="Sources, filtered as in the tabulation browser")
def list_sources(request: Request, country: Countries = [], region: Regions = [],  # noqa: B006
                 year_from: int | None = None, year_to: int | None = None, source_type: Text = [],  # noqa: B006
                 concept: Text = [], status: Text = [], q: str = "", limit: Limit = 100,  # noqa: B006
                 offset: Offset = 0, user: Principal = Depends(partner),
                 conn: Connection = Depends(read_conn)) -> dict[str, Any]:
    rows, total = queries.sources_page(conn, tabulation_filter(request), limit=limit, offset=offset)
    return envelope(request, [_source(s) for s in rows], total, limit, offset)


@router.get("/sources/{source_id}", summary="One source with its tabulations and findings")
def get_source(source_id: DbId, user: Principal = Depends(partner),
               conn: Connection = Depends(read_conn)) -> dict[str, Any]:
    found = queries.source(conn, source_id)
    if found is None:
        raise HTTPException(404, f"no source with id {source_id}")
    findings, _ = queries.findings_page(conn, source_id=source_id, limit=5000)
    return {**_source(found), "file": found.filename, "imported_at": plain(found.imported_at),
            "tabulations": [{"id": t.id, "dimensions": [d for d in t.dims.split(",") if d],
                             "cells": t.n_cells} for t in queries.source_tabulations(conn, source_id)],
            "findings": [_finding(f) for f in findings]}


@router.get("/tabulations", summary="Tabulations: faceted filters, text search, sorting, pagination")
def list_tabulations(request: Request, country: Countries = [], region: Regions = [],  # noqa: B006
                     year_from: int | None = None, year_to: int | None = None,
                     source_type: Text = [], concept: Text = [], dim: Text = [],  # noqa: B006
                     status: Text = [], q: str = "", sort: str = "id", desc: bool = False,  # noqa: B006
                     limit: Limit = 100, offset: Offset = 0, user: Principal = Depends(partner),
                     conn: Connection = Depends(read_conn)) -> dict[str, Any]:
    if sort not in queries.TABULATION_SORTS:
        raise HTTPException(422, f"sort: {sort!r} is not one of {', '.join(queries.TABULATION_SORTS)}")
    rows, total = queries.tabulation_page(conn, tabulation_filter(request), sort=sort, descending=desc,
                                          limit=limit, offset=offset)
    return envelope(request, [_tabulation(r) for r in rows], total, limit, offset)


@router.get("/tabulations/{tabulation_id}", summary="One tabulation with a page of its cells")
def get_tabulation(request: Request, tabulation_id: DbId, limit: Limit = 1000, offset: Offset = 0,
                   user: Principal = Depends(partner), conn: Connection = Depends(read_conn)) -> dict[str, Any]:
    row = queries.tabulation(conn, tabulation_id)
    if row is None:
        raise HTTPException(404, f"no tabulation with id {tabulation_id}")
    cells, total = queries.cells_page(conn, tabulation_id=tabulation_id, limit=limit, offset=offset)
    return {**_tabulation(row), "cells": envelope(request, [_cell(c) for c in cells], total, limit, offset)}


@router.get("/findings", summary="Verification findings")
def list_findings(request: Request, source_id: OptionalId = None, severity: str | None = None,
                  check: str | None = None, status: str | None = None, limit: Limit = 100, offset: Offset = 0,
                  user: Principal = Depends(partner), conn: Connection = Depends(read_conn)) -> dict[str, Any]:
    rows, total = queries.findings_page(conn, source_id=source_id, severity=severity, check=check, status=status,
                                        limit=limit, offset=offset)
    return envelope(request, [_finding(r) for r in rows], total, limit, offset)


@router.get("/countries", summary="Countries and areas (UN M49) with their regions")
def list_countries(kind: str | None = Query(None, description="country, territory, historical, region …"),
                   user: Principal = Depends(partner)) -> dict[str, Any]:
    items = []
    for c in all_countries():
        if kind and c.kind != kind:
            continue
        regions = regions_of(c.code) if not c.is_aggregate else {}
        items.append({"code": c.code, "name": c.name, "iso3": c.iso3, "kind": c.kind,
                      "valid_from": plain(c.valid_from), "valid_to": plain(c.valid_to),
                      "successors": list(c.successors), "region": regions.get("region"),
                      "subregion": regions.get("subregion"), "sdg_region": regions.get("sdg_region")})
    return {"total": len(items), "items": items}


@router.get("/regions", summary="The world, regions, sub-regions and SDG regions with their member countries")
def list_regions(user: Principal = Depends(partner)) -> dict[str, Any]:
    from gmrd.reference.countries import members

    items = [{"code": c.code, "name": c.name, "kind": c.kind, "members": members(c.code)}
             for c in all_countries() if c.kind in ("world", "region", "subregion", "sdg_region")]
    return {"total": len(items), "items": items}
