"""Bulk inserts through each driver's fastest path: COPY on PostgreSQL, executemany on SQLite."""

from __future__ import annotations

import io
import secrets
from collections.abc import Sequence

import pandas as pd
from sqlalchemy.engine import Connection

from gmrd.db.pg_binary import binary_copy_payload


def bulk_insert(conn: Connection, table: str, columns: Sequence[str], frame: pd.DataFrame,
                pg_types: Sequence[str | None] | None = None) -> None:
    """Insert ``frame[columns]`` into ``table`` inside the connection's transaction.

    Missing values (None, NaN, NA) become NULL. Integer columns should use pandas' nullable Int64
    where they can be missing, so that PostgreSQL's COPY sees integers, not floats. With
    ``pg_types`` (int2/int4/int8/float8 per column, None for a text column), frames whose text columns
    are all NULL go to PostgreSQL as binary COPY, without any text conversion.
    """
    if frame.empty:
        return
    raw = conn.connection.driver_connection
    names = ", ".join(f'"{c}"' for c in columns)
    if conn.dialect.name == "postgresql":
        payload = binary_copy_payload(frame, columns, pg_types) if pg_types else None
        if payload is not None:
            with raw.cursor() as cur, cur.copy(f'COPY "{table}" ({names}) FROM STDIN WITH (FORMAT binary)') as copy:
                copy.write(payload)
            return
        null = f"NULL{secrets.token_hex(8)}"  # a marker no real value can collide with
        buffer = io.StringIO()
        frame[list(columns)].to_csv(buffer, header=False, index=False, na_rep=null)
        sql = f"COPY \"{table}\" ({names}) FROM STDIN WITH (FORMAT csv, NULL '{null}')"
        with raw.cursor() as cur, cur.copy(sql) as copy:
            copy.write(buffer.getvalue())
        return
    present = [c for c in columns if not (frame[c].dtype == object and frame[c].isna().all())]
    names = ", ".join(f'"{c}"' for c in present)  # all-NULL columns are left to their default, NULL
    values = [_as_python(frame[c]) for c in present]
    cur = raw.cursor()
    try:
        cur.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({", ".join("?" * len(present))})',
                        zip(*values))
    finally:
        cur.close()


def _as_python(column: pd.Series) -> list:
    if column.hasnans or column.dtype == object or isinstance(column.dtype, pd.api.extensions.ExtensionDtype):
        return column.astype(object).where(column.notna(), None).tolist()
    return column.tolist()
