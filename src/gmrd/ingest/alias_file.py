"""A CSV of country aliases for ``gmrd aliases import``.

Columns (header required, case ignored): ``label``, ``code``, optional ``valid_from`` and ``valid_to``
(dates as in tabulations: 2010-09-26, 26 September 2010). The UN Population Division's own name list
(rftLocation.csv) is read as it is: ``LongName`` is the label and ``LocID`` the code. Codes may be
written as floats (``218.0``). Errors name the row and the field.
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import pandas as pd

from gmrd.errors import InputError
from gmrd.ingest.text import read_text_chunks
from gmrd.ingest.written_dates import parse_date
from gmrd.reference.user_aliases import UserAlias

COLUMN_NAMES = {"label": ("label", "longname"), "code": ("code", "locid"),
                "valid_from": ("valid_from",), "valid_to": ("valid_to",)}


def read_aliases(path: Path) -> list[tuple[int, UserAlias]]:
    """(file row, alias) for every row of the file."""
    if not path.is_file():
        raise InputError("no such file", file=str(path))
    frame = pd.concat(list(read_text_chunks(path)), ignore_index=True)
    columns = {c.lower(): c for c in frame.columns}
    found = {k: next((columns[n] for n in names if n in columns), None) for k, names in COLUMN_NAMES.items()}
    for required in ("label", "code"):
        if found[required] is None:
            raise InputError(f"no '{required}' column: the header needs label,code (optional valid_from, "
                             "valid_to), or the UN's LongName,LocID", file=path.name, row=1, field=required)
    out = []
    for record in frame.to_dict("records"):
        row = int(record["row"])
        code = _code(record[found["code"]], path.name, row)
        dates = {k: _date(record[found[k]], path.name, row, k) if found[k] else None
                 for k in ("valid_from", "valid_to")}
        label = str(record[found["label"]])
        out.append((row, UserAlias(label, code, dates["valid_from"], dates["valid_to"])))
    if not out:
        raise InputError("no alias rows", file=path.name)
    return out


def _code(text: str, file: str, row: int) -> int:
    try:
        number = float(text)
    except ValueError:
        raise InputError(f"code {text!r} is not a number", file=file, row=row, field="code") from None
    if not math.isfinite(number) or number != int(number):
        raise InputError(f"code {text!r} is not an integer", file=file, row=row, field="code")
    return int(number)


def _date(text: str, file: str, row: int, field: str) -> dt.date | None:
    if not str(text).strip():
        return None
    try:
        day, precision = parse_date(text)
    except InputError as exc:
        raise exc.located(file=file, row=row, field=field) from None
    if precision != "day":
        raise InputError(f"{field} {text!r} needs a day: write YYYY-MM-DD", file=file, row=row, field=field)
    return day
