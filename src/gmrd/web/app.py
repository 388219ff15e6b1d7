"""The web application: server-rendered pages for partners and curators, and the REST API under /api/v1.

``create_app()`` builds a FastAPI app bound to one database (``GMRD_DATABASE_URL`` by default);
``gmrd serve`` runs it with uvicorn. Every route but /login, /health and /static needs a login.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import plotly
import sqlalchemy as sa
from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from gmrd import __version__ as VERSION
from gmrd.config import settings
from gmrd.db.engine import get_engine
from gmrd.errors import GmrdError, NotFound
from gmrd.web.heavy import HeavyRequests, heavy_request
from gmrd.web.request_limits import BodyLimit
from gmrd.web.security import HSTS_HEADER, SECURITY_HEADERS
from gmrd.web.throttle import ThrottleLimits

HERE = Path(__file__).parent
PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"


class SecurityHeaders:
    """Adds the security headers to every response, ``Cache-Control: no-store`` to all but static files, and
    ``Strict-Transport-Security`` to responses to HTTPS requests (RFC 6797 ignores it over plain HTTP)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.headers = [(k.lower().encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        static = scope["path"].startswith("/static/")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", [])) + self.headers
                if not static:
                    headers.append((b"cache-control", b"no-store"))
                if scope.get("scheme") == "https":
                    headers.append((b"strict-transport-security", HSTS_HEADER.encode()))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


class RejectNul:
    """Answers 400 (JSON under /api) to a request whose path or query string holds a NUL character.

    No parameter of gmrd takes one; PostgreSQL refuses NUL in text and SQLite's LIKE stops at it (a
    search for "\\x00x" would match everything), so it is refused before any route sees it.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and (b"%00" in scope.get("query_string", b"")
                                        or "\x00" in scope["path"] or b"%00" in scope.get("raw_path", b"")):
            api = scope["path"].startswith("/api/")
            message = "invalid request: a NUL character in the address"
            response: Response = (JSONResponse(_error_body(400, message), 400) if api
                                  else HTMLResponse(f"<!doctype html><title>400</title><p>{message}</p>", 400))
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)


def _error_body(status: int, message: str, details: Any = None) -> dict[str, Any]:
    error: dict[str, Any] = {"status": status, "message": message}
    if details is not None:
        error["details"] = details
    return {"error": error}


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _install_error_handlers(app: FastAPI) -> None:
    from gmrd.web.render import render

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        headers = getattr(exc, "headers", None)
        if _is_api(request):
            return JSONResponse(_error_body(exc.status_code, str(exc.detail)), exc.status_code, headers=headers)
        if exc.status_code == 401:
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            from urllib.parse import quote

            return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)
        page = render(request, "error.html", exc.status_code, status=exc.status_code, message=str(exc.detail),
                      anonymous=exc.status_code == 404 and not request.cookies)
        page.headers.update(headers or {})  # Retry-After of a 429
        return page

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        problems = [{"field": ".".join(str(p) for p in e["loc"][1:]) or str(e["loc"][0]), "problem": e["msg"]}
                    for e in exc.errors()]
        message = "; ".join(f"{p['field']}: {p['problem']}" for p in problems)
        if _is_api(request):
            return JSONResponse(_error_body(422, f"invalid request: {message}", problems), 422)
        return render(request, "error.html", 400, status=400, message=f"Invalid request: {message}")

    @app.exception_handler(sa.exc.DataError)
    async def value_refused(request: Request, exc: sa.exc.DataError) -> Response:
        # a value the database cannot hold (a NUL character, a number out of its range): the request's fault
        message = "invalid request: a parameter has a value the database cannot hold"
        if _is_api(request):
            return JSONResponse(_error_body(422, message), 422)
        return render(request, "error.html", 400, status=400, message=message.capitalize())

    @app.exception_handler(sa.exc.OperationalError)
    @app.exception_handler(sa.exc.InterfaceError)
    @app.exception_handler(sa.exc.TimeoutError)
    async def database_unavailable(request: Request, exc: Exception) -> Response:
        # the database is restarting, unreachable or busy: 503 with Retry-After; the pool (pre-ping)
        # replaces dead connections, so requests succeed again as soon as it is back
        message = "the database is unavailable at the moment: try again in a few seconds"
        headers = {"Retry-After": "5"}
        if _is_api(request):
            return JSONResponse(_error_body(503, message), 503, headers=headers)
        return HTMLResponse(f"<!doctype html><title>503</title><h1>Service unavailable</h1><p>{message}</p>",
                            503, headers=headers)

    @app.exception_handler(GmrdError)
    async def gmrd_error(request: Request, exc: GmrdError) -> Response:
        status = 404 if isinstance(exc, NotFound) else 400
        if _is_api(request):
            return JSONResponse(_error_body(status, str(exc)), status)
        return render(request, "error.html", status, status=status, message=str(exc))


def create_app(database_url: str | None = None, secret_key: str | None = None) -> FastAPI:
    """The application bound to ``database_url`` (default: the GMRD_DATABASE_URL setting)."""
    from gmrd.web.api import router as api_router
    from gmrd.web.pages import routers as page_routers

    config = settings()
    app = FastAPI(title="gmrd — Global Migration Research Database API", version=VERSION,
                  docs_url=None, redoc_url=None, openapi_url=None, dependencies=[Depends(heavy_request)],
                  description="Migrant-stock tabulations, verification findings and estimates. "
                              "Authenticate with `Authorization: Bearer <token>` (tokens from an admin).")
    app.state.database_url = database_url or config.database_url
    app.state.secret_key = secret_key or config.secret_key
    app.state.max_upload_bytes = config.max_upload_bytes
    app.state.heavy_requests = HeavyRequests(config.heavy_requests_per_user)
    app.state.base_url = config.base_url
    app.state.login_limits = ThrottleLimits(config.login_attempts_per_minute, config.login_free_failures,
                                            config.login_max_delay)
    # outermost last: the proxy's client and scheme first, then headers, then what the request may carry
    app.add_middleware(BodyLimit, form_bytes=config.max_form_bytes, upload_bytes=config.max_upload_bytes)
    app.add_middleware(RejectNul)
    app.add_middleware(SecurityHeaders)
    if config.trusted_proxies:
        # X-Forwarded-Proto and -For are honoured only from these addresses (GMRD_TRUSTED_PROXIES)
        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=list(config.trusted_proxies))
    @app.get("/static/vendor/plotly.min.js", include_in_schema=False)
    def plotly_js() -> FileResponse:
        return FileResponse(PLOTLY_JS, media_type="text/javascript",
                            headers={"Cache-Control": "public, max-age=86400"})

    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    @app.get("/health", include_in_schema=False)
    def health() -> dict[str, str]:
        with get_engine(app.state.database_url).connect() as conn:
            conn.execute(sa.text("select 1"))
        return {"status": "ok", "version": VERSION}

    for router in page_routers:
        app.include_router(router)
    app.include_router(api_router)
    _install_error_handlers(app)
    return app


def served_app() -> FastAPI:
    """The application as ``gmrd serve`` runs it in each worker process: :func:`create_app`, then every
    object made so far (modules, the app) moved out of the garbage collector's reach with
    :func:`gc.freeze`, so its full passes traverse only what requests add and pause a worker for less
    (Python documentation, ``gc.freeze``)."""
    import gc

    app = create_app()
    gc.collect()
    gc.freeze()
    return app


def route_list(app: FastAPI) -> list[tuple[str, str]]:
    """Every (method, path) the app answers, included routers flattened (for the access-matrix test)."""
    out: list[tuple[str, str]] = []

    def add(route: Any, path: str) -> None:
        for method in sorted(getattr(route, "methods", None) or ()):
            if method != "HEAD":
                out.append((method, path))

    for route in app.routes:
        if hasattr(route, "effective_route_contexts"):
            for ctx in route.effective_route_contexts():
                add(ctx.starlette_route or ctx.original_route, ctx.path)
        elif hasattr(route, "methods"):
            add(route, route.path)
        elif hasattr(route, "app") and hasattr(route, "path"):  # a mount: static files
            out.append(("GET", route.path + "/{path}"))
    return out
