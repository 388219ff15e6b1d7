"""Every route × role answers as access_matrix.CASES says, and no route is missing from the table."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from access_matrix import CASES, ROLES
from fastapi.testclient import TestClient
from webdata import ROLE_USERS, csrf_of, login

from gmrd.db.engine import get_engine
from gmrd.db.models import Finding, Tabulation
from gmrd.web import auth
from gmrd.web.app import create_app, route_list

UPLOAD = ("country,reference_date,source_type,concept,sex,age,origin,value,source_title\n"
          "Peru,2017-10-22,census,foreign_born,Total,Total,Total,{n},Censo 2017 {role}\n")


def _message(html: str) -> str:
    found = re.search(r'role="alert">(.*?)</p>', html, re.DOTALL)
    return found.group(1) if found else html[:200]


def test_every_route_is_in_the_matrix(app):
    routes = set(route_list(app))
    table = {(c.method, c.route) for c in CASES}
    assert routes - table == set(), f"routes missing from access_matrix.py: {sorted(routes - table)}"
    assert table - routes == set(), f"access_matrix.py lists routes the app lacks: {sorted(table - routes)}"


@pytest.mark.parametrize("role", ROLES)
def test_access_matrix(web_db, role):
    url, ids = web_db
    with get_engine(url).begin() as conn:
        auth.create_api_token(conn, "ana", "matrix", actor="test")
        token_id = conn.scalar(sa.text("select max(id) from api_tokens where label = 'matrix'"))
        tabulation = conn.scalar(sa.select(sa.func.min(Tabulation.id)))
        finding = conn.scalar(sa.select(sa.func.max(Finding.id)))
    values = {**ids, "token_id": token_id, "tabulation": tabulation, "finding": finding}
    with TestClient(create_app(url, secret_key="matrix-secret"), follow_redirects=False) as client:
        if role != "anon":
            login(client, ROLE_USERS[role])
            csrf = csrf_of(client.get("/upload" if role != "partner" else "/").text)
        else:
            csrf = csrf_of(client.get("/login").text)
        failures = []
        for i, case in enumerate(CASES):
            target = case.url.format(**values)
            if case.method == "GET":
                response = client.get(target)
            elif case.upload:
                body = UPLOAD.format(n=1000 + i, role=role).encode()
                response = client.post(target, data={"csrf": csrf}, files={case.upload_field: ("peru.csv", body, "text/csv")})
            else:
                if case.route == "/login":  # after /logout: the login form's own token
                    csrf = csrf_of(client.get("/login").text)
                response = client.post(target, data={"csrf": csrf, **case.data})
            expected = case.expected[role]
            got: int | str = response.status_code
            if got == 303 and response.headers["location"].startswith("/login") and case.route != "/logout":
                got = "login"
            if case.route == "/logout" and got == 303 and response.headers["location"] == "/login":
                got = "login"
            if got != expected:
                failures.append(f"{case.method} {target}: expected {expected}, got {got}: "
                                f"{_message(response.text) if response.status_code >= 400 else ''}")
        assert not failures, "\n".join(failures)
