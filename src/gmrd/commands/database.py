"""Commands on the tabulation database: init, import, export."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from gmrd.commands.common import JsonOption, console, err_console, print_json, progress_bar, reporting_errors
from gmrd.errors import GmrdError


def init() -> None:
    """Create the database, or upgrade it to the newest schema (Alembic)."""
    from gmrd.db import schema
    from gmrd.db.engine import get_engine

    with reporting_errors():
        revision = schema.upgrade()
        err_console.print(f"database {get_engine().url.render_as_string()} at schema revision {revision}")


def import_(
    files: Annotated[list[Path], typer.Argument(help="Tabulation files: canonical CSV, wide CSV/XLSX, "
                                                     "UN DESA workbooks, UN long format (.csv/.csv.gz).")],
    json: JsonOption = False,
) -> None:
    """Import files, each as one transaction; a file imported before is detected and skipped."""
    from gmrd.db import schema
    from gmrd.ingest.load import import_file

    reports = []
    with reporting_errors():
        schema.upgrade()
        with progress_bar("rows") as progress:
            for path in files:
                task = progress.add_task(f"importing {path.name}", total=None)
                reports.append(import_file(path, on_rows=lambda n, t=task: progress.advance(t, n)))
                progress.remove_task(task)
    if json:
        print_json({"files": [r.as_dict() for r in reports]})
        return
    table = Table("file", "format", "sources", "tabulations", "cells", "note", title="Imported")
    for r in reports:
        table.add_row(r.file, r.format, f"{r.sources:,}", f"{r.tabulations:,}", f"{r.cells:,}",
                      "already imported: skipped" if r.skipped_duplicate else "; ".join(r.warnings))
    console.print(table)


def export(
    what: Annotated[str, typer.Argument(help="estimates or tabulations")],
    format: Annotated[str, typer.Option("--format", help="csv, xlsx (or sdmx-csv for estimates)")] = "csv",
    output: Annotated[Path, typer.Option("-o", "--output", help="File to write.")] = Path("export.csv"),
    revision: Annotated[str | None, typer.Option(help="Estimates revision (default: newest).")] = None,
) -> None:
    """Export tabulations (codes beside the original labels) or estimates."""
    from gmrd.db.engine import get_engine

    with reporting_errors():
        with get_engine().connect() as conn:
            if what == "tabulations":
                from gmrd.export.tabulations import export_tabulations

                n = export_tabulations(conn, output, format)
            elif what == "estimates":
                from gmrd.export.estimates import export_estimates

                n = export_estimates(conn, output, format, revision)
            else:
                raise GmrdError(f"unknown export {what!r}: use tabulations or estimates")
        err_console.print(f"wrote {n:,} rows to {output}")


def backup(file: Annotated[Path, typer.Argument(help="Backup file to write (.zip).")]) -> None:
    """Write the whole database (either back-end) to FILE, with a checksum per table."""
    from gmrd.db.backup import backup as run_backup

    with reporting_errors():
        manifest = run_backup(file)
        rows = sum(t["rows"] for t in manifest["tables"].values())  # type: ignore[union-attr]
        err_console.print(f"backed up {rows:,} rows in {len(manifest['tables'])} tables to {file}")  # type: ignore[arg-type]


def restore(file: Annotated[Path, typer.Argument(help="Backup file made by gmrd backup.")]) -> None:
    """Replace the whole database with FILE's contents after checking its checksums."""
    from gmrd.db.backup import restore as run_restore

    with reporting_errors():
        manifest = run_restore(file)
        err_console.print(f"restored {file} (made {manifest['created_at']}, schema {manifest['schema_revision']})")
