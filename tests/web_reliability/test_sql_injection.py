"""SQL-injection strings in every filter of every page and API route return normal answers: a result
(the text searched for literally), a 4xx naming the bad value, never a 5xx, never another row, and
the database unchanged. API filters come from the OpenAPI document, so a new filter is covered at once."""

from __future__ import annotations

import time
from urllib.parse import quote

import sqlalchemy as sa
from fastapi.testclient import TestClient
from webdata import login

from gmrd.db.engine import get_engine
from gmrd.web.throttle import ThrottleLimits

INJECTIONS = (
    "' OR '1'='1",
    "1; DROP TABLE sources; --",
    '" OR 1=1 --',
    "0) UNION SELECT name, password_hash FROM users --",
    "%' OR '%'='",
    "1'; SELECT pg_sleep(3); SELECT sqlite_version(); --",
    "' AND 1=CAST((SELECT password_hash FROM users LIMIT 1) AS INTEGER) --",
    "\x00' OR 1=1 --",
)
#: query parameters the pages read (they are not in the OpenAPI document)
PAGE_FILTERS = {
    "/": ["format"],
    "/countries": [],
    "/countries/218": ["format", "table"],
    "/tabulations": ["country", "region", "year_from", "year_to", "source_type", "concept", "dim", "status", "q",
                     "sort", "desc", "page", "per_page", "what", "format"],
    "/sources/{ecuador}": ["format", "table", "page", "per_page"],
    "/estimates": ["revision", "area", "year", "sex", "age", "page", "per_page", "format"],
    "/revisions": ["a", "b", "area", "year", "sex", "age", "format"],
    "/admin/audit": ["actor", "action", "page", "per_page", "format"],
    "/admin/users": ["format"],
    "/admin/tokens": ["format"],
    "/login": ["next"],
}
#: text filters searched literally: an injection string is simply not found
LITERAL = {("/tabulations", "q"), ("/api/v1/tabulations", "q"), ("/api/v1/sources", "q")}


def _snapshot(url: str) -> dict[str, int]:
    with get_engine(url).connect() as conn:
        return {t: conn.scalar(sa.text(f"select count(*) from {t}")) for t in
                ("sources", "tabulations", "cells", "users", "api_tokens", "estimates", "revisions", "findings")}


def _password_hashes(url: str) -> list[str]:
    with get_engine(url).connect() as conn:
        return list(conn.scalars(sa.text("select password_hash from users")))


def _api_filters(app) -> dict[str, list[str]]:
    out = {}
    for path, methods in app.openapi()["paths"].items():
        params = methods["get"].get("parameters", [])
        out[path] = [p["name"] for p in params if p["in"] == "query"]
    return out


def _check(client: TestClient, path: str, params: dict[str, str], hashes: list[str]) -> str | None:
    started = time.perf_counter()
    response = client.get(path, params=params)
    took = time.perf_counter() - started
    problems = []
    if response.status_code >= 500:
        problems.append(f"status {response.status_code}")
    if took > 2.5:
        problems.append(f"took {took:.1f} s (an injected sleep ran?)")
    if any(h in response.text for h in hashes):
        problems.append("a password hash leaked into the answer")
    if path.startswith("/api/") and response.status_code < 300:
        body = response.json()
        if not isinstance(body, dict):
            problems.append("not a JSON object")
    return f"{path} {params!r}: {', '.join(problems)}" if problems else None


def test_injection_in_every_filter(app, web_db, bearer):
    url, ids = web_db
    failures: list[str] = []
    with TestClient(app, follow_redirects=False) as pages:
        login(pages, "ada")  # a session row: the snapshot is taken after it
        before, hashes = _snapshot(url), _password_hashes(url)
        for template, names in PAGE_FILTERS.items():
            path = template.format(**ids)
            for name in names:
                for text in INJECTIONS:
                    failures.append(_check(pages, path, {name: text}, hashes))
                    if (template, name) in LITERAL:
                        answer = pages.get(path, params={name: text})
                        assert (answer.status_code == 400 if "\x00" in text
                                else '<strong id="result-count">0</strong>' in answer.text), (name, text)
    with TestClient(app, follow_redirects=False, headers=bearer) as api:
        for template, names in _api_filters(app).items():
            path = template.replace("{source_id}", str(ids["ecuador"])).replace("{tabulation_id}", "1") \
                .replace("{name}", "2025-test")
            for name in names:
                for text in INJECTIONS:
                    failures.append(_check(api, path, {name: text}, hashes))
                    if (template, name) in LITERAL:
                        answer = api.get(path, params={name: text})
                        assert (answer.status_code == 400 if "\x00" in text
                                else answer.json()["total"] == 0), (name, text)
            if "{" in template:  # the path parameter itself
                for text in INJECTIONS:
                    hostile = template.split("{")[0] + quote(text, safe="")
                    failures.append(_check(api, hostile, {}, hashes))
    assert [f for f in failures if f] == []
    assert _snapshot(url) == before


def test_injection_in_login_and_forms(app, web_db):
    url, _ = web_db
    before = _snapshot(url)
    # every payload reaches the user lookup and password check (the login throttle would answer 429 early)
    app.state.login_limits = ThrottleLimits(attempts_per_minute=10_000, free_failures=10_000, max_delay=1)
    with TestClient(app, follow_redirects=False) as client:
        for text in INJECTIONS:
            page = client.get("/login")
            csrf = page.text.split('name="csrf" value="')[1].split('"')[0]
            response = client.post("/login", data={"name": text, "password": text, "csrf": csrf, "next": "/"})
            assert response.status_code < 500, (text, response.status_code)
            assert "gmrd_session" not in response.headers.get("set-cookie", ""), f"logged in with {text!r}"
    assert _snapshot(url) == before
