"""`gmrd import` killed with SIGKILL inside its transaction leaves the database as it was.

The import runs in a subprocess on 60,000 rows of the UN corpus; once its transaction is open (SQLite:
the database's write lock is taken; PostgreSQL: its session is querying the import tables) it is killed
after a random delay. The database must then equal its state before (row counts and a hash of every
cell), and importing the file again must succeed. A kill that lands after the commit leaves the
complete import, which a re-import then skips; a partial state is never acceptable.
"""

from __future__ import annotations

import random
import signal
import sqlite3

import pytest
import sqlalchemy as sa
from faultkit import SLICE_ROWS, db_state, sqlite_path, start_gmrd, wait_for

from gmrd.db.engine import engine_for
from gmrd.ingest.load import import_file

SEEDS = (11, 23, 47)
MAX_DELAY = 1.5


def _sqlite_write_locked(url: str) -> bool:
    """True while another connection holds the write lock (the import's BEGIN IMMEDIATE)."""
    conn = sqlite3.connect(sqlite_path(url), timeout=0, isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        return "locked" in str(exc)
    else:
        conn.execute("ROLLBACK")
        return False
    finally:
        conn.close()


def _postgres_importing(url: str, app_name: str) -> bool:
    with engine_for(url).connect() as conn:
        return bool(conn.scalar(sa.text(
            "select count(*) from pg_stat_activity where application_name = :app and xact_start is not null "
            "and (query ilike '%imported_files%' or query ilike '%sources%' or query ilike 'copy %')"),
            {"app": app_name}))


def _in_transaction(url: str, app_name: str) -> bool:
    if url.startswith("sqlite"):
        return _sqlite_write_locked(url)
    return _postgres_importing(url, app_name)


@pytest.mark.parametrize("seed", SEEDS)
def test_sigkill_during_import_leaves_the_database_unchanged(db_url, long_slice, baseline_file, seed):
    import_file(baseline_file, url=db_url)
    before = db_state(db_url)
    app_name = f"gmrd-kill-{seed}-{random.getrandbits(32):08x}"
    proc = start_gmrd(db_url, "import", str(long_slice), app_name=app_name)
    try:
        wait_for(lambda: _in_transaction(db_url, app_name), 120, "the import transaction", proc)
        delay = random.Random(seed).uniform(0.0, MAX_DELAY)
        try:
            proc.wait(timeout=delay)
        except Exception:  # noqa: BLE001 - still running: the normal case
            proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.communicate()

    after = db_state(db_url)
    if proc.returncode == -signal.SIGKILL:
        complete = after["cells"] == before["cells"] + SLICE_ROWS  # type: ignore[operator]
        if not complete:
            assert after == before, f"killed after {delay:.2f}s: partial import left behind"
    else:
        assert proc.returncode == 0, "the import finished on its own and must have succeeded"
        complete = True
    if complete:
        # killed (or finished) after its commit: the whole file is there, once
        assert after["imported_files"] == before["imported_files"] + 1  # type: ignore[operator]
        assert import_file(long_slice, url=db_url).skipped_duplicate
        return
    report = import_file(long_slice, url=db_url)
    assert not report.skipped_duplicate
    assert report.cells == SLICE_ROWS
    final = db_state(db_url)
    assert final["cells"] == before["cells"] + SLICE_ROWS  # type: ignore[operator]
    assert final["imported_files"] == before["imported_files"] + 1  # type: ignore[operator]
