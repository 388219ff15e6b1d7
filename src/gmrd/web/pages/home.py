"""Home: world and regional migrant stock and migrant children in the newest revision, with charts."""

from __future__ import annotations

import pandas as pd
from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlalchemy.engine import Connection

from gmrd.db import queries
from gmrd.web import cache, charts
from gmrd.web.auth import Principal
from gmrd.web.deps import partner, read_conn
from gmrd.web.downloads import estimates_sdmx, table_response
from gmrd.web.labels import REGIONS, WORLD, area_name
from gmrd.web.provenance import Provenance
from gmrd.web.render import render
from gmrd.web.tables import DISPLAY_NUMERIC, estimates_display, estimates_table, width_text

router = APIRouter(include_in_schema=False)
HEADLINE_AGES = ((0, None), (0, 18), (0, 20))
AGE_TITLES = {(0, None): "All ages", (0, 18): "Children 0-17", (0, 20): "Children and youth 0-19"}


HEADLINE_COLUMNS = ["area_code", "area", "year", "all_ages", "lower", "upper", "width", "imputed_share",
                    "age_0_17", "age_0_19"]


def headline(frame: pd.DataFrame, provenance: Provenance) -> pd.DataFrame:
    """One row per area for the latest year: total stock with its interval, its width and the share that
    is imputed, 0-17 and 0-19 (both sexes)."""
    if frame.empty:
        return pd.DataFrame(columns=HEADLINE_COLUMNS)
    latest = frame[frame["year"] == frame["year"].max()]
    out = []
    for code in [WORLD, *REGIONS]:
        part = latest[latest["area_code"] == code]
        if part.empty:
            continue
        rows = {(int(r.age_lo), None if pd.isna(r.age_hi) else int(r.age_hi)): r for r in part.itertuples()}
        total = rows.get((0, None))
        year = int(part["year"].iloc[0])
        out.append({"area_code": code, "area": area_name(code), "year": year,
                    "all_ages": total.value if total else None, "lower": total.lower if total else None,
                    "upper": total.upper if total else None,
                    "width": width_text(total.value, total.lower, total.upper) if total else "",
                    "imputed_share": provenance.share(code, year),
                    "age_0_17": rows[(0, 18)].value if (0, 18) in rows else None,
                    "age_0_19": rows[(0, 20)].value if (0, 20) in rows else None})
    return pd.DataFrame(out, columns=HEADLINE_COLUMNS)


@router.get("/")
def home(request: Request, format: str | None = None, user: Principal = Depends(partner),
         conn: Connection = Depends(read_conn)) -> Response:
    revision = cache.revision(conn)
    frame = (queries.estimates(conn, revision.id, areas=(WORLD, *REGIONS), sexes=(0,), ages=HEADLINE_AGES)
             if revision else pd.DataFrame(columns=queries.ESTIMATE_COLUMNS))
    if format:
        return table_response("gmrd-world-regions", format, lambda: estimates_table(frame),
                              lambda: estimates_sdmx(frame))
    world = frame[frame["area_code"] == WORLD]
    series = [(AGE_TITLES[age], world[(world["age_lo"] == age[0]) & (world["age_hi"].isna() if age[1] is None
                                                                     else world["age_hi"] == age[1])])
              for age in HEADLINE_AGES]
    series = [charts.line_from_frame(name, part) for name, part in series if not part.empty]
    provenance = cache.provenance(conn, revision) if revision else Provenance()
    table = headline(frame, provenance)
    regions = table[table["area_code"] != WORLD]
    context = {"revision": revision, "counts": queries.summary(conn), "table": table, "world": world,
               "world_share": provenance.share(WORLD), "latest": provenance.latest}
    if not frame.empty:
        context["world_chart"] = charts.series_with_band(series, "World: international migrants",
                                                         "Persons")
        context["region_chart"] = charts.bars(
            list(regions["area"]), [("All ages", list(regions["all_ages"])), ("0-17", list(regions["age_0_17"])),
                                    ("0-19", list(regions["age_0_19"]))],
            f"Migrants by region, {int(regions['year'].max()) if len(regions) else ''}", "Persons")
        context.update(world_table=estimates_display(world, provenance.shares), numeric=DISPLAY_NUMERIC)
    return render(request, "home.html", charts=not frame.empty, **context)
