"""Write one file's records to the database as ONE transaction: all of it, or nothing.

Country names resolve with the users' aliases of the database (:mod:`gmrd.db.aliases`) first.

The file's checksum makes a repeated import a no-op (also when two imports of it run at once:
the unique checksum decides). Cells go in through the driver's bulk path (SQLite executemany,
PostgreSQL COPY), so an import runs near the raw insert speed of the database.
"""

from __future__ import annotations

import errno
import hashlib
import sqlite3
import threading
import warnings
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from queue import Empty, Queue

import numpy as np
import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from gmrd.db import aliases
from gmrd.db.bulk import bulk_insert
from gmrd.db.engine import get_engine
from gmrd.db.models import AuditEvent, Cell, ImportedFile, Source, Tabulation
from gmrd.errors import GmrdError, InputError, InputWarning
from gmrd.ingest import limits
from gmrd.ingest.detect import detect_reader
from gmrd.ingest.records import COLUMNS
from gmrd.reference.country_names import use_user_aliases

SOURCE_KEY = ["country_code", "reference_date", "source_type", "universe", "source_title"]
CELL_COLUMNS = ("tabulation_id", "sex", "age_lo", "age_hi", "origin_code", "value", "row",
                "sex_label", "age_label", "origin_label")
CELL_PG_TYPES = ("int4", "int2", "int4", "int4", "int4", "float8", "int4", None, None, None)


@dataclass
class ImportReport:
    file: str
    format: str = ""
    sources: int = 0
    tabulations: int = 0
    cells: int = 0
    skipped_duplicate: bool = False
    warnings: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def prefetched(chunks: Iterator[pd.DataFrame], depth: int = 2) -> Iterator[pd.DataFrame]:
    """Read the next chunks in a thread while the database writes this one (parsing and inserting
    overlap on a second core). Exceptions from the reader are raised here, in order."""
    queue: Queue = Queue(maxsize=depth)
    stop = threading.Event()

    def produce() -> None:
        try:
            for chunk in chunks:
                if stop.is_set():
                    return
                queue.put((chunk, None))
        except BaseException as exc:  # noqa: BLE001 - handed over to the consumer
            queue.put((None, exc))
            return
        queue.put((None, None))

    worker = threading.Thread(target=produce, name="gmrd-import-reader", daemon=True)
    worker.start()
    try:
        while True:
            chunk, error = queue.get()
            if error is not None:
                raise error
            if chunk is None:
                return
            yield chunk
    finally:
        stop.set()
        while worker.is_alive():
            try:
                queue.get_nowait()
            except Empty:
                worker.join(0.05)


def file_checksum(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def import_file(path: Path, *, url: str | None = None, actor: str = "cli",
                on_rows: Callable[[int], None] | None = None) -> ImportReport:
    """Import one file in one transaction; raises InputError (database unchanged) on bad input."""
    path = Path(path)
    if not path.is_file():
        raise InputError("no such file", file=str(path))
    size = limits.check_input(path)  # size, gzip and zip expansion: before any reader opens it
    reader = detect_reader(path)
    checksum = file_checksum(path)
    report = ImportReport(file=path.name, format=reader.name)
    engine = get_engine(url)
    try:
        with engine.begin() as conn:
            if conn.dialect.name == "sqlite":
                conn.exec_driver_sql("BEGIN IMMEDIATE")
            if conn.scalar(sa.select(ImportedFile.id).where(ImportedFile.checksum == checksum)):
                report.skipped_duplicate = True
                return report
            use_user_aliases(aliases.load(conn))  # users' aliases first, as of now
            file_id = conn.scalar(sa.insert(ImportedFile).returning(ImportedFile.id), dict(
                checksum=checksum, filename=path.name, size=size, format=reader.name, imported_by=actor))
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always", InputWarning)
                _Loader(conn, file_id, path.name, report, on_rows).run(prefetched(reader.read(path)))
            report.warnings = [str(w.message) for w in caught if issubclass(w.category, InputWarning)]
    except IntegrityError as exc:
        if "checksum" in str(exc.orig):
            return ImportReport(file=path.name, format=reader.name, skipped_duplicate=True)
        raise
    except Exception as exc:
        if _is_disk_full(exc):
            raise GmrdError(f"disk full while importing {path.name}: nothing was imported (the transaction "
                            "was rolled back); free space for the database and import it again") from None
        raise
    return report


def _is_disk_full(exc: BaseException) -> bool:
    """SQLite's SQLITE_FULL, PostgreSQL's disk_full (53100) or ENOSPC, raw or wrapped by SQLAlchemy."""
    for error in (exc, getattr(exc, "orig", None), exc.__cause__, exc.__context__):
        if error is None:
            continue
        if isinstance(error, OSError) and error.errno == errno.ENOSPC:
            return True
        if getattr(error, "sqlstate", None) == "53100":
            return True
        if isinstance(error, sqlite3.Error) and (
                getattr(error, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL
                or "database or disk is full" in str(error)):
            return True
    return False


class _Loader:
    """The state of one import: source and tabulation ids, cell keys for the duplicate check."""

    def __init__(self, conn: Connection, file_id: int, filename: str, report: ImportReport,
                 on_rows: Callable[[int], None] | None) -> None:
        self.conn, self.file_id, self.filename, self.report, self.on_rows = (
            conn, file_id, filename, report, on_rows)
        self.sources: dict[tuple, int] = {}
        self.existing_sources: set[int] = set()
        self.tabulations: dict[int, int] = {}
        self.dims: dict[int, np.ndarray] = {}
        self.counts: dict[int, int] = {}
        self.key_hashes: list[np.ndarray] = []
        self.key_rows: list[np.ndarray] = []
        for row in conn.execute(sa.select(Source.id, Source.country_code, Source.reference_date,
                                          Source.source_type, Source.universe, Source.title)):
            self.sources[tuple(row[1:])] = row[0]
        self.existing_sources = set(self.sources.values())

    def run(self, chunks) -> None:  # type: ignore[no-untyped-def]
        for chunk in chunks:
            if len(chunk) == 0:
                continue
            chunk = chunk[list(COLUMNS)]
            source_ids = self._source_ids(chunk)
            tab_ids = self._tabulation_ids(source_ids)
            self._remember_keys(chunk, source_ids)
            self._note_dims(chunk, tab_ids)
            self._insert_cells(chunk, tab_ids)
            self.report.cells += len(chunk)
            if self.on_rows:
                self.on_rows(len(chunk))
        if self.report.cells == 0:
            raise InputError("no data rows", file=self.filename)
        self._check_duplicates()
        self._finish()

    def _source_ids(self, chunk: pd.DataFrame) -> np.ndarray:
        """The source id of every row (new sources inserted), via one group number per source key."""
        groups = chunk.groupby(SOURCE_KEY, sort=False, observed=True, dropna=False).ngroup().to_numpy()
        _, first = np.unique(groups, return_index=True)
        meta = chunk.iloc[first][SOURCE_KEY + ["date_precision", "citation", "note"]]
        keys = [(int(k[0]), k[1], str(k[2]), int(k[3]), str(k[4])) for k in
                meta[SOURCE_KEY].itertuples(index=False)]
        new = [(key, row) for key, row in zip(keys, meta.itertuples(index=False)) if key not in self.sources]
        if new:
            ids = self.conn.scalars(
                sa.insert(Source).returning(Source.id, sort_by_parameter_order=True),
                [dict(country_code=key[0], reference_date=key[1], source_type=key[2], universe=key[3],
                      title=key[4], date_precision=str(row[5]), citation=str(row[6] or ""),
                      note=str(row[7] or ""), file_id=self.file_id) for key, row in new]).all()
            for (key, _), source_id in zip(new, ids):
                self.sources[key] = source_id
            self.report.sources += len(new)
        return np.array([self.sources[key] for key in keys], dtype=np.int64)[groups]

    def _tabulation_ids(self, source_ids: np.ndarray) -> np.ndarray:
        new = [int(s) for s in np.unique(source_ids) if int(s) not in self.tabulations]
        if new:
            ids = self.conn.scalars(
                sa.insert(Tabulation).returning(Tabulation.id, sort_by_parameter_order=True),
                [dict(source_id=s, file_id=self.file_id, dims="", n_cells=0) for s in new]).all()
            self.tabulations.update(zip(new, ids))
            self.report.tabulations += len(new)
        mapping = pd.Series(self.tabulations)
        return mapping.reindex(source_ids).to_numpy(dtype=np.int64)

    def _remember_keys(self, chunk: pd.DataFrame, source_ids: np.ndarray) -> None:
        self.key_hashes.append(_cell_key_hash(source_ids, chunk))
        self.key_rows.append(chunk["row"].to_numpy(dtype=np.int64))

    def _note_dims(self, chunk: pd.DataFrame, tab_ids: np.ndarray) -> None:
        flags = pd.DataFrame({
            "tab": tab_ids,
            "sex": chunk["sex"].to_numpy() != 0,
            "age": ~((chunk["age_lo"].to_numpy() == 0) & chunk["age_hi"].isna().to_numpy()),
            "origin": chunk["origin_code"].to_numpy() != 0,
        }).groupby("tab").agg(["any", "size"])
        for tab, row in zip(flags.index, flags.to_numpy()):
            seen = np.array([row[0], row[2], row[4]], dtype=bool)
            self.dims[tab] = self.dims.get(tab, np.zeros(3, bool)) | seen
            self.counts[tab] = self.counts.get(tab, 0) + int(row[1])

    def _insert_cells(self, chunk: pd.DataFrame, tab_ids: np.ndarray) -> None:
        frame = pd.DataFrame({
            "tabulation_id": tab_ids, "sex": chunk["sex"].to_numpy(), "age_lo": chunk["age_lo"].to_numpy(),
            "age_hi": pd.array(chunk["age_hi"], dtype="Int64"), "origin_code": chunk["origin_code"].to_numpy(),
            "value": chunk["value"].to_numpy(dtype=np.float64), "row": chunk["row"].to_numpy(),
            "sex_label": chunk["sex_label"].to_numpy(), "age_label": chunk["age_label"].to_numpy(),
            "origin_label": chunk["origin_label"].to_numpy(),
        })
        bulk_insert(self.conn, "cells", CELL_COLUMNS, frame, CELL_PG_TYPES)

    def _check_duplicates(self) -> None:
        hashes = np.concatenate(self.key_hashes)
        rows = np.concatenate(self.key_rows)
        earlier = self._existing_keys()
        order = np.argsort(np.concatenate([earlier, hashes]), kind="stable")
        merged = np.concatenate([earlier, hashes])[order]
        dup = np.flatnonzero(merged[1:] == merged[:-1])
        if dup.size:
            second = order[dup[0] + 1] - earlier.size
            first = order[dup[0]] - earlier.size
            where = f"row {rows[first]}" if first >= 0 else "an earlier import"
            raise InputError(f"duplicate cell: same source, sex, age and origin as {where}",
                             file=self.filename, row=int(rows[second]), field="value")

    def _existing_keys(self) -> np.ndarray:
        touched = [s for s in self.tabulations if s in self.existing_sources]
        if not touched:
            return np.empty(0, dtype=np.uint64)
        query = (sa.select(Tabulation.source_id, Cell.sex, Cell.age_lo, Cell.age_hi, Cell.origin_code)
                 .join(Cell, Cell.tabulation_id == Tabulation.id)
                 .where(Tabulation.source_id.in_(touched), Tabulation.file_id != self.file_id))
        frame = pd.DataFrame(self.conn.execute(query).all(),
                             columns=["source_id", "sex", "age_lo", "age_hi", "origin_code"])
        frame["age_hi"] = frame["age_hi"].astype("Int64")
        return _cell_key_hash(frame["source_id"].to_numpy(dtype=np.int64), frame)

    def _finish(self) -> None:
        names = np.array(["sex", "age", "origin"])
        updates = [dict(tid=tab, dims=",".join(names[self.dims[tab]]), n=self.counts[tab])
                   for tab in self.counts]
        self.conn.execute(sa.update(Tabulation).where(Tabulation.id == sa.bindparam("tid"))
                          .values(dims=sa.bindparam("dims"), n_cells=sa.bindparam("n")), updates)
        self.conn.execute(sa.update(ImportedFile).where(ImportedFile.id == self.file_id)
                          .values(n_cells=self.report.cells))
        self.conn.execute(sa.insert(AuditEvent), dict(
            actor="import", action="import", object_type="file", object_id=str(self.file_id),
            after=dict(file=self.filename, sources=self.report.sources,
                       tabulations=self.report.tabulations, cells=self.report.cells)))


def _cell_key_hash(source_ids: np.ndarray, frame: pd.DataFrame) -> np.ndarray:
    keys = pd.DataFrame({
        "s": source_ids, "sex": frame["sex"].to_numpy(dtype=np.int64),
        "lo": frame["age_lo"].to_numpy(dtype=np.int64),
        "hi": frame["age_hi"].fillna(-2).to_numpy(dtype=np.int64),
        "o": frame["origin_code"].to_numpy(dtype=np.int64),
    })
    return pd.util.hash_pandas_object(keys, index=False).to_numpy()
