"""Country (or region) profile: stock and children over time with intervals, a migrant age-sex pyramid,
the child-cohort table by sex, and the sources with their verification status."""

from __future__ import annotations

import pandas as pd
from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import Response
from sqlalchemy.engine import Connection

from gmrd.db import queries
from gmrd.reference.countries import is_known
from gmrd.web import charts
from gmrd.web.auth import Principal
from gmrd.web.deps import partner, read_conn
from gmrd.web.downloads import estimates_sdmx, rows_sdmx, table_response
from gmrd.web.labels import age_name, area_choices, area_name, concept_name
from gmrd.web.render import render
from gmrd.web.tables import estimates_table

router = APIRouter(include_in_schema=False)
SERIES = (((0, None), "All ages"), ((0, 18), "Children 0-17"), ((0, 20), "Children and youth 0-19"))
SOURCE_COLUMNS = ["id", "title", "reference_date", "source_type", "concept", "status", "cells", "errors",
                  "warnings"]


def _age_is(frame: pd.DataFrame, lo: int, hi: int | None) -> pd.Series:
    return (frame["age_lo"] == lo) & (frame["age_hi"].isna() if hi is None else frame["age_hi"] == hi)


def pyramid_groups(frame: pd.DataFrame) -> pd.DataFrame:
    """The 5-year groups and open last group of one year, by sex (rows: age; columns: male, female)."""
    lo, hi = frame["age_lo"], frame["age_hi"]
    five_year = ((hi - lo) == 5).fillna(False) | (hi.isna() & (lo > 0))
    five = frame[frame["sex"].isin([1, 2]) & five_year]
    if five.empty:
        return pd.DataFrame(columns=["age", "male", "female"])
    wide = five.pivot_table(index=["age_lo"], columns="sex", values="value", aggfunc="sum").sort_index()
    labels = {int(r.age_lo): age_name(int(r.age_lo), None if pd.isna(r.age_hi) else int(r.age_hi))
              for r in five.itertuples()}
    return pd.DataFrame({"age": [labels[int(a)] for a in wide.index], "male": wide.get(1), "female": wide.get(2)}
                        ).reset_index(drop=True)


def child_cohorts(frame: pd.DataFrame) -> pd.DataFrame:
    """Every child age group (upper bound at most 20) by year and sex: columns year, age, both, male, female."""
    kids = frame[frame["age_hi"].notna() & (frame["age_hi"] <= 20) & (frame["age_lo"] >= 0)]
    if kids.empty:
        return pd.DataFrame(columns=["year", "age", "both", "male", "female"])
    wide = kids.pivot_table(index=["year", "age_lo", "age_hi"], columns="sex", values="value", aggfunc="sum")
    wide = wide.reset_index()
    wide = wide.assign(width=wide["age_hi"] - wide["age_lo"]).sort_values(["year", "age_lo", "width"])
    return pd.DataFrame({"year": wide["year"].astype(int),
                         "age": [age_name(int(a), int(b)) for a, b in zip(wide["age_lo"], wide["age_hi"])],
                         "both": wide.get(0), "male": wide.get(1), "female": wide.get(2)}).reset_index(drop=True)


@router.get("/countries")
def country_list(request: Request, user: Principal = Depends(partner),
                 conn: Connection = Depends(read_conn)) -> Response:
    counts = queries.source_counts_by_country(conn)
    revision = queries.revision(conn)
    with_estimates = set(queries.estimate_dimensions(conn, revision.id)["areas"]) if revision else set()
    areas = [(code, name, kind, counts.get(code, 0), code in with_estimates) for code, name, kind in area_choices()
             if counts.get(code) or code in with_estimates]
    return render(request, "countries.html", areas=areas, revision=revision)


@router.get("/countries/{code}")
def country_profile(request: Request, code: int, format: str | None = None, table: str = "estimates",
                    user: Principal = Depends(partner), conn: Connection = Depends(read_conn)) -> Response:
    if not is_known(code):
        raise HTTPException(404, f"no country or area has the M49 code {code}")
    revision = queries.revision(conn)
    frame = (queries.estimates(conn, revision.id, areas=(code,)) if revision
             else pd.DataFrame(columns=queries.ESTIMATE_COLUMNS))
    sources = queries.country_sources(conn, code)
    slug = f"gmrd-{code:03d}"
    if format:
        if table == "sources":
            src = _sources_frame(sources)
            return table_response(f"{slug}-sources", format, lambda: src,
                                  lambda: rows_sdmx(src, "GMRD:SOURCES(1.0)", "cells"))
        return table_response(f"{slug}-estimates", format, lambda: estimates_table(frame),
                              lambda: estimates_sdmx(frame))
    both = frame[frame["sex"] == 0]
    series = [(title, both[_age_is(both, *age)]) for age, title in SERIES]
    series = [(t, s) for t, s in series if not s.empty]
    latest = int(frame["year"].max()) if not frame.empty else None
    pyramid = pyramid_groups(frame[frame["year"] == latest]) if latest else pyramid_groups(frame)
    cohorts = child_cohorts(frame)
    series_table = pd.concat([estimates_table(s) for _, s in series]) if series else None
    context = {"code": code, "name": area_name(code), "revision": revision, "sources": sources,
               "latest": latest, "pyramid": pyramid, "cohorts": cohorts, "series_table": series_table,
               "concept_name": concept_name}
    if series:
        context["series_chart"] = charts.series_with_band(series, f"{area_name(code)}: international migrants",
                                                          "Persons")
    if not pyramid.empty:
        context["pyramid_chart"] = charts.pyramid(list(pyramid["age"]), list(pyramid["male"].fillna(0)),
                                                  list(pyramid["female"].fillna(0)),
                                                  f"Migrants by age and sex, {latest}")
    return render(request, "country.html", charts=bool(series) or not pyramid.empty, **context)


def _sources_frame(sources: list) -> pd.DataFrame:
    return pd.DataFrame([{"id": s.id, "title": s.title, "reference_date": s.reference_date,
                          "source_type": s.source_type, "concept": concept_name(s.universe), "status": s.status,
                          "cells": s.cells, "errors": s.errors, "warnings": s.warnings} for s in sources],
                        columns=SOURCE_COLUMNS)
