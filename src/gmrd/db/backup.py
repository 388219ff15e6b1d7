"""Whole-database backup and restore, portable between SQLite and PostgreSQL, with checksums.

A backup is a zip: ``manifest.json`` (format, schema revision, per-table row count and SHA-256) and one
CSV per table. Restore checks every checksum and the schema revision before it touches the database,
then replaces all rows in one transaction; a damaged file leaves the database as it was.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import sqlalchemy as sa
from alembic.runtime.migration import MigrationContext
from sqlalchemy.engine import Connection

from gmrd import __version__
from gmrd.db import schema
from gmrd.db.bulk import bulk_insert
from gmrd.db.engine import get_engine
from gmrd.db.models import Base
from gmrd.errors import GmrdError

FORMAT = "gmrd-backup"
VERSION = 2
CHUNK = 200_000
NULL = "\\N"
ESCAPE = "\\"
"""Version 2: text starting with a backslash gets one more, so that the text "\\N" is not read as NULL."""


def _revision(conn: Connection) -> str:
    return MigrationContext.configure(conn).get_current_revision() or ""


def _encode(frame: pd.DataFrame, table: sa.Table) -> pd.DataFrame:
    for column in table.columns:
        if isinstance(column.type, sa.Integer) and not isinstance(column.type, sa.Boolean):
            frame[column.name] = frame[column.name].astype("Int64")
        elif isinstance(column.type, sa.JSON):
            frame[column.name] = frame[column.name].map(
                lambda v: None if v is None else json.dumps(v, sort_keys=True))
        if frame[column.name].dtype == object:
            frame[column.name] = frame[column.name].map(
                lambda v: ESCAPE + v if isinstance(v, str) and v.startswith(ESCAPE) else v)
    return frame


def backup(out: Path, url: str | None = None) -> dict[str, object]:
    """Write every table of the database to ``out``; returns the manifest."""
    engine = get_engine(url)
    manifest: dict[str, object] = {"format": FORMAT, "version": VERSION, "gmrd": __version__,
                                   "created_at": datetime.now(UTC).isoformat(), "tables": {}}
    tables: dict[str, dict[str, object]] = {}
    with engine.connect() as conn, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        manifest["schema_revision"] = _revision(conn)
        for table in Base.metadata.sorted_tables:
            digest, rows = hashlib.sha256(), 0
            with zf.open(f"tables/{table.name}.csv", "w", force_zip64=True) as member:
                text = io.TextIOWrapper(member, encoding="utf-8", newline="")
                result = conn.execution_options(stream_results=True, yield_per=CHUNK).execute(
                    sa.select(table).order_by(*table.primary_key.columns))
                first = True
                for part in result.partitions(CHUNK):
                    frame = _encode(pd.DataFrame(part, columns=list(result.keys())), table)
                    chunk = frame.to_csv(header=first, index=False, na_rep=NULL)
                    first = False
                    digest.update(chunk.encode("utf-8"))
                    text.write(chunk)
                    rows += len(frame)
                if first:
                    chunk = pd.DataFrame(columns=[c.name for c in table.columns]).to_csv(index=False)
                    digest.update(chunk.encode("utf-8"))
                    text.write(chunk)
                text.flush()
                text.detach()
            tables[table.name] = {"rows": rows, "sha256": digest.hexdigest()}
        manifest["tables"] = tables
        zf.writestr("manifest.json", json.dumps(manifest, indent=2))
    return manifest


def _read_manifest(zf: zipfile.ZipFile, name: str) -> dict:
    try:
        manifest = json.loads(zf.read("manifest.json"))
    except (KeyError, json.JSONDecodeError) as exc:
        raise GmrdError(f"{name}: not a gmrd backup (manifest.json missing or unreadable: {exc})") from None
    if manifest.get("format") != FORMAT:
        raise GmrdError(f"{name}: not a gmrd backup (format {manifest.get('format')!r})")
    return manifest


def verify_backup(path: Path) -> dict:
    """Check the manifest and every table's checksum; raises GmrdError naming the damaged part."""
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise GmrdError(f"{path.name}: not a readable backup file: {exc}") from None
    with zf:
        manifest = _read_manifest(zf, path.name)
        for name, info in manifest["tables"].items():
            digest = hashlib.sha256()
            try:
                with zf.open(f"tables/{name}.csv") as member:
                    for block in iter(lambda: member.read(1 << 20), b""):
                        digest.update(block)
            except (KeyError, zipfile.BadZipFile, OSError) as exc:
                raise GmrdError(f"{path.name}: table {name} missing or damaged: {exc}") from None
            if digest.hexdigest() != info["sha256"]:
                raise GmrdError(f"{path.name}: checksum mismatch in table {name}: the backup is damaged")
    return manifest


def _decode(frame: pd.DataFrame, table: sa.Table, version: int) -> pd.DataFrame:
    """Text as written by backup() is what both drivers take, except booleans (stored as 0/1) and
    text that started with a backslash (escaped with one more from version 2)."""
    for column in table.columns:
        if version >= 2:
            frame[column.name] = frame[column.name].map(
                lambda v: v[1:] if isinstance(v, str) and v.startswith(ESCAPE) else v)
        if isinstance(column.type, sa.Boolean):
            frame[column.name] = frame[column.name].map({"True": "1", "False": "0", "1": "1", "0": "0"})
    return frame


def restore(path: Path, url: str | None = None) -> dict:
    """Replace the whole database with the backup's contents (one transaction, checksums first)."""
    manifest = verify_backup(path)
    schema.upgrade(url)
    engine = get_engine(url)
    with engine.begin() as conn, zipfile.ZipFile(path) as zf:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        if manifest.get("schema_revision") != _revision(conn):
            raise GmrdError(f"{path.name}: backup is at schema revision {manifest.get('schema_revision')!r}, "
                            f"the database at {_revision(conn)!r}: restore it with the gmrd version that made it")
        for table in reversed(Base.metadata.sorted_tables):
            conn.execute(table.delete())
        for table in Base.metadata.sorted_tables:
            columns = [c.name for c in table.columns]
            with zf.open(f"tables/{table.name}.csv") as member:
                for frame in pd.read_csv(member, chunksize=CHUNK, dtype=str, keep_default_na=False,
                                         na_values=[NULL]):
                    bulk_insert(conn, table.name, columns, _decode(frame, table, int(manifest.get("version", 1))))
            if conn.dialect.name == "postgresql" and "id" in columns:
                conn.exec_driver_sql(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                    f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)")
    return manifest
