"""Shared fixtures: the reference data folder (../shared/data) and database back-ends."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def reference_data_dir() -> Path:
    return Path(os.environ.get("GMRD_REFERENCE_DATA", ROOT.parent / "shared" / "data")).resolve()


@pytest.fixture(scope="session")
def refdata() -> Path:
    """The published reference data; a missing folder skips locally but fails in CI (CI=true)."""
    path = reference_data_dir()
    if not path.is_dir():
        message = f"reference data folder {path} not found (set GMRD_REFERENCE_DATA)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path
