"""``gmrd graduate FILE.csv --method …``: split grouped counts into single years (or 5-year groups)."""

from __future__ import annotations

import csv
import math
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from gmrd.commands.common import console, err_console, print_json, reporting_errors
from gmrd.errors import InputError

if TYPE_CHECKING:
    from gmrd.estimate.ages import GraduationResult

COLUMNS = ("age_start", "age_width", "value")


class MethodName(str, Enum):
    sprague = "sprague"
    beers = "beers"
    beers_mod = "beers_mod"
    grabill = "grabill"
    mono = "mono"
    pclm = "pclm"
    uniform = "uniform"


class Target(str, Enum):
    single = "single"
    five = "5"


def read_groups(path: Path) -> tuple[list[float], list[int], list[float | None]]:
    """Read ``age_start, age_width, value`` rows; an empty width marks the open last group.

    Row numbers in errors are file lines (the header is line 1).
    """
    name = str(path)
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            rows = list(csv.reader(handle))
    except OSError as exc:
        raise InputError(f"cannot read the file ({exc.strerror})", file=name) from None
    except UnicodeDecodeError:
        raise InputError("not a UTF-8 text file", file=name) from None
    if not rows:
        raise InputError("the file is empty (expected a header age_start,age_width,value)", file=name)
    header = [h.strip().lower() for h in rows[0]]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise InputError(f"missing column(s) {', '.join(missing)} (header must name "
                         f"{', '.join(COLUMNS)})", file=name, row=1)
    index = {c: header.index(c) for c in COLUMNS}
    values: list[float] = []
    starts: list[int] = []
    widths: list[float | None] = []
    data = [(line, row) for line, row in enumerate(rows[1:], start=2) if any(cell.strip() for cell in row)]
    if not data:
        raise InputError("no data rows", file=name)
    for k, (line, row) in enumerate(data):
        def cell(column: str, row: list[str] = row) -> str:
            return row[index[column]].strip() if index[column] < len(row) else ""

        def number(column: str, line: int = line) -> float:
            text = cell(column)
            try:
                out = float(text)
            except ValueError:
                raise InputError(f"{text!r} is not a number" if text else "is empty",
                                 file=name, row=line, field=column) from None
            if not math.isfinite(out):
                raise InputError(f"{text!r} is not a finite number", file=name, row=line, field=column)
            return out

        start = number("age_start")
        if start < 0 or start != int(start):
            raise InputError(f"{cell('age_start')!r} is not a whole non-negative age",
                             file=name, row=line, field="age_start")
        width: float | None = None
        if cell("age_width"):
            width = number("age_width")
            if width <= 0 or width != int(width):
                raise InputError(f"{cell('age_width')!r} is not a positive whole number of years",
                                 file=name, row=line, field="age_width")
        elif k != len(data) - 1:
            raise InputError("is empty, but only the last (open) age group may have no width",
                             file=name, row=line, field="age_width")
        value = number("value")
        if value < 0:
            raise InputError(f"{cell('value')!r} is negative", file=name, row=line, field="value")
        if starts and widths[-1] is not None and start != starts[-1] + widths[-1]:
            expected = int(starts[-1] + (widths[-1] or 0))
            raise InputError(f"{int(start)} should be {expected}: groups must be sorted and contiguous",
                             file=name, row=line, field="age_start")
        starts.append(int(start))
        widths.append(width)
        values.append(value)
    return values, starts, widths


def _label(start: int, width: float) -> str:
    if math.isnan(width):
        return f"{start}+"
    return str(start) if width == 1 else f"{start}-{start + int(width) - 1}"


def _table(result: GraduationResult, source: str) -> Table:
    table = Table(title=f"{result.method} · {source}", title_justify="left")
    table.add_column("age")
    table.add_column("value", justify="right")
    for start, width, value in zip(result.age_starts, result.age_widths, result.values):
        table.add_row(_label(int(start), float(width)), f"{value:,.1f}")
    table.add_row("total", f"{result.values.sum():,.1f}", style="bold")
    return table


def graduate(
    file: Annotated[Path, typer.Argument(help="CSV with columns age_start, age_width (empty = open), value.")],
    method: Annotated[MethodName, typer.Option("--method", help="Graduation method.")],
    to: Annotated[Target, typer.Option("--to", help="Output single years or 5-year groups.")] = Target.single,
    open_width: Annotated[int | None, typer.Option(
        "--open-width", help="Close the open last group at this width and split it too (default: keep it).",
    )] = None,
    json: Annotated[bool, typer.Option("--json", help="Print one JSON document on stdout.")] = False,
) -> None:
    """Split grouped counts into single years of age (or 5-year groups) by Sprague, Beers, Grabill, a
    monotone spline, PCLM or a uniform split. Sprague, Beers and Grabill need 5-year groups; mono, pclm and uniform
    take any widths."""
    from gmrd.estimate.ages import graduate as graduate_counts
    from gmrd.estimate.ages import to_five_year

    with reporting_errors():
        values, starts, widths = read_groups(file)
        try:
            result = graduate_counts(values, starts, widths, method.value, open_width=open_width)
        except InputError as exc:
            raise exc.located(file=str(file)) from None
        if to is Target.five:
            result = to_five_year(result)
        if json:
            print_json({"method": method.value, "results": result.rows()})
            return
        if result.values.min() < 0:
            err_console.print(f"warning: {method.value} gave negative counts; consider mono or pclm")
        console.print(_table(result, file.name))
