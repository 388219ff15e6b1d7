"""The ``gmrd`` command line: parses options and calls the modules; see ``gmrd --help``."""

from __future__ import annotations

import typer

from gmrd.commands import database

app = typer.Typer(no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False,
                  help="Global Migration Research Database: import, verify, estimate, publish.")

app.command("init")(database.init)
app.command("import")(database.import_)
app.command("export")(database.export)

if __name__ == "__main__":
    app()
