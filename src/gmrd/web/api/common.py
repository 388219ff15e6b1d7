"""What API endpoints share: paging parameters and the page envelope."""

from __future__ import annotations

import math
from datetime import date, datetime
from typing import Annotated, Any

from fastapi import Query, Request

from gmrd.web.render import url_with

Limit = Annotated[int, Query(ge=1, le=5000, description="Items per page (at most 5,000).")]
Offset = Annotated[int, Query(ge=0, le=2**31 - 1, description="Items to skip.")]


def envelope(request: Request, items: list[dict[str, Any]], total: int, limit: int, offset: int) -> dict[str, Any]:
    """``{"total", "limit", "offset", "next", "items"}``; ``next`` is the address of the following page or
    null: GMRD_BASE_URL followed by the path if that is set, else the path alone (never the request's Host
    header, which the client chooses)."""
    more = offset + limit < total
    return {"total": total, "limit": limit, "offset": offset,
            "next": request.app.state.base_url + url_with(request, offset=offset + limit) if more else None,
            "items": items}


def plain(value: Any) -> Any:
    """JSON-ready: dates as ISO text, NaN as null."""
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value
