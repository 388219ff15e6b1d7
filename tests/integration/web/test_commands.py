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
