"""A populated web database per test (SQLite and PostgreSQL) and an in-process client of the real app."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from webdata import populate

from gmrd.web.app import create_app


@pytest.fixture
def web_db(db_url, tmp_path):
    ids = populate(db_url, tmp_path)
    return db_url, ids


@pytest.fixture
def app(web_db):
    return create_app(web_db[0], secret_key="test-secret-key")


@pytest.fixture
def client(app):
    with TestClient(app, follow_redirects=False) as c:
        yield c


