"""Access control: login, session rotation and revocation, CSRF, headers, audit trail."""

from __future__ import annotations

import re

import sqlalchemy as sa
from fastapi.testclient import TestClient
from webdata import PASSWORDS, csrf_of, login

from gmrd.db.engine import get_engine
from gmrd.db.models import ApiToken, WebSession
from gmrd.web import auth
from gmrd.web.security import SESSION_COOKIE


def _post_login(client: TestClient, name: str, password: str, next_: str = "/"):
    csrf = csrf_of(client.get("/login").text)
    return client.post("/login", data={"name": name, "password": password, "csrf": csrf, "next": next_})


def test_anonymous_is_sent_to_login_and_back(client):
    response = client.get("/tabulations?country=218")
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=%2Ftabulations%3Fcountry%3D218"
    assert client.get("/api/v1/sources").json() == {
        "error": {"status": 401, "message": "log in first (or send an API token: Authorization: Bearer …)"}}
    done = _post_login(client, "ana", PASSWORDS["ana"], next_="/tabulations?country=218")
    assert done.headers["location"] == "/tabulations?country=218"
    # only paths on this site are followed after login
    client.cookies.clear()
    assert _post_login(client, "ana", PASSWORDS["ana"], next_="//evil.example/x").headers["location"] == "/"


def test_session_cookie_flags_rotation_and_logout(client, web_db):
    first = login(client, "ana").cookies.get(SESSION_COOKIE)
    csrf = csrf_of(client.get("/").text)  # logged in: the form token of the session
    again = client.post("/login", data={"name": "ana", "password": PASSWORDS["ana"], "csrf": csrf, "next": "/"})
    header = next(v for k, v in again.headers.multi_items()
                  if k == "set-cookie" and v.startswith(SESSION_COOKIE))
    assert "HttpOnly" in header and "SameSite=lax" in header
    second = client.cookies.get(SESSION_COOKIE)
    assert second != first, "the session id rotates at login"
    with TestClient(client.app, follow_redirects=False) as other:
        other.cookies.set(SESSION_COOKIE, first)
        assert other.get("/").status_code == 303, "the old session ended at the new login"
        other.cookies.set(SESSION_COOKIE, second)
        assert other.get("/").status_code == 200
        csrf = csrf_of(other.get("/").text)
        assert other.post("/logout", data={"csrf": csrf}).status_code == 303
        other.cookies.set(SESSION_COOKIE, second)
        assert other.get("/").status_code == 303, "logout revokes the session in the database"
    with get_engine(web_db[0]).connect() as conn:
        assert conn.scalar(sa.select(sa.func.count()).select_from(WebSession).where(
            WebSession.revoked_at.is_(None))) == 0


def test_forged_cookie_is_ignored(client):
    client.cookies.set(SESSION_COOKIE, "not-signed")
    assert client.get("/").status_code == 303


def test_unknown_user_and_disabled_user_are_refused(client, web_db):
    assert _post_login(client, "nobody", "whatever-password").status_code == 401
    with get_engine(web_db[0]).begin() as conn:
        auth.set_active(conn, "carl", False, actor="test")
    assert _post_login(client, "carl", PASSWORDS["carl"]).status_code == 401


def test_csrf_missing_or_wrong_is_403(client):
    page = client.get("/login")
    assert client.post("/login", data={"name": "ana", "password": PASSWORDS["ana"]}).status_code == 403
    assert client.post("/login", data={"name": "ana", "password": PASSWORDS["ana"],
                                       "csrf": "0" * 64}).status_code == 403
    assert csrf_of(page.text)
    login(client, "ada")
    for path, data in (("/logout", {}), ("/admin/users", {"name": "x", "role": "partner", "password": "p" * 12}),
                       ("/admin/tokens", {"owner": "ana"}), ("/upload", {})):
        assert client.post(path, data=data).status_code == 403, path
    assert client.get("/").status_code == 200, "still logged in: the refused logout did nothing"


def test_security_headers_and_no_inline_script(client, web_db):
    login(client, "ada")
    for path in ("/", "/countries/218", "/tabulations", f"/sources/{web_db[1]['ecuador']}", "/estimates",
                 "/revisions", "/upload", "/survey", "/admin/users", "/admin/tokens", "/admin/audit", "/api/v1/docs", "/login"):
        response = client.get(path)
        headers = response.headers
        csp = headers["content-security-policy"]
        script_src = re.search(r"script-src ([^;]*)", csp).group(1)
        assert "unsafe-inline" not in script_src and "unsafe-eval" not in script_src
        assert "frame-ancestors 'none'" in csp
        assert headers["x-frame-options"] == "DENY"
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "same-origin"
        for tag in re.findall(r"<script[^>]*>", response.text):
            assert 'src="/static/' in tag, f"{path}: inline or external script {tag}"
        assert "http://" not in re.sub(r'href="http://testserver[^"]*"', "", "".join(
            re.findall(r'(?:src|href)="[^"]*"', response.text))), f"{path}: a resource from another site"


def test_audit_log_is_append_only_through_the_app(client, app):
    login(client, "ada")
    assert "login" in client.get("/admin/audit").text
    for method in ("PUT", "PATCH", "DELETE"):
        assert client.request(method, "/admin/audit").status_code == 405
    methods = {m for m, path in __import__("gmrd.web.app", fromlist=["route_list"]).route_list(app)
               if "audit" in path}
    assert methods == {"GET"}


def test_api_bearer_tokens(client, web_db):
    url = web_db[0]
    with get_engine(url).begin() as conn:
        token_id, token = auth.create_api_token(conn, "ana", "script", actor="test")
        stored = conn.scalar(sa.select(ApiToken.token_hash).where(ApiToken.id == token_id))
    assert token not in stored and len(stored) == 64, "tokens are stored as SHA-256 digests"
    bearer = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/revisions", headers=bearer).status_code == 200
    assert client.get("/", headers=bearer).status_code == 303, "bearer tokens are for the API only"
    wrong = client.get("/api/v1/revisions", headers={"Authorization": "Bearer nonsense"})
    assert wrong.status_code == 401 and "unknown, revoked" in wrong.json()["error"]["message"]
    with get_engine(url).begin() as conn:
        auth.revoke_api_token(conn, token_id, actor="test")
    assert client.get("/api/v1/revisions", headers=bearer).status_code == 401
    # a session token is not a bearer token
    login(client, "ana")
    with get_engine(url).connect() as conn:
        assert conn.scalar(sa.select(sa.func.count()).select_from(WebSession)) == 1


def test_checked_cookies_still_expire_and_forgeries_fail(monkeypatch):
    """read_cookie keeps cookies whose signature it checked, but checks their age on every use."""
    import time

    from gmrd.web.security import read_cookie, sign_cookie

    cookie = sign_cookie("secret-a", "token-1")
    assert read_cookie("secret-a", cookie) == read_cookie("secret-a", cookie) == "token-1"
    assert read_cookie("secret-b", cookie) is None, "another key"
    assert read_cookie("secret-a", cookie[:-2] + ("AA" if cookie[-2:] != "AA" else "BB")) is None
    later = time.time() + 3601
    monkeypatch.setattr(time, "time", lambda: later)
    assert read_cookie("secret-a", cookie, max_age=3600) is None, "expired although checked before"
    assert read_cookie("secret-a", cookie, max_age=7200) == "token-1"
