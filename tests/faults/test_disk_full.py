"""A disk that fills up during an import: one clear error, no partial data, and a later import works.

The database (SQLite) or the cells table and its indexes (PostgreSQL, through a tablespace) live on a
small tmpfs; importing 60,000 rows of the UN corpus overflows it. Needs root for ``mount``: the
``tmpfs`` fixture fails in CI (CI=true) when it cannot mount, and skips only on a developer machine.
"""

from __future__ import annotations

import os
import pwd
import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from faultkit import SLICE_ROWS, Tmpfs, db_state
from typer.testing import CliRunner

from gmrd.cli import app
from gmrd.db import schema
from gmrd.db.engine import engine_for
from gmrd.errors import GmrdError
from gmrd.ingest.load import import_file
from unavailable import unavailable

ROOMY = 256 << 20


def _import_fails_with_disk_full(path: Path, url: str) -> None:
    with pytest.raises(GmrdError, match=f"disk full while importing {path.name}"):
        import_file(path, url=url)
    result = CliRunner().invoke(app, ["import", str(path)], env={"GMRD_DATABASE_URL": url})
    assert result.exit_code == 1
    message = result.stderr.strip()
    assert message.startswith(f"error: disk full while importing {path.name}"), message
    assert "Traceback" not in result.output and len(message.splitlines()) == 1


def test_full_disk_during_sqlite_import(tmpfs, long_slice, baseline_file):
    fs: Tmpfs = tmpfs(ROOMY)
    url = f"sqlite:///{fs.path / 'gmrd.sqlite'}"
    try:
        schema.upgrade(url)
        import_file(baseline_file, url=url)
        engine_for(url).dispose()
        with sqlite3.connect(fs.path / "gmrd.sqlite") as conn:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        fs.resize(ROOMY - fs.free() + (512 << 10))  # what the database uses now, and half a megabyte
        before = db_state(url)

        _import_fails_with_disk_full(long_slice, url)

        engine_for(url).dispose()
        assert db_state(url) == before
        with sqlite3.connect(fs.path / "gmrd.sqlite") as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        fs.resize(ROOMY)
        report = import_file(long_slice, url=url)
        assert report.cells == SLICE_ROWS and not report.skipped_duplicate
        assert db_state(url)["cells"] == before["cells"] + SLICE_ROWS  # type: ignore[operator]
    finally:
        engine_for(url).dispose()


def _local_postgres_user(url: str) -> str | None:
    """The server's OS user when the server runs on this machine (a tablespace needs its folder)."""
    with engine_for(url).connect() as conn:
        data_dir = conn.scalar(sa.text("select current_setting('data_directory')"))
    if not data_dir or not Path(data_dir).is_dir():
        return None
    return pwd.getpwuid(Path(data_dir).stat().st_uid).pw_name


@pytest.fixture()
def small_tablespace(db_url: str, tmpfs) -> Iterator[tuple[str, Tmpfs]]:
    """A tablespace on a 1 MB tmpfs; the test database's cells table and indexes moved into it."""
    owner = _local_postgres_user(db_url)
    if owner is None:
        problem = "the PostgreSQL server is not on this machine: no tablespace on a small tmpfs"
        unavailable(problem)
    fs: Tmpfs = tmpfs(1 << 20)
    folder = fs.path / "tablespace"
    folder.mkdir()
    user = pwd.getpwnam(owner)
    os.chown(folder, user.pw_uid, user.pw_gid)
    name = f"gmrd_small_{uuid.uuid4().hex[:12]}"
    admin = engine_for(db_url).execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f"CREATE TABLESPACE {name} LOCATION '{folder}'"))
    try:
        _move_cells(db_url, name)
        yield name, fs
    finally:
        fs.resize(ROOMY)
        _move_cells(db_url, "pg_default")
        engine_for(db_url).dispose()
        with admin.connect() as conn:
            conn.execute(sa.text(f"DROP TABLESPACE {name}"))


def _move_cells(url: str, tablespace: str) -> None:
    with engine_for(url).begin() as conn:
        conn.execute(sa.text(f"ALTER TABLE cells SET TABLESPACE {tablespace}"))
        for index in conn.scalars(sa.text("select indexname from pg_indexes where tablename = 'cells' "
                                          "and schemaname = current_schema()")):
            conn.execute(sa.text(f'ALTER INDEX "{index}" SET TABLESPACE {tablespace}'))


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_full_disk_during_postgresql_import(db_url, small_tablespace, long_slice, baseline_file):
    _, fs = small_tablespace
    import_file(baseline_file, url=db_url)
    before = db_state(db_url)

    _import_fails_with_disk_full(long_slice, db_url)

    assert db_state(db_url) == before
    fs.resize(ROOMY)
    report = import_file(long_slice, url=db_url)
    assert report.cells == SLICE_ROWS and not report.skipped_duplicate
    assert db_state(db_url)["cells"] == before["cells"] + SLICE_ROWS  # type: ignore[operator]
