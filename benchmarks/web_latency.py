"""Web latency with the whole empirical corpus loaded (11.7 M cells), SQLite and PostgreSQL.

Issue 5, point 6: p95 latency of the country profile page and of an estimates API query under 100 ms
with 20 concurrent clients on loopback. Per back-end: import the corpus, verify, accept the clean
sources, run the estimation pipeline (one revision), start `gmrd serve` (uvicorn, 2 workers), then per
scenario a warm-up run and a measured run of a bounded number of seconds: 20 concurrent keep-alive
connections (wrk when installed, else an asyncio httpx client: benchmarks/loadgen.py) cycling over every
area with estimates, with a session cookie (profile) or a bearer token (API). Latency is measured by the
client from request sent to response read; any answer other than 2xx/3xx counts as an error.

Usage: python -m benchmarks.web_latency [--seconds S] [--backend sqlite|postgresql] [--keep DIR]
(--keep reuses a loaded SQLite database / PostgreSQL schema from an earlier run).
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from benchmarks.common import CORPUS, POSTGRES, ROOT, write_result

CLIENTS = 20
PASSWORD = "latency-key-4821"


def load(url: str) -> dict[str, float]:
    """Import, verify, accept clean sources and estimate; returns seconds per step (skips done steps)."""
    import sqlalchemy as sa

    from gmrd.db import schema
    from gmrd.db.engine import get_engine
    from gmrd.db.models import Revision, User
    from gmrd.estimate.run import run_estimate
    from gmrd.ingest.load import import_file
    from gmrd.verify.review import accept_clean
    from gmrd.verify.run import verify
    from gmrd.web import auth

    seconds: dict[str, float] = {}
    schema.upgrade(url)
    with get_engine(url).connect() as conn:
        has_revision = conn.scalar(sa.select(sa.func.count()).select_from(Revision)) > 0
    if not has_revision:
        for step, run in (("import", lambda: import_file(CORPUS, url=url)), ("verify", lambda: verify(url)),
                          ("accept_clean", lambda: accept_clean("benchmark", actor="bench", url=url)),
                          ("estimate", lambda: run_estimate(name="bench", url=url))):
            t = time.perf_counter()
            run()
            seconds[step] = time.perf_counter() - t
            print(f"  {step}: {seconds[step]:.0f} s", file=sys.stderr)
    if url.startswith("postgresql"):
        # planner statistics, as autovacuum would gather them some time after a bulk load
        t = time.perf_counter()
        with get_engine(url).begin() as conn:
            conn.execute(sa.text("ANALYZE"))
        seconds["analyze"] = time.perf_counter() - t
    with get_engine(url).begin() as conn:
        if conn.scalar(sa.select(User.id).where(User.name == "bench")) is None:
            auth.create_user(conn, "bench", "partner", PASSWORD, actor="bench")
    return seconds


def corpus_url(backend: str, keep: Path) -> str:
    """The benchmark database with the corpus: a SQLite file in ``keep``, or the PostgreSQL schema
    bench_web (created if missing); both kept between runs so that loading happens once."""
    if backend == "sqlite":
        return f"sqlite:///{keep / 'corpus.sqlite'}"
    import sqlalchemy as sa

    from gmrd.db.engine import engine_for

    with engine_for(POSTGRES).begin() as conn:
        conn.execute(sa.text("CREATE SCHEMA IF NOT EXISTS bench_web"))
    return f"{POSTGRES}?options=-csearch_path%3Dbench_web"


def areas_with_estimates(url: str) -> list[int]:
    from gmrd.db import queries
    from gmrd.db.engine import get_engine

    with get_engine(url).connect() as conn:
        return queries.estimate_dimensions(conn, queries.revision(conn).id)["areas"]


def start_server(url: str, port: int, workers: int) -> subprocess.Popen:
    code = f"from gmrd.commands.web import serve; serve(host='127.0.0.1', port={port}, workers={workers})"
    env = {**os.environ, "GMRD_DATABASE_URL": url, "GMRD_SECRET_KEY": "benchmark-secret"}
    proc = subprocess.Popen([sys.executable, "-c", code], env=env, cwd=ROOT)
    for _ in range(300):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1)
            return proc
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("gmrd serve did not start")


def login_cookie(base: str) -> dict[str, str]:
    """Log in as the benchmark user; the session cookie as a request header."""
    import httpx

    with httpx.Client(base_url=base, timeout=30) as client:
        page = client.get("/login")
        csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', page.text).group(1)  # type: ignore[union-attr]
        done = client.post("/login", data={"name": "bench", "password": PASSWORD, "csrf": csrf, "next": "/"})
        assert done.status_code in (200, 303), done.text[:300]
        return {"Cookie": "; ".join(f"{k}={v}" for k, v in client.cookies.items())}


def bearer_header(url: str) -> dict[str, str]:
    from gmrd.db.engine import get_engine
    from gmrd.web import auth

    with get_engine(url).begin() as conn:
        _, token = auth.create_api_token(conn, "bench", "benchmark", actor="bench")
    return {"Authorization": f"Bearer {token}"}


def scenarios(url: str, base: str) -> dict[str, tuple[list[str], dict[str, str]]]:
    areas = areas_with_estimates(url)
    return {
        "country profile page": ([f"/countries/{a}" for a in areas], login_cookie(base)),
        "estimates API (area, 0-17 and 0-19, both sexes, all years)":
            ([f"/api/v1/estimates?area={a}&age=0-17,0-19&sex=both" for a in areas], bearer_header(url)),
    }


def measure(url: str, seconds: float, workers: int, port: int) -> dict[str, dict]:
    from benchmarks.loadgen import rss_mb, run_load

    proc = start_server(url, port, workers)
    base = f"http://127.0.0.1:{port}"
    out: dict[str, dict] = {}
    try:
        for name, (paths, headers) in scenarios(url, base).items():
            run_load(base, paths, headers, max(seconds / 2, 15))  # warm-up: fills both workers' per-revision caches
            single = run_load(base, paths, headers, 10, 1)  # service time without queueing
            out[name] = run_load(base, paths, headers, seconds, CLIENTS)
            out[name]["one_client_p50_ms"] = single["p50_ms"]
            out[name]["one_client_p95_ms"] = single["p95_ms"]
            out[name]["server_rss_mb"] = rss_mb(proc.pid)
            out[name]["load_average"] = os.getloadavg()[0]
            print(f"  {name}: {out[name]}", file=sys.stderr)
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    return out


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=30, help="Measured seconds per scenario.")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], action="append")
    parser.add_argument("--keep", type=Path, default=ROOT / "var" / "bench-web")
    args = parser.parse_args(argv)
    args.keep.mkdir(parents=True, exist_ok=True)
    results = {}
    for i, backend in enumerate(args.backend or ["sqlite", "postgresql"]):
        url = corpus_url(backend, args.keep)
        print(f"{backend}: loading", file=sys.stderr)
        steps = load(url)
        results[backend] = {"load_seconds": steps, **measure(url, args.seconds, args.workers, 8700 + i)}
    tool = next((r["tool"] for res in results.values() for k, r in res.items() if k != "load_seconds"), "")
    lines = ["# Web latency (issue 5, point 6)", "",
             (f"Whole empirical corpus loaded (UN DESA long format, 11.7 M cells), verified, clean sources "
              f"accepted, one estimation revision. `gmrd serve` with {args.workers} uvicorn workers on "
              f"loopback; {CLIENTS} concurrent keep-alive connections ({tool}), {args.seconds:.0f} s measured "
              "per scenario after a warm-up run, cycling over every area with estimates; client and server on "
              f"the same {os.cpu_count()}-core machine. Target: p95 under 100 ms. "
              "Produced by benchmarks/web_latency.py."), "",
             ("| back-end | scenario | requests | errors | p50 ms | p95 ms | p99 ms | max ms | req/s | server RSS MB "
             "| load avg | 1 client p50 / p95 ms |"),
             "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for backend, res in results.items():
        for name, r in res.items():
            if name == "load_seconds":
                continue
            lines.append(f"| {backend} | {name} | {r['requests']} | {r['errors']} | {r['p50_ms']:.1f} | "
                         f"{r['p95_ms']:.1f} | {r['p99_ms']:.1f} | {r['max_ms']:.1f} | {r['req_per_s']:.0f} | "
                         f"{r['server_rss_mb']:.0f} | {r['load_average']:.1f} | "
                         f"{r['one_client_p50_ms']:.1f} / {r['one_client_p95_ms']:.1f} |")
    lines += ["", ("Load average: the machine's 1-minute load average at the end of the run (other work on the "
              "machine competes with the server and the client for the 2 cores). 1 client: the same requests "
              "from a single connection for 10 s, the time a request takes without waiting behind others.")]
    write_result("web_latency", "\n".join(lines) + "\n", results)


if __name__ == "__main__":
    main(sys.argv[1:])
