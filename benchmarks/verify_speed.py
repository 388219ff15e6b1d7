"""Verification of the whole empirical corpus (11.7 M cells, 33,616 tabulations) against its import.

Issue 3, point 6: ``gmrd verify`` over the corpus must take no longer than twice its import, with
peak memory under 2 GB. Both are measured here in the same run, each in a fresh process, on SQLite
(and on PostgreSQL when reachable): first the import (as ``gmrd import``), then the verification of
the database it made. Also reports the findings by check (point 5).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from benchmarks.common import CORPUS, POSTGRES, run_child, write_result

IMPORT = """
import json, time
from gmrd.db import schema
from gmrd.ingest.load import import_file
url = {url!r}
schema.upgrade(url)
t, c = time.perf_counter(), time.process_time()
r = import_file({corpus!r}, url=url)
print(json.dumps({{"seconds": time.perf_counter() - t, "cpu_seconds": time.process_time() - c, "rows": r.cells,
                  "tabulations": r.tabulations}}))
"""

VERIFY = """
import json, time
from gmrd.db import schema
from gmrd.verify.report import counts_by_check
from gmrd.verify.run import verify
url = {url!r}
schema.upgrade(url)
t, c = time.perf_counter(), time.process_time()
r = verify(url)
seconds, cpu = time.perf_counter() - t, time.process_time() - c
counts = counts_by_check(r.findings)
print(json.dumps({{"seconds": seconds, "cpu_seconds": cpu, "parts": r.seconds, "sources": r.sources, "cells": r.cells,
                  "findings": r.stored, "by_check": counts.to_dict("records")}}))
"""


def _postgres_url(name: str) -> str | None:
    import sqlalchemy as sa

    from gmrd.db.engine import engine_for

    try:
        with engine_for(POSTGRES).begin() as conn:
            conn.execute(sa.text(f"DROP SCHEMA IF EXISTS {name} CASCADE"))
            conn.execute(sa.text(f"CREATE SCHEMA {name}"))
    except Exception:  # noqa: BLE001 - no server here: SQLite only
        return None
    return f"{POSTGRES}?options=-csearch_path%3D{name}"


def _drop_postgres(name: str) -> None:
    import sqlalchemy as sa

    from gmrd.db.engine import engine_for

    with engine_for(POSTGRES).begin() as conn:
        conn.execute(sa.text(f"DROP SCHEMA IF EXISTS {name} CASCADE"))


def main(corpus: Path = CORPUS) -> dict[str, dict]:
    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.sqlite'}"
        results["sqlite_import"] = run_child(IMPORT.format(url=url, corpus=str(corpus)))
        results["sqlite_verify"] = run_child(VERIFY.format(url=url))
    pg = _postgres_url("bench_verify")
    if pg:
        try:
            results["postgresql_import"] = run_child(IMPORT.format(url=pg, corpus=str(corpus)))
            results["postgresql_verify"] = run_child(VERIFY.format(url=pg))
        finally:
            _drop_postgres("bench_verify")
    lines = ["## Verification of the empirical corpus", "",
             (f"Corpus: {corpus.name}, {results['sqlite_import']['rows']:,.0f} cells, "
             f"{results['sqlite_import']['tabulations']:,.0f} tabulations."), "",
             ("| back-end | import (s) | verify (s) | of which read / check / store (s) | ratio verify/import "
             "| CPU import / verify (s) | verify peak RSS (MB) |"), "|---|---|---|---|---|---|---|"]
    for kind in ("sqlite", "postgresql"):
        if f"{kind}_verify" not in results:
            continue
        imp, ver = results[f"{kind}_import"], results[f"{kind}_verify"]
        parts = ver["parts"]
        lines.append(f"| {kind} | {imp['seconds']:.1f} | {ver['seconds']:.1f} | {parts['read']:.1f} / "
                     f"{parts['check']:.1f} / {parts['store']:.1f} | {ver['seconds'] / imp['seconds']:.2f} | "
                     f"{imp['cpu_seconds']:.0f} / {ver['cpu_seconds']:.0f} | {ver['peak_rss_mb']:,.0f} |")
    lines += ["", ("Goal: ratio ≤ 2 and peak memory < 2 GB. Wall times depend on the machine's load; the "
              "CPU seconds of each process are given beside them."), "", "Open findings by check (SQLite run):", "",
              "| check | severity | findings | sources |", "|---|---|---|---|"]
    for row in results["sqlite_verify"]["by_check"]:
        lines.append(f"| {row['check']} | {row['severity']} | {row['findings']:,} | {row['sources']:,} |")
    write_result("verify_speed", "\n".join(lines) + "\n", results)
    return results


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else CORPUS)
