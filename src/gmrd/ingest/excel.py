"""Helpers shared by the readers of published spreadsheets and text tables (openpyxl and CSV).

Opening a workbook with clear errors, cell references for messages, merged-cell checks, the
"no value" markers statistical offices print in cells, and text decoding with encoding and delimiter
detection for CSV exports.
"""

from __future__ import annotations

import csv
import math
import re
import warnings
import zipfile
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.workbook.workbook import Workbook

from gmrd.errors import InputError, InputWarning

NOT_AVAILABLE = frozenset({"..", "...", "…", "x", "X", "n/a", "N/A", "na", "NA"})
"""Cell markers meaning "not available / confidential": the cell is absent, not zero."""

ZERO_MARKERS = frozenset({"-", "–", "—", "‒", "―"})
"""Dashes: magnitude zero (or rounds to zero), as in UN and most national tables."""

FEWER_THAN_FIVE = "~"
"""UN DESA: "fewer than 5" — no exact value is published."""

_GROUPED = re.compile(r"^\d{1,3}(?:([.,\u00a0\u202f' ])\d{3})(?:\1\d{3})*$")


def warn(problem: str, *, file: str, row: int | None = None, field: str | None = None) -> None:
    """Emit an :class:`InputWarning` whose text names file, row and field like an InputError."""
    warnings.warn(InputError(problem, file=file, row=row, field=field).args[0], InputWarning, stacklevel=2)


def is_zip(head: bytes) -> bool:
    return head[:4] == b"PK\x03\x04"


def open_workbook(path: Path, *, read_only: bool) -> Workbook:
    """The workbook with cached formula values; a corrupt or non-XLSX file is an InputError.

    openpyxl reports parts it cannot parse (invalid XML, or a DTD that defusedxml refuses) as a
    several-line ValueError naming the server's path: the message is its cause, on one line.
    """
    try:
        return load_workbook(path, read_only=read_only, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, EOFError) as exc:
        raise InputError(f"not a readable XLSX workbook (corrupt or not a zip file): {exc}",
                         file=path.name) from None
    except (ValueError, SyntaxError) as exc:  # xml.etree's ParseError is a SyntaxError
        cause = exc.__cause__ or exc
        detail = " ".join(f"{type(cause).__name__}: {cause}".split())
        raise InputError(f"not a readable XLSX workbook (a part is not valid XML): {detail}",
                         file=path.name) from None


def workbook_text(path: Path, members: tuple[str, ...] = ("xl/workbook.xml", "xl/sharedStrings.xml"),
                  limit: int = 8 << 20) -> str:
    """The XML text of some parts of an XLSX (for cheap detection); "" when it is not a zip."""
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
            return "\n".join(zf.read(m)[:limit].decode("utf-8", errors="replace")
                             for m in members if m in names)
    except (zipfile.BadZipFile, OSError, EOFError):
        return ""


def cell_ref(row: int, col: int) -> str:
    """Spreadsheet reference of a 1-based row and 0-based column index, e.g. (5, 2) -> "C5"."""
    return f"{get_column_letter(col + 1)}{row}"


def padded_rows(rows: Any, width: int | None = None) -> list[list[Any]]:
    """Rows of cell values as equal-length lists (openpyxl read-only rows may be ragged)."""
    out = [list(r) for r in rows]
    n = width or max((len(r) for r in out), default=0)
    return [r + [None] * (n - len(r)) for r in out]


def text(value: Any) -> str:
    """A cell as stripped text ("" for empty), whitespace runs collapsed."""
    if value is None:
        return ""
    return " ".join(str(value).split())


def parse_count(value: Any, *, file: str, row: int, field: str) -> float | None:
    """A published count of persons from a cell: None when absent/not available, 0 for a dash.

    Numbers may carry thousands separators (``1,234``, ``1.234``, ``1 234``, ``1'234``): cells
    are counts of persons, so a group of exactly three digits after a separator is always read
    as thousands. Negative or non-numeric values raise :class:`InputError`.
    """
    if value is None or isinstance(value, bool):
        if isinstance(value, bool):
            raise InputError(f"not a number: {value!r}", file=file, row=row, field=field)
        return None
    if isinstance(value, (int, float)):
        number = float(value)
    else:
        s = text(value)
        if s == "" or s in NOT_AVAILABLE:
            return None
        if s in ZERO_MARKERS:
            return 0.0
        if s == FEWER_THAN_FIVE:
            warn("'~' (fewer than 5) published instead of a value: cell skipped",
                 file=file, row=row, field=field)
            return None
        number = _number(s, file=file, row=row, field=field)
    if not math.isfinite(number):
        raise InputError(f"not a number: {value!r}", file=file, row=row, field=field)
    if number < 0:
        raise InputError(f"negative value {number:g}", file=file, row=row, field=field)
    return number


def _number(s: str, *, file: str, row: int, field: str) -> float:
    body = s[1:] if s[:1] in "+-" else s
    sign = -1.0 if s[:1] == "-" else 1.0
    if _GROUPED.match(body):
        body = re.sub(r"[.,\u00a0\u202f' ]", "", body)
    elif "," in body and "." in body:  # 1,234.5 or 1.234,5: the last separator is the decimal one
        decimal = "," if body.rfind(",") > body.rfind(".") else "."
        body = body.replace("." if decimal == "," else ",", "").replace(",", ".")
    elif body.count(",") == 1:
        body = body.replace(",", ".")  # decimal comma
    try:
        return sign * float(body)
    except ValueError:
        raise InputError(f"not a number: {s!r}", file=file, row=row, field=field) from None


def decode_text(raw: bytes, *, file: str) -> str:
    """Bytes of a text table as str: UTF-16 (BOM), UTF-8 (with or without BOM), else CP1252/Latin-1."""
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise InputError(f"invalid UTF-16 text: {exc}", file=file) from None
    if b"\x00" in raw:
        raise InputError("binary content (NUL bytes): not a text table", file=file)
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1")


def split_rows(content: str) -> tuple[list[list[str]], str]:
    """CSV text as rows of fields, with the delimiter (comma, semicolon or tab) that splits the most
    rows into the same number (at least two) of fields; title lines above the table do not count."""
    lines = content.splitlines()
    best: tuple[int, int, str] = (-1, 0, ",")
    for order, delimiter in enumerate((";", "\t", ",")):
        rows = list(csv.reader(lines, delimiter=delimiter))
        widths = [len(_trim(r)) for r in rows if len(_trim(r)) >= 2]
        if not widths:
            continue
        modal = max(set(widths), key=widths.count)
        score = widths.count(modal)
        if (score, -order) > (best[0], -best[1]):
            best = (score, order, delimiter)
    delimiter = best[2]
    return [[f.strip() for f in r] for r in csv.reader(lines, delimiter=delimiter)], delimiter


def _trim(row: list[str]) -> list[str]:
    end = len(row)
    while end and not row[end - 1].strip():
        end -= 1
    return row[:end]
