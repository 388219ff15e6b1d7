"""The ``gmrd`` command line: parses options and calls the modules; see ``gmrd --help``.

Every Typer here has ``rich_markup_mode=None`` (plain help: Rich would turn ``START:END:STEP`` into
``START🔚STEP``); the command modules import their heavy libraries inside the commands (fast start-up).
"""

from __future__ import annotations

import typer

from gmrd.commands import aliases as alias_commands
from gmrd.commands import (
    database,
    demo,
    estimate,
    graduate,
    survey_analyze,
    survey_eq5d,
    survey_estimate,
    verify,
    web,
)

app = typer.Typer(no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False,
                  rich_markup_mode=None,
                  help="Global Migration Research Database: import, verify, estimate, publish.")

app.command("init")(database.init)
app.command("import")(database.import_)
app.command("verify")(verify.verify)
app.command("review")(verify.review)
app.command("estimate")(estimate.estimate)
app.command("export")(database.export)
app.command("graduate")(graduate.graduate)
app.command("serve")(web.serve)
app.command("backup")(database.backup)
app.command("restore")(database.restore)
app.command("demo")(demo.demo)

country_aliases = typer.Typer(no_args_is_help=True, rich_markup_mode=None,
                              help="Country aliases users add (used by every import).")
app.add_typer(country_aliases, name="aliases")
country_aliases.command("add")(alias_commands.aliases_add)
country_aliases.command("import")(alias_commands.aliases_import)
country_aliases.command("list")(alias_commands.aliases_list)

users = typer.Typer(no_args_is_help=True, rich_markup_mode=None,
                   help="Web users and their roles.")
app.add_typer(users, name="users")
users.command("add")(web.users_add)
users.command("list")(web.users_list)
users.command("disable")(web.users_disable)
users.command("enable")(web.users_enable)

tokens = typer.Typer(no_args_is_help=True, rich_markup_mode=None,
                   help="API bearer tokens (stored hashed, revocable).")
app.add_typer(tokens, name="tokens")
tokens.command("create")(web.tokens_create)
tokens.command("list")(web.tokens_list)
tokens.command("revoke")(web.tokens_revoke)

survey = typer.Typer(no_args_is_help=True, rich_markup_mode=None,
                   help="Left-behind survey toolkit: scoring and design-based analysis.")
app.add_typer(survey, name="survey")
survey.command("estimate")(survey_estimate.survey_estimate)
survey.command("analyze")(survey_analyze.survey_analyze)
survey.command("generate")(survey_analyze.survey_generate)
survey.command("eq5d")(survey_eq5d.survey_eq5d)

if __name__ == "__main__":
    app()
