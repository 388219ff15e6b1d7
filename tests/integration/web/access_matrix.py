"""Every route × role → the expected status: one table, checked against app.routes by test_access.py.

"login" means a 303 redirect to /login (pages, anonymous); 303 elsewhere is the redirect after a
successful form. Roles: anon (no session), partner, curator, admin.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

ROLES = ("anon", "partner", "curator", "admin")
PAGE = {"anon": "login", "partner": 200, "curator": 200, "admin": 200}
API = {"anon": 401, "partner": 200, "curator": 200, "admin": 200}
CURATOR_PAGE = {"anon": "login", "partner": 403, "curator": 200, "admin": 200}
ADMIN_PAGE = {"anon": "login", "partner": 403, "curator": 403, "admin": 200}
ADMIN_POST = {"anon": "login", "partner": 403, "curator": 403, "admin": 303}
OPEN = {"anon": 200, "partner": 200, "curator": 200, "admin": 200}


@dataclass(frozen=True)
class Case:
    method: str
    route: str
    url: str
    expected: dict[str, Any]
    data: dict[str, str] = field(default_factory=dict)
    upload: bool = False
    upload_field: str = "file"


CASES = [
    Case("GET", "/health", "/health", OPEN),
    Case("GET", "/static/vendor/plotly.min.js", "/static/vendor/plotly.min.js", OPEN),
    Case("GET", "/static/{path}", "/static/gmrd.css", OPEN),
    Case("GET", "/login", "/login", {"anon": 200, "partner": 303, "curator": 303, "admin": 303}),
    Case("GET", "/", "/", PAGE),
    Case("GET", "/countries", "/countries", PAGE),
    Case("GET", "/countries/{code}", "/countries/218", PAGE),
    Case("GET", "/tabulations", "/tabulations?country=218", PAGE),
    Case("GET", "/sources/{source_id}", "/sources/{ecuador}", PAGE),
    Case("GET", "/estimates", "/estimates", PAGE),
    Case("GET", "/revisions", "/revisions", PAGE),
    Case("GET", "/upload", "/upload", CURATOR_PAGE),
    Case("POST", "/upload", "/upload", {"anon": "login", "partner": 403, "curator": 200, "admin": 200}, upload=True),
    Case("POST", "/upload/alias", "/upload/alias",
         {"anon": "login", "partner": 403, "curator": 200, "admin": 200},
         data={"label": "Haute Volta", "code": "854", "reason": "matrix test"}),
    Case("GET", "/survey", "/survey", CURATOR_PAGE),
    # the upload is a tabulation CSV, not survey data: a curator gets past the checks to the 400 that names it
    Case("POST", "/survey", "/survey", {"anon": "login", "partner": 403, "curator": 400, "admin": 400}, upload=True,
         upload_field="data"),
    # results are the uploader's only: another user's, or an unknown token, is 404
    Case("GET", "/survey/results/{token}/{name}", "/survey/results/unknown/report.html",
         {"anon": "login", "partner": 403, "curator": 404, "admin": 404}),
    Case("POST", "/sources/{source_id}/review", "/sources/{ecuador}/review",
         {"anon": "login", "partner": 403, "curator": 303, "admin": 303},
         data={"decision": "reject", "reason": "matrix test", "override": "yes"}),
    Case("POST", "/findings/{finding_id}/dismiss", "/findings/{finding}/dismiss",
         {"anon": "login", "partner": 403, "curator": 303, "admin": 303},
         data={"reason": "matrix test", "source_id": "1"}),
    Case("GET", "/admin/users", "/admin/users", ADMIN_PAGE),
    Case("POST", "/admin/users", "/admin/users", ADMIN_POST,
         data={"name": "zoe", "role": "partner", "password": "reader-key-9931"}),
    Case("POST", "/admin/users/{name}/disable", "/admin/users/zoe/disable", ADMIN_POST),
    Case("POST", "/admin/users/{name}/enable", "/admin/users/zoe/enable", ADMIN_POST),
    Case("GET", "/admin/tokens", "/admin/tokens", ADMIN_PAGE),
    Case("POST", "/admin/tokens", "/admin/tokens", {**ADMIN_POST, "admin": 200}, data={"owner": "ana", "label": "m"}),
    Case("POST", "/admin/tokens/{token_id}/revoke", "/admin/tokens/{token_id}/revoke", ADMIN_POST),
    Case("GET", "/admin/audit", "/admin/audit", ADMIN_PAGE),
    Case("GET", "/api/v1/sources", "/api/v1/sources", API),
    Case("GET", "/api/v1/sources/{source_id}", "/api/v1/sources/{ecuador}", API),
    Case("GET", "/api/v1/tabulations", "/api/v1/tabulations", API),
    Case("GET", "/api/v1/tabulations/{tabulation_id}", "/api/v1/tabulations/{tabulation}", API),
    Case("GET", "/api/v1/findings", "/api/v1/findings", API),
    Case("GET", "/api/v1/countries", "/api/v1/countries?kind=region", API),
    Case("GET", "/api/v1/regions", "/api/v1/regions", API),
    Case("GET", "/api/v1/revisions", "/api/v1/revisions", API),
    Case("GET", "/api/v1/revisions/{name}", "/api/v1/revisions/2025-test", API),
    Case("GET", "/api/v1/estimates", "/api/v1/estimates?area=218&age=0-17", API),
    Case("GET", "/api/v1/openapi.json", "/api/v1/openapi.json", API),
    Case("GET", "/api/v1/docs", "/api/v1/docs", API),
    # these change the session: last
    Case("POST", "/logout", "/logout", {"anon": "login", "partner": "login", "curator": "login", "admin": "login"}),
    Case("POST", "/login", "/login", {"anon": 303, "partner": 303, "curator": 303, "admin": 303},
         data={"name": "ana", "password": "partner-pass-123", "next": "/"}),
]
