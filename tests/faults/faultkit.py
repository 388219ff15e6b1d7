"""Fault-injection helpers: database snapshots, gmrd in a subprocess, tmpfs mounts, a corpus slice."""


from __future__ import annotations

import gzip
import hashlib
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import sqlalchemy as sa

from gmrd.db.engine import get_engine

LONG = "un_ims/undesa_pd_long/empirical_data_points.csv.gz"
SLICE_ROWS = 60_000
TABLES = ("imported_files", "sources", "tabulations", "cells", "audit_events")
CANONICAL = (
    "country,reference_date,source_type,concept,sex,age,origin,value,source_title\n"
    "Ecuador,2010-11-28,census,foreign_born,both,total,total,194398,Censo 2010\n"
    "Ecuador,2010-11-28,census,foreign_born,both,total,Colombia,89931,Censo 2010\n"
    "Ecuador,2010-11-28,census,foreign_born,male,total,total,97844,Censo 2010\n"
)


def write_slice(refdata: Path, out: Path, max_rows: int) -> Path:
    """The first ``max_rows`` data lines of the UN empirical corpus (header kept), gzip."""
    with gzip.open(refdata / LONG, "rt", encoding="utf-8") as src, gzip.open(out, "wt", encoding="utf-8") as dst:
        for i, line in enumerate(src):
            if i > max_rows:
                break
            dst.write(line)
    return out


def db_state(url: str) -> dict[str, object]:
    """Row counts of the import tables and a SHA-256 of every cell (ordered by id)."""
    state: dict[str, object] = {}
    with get_engine(url).connect() as conn:
        for table in TABLES:
            state[table] = conn.scalar(sa.text(f"select count(*) from {table}"))
        digest = hashlib.sha256()
        rows = conn.execute(sa.text("select id, tabulation_id, sex, age_lo, age_hi, origin_code, value "
                                    "from cells order by id"))
        for part in rows.partitions(50_000):
            digest.update(repr([tuple(r) for r in part]).encode())
        state["cells_sha256"] = digest.hexdigest()
        state["checksums"] = sorted(conn.scalars(sa.text("select checksum from imported_files")))
    return state


def gmrd_command(*args: str) -> list[str]:
    """``gmrd ARGS`` through the installed entry point (the interpreter's own environment)."""
    script = Path(sys.executable).with_name("gmrd")
    if script.is_file():
        return [str(script), *args]
    return [sys.executable, "-c", "from gmrd.cli import app; app()", *args]


def start_gmrd(url: str, *args: str, app_name: str = "gmrd-faults") -> subprocess.Popen[str]:
    env = {**os.environ, "GMRD_DATABASE_URL": url, "PGAPPNAME": app_name, "COLUMNS": "200"}
    return subprocess.Popen(gmrd_command(*args), env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)


def wait_for(condition: Callable[[], bool], timeout: float, what: str,
             proc: subprocess.Popen[str] | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        if proc is not None and proc.poll() is not None:
            out, err = proc.communicate()
            raise AssertionError(f"gmrd exited ({proc.returncode}) before {what}: {err or out}")
        time.sleep(0.02)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def sqlite_path(url: str) -> Path:
    return Path(sa.engine.make_url(url).database or "")


def mount_problem() -> str | None:
    if sys.platform != "linux":
        return "tmpfs mounts need Linux"
    if os.geteuid() != 0:
        return "tmpfs mounts need root"
    if not shutil.which("mount"):
        return "no mount command"
    return None


class Tmpfs:
    """A small tmpfs mounted at ``path`` (root only); ``resize`` grows or shrinks it in place."""

    def __init__(self, path: Path, size: int) -> None:
        self.path = path
        path.mkdir(parents=True, exist_ok=True)
        subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0777", "tmpfs", str(path)],
                       check=True, capture_output=True, text=True)

    def resize(self, size: int) -> None:
        subprocess.run(["mount", "-o", f"remount,size={size}", str(self.path)], check=True, capture_output=True,
                       text=True)

    def free(self) -> int:
        stat = os.statvfs(self.path)
        return stat.f_bavail * stat.f_frsize

    def unmount(self) -> None:
        subprocess.run(["umount", "-l", str(self.path)], check=True, capture_output=True)
