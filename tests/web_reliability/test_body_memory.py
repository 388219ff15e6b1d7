"""Issue 17 load test: one anonymous client cannot raise the served process's memory by more than the
configured request limit (GMRD_MAX_FORM_BYTES), nor make it spool a body to disk.

``gmrd serve`` runs in a child process on a free loopback port (one worker, so the child is the
server); the client sends large anonymous POSTs with a declared length and chunked bodies without one,
to the upload routes and the login form, one at a time and eight at once. The server's peak resident
memory (VmHWM of /proc/<pid>/status) is read after a warm-up round of the same requests and after three
more rounds: it may not grow by more than the limit for each connection the client had open at once
(8 × 64 KiB; measured: 44-300 KiB of Python heap growth, while each POST offered 64 MiB). Bounded: 4 rounds of 16 requests, each sending at
most 64 MiB and stopping at the server's answer, 60 s at most.
"""

from __future__ import annotations

import os
import select
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
MB = 1 << 20
FORM_LIMIT = 64 * 1024
BODY = 64 * MB  # what each request would send if the server let it
DEADLINE = 60.0
FILE_PART = (b'--xyz\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n'
             b"Content-Type: text/csv\r\n\r\n")
PARALLEL = 8  # connections the client has open at once: each may hold up to FORM_LIMIT in the server


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _memory(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM (peak) of process ``pid`` in bytes."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            fields[key] = int(value.split()[0]) * 1024
    return fields


def _post(port: int, path: str, chunked: bool) -> tuple[str, int]:
    """POST a BODY-byte anonymous body; (the server's status line or how the connection ended, bytes the
    client got to send before the server answered)."""
    framing = "Transfer-Encoding: chunked" if chunked else f"Content-Length: {BODY}"
    head = (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; boundary=xyz\r\n"
            f"{framing}\r\n\r\n").encode()
    sent = 0
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        try:
            s.sendall(head)
            while sent < BODY and not select.select([s], [], [], 0)[0]:
                # a file part, so that a form parser keeps reading (and spooling) it
                chunk = FILE_PART + b"x" * (MB - len(FILE_PART)) if sent == 0 else b"x" * MB
                s.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk) if chunked else chunk)
                sent += len(chunk)
            answer = s.recv(200).split(b"\r\n", 1)[0].decode()
        except (BrokenPipeError, ConnectionResetError, TimeoutError) as exc:
            answer = type(exc).__name__
    return answer, sent


REQUESTS = [(path, chunked) for path in ("/upload", "/survey", "/login") for chunked in (False, True)]


def _round(port: int) -> list[tuple[str, int]]:
    results = [_post(port, path, chunked) for path, chunked in REQUESTS]
    with ThreadPoolExecutor(PARALLEL) as pool:
        results += list(pool.map(lambda r: _post(port, *r), REQUESTS + REQUESTS[:4]))
    return results


class SpoolWatch(threading.Thread):
    """The most bytes the server's files under ``folder`` held at once, sampled every 10 ms while running:
    its open files there (Python spools to unnamed O_TMPFILE files, which no listing shows) and the files
    a listing shows."""

    def __init__(self, pid: int, folder: Path) -> None:
        super().__init__(daemon=True)
        self.pid, self.folder, self.most, self.done = pid, folder, 0, threading.Event()

    def _held(self) -> int:
        sizes = {}
        for fd in Path(f"/proc/{self.pid}/fd").iterdir():
            try:
                if os.readlink(fd).startswith(str(self.folder)):
                    st = fd.stat()
                    sizes[st.st_ino] = st.st_size
            except (FileNotFoundError, PermissionError):
                pass
        for path in self.folder.rglob("*"):
            try:
                st = path.stat()
                if path.is_file():
                    sizes[st.st_ino] = st.st_size
            except FileNotFoundError:
                pass
        return sum(sizes.values())

    def run(self) -> None:
        while not self.done.wait(0.01):
            self.most = max(self.most, self._held())


@pytest.fixture
def served(web_db, tmp_path):
    spool = tmp_path / "spool"
    spool.mkdir()
    port = _free_port()
    env = {**os.environ, "GMRD_DATABASE_URL": web_db[0], "GMRD_SECRET_KEY": "load-test-secret-0123456789",
           "GMRD_MAX_FORM_BYTES": str(FORM_LIMIT), "GMRD_MAX_FILE_BYTES": str(8 * MB), "TMPDIR": str(spool)}
    gmrd = [sys.executable, "-c", "from gmrd.cli import app; app()"]
    proc = subprocess.Popen([*gmrd, "serve", "--host", "127.0.0.1", "--port", str(port)], env=env, cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(300):
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.1)
    else:
        proc.kill()
        pytest.fail("gmrd serve did not start")
    yield proc, port, spool
    proc.terminate()
    proc.wait(timeout=30)


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_anonymous_bodies_do_not_raise_server_memory(served):
    proc, port, spool = served
    started = time.monotonic()
    _round(port)  # warm-up: threads, buffers and code paths of these requests exist before measuring
    before = _memory(proc.pid)
    watch = SpoolWatch(proc.pid, spool)
    watch.start()
    results = [r for _ in range(3) for r in _round(port)]
    watch.done.set()
    watch.join()
    after = _memory(proc.pid)
    elapsed = time.monotonic() - started
    grown = after["VmHWM"] - before["VmHWM"]
    print(f"\nserver peak memory {before['VmHWM'] / MB:.1f} MiB -> {after['VmHWM'] / MB:.1f} MiB "
          f"(+{grown / 1024:.0f} KiB; rss {before['VmRSS'] / MB:.1f} -> {after['VmRSS'] / MB:.1f} MiB) after "
          f"{len(results)} anonymous POSTs of {BODY // MB} MiB in {elapsed:.1f} s; "
          f"client sent at most {max(sent for _, sent in results) / MB:.0f} MiB of one; "
          f"temporary files held at most {watch.most / MB:.1f} MiB")
    assert elapsed < DEADLINE
    assert grown <= PARALLEL * FORM_LIMIT, f"the server's peak memory grew by {grown:,} bytes"
    assert watch.most == 0 and list(spool.iterdir()) == [], "a body was spooled to disk"
    assert all(sent < BODY for _, sent in results), "the server took a whole body"
    refusals = {answer for answer, _ in results}
    # 303 to the login page (upload routes), 413 (the login form over the limit), 400 (a multipart body of
    # junk the parser gave up on before the limit), or the connection closed while the client still sent
    assert refusals <= {"HTTP/1.1 303 See Other", "HTTP/1.1 400 Bad Request",
                        "HTTP/1.1 413 Request Entity Too Large", "HTTP/1.1 413 Content Too Large",
                        "ConnectionResetError", "BrokenPipeError"}, refusals
