"""The ``gmrd`` command line: parses options and calls the modules; see ``gmrd --help``."""

from __future__ import annotations

import typer

from gmrd.commands import database, survey_eq5d

app = typer.Typer(no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False,
                  help="Global Migration Research Database: import, verify, estimate, publish.")

app.command("init")(database.init)
app.command("import")(database.import_)
app.command("export")(database.export)
app.command("backup")(database.backup)
app.command("restore")(database.restore)

survey = typer.Typer(no_args_is_help=True, help="Left-behind survey toolkit: scoring and design-based analysis.")
app.add_typer(survey, name="survey")
survey.command("eq5d")(survey_eq5d.survey_eq5d)

if __name__ == "__main__":
    app()
