"""At most a few expensive requests per user at once: downloads (``?format=``) and revision comparisons.

A download of every estimate or a comparison of two whole revisions costs seconds of CPU and
hundreds of megabytes; one user starting many at once could take the server's memory
(issue 17: four XLSX downloads at once raised a worker from 498 MB to 1.77 GB). Each worker process
lets a user run ``GMRD_HEAVY_REQUESTS_PER_USER`` (default 2) of them at once; a further one is
answered 429 with ``Retry-After``. A slot is held until the response has been sent, streamed
downloads included. The count is per process: with N workers a user can have N times as many.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import AsyncIterator

from fastapi import HTTPException, Request
from starlette.concurrency import run_in_threadpool

RETRY_AFTER_SECONDS = 10
"""What a refused request is told to wait (a large download takes a few seconds)."""


class HeavyRequests:
    """Per-user counts of running heavy requests, with a limit (thread-safe)."""

    def __init__(self, per_user: int) -> None:
        self.per_user = per_user
        self._lock = threading.Lock()
        self._running: Counter[str] = Counter()

    def acquire(self, user: str) -> None:
        """Count one more heavy request of ``user``; HTTPException 429 when the limit is reached."""
        with self._lock:
            if self._running[user] >= self.per_user:
                raise HTTPException(429, f"you already have {self.per_user} downloads or comparisons "
                                         "running: wait until one has finished and try again",
                                    headers={"Retry-After": str(RETRY_AFTER_SECONDS)})
            self._running[user] += 1

    def running(self, user: str) -> int:
        """How many heavy requests of ``user`` are running."""
        with self._lock:
            return self._running[user]

    def release(self, user: str) -> None:
        with self._lock:
            self._running[user] -= 1
            if self._running[user] <= 0:
                del self._running[user]


def is_heavy(request: Request) -> bool:
    """A download (any ``format`` parameter) or the revisions page (it compares two revisions)."""
    return request.method == "GET" and ("format" in request.query_params or request.url.path == "/revisions")


async def heavy_request(request: Request) -> AsyncIterator[None]:
    """An application-wide dependency: holds one of the user's heavy-request slots for a heavy request
    of a logged-in user, until its response has been sent (anonymous requests are refused by the routes).

    Asynchronous, so that a request that is not heavy costs no hand-over to a worker thread; the user
    of a heavy one is looked up in a worker thread (a database read).
    """
    from gmrd.web.deps import current_principal

    limiter: HeavyRequests | None = getattr(request.app.state, "heavy_requests", None)
    principal = None
    if limiter is not None and is_heavy(request):
        principal = await run_in_threadpool(current_principal, request)
    if principal is None:
        yield
        return
    limiter.acquire(principal.name)
    try:
        yield
    finally:
        limiter.release(principal.name)
