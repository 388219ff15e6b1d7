"""Import of the whole empirical corpus (11.7 M rows) vs the raw-load limit of each database.

Raw limit, measured in the same run: sqlite3 executemany of the same rows, already prepared as
tuples, into an equivalent cells table (same columns, key and index); PostgreSQL COPY of the same
rows, already rendered as CSV, into an equivalent table. Only the insert is timed for the limits;
gmrd's figure is the whole `gmrd import` (decompress, parse, validate, insert, duplicate check, commit).
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from benchmarks.common import CORPUS, POSTGRES, run_child, write_result

GMRD_IMPORT = """
import json, time
from gmrd.db import schema
from gmrd.ingest.load import import_file
url = {url!r}
schema.upgrade(url)
t = time.perf_counter()
r = import_file({corpus!r}, url=url)
print(json.dumps({{"seconds": time.perf_counter() - t, "rows": r.cells, "tabulations": r.tabulations}}))
"""

RAW = """
import json, time, io, sqlite3
import pandas as pd
from gmrd.ingest import un_long
kind, url = {kind!r}, {url!r}
cols = "tabulation_id, sex, age_lo, age_hi, origin_code, value, row, sex_label, age_label, origin_label"
ddl = ("CREATE TABLE raw_cells (id {{pk}}, tabulation_id INTEGER NOT NULL, sex SMALLINT NOT NULL, "
       "age_lo INTEGER NOT NULL, age_hi INTEGER, origin_code INTEGER NOT NULL, value FLOAT NOT NULL, "
       "row INTEGER, sex_label VARCHAR(60), age_label VARCHAR(60), origin_label VARCHAR(200))")
if kind == "sqlite":
    con = sqlite3.connect(url)
    con.execute("PRAGMA journal_mode=WAL"); con.execute("PRAGMA synchronous=NORMAL")
    con.execute(ddl.format(pk="INTEGER PRIMARY KEY"))
    con.execute("CREATE INDEX ix_raw ON raw_cells (tabulation_id, origin_code)")
else:
    import psycopg
    con = psycopg.connect(url)
    con.execute("DROP TABLE IF EXISTS raw_cells")
    con.execute(ddl.format(pk="BIGSERIAL PRIMARY KEY"))
    con.execute("CREATE INDEX ix_raw ON raw_cells (tabulation_id, origin_code)")
timed = 0.0; n = 0
for chunk in un_long.read(__import__("pathlib").Path({corpus!r})):
    tab = chunk.groupby(["country_code", "source_title", "reference_date", "universe"], sort=False).ngroup()
    frame = pd.DataFrame({{"t": tab.to_numpy(), "sex": chunk.sex, "lo": chunk.age_lo, "hi": chunk.age_hi,
                          "o": chunk.origin_code, "v": chunk.value, "r": chunk.row,
                          "a": None, "b": None, "c": None}})
    if kind == "sqlite":
        rows = list(zip(*(frame[c].astype(object).where(frame[c].notna(), None).tolist() for c in frame)))
        t = time.perf_counter()
        con.executemany(f"INSERT INTO raw_cells ({{cols}}) VALUES (?,?,?,?,?,?,?,?,?,?)", rows)
        timed += time.perf_counter() - t
    else:
        buf = io.StringIO(); frame.to_csv(buf, header=False, index=False); text = buf.getvalue()
        t = time.perf_counter()
        with con.cursor() as cur, cur.copy(f"COPY raw_cells ({{cols}}) FROM STDIN WITH (FORMAT csv)") as cp:
            cp.write(text)
        timed += time.perf_counter() - t
    n += len(frame)
t = time.perf_counter(); con.commit(); timed += time.perf_counter() - t
if kind != "sqlite":
    con.execute("DROP TABLE raw_cells"); con.commit()
print(json.dumps({{"seconds": timed, "rows": n}}))
"""


def _pg_schema_url(name: str) -> str:
    import sqlalchemy as sa

    from gmrd.db.engine import engine_for

    with engine_for(POSTGRES).begin() as conn:
        conn.execute(sa.text(f"DROP SCHEMA IF EXISTS {name} CASCADE"))
        conn.execute(sa.text(f"CREATE SCHEMA {name}"))
    return f"{POSTGRES}?options=-csearch_path%3D{name}"


def main(corpus: Path = CORPUS, backends: tuple[str, ...] = ("sqlite", "postgresql")
         ) -> dict[str, dict[str, float]]:
    results: dict[str, dict[str, float]] = {}
    if "sqlite" in backends:
        tmp = tempfile.mkdtemp()
        sqlite_file = Path(tmp) / "bench.sqlite"
        results["sqlite_raw"] = run_child(RAW.format(kind="sqlite", url=str(Path(tmp) / "raw.sqlite"),
                                                     corpus=str(corpus)))
        results["sqlite_gmrd"] = run_child(GMRD_IMPORT.format(url=f"sqlite:///{sqlite_file}",
                                                              corpus=str(corpus)))
        shutil.rmtree(tmp)
    if "postgresql" in backends:
        pg = _pg_schema_url("bench_import")
        results["postgresql_raw"] = run_child(RAW.format(kind="pg", url=POSTGRES.replace("+psycopg", ""),
                                                     corpus=str(corpus)))
        results["postgresql_gmrd"] = run_child(GMRD_IMPORT.format(url=pg, corpus=str(corpus)))
    rows = next(r["rows"] for k, r in results.items() if k.endswith("_gmrd"))
    lines = ["## Import of the empirical corpus", "",
             f"Corpus: {corpus.name}, {rows:,.0f} rows.", "",
             "| back-end | gmrd import (s) | rows/s | raw insert limit (s) | rows/s | ratio | gmrd peak RSS (MB) |",
             "|---|---|---|---|---|---|---|"]
    for kind in backends:
        g, r = results[f"{kind}_gmrd"], results[f"{kind}_raw"]
        lines.append(f"| {kind} | {g['seconds']:.1f} | {g['rows'] / g['seconds']:,.0f} | {r['seconds']:.1f} | "
                     f"{r['rows'] / r['seconds']:,.0f} | {g['seconds'] / r['seconds']:.2f} | "
                     f"{g['peak_rss_mb']:,.0f} |")
    lines += ["", "Goal: ratio ≤ 2 and peak memory < 2 GB."]
    write_result("import_speed", "\n".join(lines) + "\n", results)
    return results


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--only=")]
    only = [a.split("=", 1)[1] for a in sys.argv[1:] if a.startswith("--only=")]
    main(Path(args[0]) if args else CORPUS, tuple(only) or ("sqlite", "postgresql"))
