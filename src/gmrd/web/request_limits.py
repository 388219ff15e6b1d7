"""Request bodies are checked before the server reads them: who sends them, for which route, and how large.

Starlette parses a form (spooling its files to disk) before a route's dependencies run, so the role and
CSRF checks of a route come too late to protect the server from a large body. :class:`BodyLimit`
therefore wraps the ASGI ``receive`` channel: at the first read of a body (before any byte of it is
taken from the socket) it checks

- the route: only the upload routes of :data:`UPLOAD_ROUTES` take bodies up to ``GMRD_MAX_FILE_BYTES``,
  and only from a logged-in user with the route's role (401 if anonymous, 403 if the role is too low);
  every other body (the login form, every other form, every anonymous request) is limited to
  ``GMRD_MAX_FORM_BYTES``;
- the declared ``Content-Length`` against that limit (413 at once);
- and, as the body streams in (chunked bodies have no declared length), the bytes received so far: 413
  as soon as they pass the limit.

A refusal is raised as an HTTP exception from inside the route, so the app's error pages answer it, and
the response closes the connection (``Connection: close``), so the client stops sending the rest.
"""

from __future__ import annotations

from fastapi import HTTPException, Request
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

#: POST routes whose bodies may be as large as GMRD_MAX_FILE_BYTES, with the role they need
UPLOAD_ROUTES = {"/upload": "curator", "/survey": "curator"}


def declared_length(scope: Scope) -> int | None:
    """The request's Content-Length (None if it has none, as a chunked body); 400 if it is not a number."""
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            if not value.strip().isdigit():
                raise HTTPException(400, "invalid Content-Length header")
            return int(value)
    return None


class BodyLimit:
    """Checks the sender, the route's role and the size of a request body before reading it (see module)."""

    def __init__(self, app: ASGIApp, *, form_bytes: int, upload_bytes: int) -> None:
        self.app = app
        self.form_bytes = form_bytes
        self.upload_bytes = upload_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        role = UPLOAD_ROUTES.get(scope["path"]) if scope["method"] == "POST" else None
        limit = self.form_bytes
        checked = False
        received = 0
        refused = False

        async def guarded_receive() -> Message:
            nonlocal checked, limit, received, refused
            try:
                if not checked:
                    checked = True
                    if role is not None:
                        await self._check_role(scope, role)
                        limit = self.upload_bytes
                    length = declared_length(scope)
                    if length is not None and length > limit:
                        raise _too_large(limit)
                message = await receive()
                if message["type"] == "http.request":
                    received += len(message.get("body", b""))
                    if received > limit:
                        raise _too_large(limit)
                return message
            except HTTPException:
                refused = True
                raise

        async def closing_send(message: Message) -> None:
            if refused and message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), (b"connection", b"close")]
            await send(message)

        await self.app(scope, guarded_receive, closing_send)

    @staticmethod
    async def _check_role(scope: Scope, role: str) -> None:
        from gmrd.web.deps import current_principal

        principal = await run_in_threadpool(current_principal, Request(scope))
        if principal is None:
            raise HTTPException(401, "log in first (or send an API token: Authorization: Bearer …)",
                                headers={"WWW-Authenticate": "Bearer"})
        if not principal.can(role):
            raise HTTPException(403, f"this needs the {role} role; "
                                     f"you are {principal.name} ({principal.role})")


def _too_large(limit: int) -> HTTPException:
    return HTTPException(413, f"the request body is over the limit of {limit:,} bytes for this address")
