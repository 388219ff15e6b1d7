"""Country (or region) profile: stock and children over time with intervals, a migrant age-sex pyramid,
the child-cohort table by sex, and the sources with their verification status."""

from __future__ import annotations

import pandas as pd
from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import Response
from markupsafe import Markup, escape
from sqlalchemy.engine import Connection

from gmrd.db import queries
from gmrd.reference.countries import AGGREGATE_KINDS, is_known
from gmrd.web import cache, charts
from gmrd.web.auth import Principal
from gmrd.web.deps import partner, read_conn
from gmrd.web.downloads import estimates_sdmx, rows_sdmx, table_response
from gmrd.web.filters import DbId
from gmrd.web.labels import area_choices, area_name, concept_name, is_aggregate, kind_words
from gmrd.web.profile import SERIES_COLUMNS, Profile, build_profile, latest_total, series_rows
from gmrd.web.provenance import Provenance
from gmrd.web.render import env, render
from gmrd.web.tables import estimates_table, how_made, width_text

router = APIRouter(include_in_schema=False)
#: sources listed on a profile page; the downloads and the tabulation browser have them all
SOURCES_SHOWN = 50
SOURCE_COLUMNS = ["id", "title", "reference_date", "source_type", "concept", "status", "cells", "errors",
                  "warnings"]


@router.get("/countries")
def country_list(request: Request, q: str | None = None, user: Principal = Depends(partner),
                 conn: Connection = Depends(read_conn)) -> Response:
    counts = queries.source_counts_by_country(conn)
    revision = cache.revision(conn)
    with_estimates = set(cache.dimensions(conn, revision)["areas"]) if revision else set()
    provenance = cache.provenance(conn, revision) if revision else Provenance()
    search = (q or "").strip()
    areas = [(code, name, kind_words(kind), counts.get(code, 0), code in with_estimates,
              provenance.types.get(code, ""), provenance.share(code) if is_aggregate(code) else None)
             for code, name, kind in area_choices() if (counts.get(code) or code in with_estimates)
             and _matches(search, code, name)]
    return render(request, "countries.html", groups=group_by_region(areas), revision=revision,
                  latest=provenance.latest, q=search, found=len(areas))


def _matches(search: str, code: int, name: str) -> bool:
    """An area matches a search by a part of its name (case and accents ignored) or by its M49 code."""
    if not search:
        return True
    if search.isdigit():
        return int(search) == code
    return _fold(search) in _fold(name)


def _fold(text: str) -> str:
    import unicodedata

    return "".join(c for c in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(c))


def group_by_region(areas: list[tuple]) -> list[tuple[str, list[tuple]]]:
    """The rows under headings: the world and regional aggregates first, then the countries and areas of
    each geographic region (by name), then those without one."""
    from gmrd.reference.countries import regions_of

    aggregate_kinds = {kind_words(k) for k in AGGREGATE_KINDS}
    groups: dict[str, list[tuple]] = {"World and regions": []}
    by_region: dict[str, list[tuple]] = {}
    for row in areas:
        if row[2] in aggregate_kinds:
            groups["World and regions"].append(row)
            continue
        region = regions_of(row[0])["region"]
        by_region.setdefault(area_name(region) if region else "Other areas", []).append(row)
    groups.update(sorted(((k, v) for k, v in by_region.items() if k != "Other areas"), key=lambda kv: kv[0]))
    if "Other areas" in by_region:
        groups["Other areas"] = by_region["Other areas"]
    return [(title, rows) for title, rows in groups.items() if rows]


@router.get("/countries/{code}")
def country_profile(request: Request, code: DbId, format: str | None = None, table: str = "estimates",
                    user: Principal = Depends(partner), conn: Connection = Depends(read_conn)) -> Response:
    if not is_known(code):
        raise HTTPException(404, f"no country or area has the M49 code {code}")
    revision = cache.revision(conn)
    profile = cache.area_profile(conn, revision, code) if revision else build_profile([])
    slug = f"gmrd-{code:03d}"
    if format:
        if table == "sources":
            src = _sources_frame(queries.country_sources(conn, code))
            return table_response(f"{slug}-sources", format, lambda: src,
                                  lambda: rows_sdmx(src, "GMRD:SOURCES(1.0)", "cells"))
        rows = queries.estimate_rows(conn, revision.id, areas=(code,)) if revision else []
        frame = pd.DataFrame(rows, columns=queries.ESTIMATE_COLUMNS)
        return table_response(f"{slug}-estimates", format, lambda: estimates_table(frame),
                              lambda: estimates_sdmx(frame))
    name = area_name(code)
    html = cache.per_area(conn, revision, code, "profile.html", lambda: _estimates_html(
        code, name, profile, cache.provenance(conn, revision))) if revision else Markup("")
    shown, total, rows_html = cache.per_data_version(conn, ("profile sources", code),
                                                     lambda: _sources_block(conn, code))
    return render(request, "country.html", charts=bool(profile.series or profile.pyramid), code=code, name=name,
                  revision=revision, profile=profile, estimates_html=html, sources_shown=shown,
                  sources_total=total, source_rows=rows_html)


def _sources_block(conn: Connection, code: int) -> tuple[int, int, Markup]:
    """How many sources the profile lists, how many there are, and the rows of its table."""
    sources = queries.country_sources(conn, code, limit=SOURCES_SHOWN)
    total = len(sources) if len(sources) < SOURCES_SHOWN else queries.country_source_count(conn, code)
    return len(sources), total, source_rows(sources)


def source_rows(sources: list) -> Markup:
    """The rows of the profile's sources table (built directly: the hot part of a profile page)."""
    out = []
    for s in sources:
        findings = ""
        if s.errors:
            findings += f'<span class="badge rejected">{s.errors} errors</span> '
        if s.warnings:
            findings += f'<span class="badge pending">{s.warnings} warnings</span>'
        status = escape(s.status)
        out.append(f'<tr><td>{s.reference_date}</td><td><a href="/sources/{int(s.id)}">{escape(s.title)}</a></td>'
                   f"<td>{escape(s.source_type)}</td><td>{escape(concept_name(s.universe))}</td>\n"
                   f'<td class="n">{s.cells:,.0f}</td><td><span class="badge {status}">{status}</span></td>'
                   f"<td>{findings}</td></tr>\n")
    return Markup("".join(out))


def _estimates_html(code: int, name: str, profile: Profile, provenance: Provenance) -> Markup:
    """The charts and tables of a profile (they depend only on the revision and the area)."""
    latest = latest_total(profile)
    share = provenance.share(code, profile.latest) if is_aggregate(code) else None
    context: dict = {"code": code, "name": name, "profile": profile, "latest": latest,
                     "series_rows": series_rows(profile, code, provenance.shares),
                     "series_columns": SERIES_COLUMNS, "data_type": provenance.types.get(code, ""),
                     "aggregate": is_aggregate(code), "imputed_share": share, "how": "", "width": ""}
    if latest is not None:
        context.update(how=how_made(code, latest.flags, share),
                       width=width_text(latest.value, latest.lower, latest.upper))
    if profile.series:
        context["series_chart"] = charts.series_with_band(
            [charts.line_from_rows(title, part) for title, part in profile.series],
            f"{name}: international migrants", "Persons")
    if profile.pyramid:
        context["pyramid_chart"] = charts.pyramid([a for a, _, _ in profile.pyramid],
                                                  [m or 0.0 for _, m, _ in profile.pyramid],
                                                  [f or 0.0 for _, _, f in profile.pyramid],
                                                  f"Migrants by age and sex, {profile.latest}")
    return Markup(env.get_template("country_estimates.html").render(**context))


def _sources_frame(sources: list) -> pd.DataFrame:
    return pd.DataFrame([{"id": s.id, "title": s.title, "reference_date": s.reference_date,
                          "source_type": s.source_type, "concept": concept_name(s.universe), "status": s.status,
                          "cells": s.cells, "errors": s.errors, "warnings": s.warnings} for s in sources],
                        columns=SOURCE_COLUMNS)
