"""Request plumbing shared by pages and API: database connections, the current user, role and CSRF checks."""

from __future__ import annotations

from collections.abc import AsyncIterator

from fastapi import Depends, HTTPException, Request
from sqlalchemy.engine import Connection, Engine
from starlette.concurrency import run_in_threadpool

from gmrd.db.engine import get_engine
from gmrd.web.auth import Principal, principal_for
from gmrd.web.security import CSRF_FIELD, PRESESSION_COOKIE, SESSION_COOKIE, csrf_ok, read_cookie


def engine(request: Request) -> Engine:
    return get_engine(request.app.state.database_url)


async def read_conn(request: Request) -> AsyncIterator[Connection]:
    """The request's read connection, with the request's user already looked up on it.

    Opening the connection and identifying the user happen in one worker-thread call, and the
    connection goes back to the pool from the event loop (a pool return never waits for another
    request), so a page costs two thread hand-overs (this one and the endpoint's) instead of one per
    dependency: they were a quarter of a cached page's time (docs/benchmarks.md, web latency).
    """
    conn = await run_in_threadpool(_open_identified, request)
    request.state.conn = conn
    try:
        yield conn
    finally:
        del request.state.conn
        conn.close()


def _open_identified(request: Request) -> Connection:
    # autocommit: a page only reads, and each statement sees the newest committed data either way
    # (READ COMMITTED; SQLite starts no transaction for reads), without BEGIN and ROLLBACK round trips
    conn = engine(request).connect().execution_options(isolation_level="AUTOCOMMIT")
    try:
        request.state.principal = _principal(request, conn)
    except BaseException:
        conn.close()
        raise
    return conn


def secret(request: Request) -> str:
    return request.app.state.secret_key


def session_token(request: Request) -> str | None:
    """The session token of the signed session cookie (checked once per request)."""
    if not hasattr(request.state, "session_token"):
        request.state.session_token = read_cookie(secret(request), request.cookies.get(SESSION_COOKIE))
    return request.state.session_token


def csrf_basis(request: Request) -> str | None:
    """What the CSRF token is derived from: the live session, or before login the pre-session nonce."""
    if current_principal(request) is not None:
        return session_token(request)
    return read_cookie(secret(request), request.cookies.get(PRESESSION_COOKIE))


def current_principal(request: Request) -> Principal | None:
    """The logged-in user of this request (session cookie, or for /api a bearer token), cached per request."""
    if hasattr(request.state, "principal"):
        return request.state.principal
    with engine(request).connect() as conn:  # a request without read_conn (which looks the user up)
        principal = _principal(request, conn)
    request.state.principal = principal
    return principal


def _principal(request: Request, conn: Connection) -> Principal | None:
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer ") and request.url.path.startswith("/api/"):
        principal = principal_for(conn, header[7:].strip(), session=False)
        if principal is None:
            raise HTTPException(401, "the bearer token is unknown, revoked or its user disabled",
                                headers={"WWW-Authenticate": 'Bearer error="invalid_token"'})
        return principal
    return principal_for(conn, session_token(request), session=True)


def require(role: str):  # type: ignore[no-untyped-def]
    """A dependency: the request's user, who must have ``role`` (401 if anonymous, 403 if too low)."""

    async def dependency(request: Request, conn: Connection = Depends(read_conn)) -> Principal:
        principal = current_principal(request)  # looked up by read_conn: no database access here
        if principal is None:
            raise HTTPException(401, "log in first (or send an API token: Authorization: Bearer …)",
                                headers={"WWW-Authenticate": "Bearer"})
        if not principal.can(role):
            raise HTTPException(403, f"this needs the {role} role; you are {principal.name} ({principal.role})")
        return principal

    return dependency


partner = require("partner")
curator = require("curator")
admin = require("admin")


async def csrf_protect(request: Request) -> None:
    """Every form POST carries the CSRF token of its session; a missing or wrong one is 403."""
    form = await request.form()
    submitted = form.get(CSRF_FIELD)
    if not csrf_ok(secret(request), csrf_basis(request), submitted if isinstance(submitted, str) else None):
        raise HTTPException(403, "missing or wrong CSRF token: reload the page and submit the form again")


CSRF = Depends(csrf_protect)
