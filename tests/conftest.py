"""Shared fixtures: the reference data folder (../shared/data) and database back-ends."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from unavailable import unavailable

ROOT = Path(__file__).resolve().parents[1]


def reference_data_dir() -> Path:
    return Path(os.environ.get("GMRD_REFERENCE_DATA", ROOT.parent / "shared" / "data")).resolve()


@pytest.fixture(scope="session")
def refdata() -> Path:
    """The published reference data; a missing folder skips locally but fails in CI (CI=true)."""
    path = reference_data_dir()
    if not path.is_dir():
        message = f"reference data folder {path} not found (set GMRD_REFERENCE_DATA)"
        unavailable(message)
    return path


POSTGRES_URL = os.environ.get("GMRD_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")


def _postgres_available() -> str | None:
    import sqlalchemy as sa

    from gmrd.db.engine import engine_for

    try:
        with engine_for(POSTGRES_URL).connect() as conn:
            conn.execute(sa.text("select 1"))
    except Exception as exc:  # noqa: BLE001 - any failure means: not reachable here
        return f"PostgreSQL at {POSTGRES_URL} not reachable: {exc.__class__.__name__}"
    return None


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path, monkeypatch):
    """A fresh, migrated database on each back-end, also set as GMRD_DATABASE_URL for the CLI.

    PostgreSQL gets a schema of its own per test (search_path), so tests run in parallel.
    A missing PostgreSQL skips locally but fails in CI (CI=true).
    """
    import uuid

    import sqlalchemy as sa

    from gmrd.db import schema
    from gmrd.db.engine import engine_for

    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'gmrd.sqlite'}"
    else:
        problem = _postgres_available()
        if problem:
            unavailable(problem)
        name = f"t_{uuid.uuid4().hex[:16]}"
        with engine_for(POSTGRES_URL).begin() as conn:
            conn.execute(sa.text(f"CREATE SCHEMA {name}"))
        url = f"{POSTGRES_URL}?options=-csearch_path%3D{name}"
    schema.upgrade(url)
    monkeypatch.setenv("GMRD_DATABASE_URL", url)
    yield url
    engine_for(url).dispose()
    if request.param == "postgresql":
        with engine_for(POSTGRES_URL).begin() as conn:
            conn.execute(sa.text(f"DROP SCHEMA {name} CASCADE"))
