"""Commands for verification and curator review: ``gmrd verify`` and ``gmrd review``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from gmrd.commands.common import JsonOption, console, err_console, print_json, progress_bar, reporting_errors
from gmrd.errors import InputError

TOP_SOURCES = 20


def verify(
    source: Annotated[list[int] | None, typer.Option("--source", help="Check only this source id "
                                                                     "(repeatable).")] = None,
    html: Annotated[Path | None, typer.Option("--html", help="Also write the HTML report here.")] = None,
    json: JsonOption = False,
) -> None:
    """Run every check over all (or --source) sources and store the findings."""
    from gmrd.db import schema
    from gmrd.db.engine import get_engine
    from gmrd.verify import report, store
    from gmrd.verify.run import verify as run_verify

    with reporting_errors():
        schema.upgrade()
        with progress_bar("cells") as progress:
            task = progress.add_task("verifying", total=None)
            result = run_verify(source_ids=source or None, on_chunk=lambda n: progress.advance(task, n))
        with get_engine().connect() as conn:
            stored = report.from_stored(store.open_findings(conn, source or None))
            sources = store.load_sources(conn, source or None)
        if html is not None:
            html.write_text(report.render_html(stored, sources, result.points), encoding="utf-8")
            err_console.print(f"wrote the HTML report to {html}")
    err_console.print(f"checked {result.sources:,} sources ({result.cells:,} cells) in "
                      f"{sum(result.seconds.values()):.1f} s")
    if json:
        print_json(report.findings_document(stored))
        return
    _print_tables(stored)


def _print_tables(findings) -> None:  # type: ignore[no-untyped-def]
    from gmrd.verify import report

    table = Table("check", "severity", "findings", "sources", title="Open findings by check")
    for r in report.counts_by_check(findings).itertuples():
        style = {"error": "bold red", "warning": "yellow"}.get(r.severity, "dim")
        table.add_row(r.check, f"[{style}]{r.severity}[/]", f"{r.findings:,}", f"{r.sources:,}")
    console.print(table)
    by_source = report.counts_by_source(findings)
    if len(by_source):
        t2 = Table("source", "title", "errors", "warnings", "info",
                   title=f"Sources with most findings (top {TOP_SOURCES} of {len(by_source):,})")
        for r in by_source.head(TOP_SOURCES).itertuples():
            t2.add_row(str(r.source_id), str(r.source_title), str(r.error), str(r.warning), str(r.info))
        console.print(t2)


def review(
    target: Annotated[str, typer.Argument(help="A source id, 'accept-clean', or 'dismiss'.")],
    action: Annotated[str | None, typer.Argument(help="accept, reject or refugees (with a source id); "
                                                      "the finding id (with dismiss).")] = None,
    value: Annotated[str | None, typer.Argument(help="counted, not-counted or rule (after "
                                                     "SOURCE_ID refugees).")] = None,
    reason: Annotated[str, typer.Option("--reason", help="Why (required, kept in the audit trail).")] = "",
    override: Annotated[bool, typer.Option("--override", help="Accept despite open errors or a "
                                                               "missing verification.")] = False,
    include_conflicts: Annotated[bool, typer.Option(
        "--include-conflicts", help="accept-clean: also accept sources in a conflict (cross_source.conflict) "
                                    "with another pending source; by default they are left for a curator.")
    ] = False,
    json: JsonOption = False,
) -> None:
    """Curate: SOURCE_ID accept|reject --reason TEXT; accept-clean --reason TEXT [--include-conflicts];
    dismiss FINDING_ID --reason TEXT; SOURCE_ID refugees counted|not-counted|rule --reason TEXT (override
    of the refugee rule). The reviewer is GMRD_USER, else the operating-system user."""
    from gmrd.db import schema
    from gmrd.verify import review as reviewing

    with reporting_errors():
        schema.upgrade()
        if target == "accept-clean":
            if action is not None:
                raise InputError("accept-clean takes no further argument", field="action")
            done = reviewing.accept_clean(reason, include_conflicts=include_conflicts)
            doc: dict[str, object] = done.as_dict()
            message = f"accepted {len(done.accepted):,} pending source(s) without open errors"
            if done.left_for_conflicts:
                message += (f"; left {len(done.left_for_conflicts):,} pending: each conflicts with another "
                            "pending publication of the same data (cross_source.conflict): accept or reject "
                            "one of each pair, or rerun with --include-conflicts")
            elif include_conflicts:
                message += ", conflicting pairs included"
        elif target == "dismiss":
            doc = reviewing.dismiss_finding(_integer(action, "FINDING_ID"), reason)
            message = f"dismissed finding {doc['finding_id']} ({doc['check']}, source {doc['source_id']})"
        elif action == "refugees":
            doc = reviewing.set_counts_refugees(_integer(target, "SOURCE_ID"), str(value), reason)
            message = f"source {doc['source_id']}: counts refugees {doc['before']} → {doc['counts_refugees']}"
        else:
            if action not in ("accept", "reject"):
                raise InputError("give accept, reject or refugees after the source id", field="action")
            result = reviewing.review_source(_integer(target, "SOURCE_ID"), action, reason,
                                             override=override)
            doc = result.as_dict()
            message = f"source {result.source_id}: {result.before} → {result.after}"
            if result.override:
                message += f" (override: {result.open_errors} open error(s))"
    if json:
        print_json(doc)
    else:
        err_console.print(message)


def _integer(text: str | None, field: str) -> int:
    try:
        return int(str(text))
    except ValueError:
        raise InputError(f"expected a number, got {text!r}", field=field) from None
