"""All database reads the CLI, exports and web use: small functions, no SQL in callers."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from gmrd.db.models import Cell, Source, Tabulation

TABULATION_CELLS = (
    sa.select(Source.id.label("source_id"), Source.title.label("source_title"), Source.country_code,
              Source.reference_date, Source.source_type, Source.universe, Cell.sex, Cell.age_lo,
              Cell.age_hi, Cell.origin_code, Cell.value, Cell.sex_label, Cell.age_label,
              Cell.origin_label, Cell.row, Tabulation.id.label("tabulation_id"))
    .join(Tabulation, Tabulation.source_id == Source.id)
    .join(Cell, Cell.tabulation_id == Tabulation.id)
    .order_by(Source.id, Cell.id)
)


def tabulation_cells(conn: Connection, chunk_rows: int = 200_000,
                     source_ids: list[int] | None = None) -> Iterator[pd.DataFrame]:
    """Every imported cell with its source, in import order, as frames of ``chunk_rows``."""
    query = TABULATION_CELLS
    if source_ids is not None:
        query = query.where(Source.id.in_(source_ids))
    result = conn.execution_options(stream_results=True, yield_per=chunk_rows).execute(query)
    for part in result.partitions(chunk_rows):
        yield pd.DataFrame(part, columns=list(result.keys()))


def counts(conn: Connection) -> dict[str, int]:
    """How many files, sources, tabulations and cells the database holds, and sources by status."""
    from gmrd.db.models import ImportedFile

    out = {name: conn.scalar(sa.select(sa.func.count()).select_from(table)) or 0
           for name, table in (("files", ImportedFile), ("sources", Source),
                               ("tabulations", Tabulation), ("cells", Cell))}
    for status, n in conn.execute(sa.select(Source.status, sa.func.count()).group_by(Source.status)):
        out[f"sources_{status}"] = n
    return out


# --- web pages and REST API (gmrd.web): users, tokens, audit trail -------------------------------

def user_by_name(conn: Connection, name: str) -> sa.Row | None:
    """The users row named ``name`` (exact match), or None."""
    from gmrd.db.models import User

    return conn.execute(sa.select(User).where(User.name == name)).first()


def users(conn: Connection) -> list[sa.Row]:
    """Every user, by name."""
    from gmrd.db.models import User

    return list(conn.execute(sa.select(User).order_by(User.name)))


def _token_owner_query() -> sa.Select:
    from gmrd.db.models import ApiToken, User

    return (sa.select(ApiToken.id, ApiToken.label, ApiToken.created_at, ApiToken.revoked_at,
                      User.id.label("user_id"), User.name, User.role, User.active)
            .join(User, User.id == ApiToken.user_id).where(ApiToken.token_hash == sa.bindparam("digest")))


_TOKEN_OWNER = _token_owner_query()  # built once: every request looks its session or token up


def token_owner(conn: Connection, digest: str) -> sa.Row | None:
    """The API token stored under ``digest`` with its user's id, name, role and active flag."""
    return conn.execute(_TOKEN_OWNER, {"digest": digest}).first()


def _session_owner_query() -> sa.Select:
    from gmrd.db.models import User, WebSession

    return (sa.select(WebSession.id, WebSession.created_at, WebSession.revoked_at,
                      User.id.label("user_id"), User.name, User.role, User.active)
            .join(User, User.id == WebSession.user_id).where(WebSession.token_hash == sa.bindparam("digest")))


_SESSION_OWNER = _session_owner_query()


def session_owner(conn: Connection, digest: str) -> sa.Row | None:
    """The web session stored under ``digest`` with its user's id, name, role and active flag."""
    return conn.execute(_SESSION_OWNER, {"digest": digest}).first()


def api_tokens(conn: Connection) -> list[sa.Row]:
    """API tokens with their user's name, newest first (web sessions are in their own table)."""
    from gmrd.db.models import ApiToken, User

    return list(conn.execute(
        sa.select(ApiToken.id, ApiToken.label, ApiToken.created_at, ApiToken.revoked_at, User.name)
        .join(User, User.id == ApiToken.user_id).order_by(ApiToken.id.desc())))


def audit_events(conn: Connection, *, actor: str | None = None, action: str | None = None,
                 limit: int = 50, offset: int = 0) -> tuple[list[sa.Row], int]:
    """Audit events, newest first, and how many match."""
    from gmrd.db.models import AuditEvent

    conds = [c for c in (AuditEvent.actor == actor if actor else None,
                         AuditEvent.action == action if action else None) if c is not None]
    total = conn.scalar(sa.select(sa.func.count()).select_from(AuditEvent).where(*conds)) or 0
    rows = conn.execute(sa.select(AuditEvent).where(*conds).order_by(AuditEvent.id.desc())
                        .limit(limit).offset(offset)).all()
    return list(rows), total


# --- web: the tabulation browser, sources, cells and findings -------------------------------------

@dataclass(frozen=True)
class TabulationFilter:
    """What the tabulation browser and /api/v1/tabulations filter on (empty = no condition)."""

    countries: tuple[int, ...] = ()
    year_from: int | None = None
    year_to: int | None = None
    source_types: tuple[str, ...] = ()
    universes: tuple[int, ...] = ()
    dims: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    q: str = ""


TABULATION_SORTS = {
    "id": Tabulation.id, "date": Source.reference_date, "country": Source.country_code,
    "title": Source.title, "cells": Tabulation.n_cells, "status": Source.status,
}
FACETS = ("country", "year", "source_type", "concept", "dims", "status")


def _tabulation_conditions(f: TabulationFilter, skip: str = "") -> list[sa.ColumnElement[bool]]:
    conds: list[sa.ColumnElement[bool]] = []
    if f.countries and skip != "country":
        conds.append(Source.country_code.in_(f.countries))
    if f.year_from is not None and skip != "year":
        conds.append(Source.reference_date >= date(f.year_from, 1, 1))
    if f.year_to is not None and skip != "year":
        conds.append(Source.reference_date <= date(f.year_to, 12, 31))
    if f.source_types and skip != "source_type":
        conds.append(Source.source_type.in_(f.source_types))
    if f.universes and skip != "concept":
        conds.append(Source.universe.in_(f.universes))
    if skip != "dims":
        conds.extend(Tabulation.dims.contains(d) for d in f.dims)
    if f.statuses and skip != "status":
        conds.append(Source.status.in_(f.statuses))
    if f.q:
        escaped = f.q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        conds.append(Source.title.ilike(f"%{escaped}%", escape="\\"))
    return conds


TABULATION_COLUMNS = (Tabulation.id, Tabulation.source_id, Source.title, Source.country_code,
                      Source.reference_date, Source.source_type, Source.universe, Tabulation.dims,
                      Tabulation.n_cells, Source.status)


def tabulation_page(conn: Connection, f: TabulationFilter, *, sort: str = "id", descending: bool = False,
                    limit: int = 50, offset: int = 0) -> tuple[list[sa.Row], int]:
    """One page of tabulations with their source, and how many match ``f``."""
    conds = _tabulation_conditions(f)
    base = sa.select(*TABULATION_COLUMNS).join(Source, Source.id == Tabulation.source_id).where(*conds)
    total = conn.scalar(sa.select(sa.func.count()).select_from(
        sa.select(Tabulation.id).join(Source, Source.id == Tabulation.source_id).where(*conds).subquery()))
    key = TABULATION_SORTS.get(sort, Tabulation.id)
    order = [key.desc() if descending else key.asc(), Tabulation.id]
    return list(conn.execute(base.order_by(*order).limit(limit).offset(offset))), total or 0


def tabulation_facets(conn: Connection, f: TabulationFilter) -> dict[str, list[tuple[object, int]]]:
    """Counts of tabulations by each facet value, each facet under the other facets' filters."""
    columns = {
        "country": Source.country_code, "year": sa.extract("year", Source.reference_date),
        "source_type": Source.source_type, "concept": Source.universe, "dims": Tabulation.dims,
        "status": Source.status,
    }
    out: dict[str, list[tuple[object, int]]] = {}
    for name, column in columns.items():
        n = sa.func.count().label("n")
        query = (sa.select(column.label("value"), n).select_from(Tabulation)
                 .join(Source, Source.id == Tabulation.source_id)
                 .where(*_tabulation_conditions(f, skip=name)).group_by(column))
        rows = conn.execute(query).all()
        out[name] = sorted(((r[0] if name != "year" else int(r[0]), int(r[1])) for r in rows),
                           key=lambda vc: (-vc[1], str(vc[0])) if name == "country" else (str(vc[0]),))
    return out


def source(conn: Connection, source_id: int) -> sa.Row | None:
    """The sources row ``source_id`` with its file name, or None."""
    from gmrd.db.models import ImportedFile

    return conn.execute(
        sa.select(Source, ImportedFile.filename, ImportedFile.imported_at, ImportedFile.imported_by)
        .join(ImportedFile, ImportedFile.id == Source.file_id).where(Source.id == source_id)).first()


def source_tabulations(conn: Connection, source_id: int) -> list[sa.Row]:
    return list(conn.execute(sa.select(Tabulation).where(Tabulation.source_id == source_id)
                             .order_by(Tabulation.id)))


def tabulation(conn: Connection, tabulation_id: int) -> sa.Row | None:
    """One tabulation with its source columns."""
    return conn.execute(sa.select(*TABULATION_COLUMNS).join(Source, Source.id == Tabulation.source_id)
                        .where(Tabulation.id == tabulation_id)).first()


CELL_COLUMNS = (Cell.id, Cell.tabulation_id, Cell.sex, Cell.age_lo, Cell.age_hi, Cell.origin_code,
                Cell.value, Cell.row, Cell.sex_label, Cell.age_label, Cell.origin_label)


def cells_page(conn: Connection, *, source_id: int | None = None, tabulation_id: int | None = None,
               limit: int = 100, offset: int = 0) -> tuple[list[sa.Row], int]:
    """Cells of one source or one tabulation in file order, and how many it has."""
    conds = []
    if tabulation_id is not None:
        conds.append(Cell.tabulation_id == tabulation_id)
    if source_id is not None:
        conds.append(Cell.tabulation_id.in_(sa.select(Tabulation.id).where(Tabulation.source_id == source_id)))
    total = conn.scalar(sa.select(sa.func.count()).select_from(Cell).where(*conds)) or 0
    rows = conn.execute(sa.select(*CELL_COLUMNS).where(*conds).order_by(Cell.id).limit(limit).offset(offset))
    return list(rows), total


def findings_page(conn: Connection, *, source_id: int | None = None, severity: str | None = None,
                  check: str | None = None, status: str | None = None, limit: int = 100,
                  offset: int = 0) -> tuple[list[sa.Row], int]:
    """Verification findings, errors first, and how many match."""
    from gmrd.db.models import Finding

    conds = [c for c in (Finding.source_id == source_id if source_id is not None else None,
                         Finding.severity == severity if severity else None,
                         Finding.check == check if check else None,
                         Finding.status == status if status else None) if c is not None]
    total = conn.scalar(sa.select(sa.func.count()).select_from(Finding).where(*conds)) or 0
    rank = sa.case({"error": 0, "warning": 1}, value=Finding.severity, else_=2)
    rows = conn.execute(sa.select(Finding).where(*conds).order_by(rank, Finding.id).limit(limit).offset(offset))
    return list(rows), total


def _country_sources_query() -> sa.Select:
    from gmrd.db.models import Finding

    chosen = (sa.select(Source.id).where(Source.country_code == sa.bindparam("country"))
              .order_by(Source.reference_date.desc(), Source.id).limit(sa.bindparam("limit")).subquery())
    ids = sa.select(chosen.c.id)
    cells = (sa.select(Tabulation.source_id, sa.func.sum(Tabulation.n_cells).label("cells"))
             .where(Tabulation.source_id.in_(ids)).group_by(Tabulation.source_id).subquery())
    open_ = (sa.select(Finding.source_id,
                       sa.func.sum(sa.case((Finding.severity == "error", 1), else_=0)).label("errors"),
                       sa.func.sum(sa.case((Finding.severity != "error", 1), else_=0)).label("warnings"))
             .where(Finding.source_id.in_(ids), Finding.status == "open").group_by(Finding.source_id).subquery())
    return (sa.select(Source.id, Source.title, Source.reference_date, Source.source_type, Source.universe,
                      Source.status, sa.func.coalesce(cells.c.cells, 0).label("cells"),
                      sa.func.coalesce(open_.c.errors, 0).label("errors"),
                      sa.func.coalesce(open_.c.warnings, 0).label("warnings"))
            .outerjoin(cells, cells.c.source_id == Source.id)
            .outerjoin(open_, open_.c.source_id == Source.id)
            .where(Source.id.in_(ids)).order_by(Source.reference_date.desc(), Source.id))


_COUNTRY_SOURCES = _country_sources_query()  # built once: the web profile asks for it on every view


def country_sources(conn: Connection, country_code: int, limit: int | None = None) -> list[sa.Row]:
    """Sources of one destination (the newest ``limit``, or all) with their cell count and open findings
    by severity, newest first."""
    return list(conn.execute(_COUNTRY_SOURCES, {"country": country_code,
                                                "limit": 2**62 if limit is None else limit}))


def country_source_count(conn: Connection, country_code: int) -> int:
    """How many sources one destination has."""
    return conn.scalar(sa.select(sa.func.count()).select_from(Source)
                       .where(Source.country_code == country_code)) or 0


# --- web: revisions and estimates ------------------------------------------------------------------

ESTIMATE_COLUMNS = ["revision", "area_code", "year", "sex", "age_lo", "age_hi", "value", "lower", "upper",
                    "flags"]


def _revision_columns() -> tuple:
    from gmrd.db.models import Revision

    return (Revision.id, Revision.name, Revision.created_at)


def revisions(conn: Connection) -> list[sa.Row]:
    """Every estimation revision (id, name, created_at; not the manifest), newest first."""
    from gmrd.db.models import Revision

    return list(conn.execute(sa.select(*_revision_columns())
                             .order_by(Revision.created_at.desc(), Revision.id.desc())))


def revision(conn: Connection, name: str | None = None) -> sa.Row | None:
    """The revision called ``name``, or the newest one when ``name`` is None: id, name, created_at.

    The manifest is left out (it lists every input and runs to megabytes on a full corpus): read it
    with :func:`revision_manifest`.
    """
    from gmrd.db.models import Revision

    query = sa.select(*_revision_columns())
    query = (query.where(Revision.name == name) if name is not None
             else query.order_by(Revision.created_at.desc(), Revision.id.desc()).limit(1))
    return conn.execute(query).first()


_DATA_VERSION = sa.text("SELECT token FROM data_version WHERE id = 1")


def data_version(conn: Connection) -> str:
    """A token that changes whenever a change of sources, tabulations, findings or revisions is committed
    (kept by triggers: migration 0005), for caches of what is derived from them."""
    return str(conn.scalar(_DATA_VERSION))


def revision_manifest(conn: Connection, revision_id: int) -> dict:
    """The manifest (inputs, parameters, software version) of one revision; {} if it has none."""
    from gmrd.db.models import Revision

    return conn.scalar(sa.select(Revision.manifest).where(Revision.id == revision_id)) or {}


def estimate_rows(conn: Connection, revision_id: int, *, areas: tuple[int, ...] = (),
                  years: tuple[int, ...] = (), sexes: tuple[int, ...] = (),
                  ages: tuple[tuple[int, int | None], ...] = (), limit: int | None = None,
                  offset: int = 0) -> list[sa.Row]:
    """Estimates of one revision as rows (fields ``ESTIMATE_COLUMNS``), ordered area, year, sex, age.

    ``ages`` lists (age_lo, age_hi) intervals, age_hi None for an open group or the total (0, None).
    """
    query = _estimate_query(revision_id, areas, years, sexes, ages)
    if limit is not None:
        query = query.limit(limit).offset(offset)
    return list(conn.execute(query))


def _estimate_query(revision_id: int, areas: tuple[int, ...], years: tuple[int, ...], sexes: tuple[int, ...],
                    ages: tuple[tuple[int, int | None], ...]) -> sa.Select:
    from gmrd.db.models import Estimate, Revision

    conds = _estimate_conditions(revision_id, areas, years, sexes, ages)
    return (sa.select(Revision.name.label("revision"), Estimate.area_code, Estimate.year, Estimate.sex,
                      Estimate.age_lo, Estimate.age_hi, Estimate.value, Estimate.lower, Estimate.upper,
                      Estimate.flags)
            .join(Revision, Revision.id == Estimate.revision_id).where(*conds)
            .order_by(Estimate.area_code, Estimate.year, Estimate.sex, Estimate.age_lo,
                      sa.func.coalesce(Estimate.age_hi, 999)))


def estimates(conn: Connection, revision_id: int, *, areas: tuple[int, ...] = (),
              years: tuple[int, ...] = (), sexes: tuple[int, ...] = (),
              ages: tuple[tuple[int, int | None], ...] = (), limit: int | None = None,
              offset: int = 0) -> pd.DataFrame:
    """:func:`estimate_rows` as a frame (age_hi nullable integer)."""
    rows = estimate_rows(conn, revision_id, areas=areas, years=years, sexes=sexes, ages=ages, limit=limit,
                         offset=offset)
    return _estimate_frame(rows)


def estimate_chunks(conn: Connection, revision_id: int, *, areas: tuple[int, ...] = (),
                    years: tuple[int, ...] = (), sexes: tuple[int, ...] = (),
                    ages: tuple[tuple[int, int | None], ...] = (),
                    chunk_rows: int = 50_000) -> Iterator[pd.DataFrame]:
    """:func:`estimates` in frames of at most ``chunk_rows``, read with a server-side cursor (a streamed
    download holds one frame at a time); at least one frame, empty when nothing matches."""
    query = _estimate_query(revision_id, areas, years, sexes, ages)
    result = conn.execution_options(stream_results=True, yield_per=chunk_rows).execute(query)
    empty = True
    for part in result.partitions(chunk_rows):
        empty = False
        yield _estimate_frame(part)
    if empty:
        yield _estimate_frame([])


def _estimate_frame(rows: Any) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=ESTIMATE_COLUMNS)
    frame["age_hi"] = frame["age_hi"].astype("Int64")
    return frame


def estimate_count(conn: Connection, revision_id: int, *, areas: tuple[int, ...] = (),
                   years: tuple[int, ...] = (), sexes: tuple[int, ...] = (),
                   ages: tuple[tuple[int, int | None], ...] = ()) -> int:
    from gmrd.db.models import Estimate

    conds = _estimate_conditions(revision_id, areas, years, sexes, ages)
    return conn.scalar(sa.select(sa.func.count()).select_from(Estimate).where(*conds)) or 0


def _estimate_conditions(revision_id: int, areas: tuple[int, ...], years: tuple[int, ...],
                         sexes: tuple[int, ...], ages: tuple[tuple[int, int | None], ...]) -> list:
    from gmrd.db.models import Estimate

    conds: list[sa.ColumnElement[bool]] = [Estimate.revision_id == revision_id]
    if areas:
        conds.append(Estimate.area_code.in_(areas))
    if years:
        conds.append(Estimate.year.in_(years))
    if sexes:
        conds.append(Estimate.sex.in_(sexes))
    if ages:
        conds.append(sa.or_(*(sa.and_(Estimate.age_lo == lo,
                                      Estimate.age_hi.is_(None) if hi is None else Estimate.age_hi == hi)
                              for lo, hi in ages)))
    return conds


def estimate_dimensions(conn: Connection, revision_id: int) -> dict[str, list]:
    """The areas, years and age intervals one revision has estimates for."""
    from gmrd.db.models import Estimate

    where = Estimate.revision_id == revision_id
    return {
        "areas": list(conn.scalars(sa.select(Estimate.area_code).where(where).distinct()
                                   .order_by(Estimate.area_code))),
        "years": list(conn.scalars(sa.select(Estimate.year).where(where).distinct().order_by(Estimate.year))),
        "ages": sorted((tuple(r) for r in conn.execute(
            sa.select(Estimate.age_lo, Estimate.age_hi).where(where).distinct())), key=age_order),
    }


def age_order(age: tuple[int, int | None]) -> tuple[int, int, int]:
    """Sort key of age intervals ``[lo, hi)`` in age order: the groups by age (0-4, 5-9, 10-14, 15-17,
    15-19, … 75+), then the child cohorts (0-17, 0-19), then the total.

    Examples
    --------
    >>> sorted([(0, 18), (5, 10), (0, None), (0, 5), (15, 20), (15, 18)], key=age_order)
    [(0, 5), (5, 10), (15, 18), (15, 20), (0, 18), (0, None)]
    """
    lo, hi = int(age[0]), age[1]
    if hi is None:
        return (2, 0, 0) if lo == 0 else (0, lo, 999)
    if lo == 0 and int(hi) > 5:
        return (1, int(hi), 0)
    return (0, lo, int(hi))


def filtered_cells(conn: Connection, f: TabulationFilter | None = None, *, source_id: int | None = None,
                   tabulation_id: int | None = None, limit: int | None = None) -> pd.DataFrame:
    """Cells with their source (columns of TABULATION_CELLS) of the tabulations matching ``f``,
    or of one source or tabulation, in import order."""
    query = TABULATION_CELLS
    if f is not None:
        query = query.where(*_tabulation_conditions(f))
    if source_id is not None:
        query = query.where(Source.id == source_id)
    if tabulation_id is not None:
        query = query.where(Tabulation.id == tabulation_id)
    if limit is not None:
        query = query.limit(limit)
    result = conn.execute(query)
    return pd.DataFrame(result.all(), columns=list(result.keys()))


def matching_cell_count(conn: Connection, f: TabulationFilter) -> int:
    """How many cells the tabulations matching ``f`` have (from the tabulations' own counts)."""
    return conn.scalar(sa.select(sa.func.coalesce(sa.func.sum(Tabulation.n_cells), 0))
                       .join(Source, Source.id == Tabulation.source_id)
                       .where(*_tabulation_conditions(f))) or 0


def sources_page(conn: Connection, f: TabulationFilter, *, limit: int = 50,
                 offset: int = 0) -> tuple[list[sa.Row], int]:
    """Sources that have a tabulation matching ``f``, by id, and how many there are."""
    matching = (sa.select(Tabulation.source_id).join(Source, Source.id == Tabulation.source_id)
                .where(*_tabulation_conditions(f)))
    cond = Source.id.in_(matching)
    total = conn.scalar(sa.select(sa.func.count()).select_from(Source).where(cond)) or 0
    rows = conn.execute(sa.select(Source).where(cond).order_by(Source.id).limit(limit).offset(offset)).all()
    return list(rows), total


def source_counts_by_country(conn: Connection) -> dict[int, int]:
    """How many sources each destination has."""
    return dict(conn.execute(sa.select(Source.country_code, sa.func.count()).group_by(Source.country_code)).all())


def summary(conn: Connection) -> dict[str, int]:
    """Sources (by status), tabulations and cells, counted cheaply (cells from the tabulations' counts)."""
    out = {"tabulations": conn.scalar(sa.select(sa.func.count()).select_from(Tabulation)) or 0,
           "cells": conn.scalar(sa.select(sa.func.coalesce(sa.func.sum(Tabulation.n_cells), 0))) or 0,
           "sources": 0}
    for status, n in conn.execute(sa.select(Source.status, sa.func.count()).group_by(Source.status)):
        out[f"sources_{status}"] = n
        out["sources"] += n
    return out


def sources_of_file(conn: Connection, checksum: str) -> list[int]:
    """The sources that the imported file with ``checksum`` brought tabulations for."""
    from gmrd.db.models import ImportedFile

    return list(conn.scalars(sa.select(Tabulation.source_id).join(ImportedFile, ImportedFile.id == Tabulation.file_id)
                             .where(ImportedFile.checksum == checksum).distinct().order_by(Tabulation.source_id)))


ESTIMATION_UNIVERSES = (0, 1, 2, 3, 4, 5, 6, 7, 10)
ESTIMATION_COLUMNS = ("source_id", "country_code", "reference_date", "source_type", "universe",
                      "source_title", "counts_refugees", "sex", "age_lo", "age_hi", "origin_code", "value")
#: origin code of rows that :func:`estimation_cells` summed over origins in SQL
ORIGINS_SUMMED = -1


def estimation_cells(conn: Connection, aggregate_origins: list[int]) -> pd.DataFrame:
    """Cells of accepted sources the estimates use (universes total, citizens, refugees, foreign-born,
    foreign citizens, native-born, asylum seekers, Venezuelans displaced abroad, other in need of
    protection; with the curator's ``counts_refugees``): the
    all-origins cells, and for sources without them the sum
    over origins (``aggregate_origins`` excluded) with origin code :data:`ORIGINS_SUMMED`.

    Three narrow queries instead of one wide join: the accepted sources' attributes; their
    all-origins cells (index ``ix_cells_tabulation_origin``); the sums over origins, grouped in SQL
    by source, sex and age, only for the sources that have no all-origins cell. The attributes are
    joined in memory.
    """
    accepted = (Source.status == "accepted", Source.universe.in_(ESTIMATION_UNIVERSES))
    attrs = pd.DataFrame(conn.execute(
        sa.select(Source.id, Source.country_code, Source.reference_date, Source.source_type,
                  Source.universe, Source.title, Source.counts_refugees).where(*accepted)).all(),
        columns=list(ESTIMATION_COLUMNS[:7]))
    direct = pd.DataFrame(conn.execute(
        sa.select(Tabulation.source_id, Cell.sex, Cell.age_lo, Cell.age_hi, Cell.origin_code, Cell.value)
        .join(Cell, Cell.tabulation_id == Tabulation.id).join(Source, Source.id == Tabulation.source_id)
        .where(*accepted, Cell.origin_code == 0)).all(), columns=["source_id", *ESTIMATION_COLUMNS[7:]])
    missing = sorted(set(attrs["source_id"].tolist()) - set(direct["source_id"].tolist()))
    parts = [direct]
    for start in range(0, len(missing), 500):
        ids = missing[start:start + 500]
        rows = conn.execute(
            sa.select(Tabulation.source_id, Cell.sex, Cell.age_lo, Cell.age_hi,
                      sa.func.sum(Cell.value).label("value"))
            .join(Cell, Cell.tabulation_id == Tabulation.id)
            .where(Tabulation.source_id.in_(ids), Cell.origin_code.not_in(aggregate_origins))
            .group_by(Tabulation.source_id, Cell.sex, Cell.age_lo, Cell.age_hi)).all()
        frame = pd.DataFrame(rows, columns=["source_id", "sex", "age_lo", "age_hi", "value"])
        parts.append(frame.assign(origin_code=ORIGINS_SUMMED))
    cells = pd.concat([p for p in parts if len(p)], ignore_index=True) if any(len(p) for p in parts) \
        else direct
    out = cells.merge(attrs, on="source_id", how="inner")[list(ESTIMATION_COLUMNS)]
    out["age_hi"] = pd.array(out["age_hi"], dtype="Int64")
    return out.sort_values(["source_id", "sex", "age_lo", "origin_code"], kind="stable").reset_index(drop=True)


def accepted_sources(conn: Connection) -> pd.DataFrame:
    """``source_id, country_code, reference_date, source_type, universe, title, file_checksum``."""
    from gmrd.db.models import ImportedFile

    query = (sa.select(Source.id.label("source_id"), Source.country_code, Source.reference_date,
                       Source.source_type, Source.universe, Source.title, ImportedFile.checksum)
             .join(ImportedFile, ImportedFile.id == Source.file_id)
             .where(Source.status == "accepted").order_by(Source.id))
    return pd.DataFrame(conn.execute(query).all(),
                        columns=["source_id", "country_code", "reference_date", "source_type", "universe",
                                 "title", "file_checksum"])


def revision_estimates(conn: Connection, name: str | None = None) -> tuple[dict, pd.DataFrame]:
    """The revision ``name`` (newest if None) as (row dict with name and manifest, estimates frame)."""
    from gmrd.db.models import Estimate, Revision
    from gmrd.errors import NotFound

    query = sa.select(Revision.id, Revision.name, Revision.created_at, Revision.manifest)
    query = query.where(Revision.name == name) if name else query.order_by(Revision.id.desc()).limit(1)
    row = conn.execute(query).first()
    if row is None:
        raise NotFound(f"no estimates revision named {name!r}" if name else "no estimates revision yet: "
                       "run gmrd estimate")
    est = pd.DataFrame(conn.execute(
        sa.select(Estimate.area_code, Estimate.year, Estimate.sex, Estimate.age_lo, Estimate.age_hi,
                  Estimate.value, Estimate.lower, Estimate.upper, Estimate.flags)
        .where(Estimate.revision_id == row.id)
        .order_by(Estimate.area_code, Estimate.year, Estimate.sex, Estimate.age_lo, Estimate.age_hi)).all(),
        columns=["area_code", "year", "sex", "age_lo", "age_hi", "value", "lower", "upper", "flags"])
    return {"id": row.id, "name": row.name, "created_at": row.created_at, "manifest": row.manifest}, est


def revision_names(conn: Connection) -> list[str]:
    from gmrd.db.models import Revision

    return list(conn.scalars(sa.select(Revision.name).order_by(Revision.id)))
