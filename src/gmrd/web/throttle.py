"""Login throttling by client and by account name, kept in the database (table ``login_throttle``).

Instead of a hard lock that anyone could set off for any account, failed logins make their key wait
a growing delay (OWASP ASVS 4.0 V2.2.1, "soft lockouts"; NIST SP 800-63B §5.2.2, rate limiting):
after ``free_failures`` failures in a row a key waits 1 s, then 2, 4, 8 … seconds, at most
``max_delay``; failures are forgotten after an hour without one. Two kinds of keys:

- ``client:<address>``: the client's address (X-Forwarded-For from a proxy named in
  GMRD_TRUSTED_PROXIES; behind a proxy not named there, every client has the proxy's address). A
  client may also try at most ``attempts_per_minute`` logins in a minute, counted *before* the password
  is checked, so a flood of parallel logins is refused early (429 with Retry-After) instead of costing an
  Argon2 verification each;
- ``account:<name>``: the user name tried, whether or not such a user exists, so the answers for real
  and unknown names are the same. Its delay is capped, so an attacker can slow a real user's login down
  by at most ``max_delay`` seconds, never lock it.

Rows live in the database so several ``gmrd serve`` workers share them (DESIGN.md, scale path).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from gmrd.db.models import LoginThrottle

WINDOW = timedelta(minutes=1)
FORGET = timedelta(hours=1)


@dataclass(frozen=True)
class ThrottleLimits:
    """GMRD_LOGIN_ATTEMPTS_PER_MINUTE, GMRD_LOGIN_FREE_FAILURES and GMRD_LOGIN_MAX_DELAY (seconds)."""

    attempts_per_minute: int = 10
    free_failures: int = 3
    max_delay: int = 60


def client_key(address: str) -> str:
    return f"client:{address}"[:200]


def account_key(name: str) -> str:
    return f"account:{name}"[:200]


def delay_after(failures: int, limits: ThrottleLimits) -> int:
    """Seconds a key waits after ``failures`` failures in a row: none for the first ``free_failures``, then
    1, 2, 4, … doubling, at most ``max_delay``."""
    extra = failures - limits.free_failures
    return 0 if extra <= 0 else min(2 ** min(extra - 1, 30), limits.max_delay)


def _upsert(conn: Connection, key: str, values: dict, updates: dict) -> sa.Row:
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    statement = dialect.insert(LoginThrottle).values(key=key, **values)
    statement = statement.on_conflict_do_update(index_elements=[LoginThrottle.key], set_=updates)
    return conn.execute(statement.returning(LoginThrottle.window_start, LoginThrottle.attempts,
                                            LoginThrottle.failures, LoginThrottle.blocked_until)).one()


def _seconds(delta: timedelta) -> int:
    return max(1, math.ceil(delta.total_seconds()))


def admit(conn: Connection, client: str, name: str, now: datetime, limits: ThrottleLimits) -> int:
    """Count a login attempt of ``client`` for ``name``; the seconds it must wait (0: check the password).

    Commit before checking the password, so that parallel attempts see each other's counts."""
    table = LoginThrottle.__table__.c
    new_window = table.window_start <= now - WINDOW
    row = _upsert(conn, client_key(client), {"window_start": now, "attempts": 1, "failures": 0},
                  {"window_start": sa.case((new_window, now), else_=table.window_start),
                   "attempts": sa.case((new_window, 1), else_=table.attempts + 1)})
    waits = []
    if row.attempts > limits.attempts_per_minute:
        waits.append(row.window_start + WINDOW - now)
    if row.blocked_until is not None and row.blocked_until > now:
        waits.append(row.blocked_until - now)
    account_until = conn.scalar(sa.select(LoginThrottle.blocked_until)
                                .where(LoginThrottle.key == account_key(name)))
    if account_until is not None and account_until > now:
        waits.append(account_until - now)
    return _seconds(max(waits)) if waits else 0


def record_failure(conn: Connection, client: str, name: str, now: datetime,
                   limits: ThrottleLimits) -> list[tuple[str, int]]:
    """Count a failed login for the client and for the name; the (key, delay) of those that must now wait."""
    table = LoginThrottle.__table__.c
    forgotten = sa.or_(table.last_failure_at.is_(None), table.last_failure_at <= now - FORGET)
    delayed = []
    for key in (client_key(client), account_key(name)):
        row = _upsert(conn, key, {"window_start": now, "attempts": 0, "failures": 1, "last_failure_at": now},
                      {"failures": sa.case((forgotten, 1), else_=table.failures + 1), "last_failure_at": now})
        delay = delay_after(row.failures, limits)
        if delay:
            conn.execute(sa.update(LoginThrottle).where(LoginThrottle.key == key)
                         .values(blocked_until=now + timedelta(seconds=delay)))
            delayed.append((key, delay))
    conn.execute(sa.delete(LoginThrottle).where(
        LoginThrottle.window_start <= now - FORGET,
        sa.or_(LoginThrottle.last_failure_at.is_(None), LoginThrottle.last_failure_at <= now - FORGET)))
    return delayed


def forget_account(conn: Connection, name: str) -> None:
    """Clear the failures and delay of the account ``name``: at its successful login (the client's keep
    counting, so an attacker with an account of its own does not reset its address's delay by logging
    in), and when an admin enables it."""
    conn.execute(sa.delete(LoginThrottle).where(LoginThrottle.key == account_key(name)))
