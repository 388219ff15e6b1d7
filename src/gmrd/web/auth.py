"""Users, roles, sessions, API tokens, login throttling and the audit trail of access.

Everything lives in the database (users, web_sessions, api_tokens, login_throttle, audit_events),
never in process memory, so several ``gmrd serve`` workers share sessions and failed-login counters.
A web session is a row of ``web_sessions``: stored as a digest, revoked at logout, expired after
:data:`~gmrd.web.security.SESSION_MAX_AGE`; bearer tokens for the API are rows of ``api_tokens``
and cannot be used as session cookies (nor sessions as bearer tokens).

Roles are ordered: partner (read, download) < curator (+ upload/import, verify, review) < admin
(+ users, API tokens, audit log).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from gmrd.db import queries
from gmrd.db.models import ApiToken, AuditEvent, User, WebSession, utcnow
from gmrd.errors import GmrdError, InputError, NotFound
from gmrd.web import throttle
from gmrd.web.passwords import check_password
from gmrd.web.security import (
    SESSION_MAX_AGE,
    hash_password,
    needs_rehash,
    new_token,
    token_digest,
    verify_password,
)

ROLES = ("partner", "curator", "admin")
SESSION_LABEL = "@web-session"  # reserved: sessions were api_tokens rows with this label before migration 0004
#: user names: a letter or digit, then letters, digits, '.', '_' and '-' (they appear in addresses and logs)
USER_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")
#: the one answer to every failed login (unknown user, wrong password, disabled user)
REFUSED = "wrong user name or password"


@dataclass(frozen=True)
class Principal:
    """The user a request acts for."""

    user_id: int
    name: str
    role: str

    def can(self, role: str) -> bool:
        """Whether this user has ``role`` or a higher one."""
        return ROLES.index(self.role) >= ROLES.index(role)


@dataclass(frozen=True)
class LoginResult:
    """The user logged in, or why not; ``retry_after`` > 0: throttled, try again after so many seconds."""

    principal: Principal | None
    message: str = ""
    retry_after: int = 0


def audit(conn: Connection, actor: str, action: str, object_type: str, object_id: object, *,
          before: dict[str, Any] | None = None, after: dict[str, Any] | None = None, reason: str = "") -> None:
    """Append one audit event (the app never updates or deletes them)."""
    conn.execute(sa.insert(AuditEvent).values(actor=actor, action=action, object_type=object_type,
                                              object_id=str(object_id), before=before, after=after,
                                              reason=reason))


def check_role(role: str) -> str:
    if role not in ROLES:
        raise InputError(f"unknown role {role!r}: use one of {', '.join(ROLES)}", field="role")
    return role


def check_user_name(name: str) -> str:
    """``name`` if it is a valid user name (:data:`USER_NAME`), else InputError."""
    if not USER_NAME.fullmatch(name):
        raise InputError("a user name is 1-100 letters, digits, '.', '_' or '-', starting with a letter "
                         "or digit", field="name")
    return name


def create_user(conn: Connection, name: str, role: str, password: str, *, actor: str = "cli") -> int:
    """Add a user with an Argon2id-hashed password that passes the policy of gmrd.web.passwords; its id."""
    check_user_name(name)
    check_role(role)
    check_password(password, name)
    if queries.user_by_name(conn, name) is not None:
        raise GmrdError(f"a user named {name!r} exists already")
    user_id = conn.scalar(sa.insert(User).returning(User.id).values(
        name=name, role=role, password_hash=hash_password(password)))
    audit(conn, actor, "user.create", "user", name, after={"role": role, "active": True})
    return int(user_id)  # type: ignore[arg-type]


def set_active(conn: Connection, name: str, active: bool, *, actor: str) -> None:
    """Enable or disable a user; disabling also ends the user's sessions and revokes its tokens."""
    user = queries.user_by_name(conn, name)
    if user is None:
        raise NotFound(f"no user named {name!r}")
    conn.execute(sa.update(User).where(User.id == user.id).values(active=active))
    throttle.forget_account(conn, name)
    if not active:
        for table in (ApiToken, WebSession):
            conn.execute(sa.update(table).where(table.user_id == user.id, table.revoked_at.is_(None))
                         .values(revoked_at=utcnow()))
    audit(conn, actor, "user.enable" if active else "user.disable", "user", name,
          before={"active": user.active}, after={"active": active})


def login(engine: Engine, name: str, password: str, *, client: str, limits: throttle.ThrottleLimits,
          now: datetime | None = None) -> LoginResult:
    """Check a password, throttled by client and by account name (gmrd.web.throttle).

    The attempt is counted and committed first, so that a throttled client is refused before the
    (deliberately costly) Argon2 verification; every failure gets the one message :data:`REFUSED`,
    whether the name exists or not, and throttling answers alike for real and unknown names."""
    now = now or utcnow()
    actor = name[:100] or "?"
    with engine.begin() as conn:
        wait = throttle.admit(conn, client, name, now, limits)
        if wait:
            audit(conn, actor, "login.throttled", "client", client[:60], reason=f"retry after {wait} s")
            return LoginResult(None, f"too many login attempts: try again in {wait} seconds", wait)
        user = queries.user_by_name(conn, name)
    ok = verify_password(user.password_hash if user is not None else None, password)
    with engine.begin() as conn:
        if user is None or not ok or not user.active:
            for key, delay in throttle.record_failure(conn, client, name, now, limits):
                kind, value = key.split(":", 1)
                audit(conn, actor, "login.delayed", kind, value[:60], after={"delay_seconds": delay})
            reason = "unknown user" if user is None else "inactive" if ok else "wrong password"
            audit(conn, actor, "login.failed", "user", name[:60], reason=reason)
            return LoginResult(None, REFUSED)
        throttle.forget_account(conn, name)
        if needs_rehash(user.password_hash):
            conn.execute(sa.update(User).where(User.id == user.id)
                         .values(password_hash=hash_password(password)))
        audit(conn, name, "login", "user", name)
    return LoginResult(Principal(user.id, user.name, user.role))


def start_session(conn: Connection, principal: Principal) -> str:
    """A new session token (a fresh one at every login: the session id rotates)."""
    token = new_token()
    conn.execute(sa.insert(WebSession).values(user_id=principal.user_id, token_hash=token_digest(token)))
    return token


def end_session(conn: Connection, token: str, actor: str) -> None:
    conn.execute(sa.update(WebSession).where(WebSession.token_hash == token_digest(token))
                 .values(revoked_at=utcnow()))
    audit(conn, actor, "logout", "user", actor)


def principal_for(conn: Connection, token: str | None, *, session: bool,
                  now: datetime | None = None) -> Principal | None:
    """The active user of a live session token (``session=True``) or of an API bearer token."""
    if not token:
        return None
    digest = token_digest(token)
    row = queries.session_owner(conn, digest) if session else queries.token_owner(conn, digest)
    if row is None or row.revoked_at is not None or not row.active:
        return None
    if session and row.created_at < (now or utcnow()) - timedelta(seconds=SESSION_MAX_AGE):
        return None
    return Principal(row.user_id, row.name, row.role)


def create_api_token(conn: Connection, user_name: str, label: str, *, actor: str) -> tuple[int, str]:
    """A new bearer token for ``user_name``; returns (id, token) — the token is shown only this once."""
    row = queries.user_by_name(conn, user_name)
    if row is None:
        raise NotFound(f"no user named {user_name!r}")
    label = label.strip()[:100]
    if label == SESSION_LABEL:
        raise InputError(f"the label {SESSION_LABEL!r} is reserved", field="label")
    token = new_token()
    token_id = conn.scalar(sa.insert(ApiToken).returning(ApiToken.id).values(
        user_id=row.id, token_hash=token_digest(token), label=label))
    audit(conn, actor, "token.create", "api_token", token_id, after={"user": user_name, "label": label})
    return int(token_id), token  # type: ignore[arg-type]


def revoke_api_token(conn: Connection, token_id: int, *, actor: str) -> None:
    found = conn.scalar(sa.update(ApiToken).where(ApiToken.id == token_id, ApiToken.label != SESSION_LABEL,
                                                  ApiToken.revoked_at.is_(None))
                        .values(revoked_at=utcnow()).returning(ApiToken.id))
    if found is None:
        raise NotFound(f"no live API token with id {token_id}")
    audit(conn, actor, "token.revoke", "api_token", token_id)
