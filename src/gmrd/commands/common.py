"""What every command shares: consoles, JSON output, progress bars, and turning GmrdError into exit code 1.

This module and the command modules import only the standard library, Typer and Rich at their top: the
heavy libraries (pandas, SciPy, SQLAlchemy, FastAPI) are imported inside the commands that need them, so
``gmrd --help`` starts fast.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console

from gmrd.errors import GmrdError

if TYPE_CHECKING:
    from rich.progress import Progress

# emoji=False: ':end:' in a label or message stays text (Rich would print an emoji).
console = Console(emoji=False)
err_console = Console(stderr=True, emoji=False)

#: the ``--json`` option every command with a JSON document shares
JsonOption = Annotated[bool, typer.Option("--json", help="Print one JSON document on stdout.")]


@contextmanager
def reporting_errors() -> Iterator[None]:
    """Print a GmrdError as one line on stderr and exit 1, never a traceback."""
    try:
        yield
    except GmrdError as exc:
        print(f"error: {exc}", file=sys.stderr)
        raise typer.Exit(1) from None


def print_json(document: Any) -> None:
    """One JSON document on stdout (``--json``), nothing else there."""
    sys.stdout.write(json.dumps(document, default=str, allow_nan=False) + "\n")


def progress_bar(unit: str = "rows") -> Progress:
    """A Rich progress bar on stderr, drawn only when stderr is a terminal (disabled otherwise, so logs
    and pipes get no control characters); it disappears when done."""
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    return Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                    TextColumn(f"{{task.completed:,.0f}} {unit}"), TimeElapsedColumn(),
                    console=err_console, transient=True, disable=not err_console.is_terminal)
