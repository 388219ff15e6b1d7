"""Wide official tables: one row per category of sex / age / origin, one column per category of
another dimension (ages such as 0-4 … 75+ and Total, or countries of origin), CSV or XLSX.

The layout, as statistical offices publish it (docs/import-formats.md has a full example)::

    Foreign-born population, Ecuador 2010  <- a title line: the source title if there is no Title:
    Country: Ecuador                       <- metadata lines above the header ("Key: value" in
    Reference date: 2010-11-28                one cell, or "Key:" then the value in the next cell)
    Source type: census
    Concept: foreign-born
    Title: Censo de Población y Vivienda 2010
    Sex,Age,…  or  Sex,0-4,5-9,…,75+,Total <- header: dimension columns, then category columns
    Male,1520,…
    Note: …                                <- notes below the table go into every record's note

Metadata may instead be columns of the header (``country``, ``reference_date``, ``source_type``,
``concept``, ``source_title``, ``citation``, ``note``), one value per row. A dimension that is neither
a row nor a column dimension is the total, unless a metadata line fixes it ("Sex: female").
``Unit: thousands`` multiplies values by 1000. Headers such as "Male foreign-born" or "Foreign citizens,
females" are sexes with their concept (:mod:`gmrd.ingest.wide_header`); dates may be written
(:mod:`gmrd.ingest.written_dates`); all missing metadata is reported at once, with example lines made
from the file's title and name. Markers: blank, ``..``, ``x`` → no cell; a dash → 0.
Labels are resolved with the same rules as the canonical CSV (:mod:`gmrd.ingest.harmonize`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from gmrd.errors import InputError
from gmrd.ingest import harmonize
from gmrd.ingest.excel import (
    cell_ref,
    decode_text,
    is_zip,
    open_workbook,
    padded_rows,
    parse_count,
    split_rows,
    text,
)
from gmrd.ingest.records import COLUMNS
from gmrd.ingest.wide_header import example_lines, sex_and_concept

name = "wide_table"

DIMENSIONS: dict[str, frozenset[str]] = {
    "sex": frozenset({"sex", "gender", "sexe", "sexo"}),
    "age": frozenset({"age", "age group", "age groups", "age (years)", "age in years", "age band", "edad",
                      "grupo de edad", "grupos de edad", "âge", "groupe d'âge"}),
    "origin": frozenset({"origin", "country of birth", "place of birth", "birthplace", "country of origin",
                         "citizenship", "country of citizenship", "nationality", "país de nacimiento",
                         "pais de nacimiento", "nacionalidad", "pays de naissance", "nationalité"}),
}
METADATA: dict[str, frozenset[str]] = {
    "country": frozenset({"country", "country or area", "destination", "country of residence",
                          "country of enumeration"}),
    "reference_date": frozenset({"reference date", "reference_date", "date", "census date",
                                 "census reference date", "enumeration date"}),
    "source_type": frozenset({"source type", "source_type", "type of source"}),
    "concept": frozenset({"concept", "universe", "population universe", "migrant concept", "population"}),
    "source_title": frozenset({"title", "source title", "source_title", "source", "publication"}),
    "citation": frozenset({"citation", "published in"}),
    "note": frozenset({"note", "notes"}),
    "unit": frozenset({"unit", "units"}),
}
REQUIRED = ("country", "reference_date", "source_type", "concept")
UNITS = {"persons": 1.0, "person": 1.0, "number": 1.0, "numbers": 1.0, "thousands": 1000.0, "1000": 1000.0,
         "000": 1000.0, "'000": 1000.0}
NOT_CATEGORIES = frozenset({"locid", "iso3", "year", "value", "code"})
TOTAL_WORDS = frozenset({"total", "all", "all ages", "both sexes", "total population", "all origins"})
XLSX_SUFFIXES = (".xlsx", ".xlsm")
HEADER_SCAN_ROWS = 60


@dataclass
class Grid:
    """One table's cells (rows of values) and how to name a cell in messages."""

    file: str
    rows: list[list[Any]]
    spreadsheet: bool
    merged: list[tuple[int, int, str]] = field(default_factory=list)  # (min_row, max_row, "A5:C5")

    def field(self, row: int, col: int, header: str) -> str:
        return f"{cell_ref(row, col)} ({header})" if self.spreadsheet else header


def _key(value: Any) -> str:
    return text(value).lower().rstrip(":").strip().replace("_", " ")


def _lookup(table: dict[str, frozenset[str]], value: Any) -> str | None:
    key = _key(value)
    return next((k for k, names in table.items() if key in names or key == k.replace("_", " ")), None)


def _header_index(rows: list[list[Any]], limit: int | None = None) -> int | None:
    for i, row in enumerate(rows[:limit]):
        if any(text(v) and not text(v).endswith(":") and _lookup(DIMENSIONS, v) for v in row):
            return i
    return None


def detect(path: Path, head: bytes) -> bool:
    """A CSV or XLSX whose header row names a dimension (sex, age, origin) followed by category
    columns; never a one-row-per-cell table (a "value" column). An .xlsx that is not a readable
    zip is claimed too, so that reading it reports the corruption."""
    if is_zip(head) or path.suffix.lower() in XLSX_SUFFIXES:
        try:
            wb = open_workbook(path, read_only=True)
        except InputError:
            return path.suffix.lower() in XLSX_SUFFIXES
        try:
            return any(_looks_wide(padded_rows(ws.iter_rows(max_row=HEADER_SCAN_ROWS, values_only=True)))
                       for ws in wb.worksheets)
        finally:
            wb.close()
    try:
        rows, _ = split_rows(decode_text(head, file=path.name))
    except InputError:
        return False
    return _looks_wide(rows)


def _looks_wide(rows: list[list[Any]]) -> bool:
    i = _header_index(rows, HEADER_SCAN_ROWS)
    if i is None:
        return False
    labels = [_key(v) for v in rows[i] if text(v)]
    if any(label in NOT_CATEGORIES for label in labels):
        return False
    return any(_lookup(DIMENSIONS, v) is None and _lookup(METADATA, v) is None for v in rows[i] if text(v))


def read(path: Path) -> Iterator[pd.DataFrame]:
    """Canonical records of every table in the file (each XLSX sheet with a header is a table)."""
    found = False
    for grid in _grids(path):
        frame = _table(grid)
        if frame is not None:
            found = True
            yield frame
    if not found:
        raise InputError("no table found: no header row naming a dimension column (Sex, Age or "
                         "Country of birth); see docs/import-formats.md", file=path.name)


def _grids(path: Path) -> Iterator[Grid]:
    with path.open("rb") as fh:
        head = fh.read(4)
    if is_zip(head) or path.suffix.lower() in XLSX_SUFFIXES:
        wb = open_workbook(path, read_only=False)
        for ws in wb.worksheets:
            if ws.sheet_state != "visible":
                continue
            merged = [(r.min_row, r.max_row, r.coord) for r in ws.merged_cells.ranges]
            yield Grid(f"{path.name}, sheet '{ws.title}'", padded_rows(ws.iter_rows(values_only=True)),
                       True, merged)
        return
    rows, _ = split_rows(decode_text(path.read_bytes(), file=path.name))
    yield Grid(path.name, padded_rows(rows), False)


def _table(grid: Grid) -> pd.DataFrame | None:
    h = _header_index(grid.rows)
    if h is None:
        return None
    header_row = h + 1
    for lo, hi, coord in grid.merged:
        if lo <= header_row <= hi:
            raise InputError(f"merged cells in header {coord}: unmerge them and repeat the label in each "
                             "cell", file=grid.file, row=header_row, field=coord)
    meta, notes, titles = _metadata(grid.rows[:h], grid.file, grid.spreadsheet)
    dims, metas, cats = _classify(grid, h)
    cells, notes = _cells(grid, h, dims, metas, cats, notes)
    if cells.empty:
        raise InputError("no values below the header", file=grid.file, row=header_row)
    return _resolve(grid, h, cells, dims, metas, cats, meta, notes, titles)


def _metadata(rows: list[list[Any]], file: str,
              spreadsheet: bool = False) -> tuple[dict[str, tuple[str, int]], list[str], list[str]]:
    """Metadata lines above the header: {key: (value, spreadsheet row)}, the notes, and the title lines
    (lines that are no "Key: value"; the first is the source title when no Title line is given)."""
    meta: dict[str, tuple[str, int]] = {}
    notes: list[str] = []
    titles: list[str] = []
    for i, row in enumerate(rows):
        cells = [c for c in row if text(c)]
        if not cells:
            continue
        first = text(cells[0])
        if ":" in first and not first.endswith(":"):
            label, value = first.split(":", 1)
            # an unquoted comma in a CSV line splits the value: "Census date: September 26, 2010"
            rest: Any = value.strip() if spreadsheet else ", ".join([value.strip(), *map(text, cells[1:])])
        else:
            label, rest = first, cells[1] if len(cells) > 1 else ""
        key = _lookup(METADATA, label) or _lookup(DIMENSIONS, label)
        if key is None or (key in DIMENSIONS and ":" not in first):
            titles.append(", ".join(text(c) for c in cells))
            continue  # a title line or an unknown key
        value = rest.isoformat()[:10] if isinstance(rest, (dt.date, dt.datetime)) else text(rest)
        if isinstance(rest, float) and rest == int(rest):
            value = str(int(rest))
        if key == "note":
            notes.append(value)
        elif value:
            meta[key] = (value, i + 1)
    return meta, notes, titles


def _classify(grid: Grid, h: int) -> tuple[list[tuple[int, str]], list[tuple[int, str]],
                                            list[tuple[int, str]]]:
    """(dimension columns, metadata columns, category columns) as (column index, key or label)."""
    dims: list[tuple[int, str]] = []
    metas: list[tuple[int, str]] = []
    cats: list[tuple[int, str]] = []
    for j, v in enumerate(grid.rows[h]):
        label = text(v)
        if not label:
            column = [r[j] for r in grid.rows[h + 1:]]
            if any(text(c) for c in column):
                first = h + 2 + next(k for k, c in enumerate(column) if text(c))
                raise InputError("values in a column without a header label", file=grid.file, row=first,
                                 field=cell_ref(first, j))
            continue
        if (dim := _lookup(DIMENSIONS, label)) is not None:
            dims.append((j, dim))
        elif (key := _lookup(METADATA, label)) is not None:
            metas.append((j, key))
        else:
            cats.append((j, label))
    seen: dict[str, int] = {}
    for j, label in cats:
        if label.lower() in seen:
            raise InputError(f"column label {label!r} appears twice in the header", file=grid.file,
                             row=h + 1, field=cell_ref(h + 1, j))
        seen[label.lower()] = j
    for kind, found in (("dimension", [d for _, d in dims]), ("metadata", [k for _, k in metas])):
        if dup := next((k for k in found if found.count(k) > 1), None):
            raise InputError(f"two {kind} columns for {dup!r}", file=grid.file, row=h + 1)
    if not cats:
        raise InputError("no category columns (ages, origins or sexes) after the dimension columns",
                         file=grid.file, row=h + 1)
    return dims, metas, cats


def _cells(grid: Grid, h: int, dims: list[tuple[int, str]], metas: list[tuple[int, str]],
           cats: list[tuple[int, str]], notes: list[str]) -> tuple[pd.DataFrame, list[str]]:
    """One entry per non-empty category cell, with the row's dimension and metadata labels."""
    records: list[dict[str, Any]] = []
    previous: dict[str, str] = {}
    notes = list(notes)
    for i in range(h + 1, len(grid.rows)):
        row, number = grid.rows[i], i + 1
        values = [(j, label, parse_count(row[j], file=grid.file, row=number,
                                         field=grid.field(number, j, label))) for j, label in cats]
        values = [v for v in values if v[2] is not None]
        if not values:
            first = next((text(c) for c in row if text(c)), "")
            if _key(first.split(":", 1)[0]) in ("note", "notes", "source") and ":" in first:
                notes.append(first)
            continue
        labels: dict[str, str] = {}
        for position, (j, dim) in enumerate(dims):
            label = text(row[j])
            if not label and position < len(dims) - 1 and dim in previous:
                label = previous[dim]  # a label given once for a block of rows (or merged down)
            if not label:
                raise InputError(f"missing {dim} label", file=grid.file, row=number,
                                 field=grid.field(number, j, text(grid.rows[h][j])))
            labels[dim] = previous[dim] = label
        row_meta = {key: _meta_text(row[j]) for j, key in metas}
        for j, label, value in values:
            records.append({"row": number, "col": j, "category": label, "value": value, **labels,
                            **{f"meta_{k}": v for k, v in row_meta.items()}})
    return pd.DataFrame(records), notes


def _meta_text(value: Any) -> str:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()[:10]
    if isinstance(value, float) and value == int(value):
        return str(int(value))
    return text(value)


def _column_dimension(grid: Grid, h: int, dims: list[tuple[int, str]], cats: list[tuple[int, str]],
                      meta: dict[str, tuple[str, int]]) -> str:
    """The dimension of the category columns: the one neither a row dimension nor fixed above."""
    candidates = [d for d in DIMENSIONS if d not in {k for _, k in dims} and d not in meta]
    if not candidates:
        raise InputError("every dimension is a row column or fixed by metadata: the category columns "
                         "have no dimension left", file=grid.file, row=h + 1)
    if len(candidates) == 1:
        return candidates[0]
    labels = [label for _, label in cats if label.lower() not in TOTAL_WORDS]
    parsed: dict[str, int] = {}
    for dim, parse in (("sex", harmonize.sexes), ("age", harmonize.ages)):
        if dim in candidates:
            parsed[dim] = sum(_parses(parse, label, h + 1, grid.file) for label in labels)
    best = max(parsed, key=lambda d: parsed[d], default=None)
    if best is not None and parsed[best] > 0:
        return best  # most labels read as ages (or sexes): a bad label is then reported as such
    return "origin" if "origin" in candidates else candidates[0]


def _parses(parse: Any, label: str, row: int, file: str) -> bool:
    try:
        parse(pd.Series([label]), pd.Series([row]), file=file)
    except InputError:
        return False
    return True


def _headers_with_concept(cells: pd.DataFrame, dims: list[tuple[int, str]], cats: list[tuple[int, str]],
                          meta: dict[str, tuple[str, int]]) -> list[tuple[int, str]] | None:
    """Category headers that name a sex and a concept ("Male foreign-born", "Foreign citizens,
    females"): the columns are then sexes, and each column's concept fills its cells' concept where the
    row gives none (a "Total" column takes the one concept of the others). Returns the category columns
    with their sex labels, or None when no header names a concept or the sexes are rows."""
    parts = {j: sex_and_concept(label) for j, label in cats}
    if not any(parts.values()):
        return None
    plain = [label for j, label in cats if parts[j] is None]
    if any(_key(label) not in TOTAL_WORDS for label in plain):
        return None  # e.g. origins beside a "Foreign-born" total column: ordinary categories
    if "sex" in {d for _, d in dims} or "sex" in meta:
        return None  # sexes are the rows (or fixed): "Total foreign-born" is then an ordinary total
    concepts = {p[1] for p in parts.values() if p}
    only = next(iter(concepts)) if len(concepts) == 1 else ""  # "" → the Concept line above
    column_concept = cells["col"].map({j: p[1] if p else only for j, p in parts.items()})
    if "meta_concept" in cells:  # a concept column's value wins, as over a line above
        cells["meta_concept"] = cells["meta_concept"].where(cells["meta_concept"] != "", column_concept)
    else:
        cells["meta_concept"] = column_concept
    return [(j, p[0] if p else label) for (j, label), p in zip(cats, parts.values())]


def _resolve(grid: Grid, h: int, cells: pd.DataFrame, dims: list[tuple[int, str]],
             metas: list[tuple[int, str]], cats: list[tuple[int, str]], meta: dict[str, tuple[str, int]],
             notes: list[str], titles: list[str]) -> pd.DataFrame:
    file, header_row = grid.file, h + 1
    n = len(cells)
    header_labels = dict(cats)
    split = _headers_with_concept(cells, dims, cats, meta)
    if split is not None:
        column_dim, cats = "sex", split
        cells["category"] = cells["col"].map(dict(split))
    else:
        column_dim = _column_dimension(grid, h, dims, cats, meta)
    cells[column_dim] = cells["category"]
    label_rows: dict[str, pd.Series] = {}
    _check_required(grid, h, cells, meta, titles)

    def given(key: str, default: str | None = None) -> pd.Series:
        """Per-cell label of a metadata key: its column where filled, else the line above."""
        above, above_row = meta.get(key, (default, header_row))
        values = cells[f"meta_{key}"] if f"meta_{key}" in cells else pd.Series([""] * n, index=cells.index)
        missing = values == ""
        label_rows[key] = cells["row"].where(~missing, above_row)
        return values.where(~missing, above or "")

    labels = {key: given(key) for key in REQUIRED}
    rows = cells["row"]
    out = pd.DataFrame({"row": rows.to_numpy()})
    days = harmonize.dates(labels["reference_date"], label_rows["reference_date"], file=file)
    out["reference_date"] = days["date"].to_numpy()
    out["date_precision"] = days["precision"].to_numpy()
    on = out["reference_date"].set_axis(cells.index)
    out["country_code"] = harmonize.countries(labels["country"], on, label_rows["country"], file=file,
                                              field="country").to_numpy()
    out["source_type"] = harmonize.source_types(labels["source_type"], label_rows["source_type"],
                                                file=file).to_numpy()
    out["universe"] = harmonize.universes(labels["concept"], label_rows["concept"], file=file).to_numpy()
    out["source_title"] = given("source_title", titles[0] if titles else "").to_numpy()
    out["citation"] = given("citation", "").to_numpy()
    unit = given("unit", "persons").str.lower()
    bad_unit = ~unit.isin(list(UNITS))
    if bad_unit.any():
        raise InputError(f"unknown unit {unit[bad_unit].iloc[0]!r}: use persons or thousands", file=file,
                         row=int(label_rows["unit"][bad_unit].iloc[0]), field="unit")
    dimension_labels: dict[str, pd.Series] = {}
    for dim in DIMENSIONS:
        if dim in cells:
            dimension_labels[dim] = cells[dim]
        else:
            fixed, fixed_row = meta.get(dim, ("total", header_row))
            dimension_labels[dim] = pd.Series([fixed] * n, index=cells.index)
            label_rows[dim] = pd.Series([fixed_row] * n, index=cells.index)
    _check_column_labels(grid, h, cats, column_dim, out["reference_date"].iloc[0])
    where = {dim: (rows if dim in cells else label_rows[dim]) for dim in DIMENSIONS}
    where[column_dim] = pd.Series([header_row] * n, index=cells.index)
    out["sex"] = harmonize.sexes(dimension_labels["sex"], where["sex"], file=file).to_numpy()
    ages = harmonize.ages(dimension_labels["age"], where["age"], file=file)
    out["origin_code"] = harmonize.origins(dimension_labels["origin"], on, where["origin"],
                                           file=file).to_numpy()
    out["age_lo"] = ages["age_lo"].to_numpy()
    out["age_hi"] = ages["age_hi"].array
    out["value"] = (cells["value"] * unit.map(UNITS)).astype("float64").to_numpy()
    for dim in DIMENSIONS:
        given_label = dim in cells or dim in meta
        out[f"{dim}_label"] = dimension_labels[dim].to_numpy() if given_label else ""
    if split is not None:  # the file's own header ("Male foreign-born") is the sex label kept
        out["sex_label"] = cells["col"].map(header_labels).to_numpy()
    table_note = " ".join(notes)
    row_note = cells["meta_note"] if "meta_note" in cells else pd.Series([""] * n, index=cells.index)
    out["note"] = [" ".join(p for p in (table_note, r) if p) for r in row_note]
    return out[list(COLUMNS)]


def _check_required(grid: Grid, h: int, cells: pd.DataFrame, meta: dict[str, tuple[str, int]],
                    titles: list[str]) -> None:
    """Every required metadata key given (by a line above or a column filled on every row); all the
    missing ones are reported at once, with example lines for this file."""
    missing: list[str] = []
    rows: list[int] = []
    for key in REQUIRED:
        if key in meta:
            continue
        column = cells.get(f"meta_{key}")
        if column is None:
            missing.append(key)
            rows.append(h + 1)
        elif (column == "").any():
            missing.append(key)
            rows.append(int(cells["row"][column == ""].iloc[0]))
    if not missing:
        return
    names = ", ".join(k.replace("_", " ") for k in missing)
    block = " | ".join(example_lines(missing, grid.file, titles))
    raise InputError(f"missing metadata: {names}. Add these lines above the header row (or columns of the "
                     f"same names), for example: {block}", file=grid.file, row=min(rows),
                     field=", ".join(missing))


def _check_column_labels(grid: Grid, h: int, cats: list[tuple[int, str]], dim: str, day: dt.date) -> None:
    """Each category label parses as its dimension; an error names the header cell."""
    for j, label in cats:
        one, where = pd.Series([label]), pd.Series([h + 1])
        try:
            if dim == "sex":
                harmonize.sexes(one, where, file=grid.file)
            elif dim == "age":
                harmonize.ages(one, where, file=grid.file)
            else:
                harmonize.origins(one, pd.Series([day]), where, file=grid.file)
        except InputError as exc:
            raise InputError(exc.problem, file=grid.file, row=h + 1,
                             field=grid.field(h + 1, j, label)) from None
