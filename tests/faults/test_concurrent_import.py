"""Two `gmrd import` processes given the same file at the same moment add it once.

The test holds the database so that both processes are certainly inside ``import_file`` at once before
either can write: on SQLite it holds the write lock, and both wait in their BEGIN IMMEDIATE (SQLite then
serialises them, and the second finds the checksum); on PostgreSQL it holds a SHARE lock on
imported_files, so both have checked the checksum (not there yet) and wait to insert it; the unique
checksum then decides. Either way: both exit 0, one reports the import, the other a skipped duplicate,
and the cells are in the database once.
"""

from __future__ import annotations

import json
import random
import sqlite3
import time
from pathlib import Path

import sqlalchemy as sa
from faultkit import SLICE_ROWS, db_state, sqlite_path, start_gmrd, wait_for

from gmrd.db.engine import engine_for


def _waiting_on_sqlite_lock(pid: int) -> bool:
    """The process sleeps in SQLite's busy handler (the main thread in nanosleep)."""
    try:
        return Path(f"/proc/{pid}/wchan").read_text().strip() in {"hrtimer_nanosleep", "do_nanosleep"}
    except OSError:
        return False


def _postgres_waiting(url: str, app_name: str) -> bool:
    with engine_for(url).connect() as conn:
        return bool(conn.scalar(sa.text(
            "select count(*) from pg_stat_activity where application_name = :app and wait_event_type = 'Lock' "
            "and query ilike '%insert into imported_files%'"), {"app": app_name}))


def test_two_imports_of_one_file_at_once_add_it_once(db_url, long_slice, baseline_file):
    from gmrd.ingest.load import import_file

    import_file(baseline_file, url=db_url)
    before = db_state(db_url)
    tag = f"gmrd-race-{random.getrandbits(32):08x}"
    names = [f"{tag}-a", f"{tag}-b"]
    if db_url.startswith("sqlite"):
        holder = sqlite3.connect(sqlite_path(db_url), isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
    else:
        holder_conn = engine_for(db_url).connect()
        holder_tx = holder_conn.begin()
        holder_conn.execute(sa.text("LOCK TABLE imported_files IN SHARE MODE"))
    procs = [start_gmrd(db_url, "import", str(long_slice), "--json", app_name=name) for name in names]
    try:
        for proc, name in zip(procs, names):
            if db_url.startswith("sqlite"):
                wait_for(lambda p=proc: _waiting_on_sqlite_lock(p.pid), 120, "the import to wait for the lock", proc)
            else:
                wait_for(lambda n=name: _postgres_waiting(db_url, n), 120, "the import to wait for the lock", proc)
        time.sleep(0.2)
    finally:
        if db_url.startswith("sqlite"):
            holder.execute("ROLLBACK")
            holder.close()
        else:
            holder_tx.rollback()
            holder_conn.close()
    outputs = [proc.communicate(timeout=300) for proc in procs]
    for proc, (out, err) in zip(procs, outputs):
        assert proc.returncode == 0, err
        assert "Traceback" not in err
    files = [json.loads(out)["files"][0] for out, _ in outputs]
    assert sorted(f["skipped_duplicate"] for f in files) == [False, True]
    assert sorted(f["cells"] for f in files) == [0, SLICE_ROWS]
    after = db_state(db_url)
    assert after["imported_files"] == before["imported_files"] + 1  # type: ignore[operator]
    assert after["cells"] == before["cells"] + SLICE_ROWS  # type: ignore[operator]
    assert after["audit_events"] == before["audit_events"] + 1  # type: ignore[operator]
