"""`gmrd survey eq5d PROFILE... --value-set NAME [--json]`: EQ-5D index values of profiles."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from gmrd.commands.common import console, print_json, reporting_errors


def survey_eq5d(
    profiles: Annotated[list[str], typer.Argument(help="EQ-5D profiles such as 11223 (MO SC UA PD AD).")],
    value_set: Annotated[str, typer.Option("--value-set", help="Value set: uk-3l-tto, us-3l-tto, "
                                           "england-5l, or another from the documentation.")] = "uk-3l-tto",
    json: Annotated[bool, typer.Option("--json", help="Print one JSON document on stdout.")] = False,
) -> None:
    """Index values of EQ-5D profiles under a published value set."""
    from gmrd.survey.scoring.eq5d import eq5d_index, get_value_set

    with reporting_errors():
        chosen = get_value_set(value_set)
        index = eq5d_index(profiles, chosen.name)
    results: list[dict[str, str | float]] = [{"profile": p.strip(), "index": float(v)}
                                             for p, v in zip(profiles, index)]
    if json:
        print_json({"value_set": chosen.name, "results": results})
        return
    table = Table(title=f"EQ-5D index, value set {chosen.name} ({chosen.instrument} {chosen.method}, "
                        f"{chosen.country})")
    table.add_column("profile")
    table.add_column("index", justify="right")
    for row in results:
        table.add_row(str(row["profile"]), f"{float(row['index']):.3f}")
    console.print(table)
