"""Soak test of the web app (issue 7, load): 20 concurrent clients on loopback for a bounded 5 minutes
against the whole empirical corpus; zero errors, server memory flat, p95 latency reported.

The corpus database is the one benchmarks/web_latency.py builds (import, verify, accept clean sources,
one estimation revision; reused from var/bench-web when present). `gmrd serve` runs with 2 workers;
the clients (wrk, else httpx: benchmarks/loadgen.py) log in once and cycle over a fixed mix of pages
and API queries covering every area with estimates: country profiles, the estimates explorer and
API, the tabulation browser and API, sources, findings, home. After a warm-up (which fills each
worker's per-revision caches), the resident memory of the server (all its processes) is sampled
every 10 s during the measured run. It fails (exit 1) on any error, or if the server's memory at the
end exceeds that at the start by more than 10 % + 20 MB.

Usage: python -m benchmarks.soak [--seconds 300] [--backend sqlite|postgresql] [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import threading
import time
from pathlib import Path

from benchmarks.common import ROOT, write_result
from benchmarks.loadgen import rss_mb, run_load, worker_rss_mb
from benchmarks.web_latency import CLIENTS, areas_with_estimates, corpus_url, load, login_cookie, start_server

SAMPLE_SECONDS = 10


def request_mix(url: str) -> list[str]:
    """The paths the clients cycle over (deterministic order)."""
    import sqlalchemy as sa

    from gmrd.db.engine import get_engine

    areas = areas_with_estimates(url)
    with get_engine(url).connect() as conn:
        sources = list(conn.scalars(sa.text("select id from sources order by id")))
    picked = random.Random(7).sample(sources, min(200, len(sources)))
    paths = [f"/countries/{a}" for a in areas]
    paths += [f"/api/v1/estimates?area={a}&age=0-17,0-19&sex=both" for a in areas]
    paths += [f"/api/v1/estimates?area={a}&year=1990:2020:10" for a in areas[::4]]
    paths += [f"/estimates?area={a}" for a in areas[::4]]
    paths += [f"/api/v1/tabulations?country={a}&limit=20" for a in areas[::3]]
    paths += [f"/tabulations?country={a}" for a in areas[::6]]
    paths += [f"/api/v1/sources/{s}" for s in picked[:100]]
    paths += [f"/sources/{s}" for s in picked[100:]]
    paths += [f"/api/v1/findings?source_id={s}" for s in picked[:50]]
    paths += ["/", "/countries", "/api/v1/sources?status=accepted&limit=50"]
    random.Random(11).shuffle(paths)
    return paths


def soak(url: str, seconds: float, workers: int, port: int) -> dict:
    paths = request_mix(url)
    proc = start_server(url, port, workers)
    base = f"http://127.0.0.1:{port}"
    samples: list[tuple[float, float]] = []
    try:
        headers = login_cookie(base)
        warm = run_load(base, paths, headers, 30, CLIENTS)
        start_rss, start_workers = rss_mb(proc.pid), worker_rss_mb(proc.pid)
        stop = threading.Event()
        started = time.perf_counter()

        def sample() -> None:
            while not stop.wait(SAMPLE_SECONDS):
                samples.append((time.perf_counter() - started, rss_mb(proc.pid)))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        result = run_load(base, paths, headers, seconds, CLIENTS)
        stop.set()
        sampler.join()
        end_rss, end_workers = rss_mb(proc.pid), worker_rss_mb(proc.pid)
        import httpx

        alive = httpx.get(base + "/health", timeout=10).status_code == 200
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    return {"paths": len(paths), "warm_up": {k: warm[k] for k in ("requests", "errors", "p95_ms")},
            **result, "rss_start_mb": start_rss, "rss_end_mb": end_rss, "worker_rss_start_mb": start_workers,
            "worker_rss_end_mb": end_workers, "rss_max_mb": max([s for _, s in samples] + [end_rss]),
            "rss_samples": samples, "healthy_after": alive, "load_average_end": os.getloadavg()}


def verdict(r: dict) -> list[str]:
    problems = []
    if r["errors"]:
        problems.append(f"{r['errors']} errors: {r['error_detail']}")
    if r["rss_end_mb"] > r["rss_start_mb"] * 1.10 + 20:
        problems.append(f"server memory grew from {r['rss_start_mb']:.0f} to {r['rss_end_mb']:.0f} MB")
    if not r["healthy_after"]:
        problems.append("the server did not answer /health after the run")
    return problems


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=300, help="Measured seconds (bounded run).")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--keep", type=Path, default=ROOT / "var" / "bench-web")
    args = parser.parse_args(argv)
    args.keep.mkdir(parents=True, exist_ok=True)
    url = corpus_url(args.backend, args.keep)
    print(f"{args.backend}: loading (skipped when already loaded)", file=sys.stderr)
    load(url)
    r = soak(url, args.seconds, args.workers, 8790)
    problems = verdict(r)
    lines = ["# Soak test (issue 7, load)", "",
             (f"`gmrd serve` ({args.workers} uvicorn workers, {args.backend}) with the whole empirical corpus "
              f"(11.7 M cells, one estimation revision); {CLIENTS} concurrent keep-alive clients on loopback "
              f"({r['tool']}) for {r['seconds']:.0f} s after a 30 s warm-up, cycling over {r['paths']} pages and "
              "API queries (profiles, estimates, tabulations, sources, findings). Produced by benchmarks/soak.py."),
             "",
             "| requests | errors | p50 ms | p95 ms | p99 ms | max ms | req/s | server RSS start MB | end MB | max MB |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
             (f"| {r['requests']} | {r['errors']} | {r['p50_ms']:.1f} | {r['p95_ms']:.1f} | {r['p99_ms']:.1f} | "
              f"{r['max_ms']:.1f} | {r['req_per_s']:.0f} | {r['rss_start_mb']:.0f} | {r['rss_end_mb']:.0f} | "
              f"{r['rss_max_mb']:.0f} |"), "",
             (f"Workers' RSS at start {', '.join(f'{v:.0f}' for v in r['worker_rss_start_mb'])} MB, at end "
              f"{', '.join(f'{v:.0f}' for v in r['worker_rss_end_mb'])} MB; load average at the end "
              f"{', '.join(f'{v:.1f}' for v in r['load_average_end'])} on {os.cpu_count()} cores."), "",
             "Verdict: " + ("passed (zero errors, memory flat)" if not problems else "FAILED: " + "; ".join(problems))]
    write_result("soak", "\n".join(lines) + "\n", r)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
