"""Log in and out: the session id rotates at every login; logins are throttled by client and account
(gmrd.web.throttle, counted in the database): a throttled attempt gets 429 with Retry-After."""

from __future__ import annotations

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from gmrd.web import auth
from gmrd.web.deps import CSRF, current_principal, engine, secret, session_token
from gmrd.web.render import render
from gmrd.web.security import (
    PRESESSION_COOKIE,
    SESSION_COOKIE,
    SESSION_MAX_AGE,
    csrf_token,
    new_token,
    read_cookie,
    sign_cookie,
)

router = APIRouter(include_in_schema=False)


def _safe_next(target: str) -> str:
    """Only paths on this site (no //host, no scheme) are followed after login."""
    return target if target.startswith("/") and not target.startswith("//") and "\\" not in target else "/"


def _secure(request: Request) -> bool:
    return request.url.scheme == "https"


def _login_page(request: Request, next_: str, message: str = "", name: str = "", status: int = 200,
                headers: dict[str, str] | None = None) -> Response:
    nonce = read_cookie(secret(request), request.cookies.get(PRESESSION_COOKIE))
    fresh = nonce is None
    nonce = nonce or new_token()
    request.state.principal = None
    response = render(request, "login.html", status, anonymous=True, message=message, name=name,
                      next=_safe_next(next_), csrf=csrf_token(secret(request), nonce))
    response.headers.update(headers or {})
    if fresh:
        response.set_cookie(PRESESSION_COOKIE, sign_cookie(secret(request), nonce), max_age=SESSION_MAX_AGE,
                            httponly=True, samesite="strict", secure=_secure(request))
    return response


@router.get("/login")
def login_form(request: Request, next: str = "/") -> Response:
    if current_principal(request) is not None:
        return RedirectResponse(_safe_next(next), status_code=303)
    return _login_page(request, next)


@router.post("/login", dependencies=[CSRF])
def login(request: Request, name: str = Form(..., max_length=100), password: str = Form(..., max_length=1000),
          next: str = Form("/")) -> Response:
    client = request.client.host if request.client else "unknown"
    result = auth.login(engine(request), name, password, client=client, limits=request.app.state.login_limits)
    if result.retry_after:
        return _login_page(request, next, result.message, name=name, status=429,
                           headers={"Retry-After": str(result.retry_after)})
    if result.principal is None:
        return _login_page(request, next, result.message, name=name, status=401)
    with engine(request).begin() as conn:
        old = session_token(request)
        if old:
            auth.end_session(conn, old, result.principal.name)
        token = auth.start_session(conn, result.principal)
    response = RedirectResponse(_safe_next(next), status_code=303)
    response.set_cookie(SESSION_COOKIE, sign_cookie(secret(request), token), max_age=SESSION_MAX_AGE,
                        httponly=True, samesite="lax", secure=_secure(request))
    response.delete_cookie(PRESESSION_COOKIE)
    return response


@router.post("/logout", dependencies=[CSRF])
def logout(request: Request) -> Response:
    token = session_token(request)
    principal = current_principal(request)
    if token and principal:
        with engine(request).begin() as conn:
            auth.end_session(conn, token, principal.name)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response
