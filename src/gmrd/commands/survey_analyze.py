"""``gmrd survey analyze`` (the left-behind survey report) and ``gmrd survey generate`` (pilot data)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated

import typer

from gmrd.commands.common import err_console, print_json, reporting_errors
from gmrd.errors import InputError


def survey_analyze(
    data: Annotated[Path, typer.Argument(help="A folder of linked files (hh, hl, ch, ma), an ODK/Kobo export "
                                              "(.zip/.xlsx), or one file of household members.")],
    config: Annotated[Path, typer.Option("--config", help="Analysis configuration (YAML).")],
    report: Annotated[Path | None, typer.Option("--report", help="Write the HTML report here.")] = None,
    pdf: Annotated[Path | None, typer.Option("--pdf", help="Also print the report to PDF (needs Chromium).")] = None,
    df: Annotated[str, typer.Option(
        "--df", help="Degrees of freedom of the intervals: domain (PSUs with rows in the domain minus "
                     "their strata; default) or design (those of the whole design).")] = "domain",
    json: Annotated[bool, typer.Option("--json", help="Print the estimates as one JSON document.")] = False,
) -> None:
    """Children left behind, their well-being by migrant status, remittances and scale reliability,
    design-based, with an HTML (and PDF) report."""
    from gmrd.survey.analyze import analyze_path
    from gmrd.survey.estimators import DF_RULES
    from gmrd.survey.load_config import read_config

    with reporting_errors():
        if df not in DF_RULES:
            raise InputError(f"--df must be one of {', '.join(DF_RULES)}", field="df")
        settings = read_config(config)
        result = analyze_path(data, settings, df)  # type: ignore[arg-type]
        for message in result.warnings:
            err_console.print(f"warning: {message}")
        if report is not None or pdf is not None:
            from gmrd.survey.report import html_to_pdf, write_report

            if report is not None:
                write_report(result, report)
                err_console.print(f"report written to {report}")
            if pdf is not None:
                with tempfile.TemporaryDirectory() as folder:
                    html = report if report is not None else write_report(result, Path(folder) / "report.html")
                    html_to_pdf(html, pdf)
                err_console.print(f"PDF written to {pdf}")
    if json:
        from gmrd.survey.report import result_document

        print_json(result_document(result))
    elif report is None and pdf is None:
        shares = result.left_behind
        if not shares.empty:
            row = shares[(shares["domain"] == "All") & (shares["indicator"] == "lb_any")].set_index("statistic")
            err_console.print(f"children left behind: {100 * row.loc['share', 'estimate']:.1f}% "
                              f"({100 * row.loc['share', 'ci_low']:.1f}–{100 * row.loc['share', 'ci_high']:.1f}), "
                              f"{row.loc['number', 'estimate']:,.0f}; use --report for the full report")


def survey_generate(
    out: Annotated[Path, typer.Argument(help="Folder for the pilot files (hh, hl, ch, ma) and truth.json.")],
    country: Annotated[str, typer.Option("--country", help="A: real migrant/non-migrant difference; B: none.")] = "A",
    seed: Annotated[int, typer.Option("--seed", help="Seed of the sample draw.")] = 1,
    fmt: Annotated[str, typer.Option("--format", help="sav (with value labels) or csv.")] = "sav",
    json: Annotated[bool, typer.Option("--json", help="Print the manifest (with the truth) as JSON.")] = False,
) -> None:
    """Generate a synthetic pilot survey (two-stage cluster sample, MICS file layout) with known truth."""
    from gmrd.survey.pilot.files import generate_pilot

    with reporting_errors():
        if fmt not in ("sav", "csv"):
            raise InputError("--format must be sav or csv", field="format")
        manifest = generate_pilot(country, out, seed=seed, fmt=fmt)  # type: ignore[arg-type]
    if json:
        print_json(manifest)
    else:
        err_console.print(f"{manifest['country']}: {manifest['sample_sizes']['households']} households written to {out}")
