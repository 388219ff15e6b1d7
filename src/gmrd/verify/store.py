"""Database edge of verification: read sources and cells as compact arrays, replace findings.

Cells are read with the driver's fastest path (a plain SQLite cursor; PostgreSQL COPY to CSV) in
table order, converted chunk by chunk to small numpy dtypes (about 21 bytes a cell), so the 11.7-million
cell corpus takes about 350 MB in memory.
"""

from __future__ import annotations

import io
from collections.abc import Iterable

import numpy as np
import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from gmrd.db.models import Finding, Source, Tabulation, utcnow
from gmrd.verify.frame import OPEN

CELL_SQL = (f"SELECT tabulation_id, sex, age_lo, COALESCE(age_hi, {int(OPEN)}), origin_code, value FROM cells"
            )
ALL_AGES_SQL = CELL_SQL + " WHERE age_lo = 0 AND age_hi IS NULL"
TOTALS_SQL = ALL_AGES_SQL + " AND origin_code = 0"
FETCH_ROWS = 500_000
DTYPES = (("tabulation_id", np.int64), ("sex", np.int8), ("age_lo", np.int32), ("age_hi", np.int32),
          ("origin_code", np.int64), ("value", np.float64))


def load_sources(conn: Connection, source_ids: Iterable[int] | None = None) -> pd.DataFrame:
    query = sa.select(Source.id, Source.country_code, Source.reference_date, Source.date_precision,
                      Source.source_type, Source.universe, Source.title, Source.status).order_by(Source.id)
    if source_ids is not None:
        query = query.where(Source.id.in_(list(source_ids)))
    rows = conn.execute(query).all()
    return pd.DataFrame(rows, columns=["id", "country_code", "reference_date", "date_precision",
                                       "source_type", "universe", "title", "status"])


def load_cells(conn: Connection, source_ids: Iterable[int] | None = None, totals_only: bool = False,
               all_ages: bool = False) -> pd.DataFrame:
    """The cells frame of :mod:`gmrd.verify.frame` (all sources, or ``source_ids``), sorted by source;
    ``totals_only``: only the all-ages, all-origins cells; ``all_ages``: the all-ages cells of every origin.

    Cells are read from the cells table alone (a sequential scan) and given their source through the
    small tabulations table, in numpy.
    """
    tabs = pd.DataFrame(conn.execute(sa.select(Tabulation.id, Tabulation.source_id)).all(),
                        columns=["id", "source_id"])
    sql = TOTALS_SQL if totals_only else ALL_AGES_SQL if all_ages else CELL_SQL
    if source_ids is not None:
        wanted = tabs.loc[tabs["source_id"].isin([int(i) for i in source_ids]), "id"].tolist()
        if not wanted:
            return _frame({}, tabs)
        sql += ((" AND" if totals_only or all_ages else " WHERE")
                + f" tabulation_id IN ({','.join(map(str, wanted))})")
    columns = _copy_postgres(conn, sql) if conn.dialect.name == "postgresql" else _fetch(conn, sql)
    return _frame(columns, tabs)


def _frame(columns: dict[str, np.ndarray], tabs: pd.DataFrame) -> pd.DataFrame:
    if not columns:
        columns = {name: np.empty(0, dtype=dt) for name, dt in DTYPES}
    lookup = pd.Series(tabs["source_id"].to_numpy(dtype=np.int64), index=tabs["id"].to_numpy())
    source = lookup.reindex(columns["tabulation_id"]).to_numpy(dtype=np.int64)
    order = np.argsort(source, kind="stable")
    frame = pd.DataFrame({"source_id": source[order]})
    for name, _ in DTYPES[1:]:
        frame[name] = columns[name][order]
    return frame


def _fetch(conn: Connection, sql: str) -> dict[str, np.ndarray]:
    raw = conn.connection.driver_connection
    cur = raw.cursor()
    parts: list[list[np.ndarray]] = [[] for _ in DTYPES]
    try:
        cur.execute(sql)
        while rows := cur.fetchmany(FETCH_ROWS):
            for i, column in enumerate(zip(*rows)):
                parts[i].append(np.array(column, dtype=DTYPES[i][1]))
            del rows
    finally:
        cur.close()
    if not parts[0]:
        return {}
    return {name: np.concatenate(p) for (name, _), p in zip(DTYPES, parts)}


def _copy_postgres(conn: Connection, sql: str) -> dict[str, np.ndarray]:
    raw = conn.connection.driver_connection
    buffer = io.BytesIO()
    with raw.cursor() as cur, cur.copy(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)") as copy:
        for block in copy:
            buffer.write(block)
    if buffer.tell() == 0:
        return {}
    buffer.seek(0)
    parts: list[list[np.ndarray]] = [[] for _ in DTYPES]
    for chunk in pd.read_csv(buffer, header=None, names=[n for n, _ in DTYPES],
                             dtype=dict(DTYPES), chunksize=2_000_000):
        for i, (name, _) in enumerate(DTYPES):
            parts[i].append(chunk[name].to_numpy())
    return {name: np.concatenate(p) for (name, _), p in zip(DTYPES, parts)}


def dismissed_keys(conn: Connection, source_ids: Iterable[int]) -> set[tuple[int, str, str]]:
    """(source, check, key) of dismissed findings: a recurring finding stays dismissed."""
    ids = list(source_ids)
    rows = conn.execute(sa.select(Finding.source_id, Finding.check, Finding.details)
                        .where(Finding.status == "dismissed", Finding.source_id.in_(ids))).all() if ids else []
    return {(int(s), c, (d or {}).get("key", c)) for s, c, d in rows}


def replace_findings(conn: Connection, found: pd.DataFrame, source_ids: Iterable[int]) -> int:
    """Delete the open findings of ``source_ids``, store ``found`` (skipping dismissed ones) and mark
    the sources verified now."""
    ids = sorted(int(i) for i in source_ids)
    for start in range(0, len(ids), 30_000):
        conn.execute(sa.delete(Finding).where(Finding.status == "open",
                                              Finding.source_id.in_(ids[start:start + 30_000])))
    skip = dismissed_keys(conn, set(found["source_id"].tolist())) if len(found) else set()
    rows = []
    for r in found.itertuples(index=False):
        if (int(r.source_id), r.check, r.key) in skip:
            continue
        details: dict[str, object] = {"key": r.key, "cells": r.cells}
        for name in ("expected", "found"):
            value = getattr(r, name)
            details[name] = None if value is None or np.isnan(value) else float(value)
        rows.append({"source_id": int(r.source_id), "check": r.check, "severity": r.severity, "message": r.message,
                         "details": details, "status": "open", "status_reason": ""})
    for start in range(0, len(rows), 20_000):
        conn.execute(sa.insert(Finding), rows[start:start + 20_000])
    now = utcnow()
    for start in range(0, len(ids), 30_000):
        conn.execute(sa.update(Source).where(Source.id.in_(ids[start:start + 30_000])).values(verified_at=now))
    return len(rows)


def open_findings(conn: Connection, source_ids: Iterable[int] | None = None) -> pd.DataFrame:
    """Open findings with their source's title, country, date and status."""
    query = (sa.select(Finding.id, Finding.source_id, Source.title.label("source_title"), Source.country_code,
                       Source.reference_date, Source.universe, Source.status.label("source_status"),
                       Finding.check, Finding.severity, Finding.message, Finding.details)
             .join(Source, Source.id == Finding.source_id).where(Finding.status == "open")
             .order_by(Finding.source_id, Finding.id))
    if source_ids is not None:
        query = query.where(Finding.source_id.in_(list(source_ids)))
    rows = conn.execute(query).all()
    return pd.DataFrame(rows, columns=["id", "source_id", "source_title", "country_code", "reference_date",
                                       "universe", "source_status", "check", "severity", "message", "details"])


def accepted_source_ids(conn: Connection) -> list[int]:
    """The sources a curator accepted: the only ones estimation may use."""
    return [int(i) for i in conn.scalars(sa.select(Source.id).where(Source.status == "accepted")
                                         .order_by(Source.id))]
