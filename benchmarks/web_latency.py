"""Web latency with the whole empirical corpus loaded (11.7 M cells), SQLite and PostgreSQL.

Issue 5, point 6: p95 latency of the country profile page and of an estimates API query under 100 ms
with 20 concurrent clients on loopback. Per back-end: import the corpus, verify, accept the clean
sources, run the estimation pipeline (one revision), start `gmrd serve` (uvicorn, 2 workers), then a
bounded load run: 20 concurrent keep-alive clients, each logged in with its own session (profile) or
bearer token (API), a fixed number of requests cycling over every area with estimates, after a warm-up
pass. Latency is measured by the client from request sent to response body read.

Usage: python -m benchmarks.web_latency [--requests N] [--backend sqlite|postgresql] [--keep DIR]
(--keep reuses a loaded SQLite database / PostgreSQL schema from an earlier run).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from benchmarks.common import CORPUS, POSTGRES, ROOT, write_result

CLIENTS = 20
PASSWORD = "bench-password-1"


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
    with get_engine(url).begin() as conn:
        if conn.scalar(sa.select(User.id).where(User.name == "bench")) is None:
            auth.create_user(conn, "bench", "partner", PASSWORD, actor="bench")
    return seconds


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


async def _session(client) -> None:  # type: ignore[no-untyped-def]
    page = await client.get("/login")
    csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', page.text).group(1)
    done = await client.post("/login", data={"name": "bench", "password": PASSWORD, "csrf": csrf, "next": "/"})
    assert done.status_code == 303, done.text[:300]


async def run_load(base: str, paths: list[str], requests: int, bearer: str | None) -> list[float]:
    """``requests`` GETs over ``paths`` by CLIENTS concurrent clients; latencies in ms (status 200 checked)."""
    import httpx

    queue: asyncio.Queue[str] = asyncio.Queue()
    for i in range(requests):
        queue.put_nowait(paths[i % len(paths)])
    latencies: list[float] = []

    async def worker() -> None:
        headers = {"Authorization": f"Bearer {bearer}"} if bearer else {}
        async with httpx.AsyncClient(base_url=base, headers=headers, timeout=30) as client:
            if not bearer:
                await _session(client)
            while True:
                try:
                    path = queue.get_nowait()
                except asyncio.QueueEmpty:
                    return
                t = time.perf_counter()
                response = await client.get(path)
                latencies.append((time.perf_counter() - t) * 1000)
                if response.status_code != 200:
                    raise RuntimeError(f"{path}: {response.status_code} {response.text[:200]}")

    await asyncio.gather(*(worker() for _ in range(CLIENTS)))
    return latencies


def summary(latencies: list[float], seconds: float) -> dict[str, float]:
    q = statistics.quantiles(latencies, n=100)
    return {"requests": len(latencies), "p50_ms": q[49], "p95_ms": q[94], "p99_ms": q[98],
            "max_ms": max(latencies), "req_per_s": len(latencies) / seconds}


def measure(url: str, requests: int, workers: int, port: int) -> dict[str, dict[str, float]]:
    from gmrd.db.engine import get_engine
    from gmrd.web import auth

    with get_engine(url).begin() as conn:
        _, token = auth.create_api_token(conn, "bench", "benchmark", actor="bench")
    areas = areas_with_estimates(url)
    scenarios = {
        "country profile page": ([f"/countries/{a}" for a in areas], None),
        "estimates API (area, 0-17 and 0-19, both sexes, all years)":
            ([f"/api/v1/estimates?area={a}&age=0-17,0-19&sex=both" for a in areas], token),
    }
    proc = start_server(url, port, workers)
    out = {}
    try:
        for name, (paths, bearer) in scenarios.items():
            asyncio.run(run_load(f"http://127.0.0.1:{port}", paths, len(paths), bearer))  # warm-up pass
            t = time.perf_counter()
            latencies = asyncio.run(run_load(f"http://127.0.0.1:{port}", paths, requests, bearer))
            out[name] = summary(latencies, time.perf_counter() - t)
            print(f"  {name}: {out[name]}", file=sys.stderr)
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    return out


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=4000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], action="append")
    parser.add_argument("--keep", type=Path, default=ROOT / "var" / "bench-web")
    args = parser.parse_args(argv)
    args.keep.mkdir(parents=True, exist_ok=True)
    results = {}
    for i, backend in enumerate(args.backend or ["sqlite", "postgresql"]):
        if backend == "sqlite":
            url = f"sqlite:///{args.keep / 'corpus.sqlite'}"
        else:
            import sqlalchemy as sa

            from gmrd.db.engine import engine_for

            with engine_for(POSTGRES).begin() as conn:
                conn.execute(sa.text("CREATE SCHEMA IF NOT EXISTS bench_web"))
            url = f"{POSTGRES}?options=-csearch_path%3Dbench_web"
        print(f"{backend}: loading", file=sys.stderr)
        steps = load(url)
        results[backend] = {"load_seconds": steps, **measure(url, args.requests, args.workers, 8700 + i)}
    lines = ["# Web latency (issue 5, point 6)", "",
             (f"Whole empirical corpus loaded (UN DESA long format, 11.7 M cells), verified, clean sources "
             f"accepted, one estimation revision. `gmrd serve` with {args.workers} uvicorn workers on "
             f"loopback; {CLIENTS} concurrent keep-alive clients (httpx, one session or bearer token each), "
             f"{args.requests} requests per scenario cycling over every area with estimates, after one "
             f"warm-up pass; client and server on the same {os.cpu_count()}-core machine. "
             "Produced by benchmarks/web_latency.py."), "",
             "| back-end | scenario | requests | p50 ms | p95 ms | p99 ms | max ms | req/s |",
             "|---|---|---:|---:|---:|---:|---:|---:|"]
    for backend, res in results.items():
        for name, s in res.items():
            if name == "load_seconds":
                continue
            lines.append(f"| {backend} | {name} | {s['requests']} | {s['p50_ms']:.1f} | {s['p95_ms']:.1f} | "
                         f"{s['p99_ms']:.1f} | {s['max_ms']:.1f} | {s['req_per_s']:.0f} |")
    write_result("web_latency", "\n".join(lines) + "\n", results)


if __name__ == "__main__":
    main(sys.argv[1:])
