"""The estimation command: ``gmrd estimate`` (exports go through ``gmrd export estimates``)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from gmrd.commands.common import JsonOption, console, print_json, progress_bar, reporting_errors


def estimate(
    years: Annotated[str, typer.Option(help="Years START:END:STEP (1 July of each).")] = "1990:2020:5",
    revision: Annotated[str | None, typer.Option(help="Name of the new revision (default: rev-<time>).")
                        ] = None,
    compare: Annotated[tuple[str, str] | None, typer.Option(
        help="Compare two stored revisions OLD NEW instead of estimating.")] = None,
    top: Annotated[int, typer.Option(help="How many changes --compare lists.")] = 20,
    intervals: Annotated[bool, typer.Option(
        help="80 % prediction intervals calibrated on the out-of-sample errors of the accepted data "
             "(--no-intervals: lower and upper left empty).")] = True,
    json: JsonOption = False,
) -> None:
    """Estimate migrant stocks by country, region, sex and age from the accepted sources, or compare
    two revisions (--compare OLD NEW: the largest changes and their cause)."""
    from gmrd.db import schema
    from gmrd.estimate.dates import parse_years
    from gmrd.estimate.pipeline import Params
    from gmrd.estimate.revisions import area_label
    from gmrd.estimate.run import compare_revisions, run_estimate

    with reporting_errors():
        schema.upgrade()
        if compare:
            changes = compare_revisions(compare[0], compare[1], top)
            if json:
                print_json({"old": compare[0], "new": compare[1],
                            "changes": changes.astype(object).where(changes.notna(), None).to_dict("records")})
                return
            table = Table("area", "year", "old", "new", "change %", "cause", title="Largest changes")
            for r in changes.itertuples(index=False):
                table.add_row(area_label(int(r.area_code)), str(r.year), f"{r.old:,.0f}", f"{r.new:,.0f}",
                              f"{r.change_pct:+.1f}", r.cause)
            console.print(table)
            return
        with progress_bar("steps") as progress:
            task = progress.add_task("estimating", total=None)
            report = run_estimate(Params(years=tuple(parse_years(years)), intervals=intervals), revision,
                                  on_step=lambda step: progress.update(task, advance=1,
                                                                       description=f"estimating: {step}"))
    if json:
        print_json({"revision": report.revision, "areas": report.areas, "years": report.years,
                    "rows": report.rows, "intervals": report.intervals})
        return
    bounds = f"lower/upper: {report.intervals}" if report.intervals else "no intervals"
    console.print(f"revision {report.revision}: {report.rows:,} estimates for {report.areas} areas, "
                  f"years {report.years[0]}-{report.years[-1]}, {bounds}")
