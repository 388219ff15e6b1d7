"""Fixtures of the web reliability tests: the populated web database of tests/integration/web (both
back-ends), an app on it and an API bearer token."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "integration" / "web"))

from webdata import populate

from gmrd.db.engine import get_engine
from gmrd.web import auth, cache
from gmrd.web.app import create_app


@pytest.fixture
def web_db(db_url, tmp_path):
    ids = populate(db_url, tmp_path)
    cache.clear()
    return db_url, ids


@pytest.fixture
def app(web_db):
    return create_app(web_db[0], secret_key="test-secret-key")


@pytest.fixture
def bearer(web_db) -> dict[str, str]:
    with get_engine(web_db[0]).begin() as conn:
        _, token = auth.create_api_token(conn, "ana", "reliability", actor="test")
    return {"Authorization": f"Bearer {token}"}
