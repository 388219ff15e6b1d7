"""What every command shares: consoles, JSON output, and turning GmrdError into exit code 1."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import typer
from rich.console import Console

from gmrd.errors import GmrdError

console = Console()
err_console = Console(stderr=True)


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
