"""Commands of the web database: serve, users (add, list, disable, enable), API tokens (create, revoke)."""

from __future__ import annotations

import ipaddress
import sys
from typing import Annotated

import typer
from rich.table import Table

from gmrd.commands.common import JsonOption, console, err_console, print_json, reporting_errors
from gmrd.config import DEV_SECRET_KEY, settings
from gmrd.errors import InputError


def loopback(host: str) -> bool:
    """Whether ``host`` is an address of this machine only (127.0.0.0/8, ::1, localhost)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_secret_key(host: str) -> None:
    """Refuse to serve beyond loopback with the development secret key (anyone could forge session
    cookies signed with it); warn when serving on loopback with it."""
    if settings().secret_key != DEV_SECRET_KEY:
        return
    if not loopback(host):
        raise InputError(f"GMRD_SECRET_KEY is not set: set a long random secret before serving on {host} "
                         "(python -c 'import secrets; print(secrets.token_urlsafe(32))')",
                         field="GMRD_SECRET_KEY")
    err_console.print("[yellow]warning: GMRD_SECRET_KEY is not set: session cookies are signed with the "
                      "development key (acceptable on this machine only)[/yellow]")


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on (127.0.0.1: this machine only).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
    workers: Annotated[int, typer.Option(help="Worker processes (sessions live in the database).")] = 1,
) -> None:
    """Serve the password-protected web database and REST API (/api/v1) with uvicorn.

    Refuses a host other than loopback unless GMRD_SECRET_KEY is set."""
    import uvicorn

    from gmrd.db import schema
    from gmrd.db.engine import get_engine

    with reporting_errors():
        check_secret_key(host)
        schema.upgrade()
        err_console.print(f"gmrd serving {get_engine().url.render_as_string()} at http://{host}:{port}/")
    uvicorn.run("gmrd.web.app:served_app", factory=True, host=host, port=port, workers=workers,
                log_level="warning", access_log=False, proxy_headers=False)


def users_add(
    name: Annotated[str, typer.Argument(help="User name: letters, digits, '.', '_', '-'.")],
    role: Annotated[str, typer.Option(help="partner (read, download), curator (+ upload, review), admin.")],
    password_stdin: Annotated[bool, typer.Option("--password-stdin",
                                                 help="Read the password from the first line of stdin.")] = False,
) -> None:
    """Create a user; the password comes from a prompt (or --password-stdin) and is stored Argon2-hashed."""
    from gmrd.db import schema
    from gmrd.db.engine import get_engine
    from gmrd.web import auth

    with reporting_errors():
        auth.check_user_name(name)
        auth.check_role(role)
        if password_stdin:
            password = sys.stdin.readline().rstrip("\r\n")
        else:
            password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
        if not password:
            raise InputError("empty password", field="password")
        schema.upgrade()
        with get_engine().begin() as conn:
            auth.create_user(conn, name, role, password, actor="cli")
        err_console.print(f"user {name} ({role}) created")


def users_list(json: JsonOption = False) -> None:
    """List the users with their role and state."""
    from gmrd.db import queries
    from gmrd.db.engine import get_engine

    with reporting_errors(), get_engine().connect() as conn:
        rows = list(queries.users(conn))
    if json:
        print_json({"users": [{"name": u.name, "role": u.role, "active": u.active,
                               "created_at": u.created_at} for u in rows]})
        return
    table = Table("name", "role", "active", "created", title="Users")
    for u in rows:
        table.add_row(u.name, u.role, "yes" if u.active else "no", f"{u.created_at:%Y-%m-%d}")
    console.print(table)


def users_disable(name: Annotated[str, typer.Argument(help="User name.")]) -> None:
    """Disable a user: ends its sessions and revokes its API tokens."""
    from gmrd.db.engine import get_engine
    from gmrd.web import auth

    with reporting_errors():
        with get_engine().begin() as conn:
            auth.set_active(conn, name, False, actor="cli")
        err_console.print(f"user {name} disabled")


def users_enable(name: Annotated[str, typer.Argument(help="User name.")]) -> None:
    """Enable a disabled user again (and clear its login delay)."""
    from gmrd.db.engine import get_engine
    from gmrd.web import auth

    with reporting_errors():
        with get_engine().begin() as conn:
            auth.set_active(conn, name, True, actor="cli")
        err_console.print(f"user {name} enabled")


def tokens_create(
    name: Annotated[str, typer.Argument(help="The user the token acts for.")],
    label: Annotated[str, typer.Option(help="What the token is for.")] = "",
    json: JsonOption = False,
) -> None:
    """Create an API bearer token for a user; it is printed once (stored only as a hash)."""
    from gmrd.db.engine import get_engine
    from gmrd.web import auth

    with reporting_errors(), get_engine().begin() as conn:
        token_id, token = auth.create_api_token(conn, name, label, actor="cli")
    if json:
        print_json({"id": token_id, "user": name, "token": token})
    else:
        console.print(token)
        err_console.print(f"token {token_id} for {name}: use it as 'Authorization: Bearer <token>'")


def tokens_revoke(token_id: Annotated[int, typer.Argument(help="Token id (see the admin page).")]) -> None:
    """Revoke an API token at once."""
    from gmrd.db.engine import get_engine
    from gmrd.web import auth

    with reporting_errors():
        with get_engine().begin() as conn:
            auth.revoke_api_token(conn, token_id, actor="cli")
        err_console.print(f"token {token_id} revoked")


def tokens_list(json: JsonOption = False) -> None:
    """List the API tokens, newest first: id, user, label, created, revoked (tokens are stored hashed:
    the token itself cannot be shown again; the last use is not recorded)."""
    from gmrd.db import queries
    from gmrd.db.engine import get_engine

    with reporting_errors(), get_engine().connect() as conn:
        rows = queries.api_tokens(conn)
    if json:
        print_json({"tokens": [{"id": t.id, "user": t.name, "label": t.label, "created_at": t.created_at,
                                "revoked_at": t.revoked_at} for t in rows]})
        return
    table = Table("id", "user", "label", "created", "revoked", title="API tokens")
    for t in rows:
        table.add_row(str(t.id), t.name, t.label, f"{t.created_at:%Y-%m-%d %H:%M}",
                      f"{t.revoked_at:%Y-%m-%d %H:%M}" if t.revoked_at else "no")
    console.print(table)


users_app = typer.Typer(no_args_is_help=True, help="Users of the web database.")
users_app.command("add")(users_add)
users_app.command("list")(users_list)
users_app.command("disable")(users_disable)
users_app.command("enable")(users_enable)
tokens_app = typer.Typer(no_args_is_help=True, help="API tokens.")
tokens_app.command("create")(tokens_create)
tokens_app.command("list")(tokens_list)
tokens_app.command("revoke")(tokens_revoke)
