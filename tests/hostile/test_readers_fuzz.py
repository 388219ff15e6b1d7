"""Property tests: every reader, given any file, yields canonical records or raises a GmrdError.

Inputs are arbitrary bytes, and files shaped like each format (a correct header, then cells drawn from
valid labels, hostile strings and random text), written to temporary files under each format's name.
The guards (limits.check_input), detection and every reader's detect and read are run on each.
"""

from __future__ import annotations

import gzip
import io
import tempfile
from pathlib import Path

import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gmrd.errors import GmrdError
from gmrd.ingest import canonical_csv, limits, un_long, un_workbook, wide
from gmrd.ingest.detect import READERS, detect_reader
from gmrd.ingest.records import COLUMNS

FUZZ = settings(max_examples=60, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
ALL_READERS = {r.name: r for r in (*READERS, canonical_csv, un_long, un_workbook, wide)}

HOSTILE = ["=cmd|' /C calc'!A0", "'; DROP TABLE cells;--", '"quoted, comma"', "\\N", "NULL", "NaN", "-1", "1e999",
           "..", "x", "-", "~", "", " ", "\t", "\u00a0", "\ufeff", "Ã©", "٣", "²", "0\x1f", "1,000,000", "1.5",
           "9" * 400, "\r", "\n"]
VALID = ["Ecuador", "ECU", "218", "Colombia", "total", "other", "unknown", "male", "female", "both", "0-4", "75+",
         "Under 5", "census", "register", "foreign_born", "foreign_citizens", "2010-11-28", "2010", "1520"]
cell = st.one_of(st.sampled_from(HOSTILE), st.sampled_from(VALID), st.text(max_size=12))
number = st.one_of(st.integers(-5, 10**6).map(str), st.sampled_from(["", "NaN", "1e400", "-0", "2010.5", "x", "1.5"]),
                   st.text(max_size=5))


def _csv(rows: list[list[str]], delimiter: str = ",") -> str:
    buffer = io.StringIO()
    import csv

    csv.writer(buffer, delimiter=delimiter, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def _exercise(path: Path) -> None:
    """The import path without the database: guards, detection, then the reader; and every reader alone."""
    try:
        limits.check_input(path)
        reader = detect_reader(path)
        frames = list(reader.read(path))
        for frame in frames:
            assert list(frame.columns[: len(COLUMNS)]) == list(COLUMNS) or set(COLUMNS) <= set(frame.columns)
    except GmrdError as exc:
        assert str(exc)
    head = path.read_bytes()[:65536]
    for reader in ALL_READERS.values():
        try:
            if reader.detect(path, head):
                list(reader.read(path))
        except GmrdError as exc:
            assert str(exc)


def _run(name: str, content: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(content)
        _exercise(path)


@FUZZ
@given(st.binary(max_size=2048), st.sampled_from(["t.csv", "t.csv.gz", "t.xlsx", "t.txt"]))
def test_arbitrary_bytes(content, name):
    _run(name, content)


@FUZZ
@given(st.binary(max_size=512))
def test_arbitrary_gzip_and_zip_content(content):
    _run("t.csv.gz", gzip.compress(content))
    buffer = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("xl/workbook.xml", content)
        zf.writestr("xl/worksheets/sheet1.xml", content)
    _run("t.xlsx", buffer.getvalue())


def _mostly(*valid: str) -> st.SearchStrategy[str]:
    """A valid value three times in four, so that rows get past the first columns to the later ones."""
    return st.one_of(st.sampled_from(valid), st.sampled_from(valid), st.sampled_from(valid), cell)


CANONICAL_CELLS = {
    "country": _mostly("Ecuador", "ECU", "218", "Sudan", "USSR"),
    "reference_date": _mostly("2010-11-28", "2010", "1989-01-12"),
    "source_type": _mostly("census", "register", "survey"),
    "concept": _mostly("foreign_born", "foreign_citizens", "Foreign-born"),
    "sex": _mostly("both", "male", "female", "M", "F"),
    "age": _mostly("total", "0-4", "75+", "Under 5", "unknown"),
    "origin": _mostly("total", "Colombia", "other", "unknown", "Yugoslavia"),
    "value": _mostly("1520", "0", "1 520", "12.5"),
    "source_title": cell, "citation": cell, "note": cell,
}


@FUZZ
@given(st.lists(st.fixed_dictionaries(CANONICAL_CELLS), min_size=1, max_size=6),
       st.sampled_from([",", ";", "\t"]), st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]))
def test_canonical_csv_shaped(rows, delimiter, encoding):
    header = [*canonical_csv.REQUIRED, *canonical_csv.OPTIONAL]
    text = _csv([header, *([row[c] for c in header] for row in rows)], delimiter)
    _run("t.csv", text.encode(encoding, errors="replace"))


@FUZZ
@given(st.lists(st.lists(number, min_size=9, max_size=9), min_size=1, max_size=8), st.booleans())
def test_un_long_shaped(rows, compress):
    text = _csv([list(un_long.COLUMNS), *rows]).encode()
    _run("t.csv.gz" if compress else "t.csv", gzip.compress(text) if compress else text)


@FUZZ
@given(st.lists(st.tuples(st.sampled_from(["Country", "Reference date", "Source type", "Concept", "Title", "Unit",
                                           "Sex", "Note"]), cell), max_size=6),
       st.sampled_from(["Sex", "Age", "Country of birth"]), st.lists(cell, min_size=1, max_size=5),
       st.lists(st.lists(cell, min_size=1, max_size=6), min_size=1, max_size=5))
def test_wide_csv_shaped(metadata, dimension, categories, rows):
    lines = [[f"{k}: {v}"] for k, v in metadata] + [[dimension, *categories], *rows]
    _run("t.csv", _csv(lines).encode())


@settings(max_examples=15, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(["Country:", "Reference date:", "Concept:", "Sex:"]), cell), max_size=4),
       st.sampled_from(["Sex", "Age", "Country of birth"]),
       st.lists(st.one_of(cell, st.integers(-10, 10**9), st.floats(allow_nan=True)), min_size=1, max_size=5),
       st.lists(st.lists(st.one_of(cell, st.integers(-10, 10**9), st.floats(allow_nan=True), st.none()),
                         min_size=1, max_size=6), min_size=1, max_size=4),
       st.sampled_from(["Sheet1", "Table 1"]))
def test_xlsx_shaped(metadata, dimension, categories, rows, sheet):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    for key, value in metadata:
        ws.append([key, _xlsx_safe(value)])
    ws.append([dimension, *(_xlsx_safe(v) for v in categories)])
    for row in rows:
        ws.append([_xlsx_safe(v) for v in row])
    buffer = io.BytesIO()
    wb.save(buffer)
    _run("t.xlsx", buffer.getvalue())


def _xlsx_safe(value: object) -> object:
    """openpyxl refuses control characters in cells; such a workbook cannot exist, so drop them."""
    if isinstance(value, str):
        return "".join(ch for ch in value if ch >= " " or ch in "\t\n\r")
    return value


def test_digit_like_labels_are_input_errors(tmp_path):
    # found by fuzzing: "²" passes str.isdigit() but not int(); it crashed `gmrd import` with a ValueError
    import pytest

    from gmrd.errors import InputError

    header = "country,reference_date,source_type,concept,sex,age,origin,value\n"
    for field, row in (("origin", "Ecuador,2010-11-28,census,foreign_born,both,total,²,5\n"),
                       ("concept", "Ecuador,2010-11-28,census,²,both,total,total,5\n"),
                       ("country", "9" * 400 + ",2010-11-28,census,foreign_born,both,total,total,5\n")):
        path = tmp_path / f"{field}.csv"
        path.write_text(header + row, encoding="utf-8")
        with pytest.raises(InputError) as info:
            list(canonical_csv.read(path))
        assert (info.value.row, info.value.field) == (2, field)


def test_cp1252_byte_at_the_end_of_a_small_file(tmp_path):
    # found by fuzzing: a non-UTF-8 byte in the last 4 bytes was taken for a character cut by the sample's end
    # although the sample was the whole file, and pandas then failed with a UnicodeDecodeError
    header = ",".join([*canonical_csv.REQUIRED, "note"])
    path = tmp_path / "cp1252.csv"
    path.write_bytes(f"{header}\nEcuador,2010-11-28,census,foreign_born,both,total,total,5,caf\xe9\n".encode("cp1252"))
    (frame,) = canonical_csv.read(path)
    assert frame["note"].tolist() == ["café"]


def test_mixed_encodings_are_an_input_error(tmp_path):
    import pytest

    from gmrd.errors import InputError

    header = ",".join([*canonical_csv.REQUIRED, "note"])
    row = "Ecuador,2010-11-28,census,foreign_born,both,total,total,5,ñandú\n"
    path = tmp_path / "mixed.csv"
    path.write_bytes(f"{header}\n".encode() + row.encode() * 20_000 + row.encode("cp1252"))
    with pytest.raises(InputError, match="mixed text encodings"):
        list(canonical_csv.read(path))
