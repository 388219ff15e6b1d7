"""``gmrd demo``: build the demo database from census-like tables and run the whole pipeline."""

from __future__ import annotations

import secrets
import shutil
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from gmrd.commands.common import console, err_console, reporting_errors
from gmrd.config import DEFAULT_DB_FILE, settings
from gmrd.errors import GmrdError

DEMO_FILES = Path("var") / "demo-files"
DEMO_USERS = (("admin", "admin"), ("curator", "curator"), ("partner", "partner"))


def _fresh_database() -> None:
    """The default SQLite file is rebuilt; any other database must be empty."""
    from gmrd.db import queries, schema
    from gmrd.db.engine import engine_for, get_engine

    url = settings().database_url
    if url == f"sqlite:///{DEFAULT_DB_FILE}":
        engine_for(url).dispose()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{DEFAULT_DB_FILE}{suffix}").unlink(missing_ok=True)
    schema.upgrade()
    with get_engine().connect() as conn:
        if queries.counts(conn)["files"]:
            raise GmrdError(f"the demo needs an empty database, and {get_engine().url.render_as_string()} "
                            "holds data: unset GMRD_DATABASE_URL or point it at an empty database")


def build_demo(seed: int = 2020) -> dict[str, object]:
    """Generate the demo tables, import, verify, accept the clean sources, estimate, create users."""
    import sqlalchemy as sa

    from gmrd.db import queries
    from gmrd.db.engine import get_engine
    from gmrd.demo.generate import generate_demo_files
    from gmrd.estimate.pipeline import Params
    from gmrd.estimate.run import run_estimate
    from gmrd.ingest.load import import_file
    from gmrd.verify.review import accept_clean
    from gmrd.verify.run import verify
    from gmrd.web import auth

    _fresh_database()
    shutil.rmtree(DEMO_FILES, ignore_errors=True)
    manifest = generate_demo_files(DEMO_FILES, seed)
    err_console.print(f"generated {len(manifest.files)} census-like tables in {DEMO_FILES}/")
    for name in manifest.files:
        import_file(DEMO_FILES / name, actor="demo")
    found = verify()
    accepted = accept_clean("demo: accepted automatically, no open errors", actor="demo")
    report = run_estimate(Params(years=tuple(range(1990, 2021, 5))), "demo")
    passwords = {}
    with get_engine().begin() as conn:
        for name, role in DEMO_USERS:
            passwords[name] = secrets.token_urlsafe(9)
            auth.create_user(conn, name, role, passwords[name], actor="demo")
        counts = queries.counts(conn)
        findings = conn.scalar(sa.text("select count(*) from findings")) or 0
    return {"counts": counts, "findings": findings, "accepted": len(accepted.accepted), "revision": report.revision,
            "estimates": report.rows, "passwords": passwords, "injected_errors": len(manifest.errors),
            "verify": found}


def demo(
    serve: Annotated[bool, typer.Option("--serve/--no-serve", help="Serve the site when built.")] = True,
    host: Annotated[str, typer.Option(help="Address to serve on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to serve on.")] = 8000,
    seed: Annotated[int, typer.Option(help="Seed of the demo table generator.")] = 2020,
) -> None:
    """Build the demo database (generated census tables → import → verify → review → estimate) and serve it."""
    with reporting_errors():
        summary = build_demo(seed)
    counts = summary["counts"]
    table = Table("step", "result", title="gmrd demo")
    table.add_row("import", f"{counts['files']} files, {counts['sources']} sources, {counts['cells']:,} cells")  # type: ignore[index]
    table.add_row("verify", f"{summary['findings']} findings ({summary['injected_errors']} errors were injected)")
    table.add_row("review", f"{summary['accepted']} clean sources accepted")
    table.add_row("estimate", f"revision {summary['revision']}: {summary['estimates']:,} estimates")
    console.print(table)
    logins = Table("user", "role", "password", title="Demo logins (this build only)")
    for name, role in DEMO_USERS:
        logins.add_row(name, role, summary["passwords"][name])  # type: ignore[index]
    console.print(logins)
    if serve:
        from gmrd.commands.web import serve as run_server

        console.print(f"open http://{host}:{port}/ and log in as one of the users above (Ctrl-C stops)")
        run_server(host=host, port=port, workers=1)
