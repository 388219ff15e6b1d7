"""UN DESA International Migrant Stock (IMS) publications, read as published.

Two layouts, recognised by content (never by file name):

* the IMS workbooks' "Table 1: International migrant stock at mid-year by sex and by ... area of
  destination" (editions 2015, 2019 and 2020): title and citation rows, a one- or two-row header
  (Location code, Type of data, then the years of a both-sexes, a male and a female block), notes and
  the published markers (``..`` not available → no cell; ``~`` fewer than 5 → no cell and an
  :class:`~gmrd.errors.InputWarning`; a dash → 0);
* the IMS 2020 destination × sex × 5-year age CSV (``LocID, ISO3, country, year, sex, total,
  0-4 … 75+``).

Records: destination = the Location code (M49), 1 July of each year (``date_precision`` "day"),
source type "estimate", universe 9 (international migrants, published estimate), origin total.
Rows of regions and groups (codes of 900 and above, or no code) are published aggregates, not
countries: :func:`read` skips them; :func:`read_workbook` keeps them with ``aggregates=True`` (for
checks against the published world total). The "Type of data" code (B foreign-born, C foreign
citizens, R refugees added, I imputed) goes into ``note``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from gmrd.errors import InputError
from gmrd.ingest.excel import cell_ref, is_zip, open_workbook, padded_rows, parse_count, text, workbook_text
from gmrd.ingest.records import COLUMNS, ORIGIN_TOTAL

name = "un_ims_workbook"

UNIVERSE_PUBLISHED_ESTIMATE = 9
SHEET = "Table 1"
TITLE_MARK = "international migrant stock at mid-year by sex"
AGE_CSV_COLUMNS = ("LocID", "ISO3", "country", "year", "sex", "total")
AGGREGATE_CODES_FROM = 900
_CITATION = re.compile(r"suggested citation:\s*(.+)", re.IGNORECASE)
_EDITION = re.compile(r"((?:Trends in )?International Migrant Stock(?::? (?:The )?\d{4}(?: [Rr]evision)?))")
_REVISION = re.compile(r"POP/DB/MIG/Stock/Rev\.(\d{4})")


def detect(path: Path, head: bytes) -> bool:
    """An IMS workbook (sheet "Table 1" titled "International migrant stock at mid-year by sex …")
    or the IMS 2020 age-sex CSV (header ``LocID,ISO3,country,year,sex,total,0-4,…``)."""
    if is_zip(head):
        xml = workbook_text(path)
        if f'name="{SHEET}"' not in xml:
            return False
        return TITLE_MARK in xml.lower() or _title_in_sheet(path)
    first = head.decode("utf-8-sig", errors="replace").splitlines()[:1]
    fields = [f.strip().strip('"') for f in first[0].split(",")] if first else []
    return tuple(fields[:6]) == AGE_CSV_COLUMNS and len(fields) > 6


def _title_in_sheet(path: Path) -> bool:
    """The title text in the first rows of Table 1 (workbooks written with inline strings)."""
    try:
        wb = open_workbook(path, read_only=True)
    except InputError:
        return False
    try:
        rows = wb[SHEET].iter_rows(max_row=20, values_only=True)
        return any(TITLE_MARK in text(v).lower() for row in rows for v in row)
    finally:
        wb.close()


def read(path: Path) -> Iterator[pd.DataFrame]:
    """Records of the countries (aggregates skipped), one frame per file."""
    with path.open("rb") as fh:
        head = fh.read(4)
    if is_zip(head):
        yield from read_workbook(path)
    else:
        yield from read_age_csv(path)


def read_workbook(path: Path, *, aggregates: bool = False) -> Iterator[pd.DataFrame]:
    """Table 1 of an IMS workbook as canonical records; ``aggregates`` keeps regions and groups
    (their codes are UN DESA area codes, not countries)."""
    wb = open_workbook(path, read_only=True)
    try:
        if SHEET not in wb.sheetnames:
            raise InputError(f"no sheet '{SHEET}' (sheets: {', '.join(wb.sheetnames)})", file=path.name)
        rows = padded_rows(wb[SHEET].iter_rows(values_only=True))
    finally:
        wb.close()
    file = f"{path.name}, sheet '{SHEET}'"
    layout = _layout(rows, file)
    title, citation = _source(rows[: layout["header"]], file)
    yield _records(rows, layout, title, citation, file, aggregates)


def _layout(rows: list[list[Any]], file: str) -> dict[str, Any]:
    """Header row, the columns of code / name / type of data, and (sex, year) of each year column."""
    for i, row in enumerate(rows):
        labels = [text(v).lower() for v in row]
        code_cols = [j for j, v in enumerate(labels) if re.fullmatch(r"(location |country )?code", v)]
        type_cols = [j for j, v in enumerate(labels) if v.startswith("type of data")]
        if code_cols and type_cols:
            header = i
            break
    else:
        raise InputError("no header row with 'Location code' and 'Type of data' columns", file=file)
    year_row = header if _years(rows[header]) else header + 1
    years = _years(rows[year_row]) if year_row < len(rows) else {}
    if not years:
        raise InputError("no year columns (1990, 1995, …) in the header", file=file, row=year_row + 1)
    sex_of: dict[int, int] = {}
    first_year = min(years)
    for row in rows[: year_row + 1]:
        current = ""
        for j in range(first_year, len(row)):
            current = text(row[j]) or current
            sex = _sex_of_title(current)
            if j in years and j not in sex_of and sex is not None:
                sex_of[j] = sex
    missing = [j for j in years if j not in sex_of]
    if missing:
        raise InputError("year column without a 'both sexes' / 'male' / 'female' block title", file=file,
                         row=year_row + 1, field=cell_ref(year_row + 1, missing[0]))
    labels = [text(v).lower() for v in rows[header]]
    name_col = next((j for j, v in enumerate(labels) if "country or area" in v), 1)
    return {"header": header, "data": year_row + 1, "code": code_cols[0], "type": type_cols[0],
            "name": name_col, "years": years, "sex": sex_of}


def _years(row: list[Any]) -> dict[int, int]:
    return {j: int(v) for j, v in enumerate(row)
            if isinstance(v, (int, float)) and not isinstance(v, bool) and 1900 <= v <= 2100 and v == int(v)}


def _sex_of_title(title: str) -> int | None:
    low = title.lower()
    if re.search(r"\bfemales?\b", low):
        return 2
    if re.search(r"\bmales?\b", low):
        return 1
    if "both sexes" in low:
        return 0
    return None


def _source(title_rows: list[list[Any]], file: str) -> tuple[str, str]:
    """(source_title, citation) from the title rows' "Suggested citation" and revision code."""
    texts = [text(v) for row in title_rows for v in row if text(v)]
    citation = next((m[1] for t in texts if (m := _CITATION.search(t))), "")
    if m := _EDITION.search(citation):
        return f"UN DESA {m[1]}", citation
    revision = next((m[1] for t in texts if (m := _REVISION.search(t))), None)
    if revision:
        return f"UN DESA International Migrant Stock {revision}", citation
    raise InputError("no 'Suggested citation' or revision code (POP/DB/MIG/Stock/Rev.YYYY) in the title "
                     "rows: cannot name the edition", file=file)


def _records(rows: list[list[Any]], layout: dict[str, Any], title: str, citation: str, file: str,
             aggregates: bool) -> pd.DataFrame:
    sex_labels = {0: "both sexes", 1: "male", 2: "female"}
    out: dict[str, list[Any]] = {k: [] for k in ("row", "country_code", "reference_date", "sex", "value",
                                                 "sex_label", "note")}
    for i in range(layout["data"], len(rows)):
        row = rows[i]
        code = row[layout["code"]]
        if not isinstance(code, (int, float)) or isinstance(code, bool):
            continue  # a group heading or a note line
        code = int(code)
        if code >= AGGREGATE_CODES_FROM and not aggregates:
            continue
        kind = text(row[layout["type"]])
        area = text(row[layout["name"]]).rstrip("*").strip()
        note = f"{area}; type of data: {kind}" if kind else area
        for j, year in layout["years"].items():
            sex = layout["sex"][j]
            value = parse_count(row[j], file=file, row=i + 1,
                                field=f"{cell_ref(i + 1, j)} ({sex_labels[sex]} {year})")
            if value is None:
                continue
            out["row"].append(i + 1)
            out["country_code"].append(code)
            out["reference_date"].append(date(year, 7, 1))
            out["sex"].append(sex)
            out["value"].append(value)
            out["sex_label"].append(sex_labels[sex])
            out["note"].append(note)
    frame = pd.DataFrame(out)
    if frame.empty:
        raise InputError("no country rows with values below the header", file=file)
    return _finish(frame, title, citation, age_lo=0, age_hi=None, age_label="total")


def _finish(frame: pd.DataFrame, title: str, citation: str, *, age_lo: Any, age_hi: Any,
            age_label: Any) -> pd.DataFrame:
    frame["date_precision"] = "day"
    frame["source_type"] = "estimate"
    frame["universe"] = UNIVERSE_PUBLISHED_ESTIMATE
    frame["source_title"] = title
    frame["citation"] = citation
    frame["age_lo"] = age_lo
    frame["age_hi"] = pd.array([pd.NA] * len(frame), dtype="Int64") if age_hi is None else age_hi
    frame["age_label"] = age_label
    frame["origin_code"] = ORIGIN_TOTAL
    frame["origin_label"] = "total"
    frame["row"] = frame["row"].astype("int64")
    frame["country_code"] = frame["country_code"].astype("int64")
    frame["sex"] = frame["sex"].astype("int64")
    frame["value"] = frame["value"].astype("float64")
    frame["age_lo"] = frame["age_lo"].astype("int64")
    frame["age_hi"] = frame["age_hi"].astype("Int64")
    return frame[list(COLUMNS)]


AGE_CSV_TITLE = "UN DESA International Migrant Stock 2020: age and sex"
AGE_CSV_CITATION = ("United Nations Department of Economic and Social Affairs, Population Division (2020). "
                    "International Migrant Stock 2020.")


def read_age_csv(path: Path) -> Iterator[pd.DataFrame]:
    """The IMS 2020 destination × sex × age CSV: one cell per (country, year, sex, age group);
    the ``total`` column is kept as the age-total cell (verification compares it with the ages)."""
    from gmrd.ingest import harmonize  # label parsing only this layout needs

    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise InputError(f"malformed IMS age CSV: {exc}", file=path.name) from None
    table.columns = [c.strip() for c in table.columns]
    table.insert(0, "row", range(2, len(table) + 2))
    value_columns = [c for c in table.columns[1:] if c not in AGE_CSV_COLUMNS]
    long = table.melt(id_vars=["row", *AGE_CSV_COLUMNS], value_vars=["total", *value_columns],
                      var_name="age_label", value_name="cell")
    long = long[~long["cell"].str.strip().isin({"", *("..", "…")})].reset_index(drop=True)
    rows = long["row"]
    file = path.name
    years = pd.to_numeric(long["year"], errors="coerce")
    if years.isna().any():
        first = int(years.isna().to_numpy().argmax())
        raise InputError(f"not a year: {long['year'][first]!r}", file=file, row=int(rows[first]), field="year")
    codes = pd.to_numeric(long["LocID"], errors="coerce")
    if codes.isna().any():
        first = int(codes.isna().to_numpy().argmax())
        raise InputError(f"not an M49 code: {long['LocID'][first]!r}", file=file, row=int(rows[first]),
                         field="LocID")
    values = pd.Series([parse_count(v, file=file, row=int(r), field=a)
                        for v, r, a in zip(long["cell"], rows, long["age_label"])], dtype="float64")
    ages = harmonize.ages(long["age_label"], rows, file=file)
    frame = pd.DataFrame({
        "row": rows.to_numpy(),
        "country_code": codes.astype("int64").to_numpy(),
        "reference_date": [date(int(y), 7, 1) for y in years],
        "sex": harmonize.sexes(long["sex"], rows, file=file).to_numpy(),
        "value": values.to_numpy(),
        "sex_label": long["sex"].to_numpy(),
        "note": long["country"].to_numpy(),
    })
    keep = values.notna().to_numpy()
    frame = _finish(frame, AGE_CSV_TITLE, AGE_CSV_CITATION, age_lo=ages["age_lo"].to_numpy(),
                    age_hi=ages["age_hi"].array, age_label=long["age_label"].to_numpy())
    yield frame[keep].reset_index(drop=True)
