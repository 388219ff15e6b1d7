"""The served app survives a PostgreSQL restart: while the server is down requests get a 503 (never a
500), and after it is back every request succeeds (the pool's pre-ping replaces dead connections).

The test runs a PostgreSQL cluster of its own (initdb in a temporary folder, a free port on
127.0.0.1) so that restarting it disturbs no other test or user of the machine's cluster; the
server under test is `uvicorn gmrd.web.app:create_app` in a child process, as `gmrd serve` runs it.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from webdata import PASSWORDS, csrf_of, populate

from gmrd.db import schema
from gmrd.db.engine import engine_for, get_engine
from gmrd.web import auth

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _pg_bin() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    if not found:
        pytest.fail("PostgreSQL server binaries (initdb, pg_ctl) not found: install the postgresql package")
    return Path(found[-1]).parent


class Cluster:
    """A throw-away PostgreSQL cluster on 127.0.0.1:port, data in ``folder``."""

    def __init__(self, folder: Path) -> None:
        self.bin, self.data, self.port = _pg_bin(), folder / "data", _free_port()
        self.as_owner = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        folder.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(folder, "postgres", "postgres")
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync")
        self.options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {folder} -c fsync=off"
        self.log = folder / "server.log"

    def _run(self, tool: str, *args: str) -> None:
        done = subprocess.run([*self.as_owner, str(self.bin / tool), *args], capture_output=True, text=True,
                              timeout=120, check=False)
        assert done.returncode == 0, f"{tool} failed: {done.stderr[-2000:]}"

    def ctl(self, action: str) -> None:
        extra = ["-m", "fast"] if action in ("stop", "restart") else []
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", self.options, "-w", *extra, action)

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"


@pytest.fixture
def cluster():
    # a folder of its own under /tmp: pytest's tmp_path is private to root, and the server runs as postgres
    folder = Path(tempfile.mkdtemp(prefix="gmrd-pg-"))
    c = Cluster(folder)
    c.ctl("start")
    yield c
    engine_for(c.url).dispose()
    subprocess.run([*c.as_owner, str(c.bin / "pg_ctl"), "-D", str(c.data), "-m", "immediate", "stop"],
                   capture_output=True, timeout=60, check=False)
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def served(cluster, tmp_path):
    schema.upgrade(cluster.url)
    ids = populate(cluster.url, tmp_path)
    with get_engine(cluster.url).begin() as conn:
        _, token = auth.create_api_token(conn, "ana", "restart test", actor="test")
    engine_for(cluster.url).dispose()
    port = _free_port()
    env = {**os.environ, "GMRD_DATABASE_URL": cluster.url, "GMRD_SECRET_KEY": "restart-test-secret"}
    proc = subprocess.Popen([sys.executable, "-m", "uvicorn", "gmrd.web.app:create_app", "--factory",
                             "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
                            env=env, cwd=ROOT)
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            if httpx.get(base + "/health", timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.1)
    else:
        proc.kill()
        pytest.fail("the server did not start")
    yield base, token, ids
    proc.terminate()
    proc.wait(timeout=30)


def _session(base: str) -> httpx.Client:
    client = httpx.Client(base_url=base, timeout=10)
    page = client.get("/login")
    done = client.post("/login", data={"name": "ana", "password": PASSWORDS["ana"], "csrf": csrf_of(page.text),
                                       "next": "/"})
    assert done.status_code == 303
    return client


PATHS = ["/api/v1/estimates?area=218&age=0-17", "/api/v1/tabulations?country=218", "/api/v1/sources"]
PAGES = ["/countries/218", "/tabulations", "/estimates", "/"]


def _statuses(base: str, token: str, browser: httpx.Client, rounds: int = 3) -> list[int]:
    """Every API path and page ``rounds`` times, 8 at once (several pooled connections in use)."""
    def api(path: str) -> int:
        return httpx.get(base + path, headers={"Authorization": f"Bearer {token}"}, timeout=10).status_code

    with ThreadPoolExecutor(8) as pool:
        codes = list(pool.map(api, PATHS * rounds * 3))
    codes += [browser.get(p).status_code for p in PAGES * rounds]
    return codes


def test_requests_succeed_after_postgres_restart(cluster, served):
    base, token, _ = served
    browser = _session(base)
    assert set(_statuses(base, token, browser)) == {200}

    cluster.ctl("restart")
    assert set(_statuses(base, token, browser)) == {200}, "requests failed after a PostgreSQL restart"

    cluster.ctl("stop")
    down = httpx.get(base + PATHS[0], headers={"Authorization": f"Bearer {token}"}, timeout=30)
    assert down.status_code == 503 and down.headers["retry-after"] == "5"
    assert down.json()["error"]["message"].startswith("the database is unavailable")
    assert browser.get("/countries/218").status_code == 503
    cluster.ctl("start")
    assert set(_statuses(base, token, browser)) == {200}, "requests failed once PostgreSQL was back"
    browser.close()
