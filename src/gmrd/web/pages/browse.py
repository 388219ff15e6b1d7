"""The tabulation browser (faceted filters, text search, sorting, pages) and the source detail page."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.engine import Connection
from starlette.concurrency import run_in_threadpool

from gmrd.db import queries
from gmrd.errors import GmrdError
from gmrd.export.cells import XLSX_MAX_ROWS
from gmrd.web.auth import Principal
from gmrd.web.deps import CSRF, curator, engine, partner, read_conn
from gmrd.web.downloads import cells_sdmx, rows_sdmx, table_response
from gmrd.web.filters import MAX_INT, DbId, paging, tabulation_filter
from gmrd.web.labels import DIMENSIONS, REGIONS, SOURCE_TYPES, STATUSES, area_name, concept_name, region_of
from gmrd.web.render import render
from gmrd.web.tables import cells_table, rows_table, tabulations_table

router = APIRouter(include_in_schema=False)
FINDING_COLUMNS = ["id", "check", "severity", "message", "status", "status_reason"]


def _region_facet(country_counts: list[tuple[object, int]]) -> list[tuple[int, int]]:
    totals: dict[int, int] = {}
    for code, n in country_counts:
        region = region_of(int(code))  # type: ignore[arg-type]
        if region is not None:
            totals[region] = totals.get(region, 0) + n
    return [(r, totals[r]) for r in REGIONS if r in totals]


@router.get("/tabulations")
def tabulations(request: Request, format: str | None = None, what: str = "list",
                user: Principal = Depends(partner), conn: Connection = Depends(read_conn)) -> Response:
    f = tabulation_filter(request)
    page, per_page, offset = paging(request)
    sort = request.query_params.get("sort", "id")
    if sort not in queries.TABULATION_SORTS:
        raise HTTPException(422, f"sort: {sort!r} is not one of {', '.join(queries.TABULATION_SORTS)}")
    descending = request.query_params.get("desc", "") in ("1", "true")
    if format and (what == "cells" or format == "sdmx-csv"):
        n = queries.matching_cell_count(conn, f)
        if n > XLSX_MAX_ROWS:
            raise HTTPException(413, f"the selection has {n:,} cells; filter it to at most {XLSX_MAX_ROWS:,} "
                                     "to download them here (or use gmrd export)")
        cells = queries.filtered_cells(conn, f)
        return table_response("gmrd-tabulation-cells", format, lambda: cells_table(cells),
                              lambda: cells_sdmx(cells))
    if format:
        rows, _ = queries.tabulation_page(conn, f, sort=sort, descending=descending, limit=XLSX_MAX_ROWS)
        return table_response("gmrd-tabulations", format, lambda: tabulations_table(rows))
    rows, total = queries.tabulation_page(conn, f, sort=sort, descending=descending, limit=per_page,
                                          offset=offset)
    facets = queries.tabulation_facets(conn, f)
    facets["region"] = _region_facet(facets["country"])
    return render(request, "tabulations.html", rows=rows, total=total, page=page, per_page=per_page, f=f,
                  facets=facets, sort=sort, descending=descending, SOURCE_TYPES=SOURCE_TYPES,
                  STATUSES=STATUSES, DIMENSIONS=DIMENSIONS, REGIONS=REGIONS,
                  selected=request.query_params)


@router.get("/sources/{source_id}")
def source_detail(request: Request, source_id: DbId, format: str | None = None, table: str = "cells",
                  user: Principal = Depends(partner), conn: Connection = Depends(read_conn)) -> Response:
    found = queries.source(conn, source_id)
    if found is None:
        raise HTTPException(404, f"no source with id {source_id}")
    if format and table == "findings":
        rows, _ = queries.findings_page(conn, source_id=source_id, limit=XLSX_MAX_ROWS)
        return findings_download(rows, format, f"gmrd-source-{source_id}-findings")
    if format:
        cells = queries.filtered_cells(conn, source_id=source_id)
        return table_response(f"gmrd-source-{source_id}", format, lambda: cells_table(cells),
                              lambda: cells_sdmx(cells))
    return _source_page(request, conn, found)


def _source_page(request: Request, conn: Connection, found, status: int = 200,  # type: ignore[no-untyped-def]
                 error: str = "") -> Response:
    source_id = found.id
    page, per_page, offset = paging(request, default=100)
    cells, n_cells = queries.cells_page(conn, source_id=source_id, limit=per_page, offset=offset)
    findings, _ = queries.findings_page(conn, source_id=source_id, limit=500)
    return render(request, "source.html", status, source=found, file=found,
                  tabulations=queries.source_tabulations(conn, source_id), cells=cells, total=n_cells, page=page,
                  per_page=per_page, findings=findings, country=area_name(found.country_code),
                  concept=concept_name(found.universe), review_available=review_available(), error=error)


@router.post("/sources/{source_id}/review", dependencies=[CSRF])
async def review(request: Request, source_id: DbId, decision: str = Form(...),
                 reason: str = Form("", max_length=2000), override: str = Form(""),
                 user: Principal = Depends(curator)) -> Response:
    """Accept or reject a source through gmrd.verify.review (audited there); refusals are shown on the page."""
    from gmrd.verify.review import review_source

    try:
        await run_in_threadpool(review_source, source_id, decision, reason, actor=user.name,
                                override=override == "yes", url=request.app.state.database_url)
    except GmrdError as exc:
        with engine(request).connect() as conn:
            found = queries.source(conn, source_id)
            if found is None:
                raise HTTPException(404, f"no source with id {source_id}") from None
            return _source_page(request, conn, found, 409, error=str(exc))
    return RedirectResponse(f"/sources/{source_id}", status_code=303)


@router.post("/findings/{finding_id}/dismiss", dependencies=[CSRF])
async def dismiss(request: Request, finding_id: DbId, reason: str = Form("", max_length=2000),
                  source_id: int = Form(..., ge=0, le=MAX_INT), user: Principal = Depends(curator)) -> Response:
    """Dismiss an open finding (audited by gmrd.verify.review)."""
    from gmrd.verify.review import dismiss_finding

    try:
        await run_in_threadpool(dismiss_finding, finding_id, reason, actor=user.name,
                                url=request.app.state.database_url)
    except GmrdError as exc:
        raise HTTPException(409, str(exc)) from None
    return RedirectResponse(f"/sources/{source_id}", status_code=303)


def review_available() -> bool:
    """Whether the verification package's review action is installed in this tree."""
    from importlib.util import find_spec

    return find_spec("gmrd.verify.review") is not None


def findings_download(rows: list, fmt: str, name: str) -> Response:
    frame = rows_table(rows, FINDING_COLUMNS)
    return table_response(name, fmt, lambda: frame, lambda: rows_sdmx(frame, "GMRD:FINDINGS(1.0)", "id"))
