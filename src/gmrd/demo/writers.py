"""Write demo tables as users receive them: canonical tabulation CSV, wide CSV, wide XLSX.

Wide files carry their metadata above the header ("Country: …"), a note below it, and vary the
conventions (CP1252 with semicolons and dotted thousands, UTF-8 with BOM and quoted "1,234",
sexes across or ages across) so that the readers are exercised as real imports are.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import datetime
from pathlib import Path

import pandas as pd
from openpyxl import Workbook

from gmrd.demo.plan import SEX_LABELS, TablePlan
from gmrd.demo.tables import TOTAL, Table

CANONICAL_HEADER = ("country", "reference_date", "source_type", "concept", "sex", "age", "origin", "value",
                    "source_title", "citation", "note")
CONCEPT_WORDS = {"foreign_born": "foreign-born", "foreign_citizens": "foreign citizens"}
PROVENANCE = ("Demo table derived from United Nations Department of Economic and Social Affairs, "
              "Population Division (2020), International Migrant Stock 2020 (CC BY 3.0 IGO).")
FIXED_TIME = datetime(2020, 1, 1)
PUBLISHED_FILE = "un_ims2020_published_estimates.csv"
PUBLISHED_TITLE = "International Migrant Stock 2020: published estimates (last resort)"
PUBLISHED_NOTE = ("UN DESA's own estimates (Table 1), not a census: gmrd uses an 'estimate' source only "
                  "where no census, register or survey of the country lies within 2.5 years")


def write_table(table: Table, out_dir: Path, *, stem: str | None = None, date_text: str | None = None) -> Path:
    """The table in its plan's format; ``date_text`` overrides the reference date as written."""
    plan = table.plan
    day = date_text or plan.day.isoformat()
    stem = stem or plan.key
    if plan.fmt == "canonical":
        return _canonical(table, out_dir / f"{stem}.csv", day)
    grid = _wide_grid(table)
    if plan.fmt == "wide_csv":
        return _wide_csv(plan, grid, out_dir / f"{stem}.csv", day)
    return _wide_xlsx(plan, grid, out_dir / f"{stem}.xlsx", day)


def _canonical(table: Table, path: Path, day: str) -> Path:
    plan = table.plan
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CANONICAL_HEADER)
    for cell in table.cells.itertuples():
        writer.writerow([plan.country_label, day, plan.source_type, plan.concept, cell.sex,
                         "total" if cell.age == TOTAL else cell.age,
                         "total" if cell.origin == TOTAL else cell.origin, int(cell.value),
                         plan.source_title, plan.citation, ""])
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def write_published_estimates(table1: pd.DataFrame, out_dir: Path, citation: str) -> Path:
    """UN DESA's published totals (IMS 2020 Table 1, every country, 1 July 1990 … 2020, by sex) as one
    canonical CSV of ``estimate`` sources: the demo's last resort for countries without a census table.

    The concept is foreign citizens where the Type of data says C, else foreign-born; values the workbook
    marks as not available (``..``) are left out.
    """
    years = [c for c in table1.columns if c.isdigit()]
    long = table1.melt(id_vars=["LocID", "type_of_data", "sex"], value_vars=years, var_name="year")
    long = long.dropna(subset=["value"]).sort_values(["LocID", "year", "sex"], kind="stable")
    concept = long["type_of_data"].str.split().str[0].map({"C": "foreign_citizens"}).fillna("foreign_born")
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CANONICAL_HEADER)
    for row, kind in zip(long.itertuples(), concept):
        writer.writerow([row.LocID, f"{row.year}-07-01", "estimate", kind, row.sex, "total", "total",
                         int(row.value), PUBLISHED_TITLE, citation, PUBLISHED_NOTE])
    path = out_dir / PUBLISHED_FILE
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def _wide_grid(table: Table) -> list[list[object]]:
    """Header and rows of the wide layout (dimension columns first, then categories)."""
    plan, cells = table.plan, table.cells
    if plan.kind == "origin":
        who = "Country of citizenship" if plan.concept == "foreign_citizens" else "Country of birth"
        rows: list[list[object]] = [[who, TOTAL]]
        return rows + [[c.origin, int(c.value)] for c in cells.itertuples()]
    ages = list(dict.fromkeys(cells["age"]))
    if plan.rows == "sex":
        grid: list[list[object]] = [["Sex", *ages]]
        for sex in plan.sexes:
            part = cells[cells["sex"] == sex].set_index("age")["value"]
            grid.append([SEX_LABELS[sex], *[int(part[a]) for a in ages]])
        return grid
    grid = [["Age group", *[SEX_LABELS[s] for s in plan.sexes]]]
    for age in ages:
        part = cells[cells["age"] == age].set_index("sex")["value"]
        grid.append([age, *[int(part[s]) for s in plan.sexes]])
    return grid


def _metadata(plan: TablePlan, day: str) -> list[tuple[str, str]]:
    return [("Country", plan.country_label), ("Reference date", day), ("Source type", plan.source_type),
            ("Concept", CONCEPT_WORDS[plan.concept]), ("Title", plan.source_title),
            ("Citation", plan.citation)]


def _caption(plan: TablePlan) -> str:
    who = "Foreign citizens" if plan.concept == "foreign_citizens" else "Foreign-born population"
    by = "country of origin" if plan.kind == "origin" else "sex and age group"
    return f"{who} by {by}, {plan.country_label}, {plan.day.year}"


def _number(value: int, plan: TablePlan) -> str:
    if plan.delimiter == ";":
        return f"{value:,}".replace(",", ".")
    return f"{value:,}" if plan.encoding == "utf-8-sig" else str(value)


def _wide_csv(plan: TablePlan, grid: list[list[object]], path: Path, day: str) -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=plan.delimiter, lineterminator="\r\n")
    writer.writerow([_caption(plan)])
    for key, value in _metadata(plan, day):
        writer.writerow([f"{key}: {value}"])
    writer.writerow([])
    writer.writerow(grid[0])
    for row in grid[1:]:
        writer.writerow([_number(v, plan) if isinstance(v, int) else v for v in row])
    writer.writerow([])
    writer.writerow([f"Note: {PROVENANCE}"])
    path.write_bytes(buffer.getvalue().encode(plan.encoding))
    return path


def _wide_xlsx(plan: TablePlan, grid: list[list[object]], path: Path, day: str) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "Table"
    width = len(grid[0])
    ws.append([_caption(plan)])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)  # a merged title is fine
    for key, value in _metadata(plan, day):
        ws.append([f"{key}:", value])
    ws.append([])
    for row in grid:
        ws.append(row)
    for cells in ws.iter_rows(min_row=ws.max_row - len(grid) + 2, max_row=ws.max_row, min_col=2):
        for c in cells:
            c.number_format = "#,##0"
    ws.append([])
    ws.append([f"Note: {PROVENANCE}"])
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    buffer = io.BytesIO()
    wb.save(buffer)
    path.write_bytes(_fixed_zip_times(buffer.getvalue()))
    return path


def _fixed_zip_times(data: bytes) -> bytes:
    """The same zip with every member dated 1980-01-01, so equal seeds give equal bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps the save time here
                content = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2020-01-01T00:00:00Z", content)
            dst.writestr(fixed, content)
    return out.getvalue()
