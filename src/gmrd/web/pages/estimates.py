"""The estimates explorer (areas, years, sex, cohorts → table, chart, download) and revision comparison.

Both show a page of rows at a time (``?page=&per_page=``); downloads have all rows, CSV streamed.
"""

from __future__ import annotations

from collections.abc import Iterator

import pandas as pd
from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import Response
from sqlalchemy.engine import Connection

from gmrd.db import queries
from gmrd.db.engine import get_engine
from gmrd.estimate.revisions import explain
from gmrd.export.provenance import export_flags, whole_persons
from gmrd.web import cache, charts
from gmrd.web.auth import Principal
from gmrd.web.deps import partner, read_conn
from gmrd.web.downloads import (
    check_format,
    check_xlsx_rows,
    csv_response,
    estimates_sdmx,
    rows_sdmx,
    table_response,
)
from gmrd.web.estimate_params import EstimateQuery, estimate_query
from gmrd.web.filters import paging
from gmrd.web.labels import SEXES, age_name, area_choices, area_name
from gmrd.web.render import render
from gmrd.web.tables import DISPLAY_NUMERIC, estimates_display, estimates_table, how_made, width_text

router = APIRouter(include_in_schema=False)
DEFAULT_AGES = ((0, None), (0, 18), (0, 20))


@router.get("/estimates")
def explorer(request: Request, format: str | None = None, user: Principal = Depends(partner),
             conn: Connection = Depends(read_conn)) -> Response:
    q = estimate_query(request, conn, default_areas=(900,), default_ages=DEFAULT_AGES, default_sexes=(0,))
    if format:
        return estimates_download(request, conn, q, format)
    page, per_page, offset = paging(request, default=200)
    context: dict = {"q": q, "page": page, "per_page": per_page, "areas": area_choices(), "SEXES": SEXES,
                     "revisions": queries.revisions(conn)}
    if q.revision is not None:
        dims = cache.dimensions(conn, q.revision)
        frame = queries.estimates(conn, q.revision.id, areas=q.areas, years=q.years, sexes=q.sexes, ages=q.ages,
                                  limit=per_page, offset=offset)
        total = queries.estimate_count(conn, q.revision.id, areas=q.areas, years=q.years, sexes=q.sexes,
                                       ages=q.ages)
        chart_frame = frame if total <= per_page else queries.estimates(
            conn, q.revision.id, areas=q.areas[:8], years=q.years, sexes=q.sexes, ages=q.ages[:4])
        series = [charts.line_from_frame(f"{area_name(a)}, {SEXES[s]}, "
                                         f"{age_name(lo, None if pd.isna(hi) else int(hi))}", part)
                  for (a, s, lo, hi), part in chart_frame.groupby(["area_code", "sex", "age_lo", "age_hi"],
                                                                  dropna=False, sort=False)][:12]
        context.update(dims=dims, total=total, numeric=DISPLAY_NUMERIC,
                       table=estimates_display(frame, cache.provenance(conn, q.revision).shares),
                       estimates_chart=charts.series_with_band(series, "Estimates", "Persons")
                       if series else None)
    return render(request, "estimates.html", charts=True, **context)


def estimates_download(request: Request, conn: Connection, q: EstimateQuery, fmt: str) -> Response:
    """The explorer's selection as a file: CSV and SDMX-CSV streamed from the database a chunk at a time
    (on a connection of their own, open while the response is sent), XLSX only up to GMRD_XLSX_MAX_ROWS."""
    check_format(fmt, True)
    kwargs = {"areas": q.areas, "years": q.years, "sexes": q.sexes, "ages": q.ages}
    if fmt == "xlsx":
        if q.revision is not None:
            check_xlsx_rows(queries.estimate_count(conn, q.revision.id, **kwargs))
        frame = (queries.estimates(conn, q.revision.id, **kwargs) if q.revision
                 else pd.DataFrame(columns=queries.ESTIMATE_COLUMNS))
        return table_response("gmrd-estimates", fmt, lambda: estimates_table(frame))
    shape = estimates_sdmx if fmt == "sdmx-csv" else estimates_table
    url, revision = request.app.state.database_url, q.revision

    def chunks() -> Iterator[pd.DataFrame]:
        if revision is None:
            yield pd.DataFrame(columns=queries.ESTIMATE_COLUMNS).pipe(shape)
            return
        with get_engine(url).connect() as stream:
            for chunk in queries.estimate_chunks(stream, revision.id, **kwargs):
                yield shape(chunk)

    return csv_response("gmrd-estimates", fmt, chunks())


def compare_frame(a: pd.DataFrame, b: pd.DataFrame) -> pd.DataFrame:
    """Estimates of two revisions side by side with the difference, percent change (b against a) and
    each one's flags (``;``-separated)."""
    keys = ["area_code", "year", "sex", "age_lo", "age_hi"]
    cols = keys + ["value", "lower", "upper", "flags"]
    merged = a[cols].merge(b[cols], on=keys, how="outer", suffixes=("_a", "_b"))
    merged = merged.sort_values(keys)
    diff = merged["value_b"] - merged["value_a"]
    return pd.DataFrame({
        "area_code": merged["area_code"].astype(int), "area_name": merged["area_code"].map(area_name),
        "year": merged["year"].astype(int), "sex": merged["sex"].map(SEXES),
        "age": [age_name(int(lo), None if pd.isna(hi) else int(hi)) for lo, hi in zip(merged["age_lo"],
                                                                                       merged["age_hi"])],
        "value_a": whole_persons(merged["value_a"]), "value_b": whole_persons(merged["value_b"]),
        "difference": whole_persons(diff),
        **{f"{bound}_{side}": whole_persons(merged[f"{bound}_{side}"])
           for side in "ab" for bound in ("lower", "upper")},
        "percent": (100 * diff / merged["value_a"].where(merged["value_a"] != 0)).round(2),
        "flags_a": merged["flags_a"].map(export_flags), "flags_b": merged["flags_b"].map(export_flags),
    }).reset_index(drop=True)


def compare_display(frame: pd.DataFrame, shares_a: dict[tuple[int, int], float],
                    shares_b: dict[tuple[int, int], float],
                    causes: dict[int, str] | None = None) -> pd.DataFrame:
    """The comparison as the page shows it: interval widths, how each estimate was made and, where the value
    changed, why (``causes`` by area: :func:`gmrd.estimate.revisions.explain`) in words."""
    def words(side: str, shares: dict[tuple[int, int], float]) -> list[str]:
        return ["" if pd.isna(value) else how_made(int(code), f, shares.get((int(code), int(year))))
                for code, year, value, f in zip(frame["area_code"], frame["year"], frame[f"value_{side}"],
                                                frame[f"flags_{side}"])]

    def widths(side: str) -> list[str]:
        return [width_text(v, lo, hi) for v, lo, hi in zip(frame[f"value_{side}"], frame[f"lower_{side}"],
                                                           frame[f"upper_{side}"])]

    return pd.DataFrame({
        "Area": frame["area_name"], "Year": frame["year"], "Sex": frame["sex"], "Age": frame["age"],
        "Value A": frame["value_a"], "Value B": frame["value_b"], "Difference (B − A)": frame["difference"],
        "Change %": frame["percent"], "Interval width A": widths("a"), "Interval width B": widths("b"),
        "How A was made": words("a", shares_a), "How B was made": words("b", shares_b),
        "Why it changed": [(causes or {}).get(int(code), "") if not pd.isna(d) and d != 0 else ""
                           for code, d in zip(frame["area_code"], frame["difference"])]})


@router.get("/revisions")
def revisions(request: Request, a: str | None = None, b: str | None = None, format: str | None = None,
              user: Principal = Depends(partner), conn: Connection = Depends(read_conn)) -> Response:
    listed = queries.revisions(conn)
    names = [r.name for r in listed]
    if a is None or b is None:
        b = b or (names[0] if names else None)
        a = a or (names[1] if len(names) > 1 else b)
    context: dict = {"revisions": listed, "a": a, "b": b, "areas": area_choices(),
                     "previews": {r.name: cache.manifest_preview(conn, r) for r in listed}}
    if a and b:
        rev_a, rev_b = queries.revision(conn, a), queries.revision(conn, b)
        for name, rev in ((a, rev_a), (b, rev_b)):
            if rev is None:
                raise HTTPException(404, f"no revision named {name!r}")
        q = estimate_query(request, conn, default_areas=(900,), default_ages=DEFAULT_AGES, default_sexes=(0,),
                           revision=rev_b)
        kwargs = {"areas": q.areas, "years": q.years, "sexes": q.sexes, "ages": q.ages}
        frame = compare_frame(queries.estimates(conn, rev_a.id, **kwargs),
                              queries.estimates(conn, rev_b.id, **kwargs))
        if format:
            return table_response(f"gmrd-revisions-{a}-{b}", format, lambda: frame,
                                  lambda: rows_sdmx(frame.assign(revision_a=a, revision_b=b),
                                                    "GMRD:REVISION_CHANGE(1.0)", "difference"))
        page, per_page, offset = paging(request, default=200)
        shown = frame.iloc[offset:offset + per_page]
        causes = explain(cache.manifest(conn, rev_a), cache.manifest(conn, rev_b),
                         sorted({int(c) for c in shown["area_code"]}))
        context.update(q=q, table=compare_display(shown, cache.provenance(conn, rev_a).shares,
                                                  cache.provenance(conn, rev_b).shares, causes),
                       total=len(frame), page=page, per_page=per_page)
    elif format:
        raise HTTPException(404, "no revisions to compare yet")
    return render(request, "revisions.html", **context)
