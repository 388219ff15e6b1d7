"""Issue 17 (server and accounts): each attack of the outside test as a request, and its refusal.

Item 2 (bodies read before the checks), 4 (anyone could lock any account), 8 (development secret key,
cookies and HSTS behind an HTTPS proxy), 9 (weak passwords), 10 (login floods), 11 (user names in form
addresses), 12 (the Host header in API links). The load test on a served process is
tests/web_reliability/test_body_memory.py.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from typer.testing import CliRunner
from webdata import PASSWORDS, csrf_of, login, page_csrf

from gmrd.commands import web as commands
from gmrd.db.engine import get_engine
from gmrd.db.models import AuditEvent, User
from gmrd.web import auth
from gmrd.web.app import create_app
from gmrd.web.passwords import password_problem
from gmrd.web.security import SESSION_COOKIE
from gmrd.web.throttle import ThrottleLimits

SECRET = "test-secret-key"
MB = 1 << 20


def _app(url: str, monkeypatch, **env: str):
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return create_app(url, secret_key=SECRET)


def _asgi_post(app, path: str, headers: dict[str, str], body_chunks: int,
               chunk: int = MB) -> tuple[int, dict, int]:
    """POST ``body_chunks`` chunks of ``chunk`` bytes to ``app`` over raw ASGI; (status, headers, bytes the
    app read). The body is handed out only as the app asks for it, so the count is what it read; a
    multipart body starts with the head of a file part, so that the parser keeps reading."""
    read = 0
    sent: list[dict] = []
    left = body_chunks
    head = FILE_PART if headers.get("content-type", "").startswith("multipart/") else b""

    async def receive() -> dict:
        nonlocal read, left, head
        if left == 0:
            return {"type": "http.disconnect"}
        left -= 1
        body, head = head + b"x" * (chunk - len(head)), b""
        read += len(body)
        return {"type": "http.request", "body": body, "more_body": left > 0}

    async def send(message: dict) -> None:
        sent.append(message)

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
             "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": b"",
             "root_path": "", "client": ("203.0.113.9", 5000), "server": ("testserver", 80),
             "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()]}
    # in a thread of its own: a test run earlier in this worker may leave an event loop running in the
    # main thread (Playwright's sync API does), where asyncio.run refuses to start
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, app(scope, receive, send)).result()
    start = next(m for m in sent if m["type"] == "http.response.start")
    return start["status"], {k.decode(): v.decode() for k, v in start["headers"]}, read


MULTIPART = {"content-type": "multipart/form-data; boundary=xyz"}
FILE_PART = (b'--xyz\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n'
             b"Content-Type: text/csv\r\n\r\n")


# --- item 2: bodies are checked before they are read ----------------------------------------------------


def test_anonymous_large_bodies_are_refused_before_reading(web_db, monkeypatch, tmp_path):
    spool = tmp_path / "spool"
    spool.mkdir()
    monkeypatch.setattr("tempfile.tempdir", str(spool))  # where a spooled upload would go
    app = _app(web_db[0], monkeypatch)
    # 200 MB declared to /upload, anonymous: sent to the login page without reading a byte
    status, headers, read = _asgi_post(app, "/upload", {**MULTIPART, "content-length": str(200 * MB)}, 200)
    assert (status, read) == (303, 0) and headers["location"].startswith("/login")
    assert headers["connection"] == "close"
    # the same without a declared length (chunked): refused before reading too
    status, _, read = _asgi_post(app, "/survey", MULTIPART, 200)
    assert (status, read) == (303, 0)
    # the login form, chunked: 413 as soon as the body passes GMRD_MAX_FORM_BYTES (64 KiB)
    status, headers, read = _asgi_post(app, "/login", {"content-type": "application/x-www-form-urlencoded"},
                                       200, chunk=16 * 1024)
    assert status == 413 and read <= 64 * 1024 + 16 * 1024 and headers["connection"] == "close"
    status, _, read = _asgi_post(app, "/api/v1/sources", {"content-length": str(200 * MB)}, 200)
    assert (status, read) == (405, 0), "a route that takes no body reads none"
    assert list(spool.iterdir()) == [], "nothing was spooled to disk"


def test_logged_in_bodies_are_checked_by_role_and_limit(web_db, monkeypatch):
    app = _app(web_db[0], monkeypatch, GMRD_MAX_FILE_BYTES=str(4 * MB))
    with TestClient(app, follow_redirects=False) as client:
        partner = login(client, "ana").cookies.get(SESSION_COOKIE)
        client.cookies.clear()
        curator = login(client, "carl").cookies.get(SESSION_COOKIE)
    as_partner = {**MULTIPART, "cookie": f"{SESSION_COOKIE}={partner}", "content-length": str(200 * MB)}
    status, _, read = _asgi_post(app, "/upload", as_partner, 200)
    assert (status, read) == (403, 0), "a partner may not upload: refused before reading"
    as_curator = {**MULTIPART, "cookie": f"{SESSION_COOKIE}={curator}"}
    status, _, read = _asgi_post(app, "/upload", {**as_curator, "content-length": str(200 * MB)}, 200)
    assert (status, read) == (413, 0), "over GMRD_MAX_FILE_BYTES: refused before reading"
    status, _, read = _asgi_post(app, "/upload", as_curator, 200)  # chunked: read up to the limit only
    assert status == 413 and read <= 5 * MB
    # a partner's form stays under the form limit
    status, _, read = _asgi_post(app, "/logout", {"cookie": f"{SESSION_COOKIE}={partner}",
                                                 "content-type": "application/x-www-form-urlencoded",
                                                 "content-length": str(10 * MB)}, 10)
    assert (status, read) == (413, 0)


# --- items 4 and 10: throttling instead of locks, one message ------------------------------------------


def _post_login(client: TestClient, name: str, password: str):
    csrf = csrf_of(client.get("/login").text)
    return client.post("/login", data={"name": name, "password": password, "csrf": csrf, "next": "/"})


def _as(app, address: str) -> TestClient:
    return TestClient(app, follow_redirects=False, client=(address, 40000))


def test_nobody_can_lock_an_account_and_real_and_unknown_names_answer_alike(web_db, monkeypatch):
    app = _app(web_db[0], monkeypatch)
    app.state.login_limits = ThrottleLimits(attempts_per_minute=100, free_failures=3, max_delay=2)
    # a clock that moves only when the test says so: on a loaded machine a real clock let delays run out
    # between slow attempts, and the answers depended on the machine's speed, not on the rule
    clock = [auth.utcnow()]
    monkeypatch.setattr(auth, "utcnow", lambda: clock[0])

    def wait(seconds: float) -> None:
        clock[0] += timedelta(seconds=seconds)

    answers = {}
    for address, name in (("198.51.100.1", "ada"), ("198.51.100.2", "nobody")):
        with _as(app, address) as attacker:
            answers[name] = []
            for _ in range(8):
                response = _post_login(attacker, name, "wrong-password-1")
                answers[name].append((response.status_code, response.headers.get("retry-after") is not None,
                                      "wrong user name or password" in response.text))
                wait(0.1)
    assert answers["ada"] == answers["nobody"], "a real and an unknown name get the same answers"
    statuses = [status for status, _, _ in answers["ada"]]
    assert statuses[:3] == [401, 401, 401] and 429 in statuses, "delays start after the free failures"
    # the real admin, from elsewhere, waits at most max_delay seconds (no 15-minute lock)
    with _as(app, "192.0.2.10") as admin:
        first = _post_login(admin, "ada", PASSWORDS["ada"])
        if first.status_code == 429:
            assert int(first.headers["retry-after"]) <= 2 and "too many login attempts" in first.text
            wait(int(first.headers["retry-after"]))
            first = _post_login(admin, "ada", PASSWORDS["ada"])
        assert first.status_code == 303
    with get_engine(web_db[0]).connect() as conn:
        actions = list(conn.scalars(sa.select(AuditEvent.action).where(AuditEvent.actor == "ada")))
    assert "login.delayed" in actions and "login.throttled" in actions and actions[-1] == "login"


def test_a_login_flood_from_one_client_is_refused_before_password_checks(web_db, monkeypatch):
    app = _app(web_db[0], monkeypatch)  # defaults: 10 attempts a minute per client
    verified = []
    real_verify = auth.verify_password
    monkeypatch.setattr(auth, "verify_password", lambda h, p: verified.append(1) or real_verify(h, p))
    with _as(app, "198.51.100.7") as flood:
        csrf = csrf_of(flood.get("/login").text)

        def attempt(i: int):
            return flood.post("/login", data={"name": f"user{i % 3}", "password": "wrong-password-1",
                                              "csrf": csrf, "next": "/"})

        with ThreadPoolExecutor(8) as pool:
            responses = list(pool.map(attempt, range(40)))
    statuses = [r.status_code for r in responses]
    assert statuses.count(429) >= 30 and len(verified) <= 10, (statuses, len(verified))
    assert all(1 <= int(r.headers["retry-after"]) <= 60 for r in responses if r.status_code == 429)
    # another client is not affected
    with _as(app, "192.0.2.11") as other:
        assert _post_login(other, "ana", PASSWORDS["ana"]).status_code == 303


def test_an_admin_enabling_an_account_clears_its_delay(web_db, monkeypatch):
    app = _app(web_db[0], monkeypatch)
    app.state.login_limits = ThrottleLimits(attempts_per_minute=100, free_failures=1, max_delay=60)
    with _as(app, "198.51.100.3") as attacker:
        for _ in range(3):
            _post_login(attacker, "ana", "wrong-password-1")
    with _as(app, "192.0.2.12") as ana:
        assert _post_login(ana, "ana", PASSWORDS["ana"]).status_code == 429
        with get_engine(web_db[0]).begin() as conn:
            auth.set_active(conn, "ana", True, actor="test")
        assert _post_login(ana, "ana", PASSWORDS["ana"]).status_code == 303


# --- item 8: the secret key, Secure cookies and HSTS behind a trusted HTTPS proxy -------------------------


def test_serve_refuses_the_development_key_beyond_loopback(db_url, monkeypatch):
    import uvicorn

    started = []
    monkeypatch.setattr(uvicorn, "run", lambda *a, **k: started.append(k["host"]))
    monkeypatch.delenv("GMRD_SECRET_KEY", raising=False)
    runner = CliRunner()
    import typer

    app = typer.Typer()
    app.command()(commands.serve)
    refused = runner.invoke(app, ["--host", "0.0.0.0"])
    assert refused.exit_code == 1 and "GMRD_SECRET_KEY is not set" in refused.output and started == []
    warned = runner.invoke(app, ["--host", "127.0.0.1"])
    assert warned.exit_code == 0 and "warning: GMRD_SECRET_KEY is not set" in warned.output
    monkeypatch.setenv("GMRD_SECRET_KEY", "a-real-secret-for-this-test-0123456789")
    quiet = runner.invoke(app, ["--host", "0.0.0.0"])
    assert quiet.exit_code == 0 and "warning" not in quiet.output
    assert started == ["127.0.0.1", "0.0.0.0"]


def _session_cookie_header(response) -> str:
    return next(v for k, v in response.headers.multi_items()
                if k == "set-cookie" and v.startswith(SESSION_COOKIE))


def test_secure_cookies_and_hsts_only_over_https_from_the_trusted_proxy(web_db, monkeypatch):
    https = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.50"}
    proxied = _app(web_db[0], monkeypatch, GMRD_TRUSTED_PROXIES="192.0.2.1")
    with _as(proxied, "192.0.2.1") as proxy:
        page = proxy.get("/login", headers=https)
        assert "secure" in page.headers["set-cookie"].lower()
        # the test client keeps a Secure cookie for https addresses: hand it back as the browser would
        pre = page.headers["set-cookie"].split(";")[0]
        done = proxy.post("/login", headers={**https, "Cookie": pre},
                          data={"name": "ana", "password": PASSWORDS["ana"], "csrf": csrf_of(page.text),
                                "next": "/"})
        assert done.status_code == 303 and "secure" in _session_cookie_header(done).lower()
        assert done.headers["strict-transport-security"] == "max-age=31536000"
    with get_engine(web_db[0]).connect() as conn:
        logged = conn.scalar(sa.select(AuditEvent.action).where(AuditEvent.action == "login"))
    assert logged == "login"
    # the same headers from a client that is not the proxy are ignored
    with _as(proxied, "198.51.100.20") as spoofer:
        csrf = csrf_of(spoofer.get("/login", headers=https).text)
        done = spoofer.post("/login", headers=https, data={"name": "ana", "password": PASSWORDS["ana"],
                                                            "csrf": csrf, "next": "/"})
        assert "secure" not in _session_cookie_header(done).lower()
        assert "strict-transport-security" not in done.headers


# --- item 9: password policy ------------------------------------------------------------------------------


@pytest.mark.parametrize("password", ["aaaaaaaaaa", "password10", " " * 10, "abcabcabca", "1234567890",
                                      "abcdefghij", "Password!2024", "qwerty123456", "the-ada-pass"])
def test_weak_passwords_are_refused(password):
    assert password_problem(password, "ada") is not None


def test_good_passwords_pass():
    assert password_problem("curator-pass-123", "carl") is None
    assert password_problem("ice-kettle-orbit", "ada") is None


def test_weak_passwords_are_refused_by_the_admin_form_and_the_cli(client, db_url):
    login(client, "ada")
    for password in ("aaaaaaaaaa", "password10", " " * 10, "mallory-secret"):
        done = client.post("/admin/users", data={"name": "mallory", "role": "partner", "password": password,
                                                 "csrf": page_csrf(client, "/admin/users")})
        assert done.status_code == 400 and "password" in done.text, password
    add = ["users", "add", "mallory", "--role", "partner", "--password-stdin"]
    refused = CliRunner().invoke(_users_cli(), add, input="password10\n")
    assert refused.exit_code == 1 and "most common passwords" in refused.output


def _users_cli():
    import typer

    app = typer.Typer()
    app.add_typer(commands.users_app, name="users")
    return app


# --- item 11: user names in addresses ---------------------------------------------------------------------


def test_user_names_are_restricted_and_quoted_in_addresses(client, web_db):
    login(client, "ada")
    attack = "x/../../users/ana"
    done = client.post("/admin/users", data={"name": attack, "role": "partner",
                                             "password": "ice-kettle-orbit",
                                             "csrf": page_csrf(client, "/admin/users")})
    assert done.status_code == 400 and "user name is" in done.text
    add = ["users", "add", attack, "--role", "partner", "--password-stdin"]
    refused = CliRunner().invoke(_users_cli(), add, input="ice-kettle-orbit\n")
    assert refused.exit_code == 1 and "user name is" in refused.output
    # a name stored before the rule (written to the database directly) is quoted as one path segment
    with get_engine(web_db[0]).begin() as conn:
        conn.execute(sa.insert(User).values(name=attack, role="partner", password_hash="x"))
    page = client.get("/admin/users").text
    assert 'action="/admin/users/x%2F..%2F..%2Fusers%2Fana/disable"' in page
    assert client.post("/admin/users/x%2F..%2F..%2Fusers%2Fana/disable",
                       data={"csrf": page_csrf(client, "/admin/users")}).status_code == 404
    with get_engine(web_db[0]).connect() as conn:
        assert conn.scalar(sa.select(User.active).where(User.name == "ana")) is True, "ana was not disabled"


# --- item 12: the Host header is not reflected ------------------------------------------------------------


def test_api_links_do_not_reflect_the_host_header(web_db, monkeypatch):
    with get_engine(web_db[0]).begin() as conn:
        _, token = auth.create_api_token(conn, "ana", "links", actor="test")
    headers = {"Authorization": f"Bearer {token}", "Host": "evil.example"}
    with TestClient(_app(web_db[0], monkeypatch)) as client:
        page = client.get("/api/v1/tabulations?limit=1", headers=headers).json()
    assert page["next"] == "/api/v1/tabulations?limit=1&offset=1"
    configured = _app(web_db[0], monkeypatch, GMRD_BASE_URL="https://gmrd.example.org/")
    with TestClient(configured) as client:
        page = client.get("/api/v1/tabulations?limit=1", headers=headers).json()
    assert page["next"] == "https://gmrd.example.org/api/v1/tabulations?limit=1&offset=1"
