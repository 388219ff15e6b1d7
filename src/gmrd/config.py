"""Settings read from the environment (GMRD_*), with defaults for a single-machine install."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_DB_FILE = Path("var") / "gmrd.sqlite"
#: the secret key when GMRD_SECRET_KEY is unset: ``gmrd serve`` refuses it beyond loopback
DEV_SECRET_KEY = "dev-only-change-me"


@dataclass(frozen=True)
class Settings:
    database_url: str
    secret_key: str
    max_upload_bytes: int
    reference_data: Path
    max_form_bytes: int
    trusted_proxies: tuple[str, ...]
    base_url: str
    login_attempts_per_minute: int
    login_free_failures: int
    login_max_delay: int
    xlsx_max_rows: int = 100_000
    heavy_requests_per_user: int = 2


def settings() -> Settings:
    """Current settings; read on each call so tests and the CLI can change the environment."""
    url = os.environ.get("GMRD_DATABASE_URL") or f"sqlite:///{DEFAULT_DB_FILE}"
    return Settings(
        database_url=url,
        secret_key=os.environ.get("GMRD_SECRET_KEY") or DEV_SECRET_KEY,
        max_upload_bytes=int(os.environ.get("GMRD_MAX_FILE_BYTES", str(2 * 1024**3))),
        reference_data=Path(os.environ.get("GMRD_REFERENCE_DATA", "../shared/data")),
        max_form_bytes=int(os.environ.get("GMRD_MAX_FORM_BYTES", str(64 * 1024))),
        trusted_proxies=tuple(h.strip() for h in os.environ.get("GMRD_TRUSTED_PROXIES", "").split(",")
                              if h.strip()),
        base_url=os.environ.get("GMRD_BASE_URL", "").rstrip("/"),
        login_attempts_per_minute=int(os.environ.get("GMRD_LOGIN_ATTEMPTS_PER_MINUTE", "10")),
        login_free_failures=int(os.environ.get("GMRD_LOGIN_FREE_FAILURES", "3")),
        login_max_delay=int(os.environ.get("GMRD_LOGIN_MAX_DELAY", "60")),
        xlsx_max_rows=int(os.environ.get("GMRD_XLSX_MAX_ROWS", "100000")),
        heavy_requests_per_user=int(os.environ.get("GMRD_HEAVY_REQUESTS_PER_USER", "2")),
    )
