"""Rendering pages: one Jinja2 environment, the context every page gets, links that keep the filters."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import pandas as pd
from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape

from gmrd.export.provenance import INTERVAL, data_type_words
from gmrd.web import labels
from gmrd.web.deps import csrf_basis, current_principal, secret
from gmrd.web.security import csrf_token

templates = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
env = templates.env
env.auto_reload = False  # templates ship with the package: no stat() of every template per render
env.globals.update(area_name=labels.area_name, age_name=labels.age_name, concept_name=labels.concept_name,
                   SEXES=labels.SEXES, INTERVAL=INTERVAL, type_words=data_type_words)


def _num(value: Any) -> str:
    """A count with thousands separators; empty for None, NaN and pandas' NA (a hot path: no pd.isna)."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    try:
        return f"{value:,.0f}"
    except (TypeError, ValueError):
        return ""


env.filters["num"] = _num
# one path segment of an address: every reserved character quoted, '/' included (Jinja's urlencode keeps it)


def code_spans(text: Any) -> Markup:
    """Text written with Markdown code spans (``Authorization: Bearer`` between backticks, as in the
    OpenAPI descriptions) as HTML: escaped, each span in ``<code>``, no literal backtick left.

    Examples
    --------
    >>> str(code_spans("Use `Authorization: Bearer <token>`."))
    'Use <code>Authorization: Bearer &lt;token&gt;</code>.'
    """
    parts = str(text or "").split("`")
    if len(parts) % 2 == 0:  # an unpaired backtick stays text
        parts[-2:] = [parts[-2] + "`" + parts[-1]]
    return Markup("".join(str(escape(p)) if i % 2 == 0 else f"<code>{escape(p)}</code>"
                          for i, p in enumerate(parts)))


env.filters["code_spans"] = code_spans
env.filters["path_segment"] = lambda v: quote(str(v), safe="")
env.filters["tojson_attr"] = lambda v: json.dumps(v, separators=(",", ":"), allow_nan=False, default=str)


def url_with(request: Request, **changes: Any) -> str:
    """The current URL with some query parameters changed (None removes one; lists repeat it)."""
    params: list[tuple[str, str]] = [(k, v) for k, v in request.query_params.multi_items() if k not in changes]
    for key, value in changes.items():
        if value is None:
            continue
        for v in value if isinstance(value, (list, tuple)) else [value]:
            params.append((key, str(v)))
    return request.url.path + ("?" + urlencode(params) if params else "")


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    """Render ``template`` with the user, CSRF token and URL helpers every page uses."""
    basis = csrf_basis(request)
    principal = current_principal(request) if not context.get("anonymous") else None
    if "csrf" not in context:
        context["csrf"] = csrf_token(secret(request), basis) if basis else ""
    context.update(request=request, user=principal, url_with=lambda **kw: url_with(request, **kw))
    return templates.TemplateResponse(request, template, context, status_code=status_code)
