"""What a test needs is missing on this machine: skip locally, fail in CI (CI=true), where it must run."""

from __future__ import annotations

import os

import pytest


def unavailable(message: str) -> None:
    """Fail under CI (PostgreSQL, R, chromium, the reference data and tmpfs must be there), else skip."""
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)
