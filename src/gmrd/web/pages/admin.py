"""Administration: users (add, disable, enable), API tokens (create, revoke) and the read-only audit log."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.engine import Connection

from gmrd.db import queries
from gmrd.errors import GmrdError
from gmrd.web import auth
from gmrd.web.auth import Principal
from gmrd.web.deps import CSRF, admin, engine, read_conn
from gmrd.web.downloads import table_response
from gmrd.web.filters import DbId, paging
from gmrd.web.render import render
from gmrd.web.tables import rows_table

router = APIRouter(include_in_schema=False, prefix="/admin")
USER_COLUMNS = ["id", "name", "role", "active", "created_at"]
TOKEN_COLUMNS = ["id", "name", "label", "created_at", "revoked_at"]
AUDIT_COLUMNS = ["id", "at", "actor", "action", "object_type", "object_id", "reason", "before", "after"]


def _users_page(request: Request, conn: Connection, status: int = 200, **extra: object) -> Response:
    users = list(queries.users(conn))
    return render(request, "admin_users.html", status, users=users, roles=auth.ROLES, **extra)


@router.get("/users")
def users(request: Request, format: str | None = None, user: Principal = Depends(admin),
          conn: Connection = Depends(read_conn)) -> Response:
    if format:
        frame = rows_table(list(queries.users(conn)), USER_COLUMNS)
        return table_response("gmrd-users", format, lambda: frame)  # accounts, not statistics: no SDMX
    return _users_page(request, conn)


@router.post("/users", dependencies=[CSRF])
def add_user(request: Request, name: str = Form(..., max_length=100), role: str = Form(...),
             password: str = Form(..., max_length=1000), user: Principal = Depends(admin)) -> Response:
    try:
        with engine(request).begin() as conn:
            auth.create_user(conn, name, role, password, actor=user.name)
    except GmrdError as exc:
        with engine(request).connect() as conn:
            return _users_page(request, conn, 400, error=str(exc))
    return RedirectResponse("/admin/users", status_code=303)


@router.post("/users/{name}/disable", dependencies=[CSRF])
def disable_user(request: Request, name: str, user: Principal = Depends(admin)) -> Response:
    if name == user.name:
        with engine(request).connect() as conn:
            return _users_page(request, conn, 400, error="you cannot disable your own account")
    with engine(request).begin() as conn:
        auth.set_active(conn, name, False, actor=user.name)
    return RedirectResponse("/admin/users", status_code=303)


@router.post("/users/{name}/enable", dependencies=[CSRF])
def enable_user(request: Request, name: str, user: Principal = Depends(admin)) -> Response:
    with engine(request).begin() as conn:
        auth.set_active(conn, name, True, actor=user.name)
    return RedirectResponse("/admin/users", status_code=303)


@router.get("/tokens")
def tokens(request: Request, format: str | None = None, user: Principal = Depends(admin),
           conn: Connection = Depends(read_conn)) -> Response:
    rows = queries.api_tokens(conn)
    if format:
        frame = rows_table(rows, TOKEN_COLUMNS)
        return table_response("gmrd-api-tokens", format, lambda: frame)
    return render(request, "admin_tokens.html", tokens=rows, users=list(queries.users(conn)),
                  new_token=None)


@router.post("/tokens", dependencies=[CSRF])
def create_token(request: Request, owner: str = Form(..., max_length=100), label: str = Form("", max_length=100),
                 user: Principal = Depends(admin)) -> Response:
    with engine(request).begin() as conn:
        _, token = auth.create_api_token(conn, owner, label, actor=user.name)
    with engine(request).connect() as conn:
        return render(request, "admin_tokens.html", tokens=queries.api_tokens(conn),
                      users=list(queries.users(conn)), new_token=token, new_token_owner=owner)


@router.post("/tokens/{token_id}/revoke", dependencies=[CSRF])
def revoke_token(request: Request, token_id: DbId, user: Principal = Depends(admin)) -> Response:
    with engine(request).begin() as conn:
        auth.revoke_api_token(conn, token_id, actor=user.name)
    return RedirectResponse("/admin/tokens", status_code=303)


@router.get("/audit")
def audit_log(request: Request, actor: str | None = None, action: str | None = None, format: str | None = None,
              user: Principal = Depends(admin), conn: Connection = Depends(read_conn)) -> Response:
    if format:
        rows, _ = queries.audit_events(conn, actor=actor, action=action, limit=1_000_000)
        frame = rows_table(list(rows), AUDIT_COLUMNS)
        return table_response("gmrd-audit", format, lambda: frame)
    page, per_page, offset = paging(request, default=100)
    rows, total = queries.audit_events(conn, actor=actor, action=action, limit=per_page, offset=offset)
    return render(request, "admin_audit.html", events=list(rows), total=total, page=page,
                  per_page=per_page, actor=actor or "", action=action or "")
