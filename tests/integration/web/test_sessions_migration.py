"""Migration 0004 moves web sessions out of api_tokens into web_sessions: a browser logged in before
the upgrade stays logged in, API tokens stay where they were, and the downgrade puts sessions back."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import command
from fastapi.testclient import TestClient

from gmrd.db import schema
from gmrd.db.engine import get_engine
from gmrd.web.app import create_app
from gmrd.web.security import SESSION_COOKIE, hash_password, sign_cookie, token_digest

SECRET = "migration-test-secret"


def _to(url: str, target: str, downgrade: bool = False) -> None:
    cfg = schema.alembic_config(url)
    with get_engine(url).begin() as conn:
        cfg.attributes["connection"] = conn
        (command.downgrade if downgrade else command.upgrade)(cfg, target)


def test_sessions_move_to_their_own_table(db_url):
    _to(db_url, "0003", downgrade=True)
    with get_engine(db_url).begin() as conn:
        user = conn.scalar(sa.text("insert into users (name, password_hash, role, created_at, failed_logins, "
                                   "active) values ('ana', :h, 'partner', current_timestamp, 0, true) "
                                   "returning id"), {"h": hash_password("partner-pass-123")})
        for digest, label in ((token_digest("old-session"), "@web-session"), (token_digest("api"), "scripts")):
            conn.execute(sa.text("insert into api_tokens (user_id, token_hash, label, created_at) "
                                 "values (:u, :d, :l, current_timestamp)"), {"u": user, "d": digest, "l": label})
    _to(db_url, "head")
    with get_engine(db_url).connect() as conn:
        assert conn.scalar(sa.text("select count(*) from web_sessions")) == 1
        assert list(conn.scalars(sa.text("select label from api_tokens"))) == ["scripts"]
    with TestClient(create_app(db_url, secret_key=SECRET), follow_redirects=False) as browser:
        browser.cookies.set(SESSION_COOKIE, sign_cookie(SECRET, "old-session"))
        assert browser.get("/countries").status_code == 200, "a session from before the upgrade still works"
        assert browser.get("/api/v1/regions", headers={"Authorization": "Bearer api"}).status_code == 200
    _to(db_url, "0003", downgrade=True)
    with get_engine(db_url).connect() as conn:
        assert sorted(conn.scalars(sa.text("select label from api_tokens"))) == ["@web-session", "scripts"]
    _to(db_url, "head")
