"""``gmrd aliases add|import|list``: country labels users map to codes, used by every import.

The database and reader modules are imported inside the commands, so that ``gmrd --help`` does not
load them.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from gmrd.commands.common import JsonOption, console, err_console, print_json, reporting_errors
from gmrd.errors import InputError

if TYPE_CHECKING:
    from gmrd.db.aliases import AddResult



def _say(message: str) -> None:
    err_console.print(message, markup=False, highlight=False, soft_wrap=True)


def _day(text: str | None, option: str) -> dt.date | None:
    from gmrd.ingest.written_dates import parse_date

    if text is None:
        return None
    try:
        day, precision = parse_date(text)
    except InputError as exc:
        raise exc.located(field=option) from None
    if precision != "day":
        raise InputError(f"{text!r} needs a day: write YYYY-MM-DD", field=option)
    return day


def _report(result: AddResult, shown: int = 5) -> None:
    new = sorted(result.new_areas.items())
    if not new:
        return
    listed = ", ".join(f"{code} {label!r}" for code, label in new[:shown])
    more = f" and {len(new) - shown:,} more (gmrd aliases list)" if len(new) > shown else ""
    _say(f"{len(new):,} new code(s) outside the countries table, accepted for origins and named by their label: "
         f"{listed}{more}")


def aliases_add(
    label: Annotated[str, typer.Argument(help="The country name as files write it.")],
    code: Annotated[int, typer.Argument(help="The M49 code it stands for (or an internal grouping code).")],
    valid_from: Annotated[str | None, typer.Option("--valid-from", help="First reference date it applies "
                                                                        "to (YYYY-MM-DD).")] = None,
    valid_to: Annotated[str | None, typer.Option("--valid-to", help="Last reference date it applies to "
                                                                    "(YYYY-MM-DD).")] = None,
    reason: Annotated[str, typer.Option("--reason", help="Why (kept in the audit trail).")] = "",
    json: JsonOption = False,
) -> None:
    """Add a country alias: every later import reads LABEL as CODE (first, before the built-in names)."""
    from gmrd.db import aliases as store
    from gmrd.db import schema
    from gmrd.db.engine import get_engine
    from gmrd.reference.user_aliases import UserAlias
    from gmrd.verify.review import current_actor

    with reporting_errors():
        alias = UserAlias(label, code, _day(valid_from, "--valid-from"), _day(valid_to, "--valid-to"))
        schema.upgrade()
        with get_engine().begin() as conn:
            result = store.add_many(conn, [(None, alias)], reason=reason, actor=current_actor())
            name = store.area_name(code, store.area_names(conn))
    _report(result)
    if json:
        print_json(result.as_dict())
        return
    said = "added" if result.added else "already present:"
    _say(f"{said} alias {label!r} → {code} ({name})")


def aliases_import(
    file: Annotated[Path, typer.Argument(help="CSV with label,code[,valid_from,valid_to] (or the UN's "
                                              "LongName,LocID).")],
    reason: Annotated[str | None, typer.Option("--reason", help="Why (default: imported from FILE).")] = None,
    json: JsonOption = False,
) -> None:
    """Add every alias of a CSV file in one transaction: all of them, or none (errors name row and field)."""
    from gmrd.db import aliases as store
    from gmrd.db import schema
    from gmrd.db.engine import get_engine
    from gmrd.ingest.alias_file import read_aliases
    from gmrd.verify.review import current_actor

    with reporting_errors():
        rows = read_aliases(file)
        schema.upgrade()
        with get_engine().begin() as conn:
            result = store.add_many(conn, rows, reason=reason or f"imported from {file.name}",
                                    actor=current_actor(), file=file.name)
    _report(result)
    if json:
        print_json(result.as_dict())
        return
    _say(f"{file.name}: {result.added:,} aliases added, {result.unchanged:,} already present")


def aliases_list(json: JsonOption = False) -> None:
    """List the users' aliases with their codes, dates, reasons and authors."""
    from rich.table import Table

    from gmrd.db import aliases as store
    from gmrd.db import schema
    from gmrd.db.engine import get_engine

    with reporting_errors():
        schema.upgrade()
        with get_engine().connect() as conn:
            rows = store.listing(conn)
    if json:
        print_json({"aliases": rows})
        return
    table = Table("id", "label", "code", "area", "valid from", "valid to", "by", "reason",
                  title=f"Country aliases ({len(rows):,})")
    for r in rows:
        table.add_row(str(r["id"]), str(r["label"]), str(r["code"]), str(r["name"]),
                      str(r["valid_from"] or ""), str(r["valid_to"] or ""), str(r["created_by"]),
                      str(r["reason"]))
    console.print(table)
