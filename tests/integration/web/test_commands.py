"""`gmrd users …` and `gmrd tokens …` run in-process (registered here as the CLI registers them)."""

from __future__ import annotations

import json

import sqlalchemy as sa
import typer
from typer.testing import CliRunner

from gmrd.commands import web as commands
from gmrd.db.engine import get_engine
from gmrd.db.models import ApiToken, User
from gmrd.web.security import verify_password

app = typer.Typer()
app.add_typer(commands.users_app, name="users")
app.add_typer(commands.tokens_app, name="tokens")


def test_users_and_tokens_commands(db_url):
    runner = CliRunner()
    done = runner.invoke(app, ["users", "add", "lena", "--role", "curator", "--password-stdin"],
                         input="curator-key-739\n")
    assert done.exit_code == 0, done.output
    with get_engine(db_url).connect() as conn:
        user = conn.execute(sa.select(User).where(User.name == "lena")).one()
    assert user.role == "curator" and user.password_hash.startswith("$argon2id$")
    assert verify_password(user.password_hash, "curator-key-739")
    again = runner.invoke(app, ["users", "add", "lena", "--role", "curator", "--password-stdin"],
                          input="curator-key-739\n")
    assert again.exit_code == 1 and "exists already" in again.output
    wrong = runner.invoke(app, ["users", "add", "max", "--role", "owner", "--password-stdin"], input="x" * 12)
    assert wrong.exit_code == 1 and "unknown role 'owner'" in wrong.output
    listed = json.loads(runner.invoke(app, ["users", "list", "--json"]).stdout)
    assert [(u["name"], u["role"], u["active"]) for u in listed["users"]] == [("lena", "curator", True)]
    created = json.loads(runner.invoke(app, ["tokens", "create", "lena", "--label", "etl", "--json"]).stdout)
    with get_engine(db_url).connect() as conn:
        assert conn.scalar(sa.select(ApiToken.revoked_at).where(ApiToken.id == created["id"])) is None
    assert runner.invoke(app, ["tokens", "revoke", str(created["id"])]).exit_code == 0
    assert runner.invoke(app, ["tokens", "revoke", str(created["id"])]).exit_code == 1
    assert runner.invoke(app, ["users", "disable", "lena"]).exit_code == 0
    with get_engine(db_url).connect() as conn:
        assert conn.scalar(sa.select(User.active).where(User.name == "lena")) is False


def test_tokens_list_shows_each_token_without_its_secret(db_url):
    """`gmrd tokens list` (the real CLI): id, user, label, created, revoked; --json; never the token."""
    from gmrd.cli import app as cli

    runner = CliRunner()
    assert runner.invoke(cli, ["users", "add", "ines", "--role", "partner", "--password-stdin"],
                         input="partner-key-5521\n").exit_code == 0
    first = json.loads(runner.invoke(cli, ["tokens", "create", "ines", "--label", "etl", "--json"]).stdout)
    second = json.loads(runner.invoke(cli, ["tokens", "create", "ines", "--label", "nightly",
                                            "--json"]).stdout)
    assert runner.invoke(cli, ["tokens", "revoke", str(first["id"])]).exit_code == 0
    listed = runner.invoke(cli, ["tokens", "list", "--json"])
    assert listed.exit_code == 0, listed.output
    rows = json.loads(listed.stdout)["tokens"]
    assert [(t["id"], t["user"], t["label"], t["revoked_at"] is None) for t in rows] == [
        (second["id"], "ines", "nightly", True), (first["id"], "ines", "etl", False)]
    assert all(t["created_at"] for t in rows)
    table = runner.invoke(cli, ["tokens", "list"], terminal_width=120)
    assert table.exit_code == 0 and "nightly" in table.stdout and "ines" in table.stdout
    assert first["token"] not in listed.stdout + table.stdout
    assert second["token"] not in listed.stdout + table.stdout
