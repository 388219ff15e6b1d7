"""A `gmrd serve` subprocess on a free loopback port over a populated SQLite database, and Debian's chromium.

Chromium comes from apt (`apt-get install chromium`), never from `playwright install`. Missing chromium
or Playwright skips locally and fails in CI (CI=true).
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from unavailable import unavailable

CHROMIUM = os.environ.get("GMRD_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
WEBDATA = Path(__file__).resolve().parents[1] / "integration" / "web" / "webdata.py"


def _webdata():
    spec = importlib.util.spec_from_file_location("gmrd_test_webdata", WEBDATA)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def webdata():
    return _webdata()


@pytest.fixture(scope="session")
def server(tmp_path_factory, webdata):
    from gmrd.db import schema

    folder = tmp_path_factory.mktemp("browser")
    url = f"sqlite:///{folder / 'gmrd.sqlite'}"
    schema.upgrade(url)
    webdata.populate(url, folder)
    port = _free_port()
    env = {**os.environ, "GMRD_DATABASE_URL": url, "GMRD_SECRET_KEY": "browser-test-secret"}
    code = f"from gmrd.commands.web import serve; serve(host='127.0.0.1', port={port}, workers=1)"
    proc = subprocess.Popen([sys.executable, "-c", code], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            with urllib.request.urlopen(base + "/health", timeout=1) as r:
                if r.status == 200:
                    break
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError(proc.stdout.read().decode())  # type: ignore[union-attr]
            time.sleep(0.1)
    else:
        proc.kill()
        raise RuntimeError("gmrd serve did not answer /health within 20 s")
    yield base
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture(scope="session")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("playwright is not installed (pip install playwright)")
    if not (Path(CHROMIUM).exists() or shutil.which("chromium")):
        unavailable(f"chromium not found at {CHROMIUM} (apt-get install chromium)")
    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield instance
        instance.close()
