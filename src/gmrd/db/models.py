"""SQLAlchemy 2 models: the tabulation database, its review trail, estimates and users.

Codes follow the UN Population Division: M49 areas, sex 0/1/2, population universes as in
:mod:`gmrd.reference.universes`, origin 0 = all origins. Ages are half-open intervals
[age_lo, age_hi) with age_hi NULL for an open group; the total is [0, NULL); unknown age is age_lo -1.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING)


class Country(Base):
    """Our versioned M49 table (countries, historical states, regions), mirrored from gmrd.reference."""

    __tablename__ = "countries"
    code: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    iso3: Mapped[str | None] = mapped_column(sa.String(3))
    name: Mapped[str] = mapped_column(sa.String(200))
    kind: Mapped[str] = mapped_column(sa.String(20))
    valid_from: Mapped[date | None]
    valid_to: Mapped[date | None]
    successors: Mapped[str | None] = mapped_column(sa.String(200))
    region: Mapped[int | None]
    subregion: Mapped[int | None]
    sdg_region: Mapped[int | None]


class ImportedFile(Base):
    """One imported file; its checksum makes a second import of the same bytes a no-op."""

    __tablename__ = "imported_files"
    id: Mapped[int] = mapped_column(primary_key=True)
    checksum: Mapped[str] = mapped_column(sa.String(64), unique=True)
    filename: Mapped[str] = mapped_column(sa.String(500))
    size: Mapped[int] = mapped_column(sa.BigInteger)
    format: Mapped[str] = mapped_column(sa.String(40))
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)
    imported_by: Mapped[str] = mapped_column(sa.String(100), default="")
    n_cells: Mapped[int] = mapped_column(sa.BigInteger, default=0)


class Source(Base):
    """A (destination, reference date, source type, universe, title) publication."""

    __tablename__ = "sources"
    __table_args__ = (
        sa.UniqueConstraint("country_code", "reference_date", "source_type", "universe", "title",
                            name="uq_sources_key"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    country_code: Mapped[int] = mapped_column(index=True)
    reference_date: Mapped[date]
    date_precision: Mapped[str] = mapped_column(sa.String(10), default="day")
    source_type: Mapped[str] = mapped_column(sa.String(20))
    universe: Mapped[int] = mapped_column(sa.SmallInteger)
    title: Mapped[str] = mapped_column(sa.String(500))
    citation: Mapped[str] = mapped_column(sa.Text, default="")
    note: Mapped[str] = mapped_column(sa.Text, default="")
    file_id: Mapped[int] = mapped_column(sa.ForeignKey("imported_files.id"))
    status: Mapped[str] = mapped_column(sa.String(10), default="pending", index=True)
    status_reason: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    verified_at: Mapped[datetime | None]
    #: a curator's override of the refugee rule: None = the rule decides (gmrd.estimate.refugees)
    counts_refugees: Mapped[bool | None]
    tabulations: Mapped[list[Tabulation]] = relationship(back_populates="source")


class Tabulation(Base):
    """The cells one file brought for one source; dims says which of sex/age/origin vary."""

    __tablename__ = "tabulations"
    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(sa.ForeignKey("sources.id"), index=True)
    file_id: Mapped[int] = mapped_column(sa.ForeignKey("imported_files.id"))
    dims: Mapped[str] = mapped_column(sa.String(20), default="")
    n_cells: Mapped[int] = mapped_column(default=0)
    source: Mapped[Source] = relationship(back_populates="tabulations")


class Cell(Base):
    """One number of a tabulation, with the file's own labels kept for checking.

    ``tabulation_id`` has no foreign-key constraint: cells are written only by ingest.load, in the
    same transaction as their tabulation, and a per-row constraint check would double the bulk
    load time of an 11.7-million-cell corpus on PostgreSQL. Ages are stored as published, even implausible ones (the UN corpus has a few ages such as 45055,
    spreadsheet dates where an age group was meant): verification flags them, import keeps them.
    """

    __tablename__ = "cells"
    __table_args__ = (sa.Index("ix_cells_tabulation_origin", "tabulation_id", "origin_code"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    tabulation_id: Mapped[int] = mapped_column(sa.ForeignKey("tabulations.id"))
    sex: Mapped[int] = mapped_column(sa.SmallInteger)
    age_lo: Mapped[int] = mapped_column(sa.Integer)
    age_hi: Mapped[int | None] = mapped_column(sa.Integer)
    origin_code: Mapped[int]
    value: Mapped[float] = mapped_column(sa.Float)
    row: Mapped[int | None]
    sex_label: Mapped[str | None] = mapped_column(sa.String(60))
    age_label: Mapped[str | None] = mapped_column(sa.String(60))
    origin_label: Mapped[str | None] = mapped_column(sa.String(200))


class Finding(Base):
    """The result of one verification check on one source."""

    __tablename__ = "findings"
    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(sa.ForeignKey("sources.id"), index=True)
    tabulation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("tabulations.id"))
    check: Mapped[str] = mapped_column(sa.String(60), index=True)
    severity: Mapped[str] = mapped_column(sa.String(10))
    message: Mapped[str] = mapped_column(sa.Text)
    details: Mapped[dict | None] = mapped_column(sa.JSON)
    status: Mapped[str] = mapped_column(sa.String(10), default="open")
    status_reason: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Revision(Base):
    """A named run of the estimation pipeline, with its manifest (inputs, parameters, version)."""

    __tablename__ = "revisions"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(100), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    manifest: Mapped[dict] = mapped_column(sa.JSON)


class Estimate(Base):
    """A mid-year estimate for an area, year, sex and age group, with its interval."""

    __tablename__ = "estimates"
    __table_args__ = (sa.Index("ix_estimates_lookup", "revision_id", "area_code", "year"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    revision_id: Mapped[int] = mapped_column(sa.ForeignKey("revisions.id"))
    area_code: Mapped[int]
    year: Mapped[int] = mapped_column(sa.SmallInteger)
    sex: Mapped[int] = mapped_column(sa.SmallInteger)
    age_lo: Mapped[int] = mapped_column(sa.SmallInteger)
    age_hi: Mapped[int | None] = mapped_column(sa.SmallInteger)
    value: Mapped[float] = mapped_column(sa.Float)
    lower: Mapped[float | None] = mapped_column(sa.Float)
    upper: Mapped[float | None] = mapped_column(sa.Float)
    flags: Mapped[str] = mapped_column(sa.String(200), default="")


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(100), unique=True)
    password_hash: Mapped[str] = mapped_column(sa.String(200))
    role: Mapped[str] = mapped_column(sa.String(10))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    active: Mapped[bool] = mapped_column(default=True)


class ApiToken(Base):
    __tablename__ = "api_tokens"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(128), unique=True)
    label: Mapped[str] = mapped_column(sa.String(100), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]


class WebSession(Base):
    """A browser login: the SHA-256 digest of its random token, revoked at logout, expired by age."""

    __tablename__ = "web_sessions"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(128), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]


class AuditEvent(Base):
    """Who did what, when, to which object, with the state before and after. Append-only."""

    __tablename__ = "audit_events"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(sa.String(100))
    action: Mapped[str] = mapped_column(sa.String(60))
    object_type: Mapped[str] = mapped_column(sa.String(40))
    object_id: Mapped[str] = mapped_column(sa.String(60))
    before: Mapped[dict | None] = mapped_column(sa.JSON)
    after: Mapped[dict | None] = mapped_column(sa.JSON)
    reason: Mapped[str] = mapped_column(sa.Text, default="")


class LoginThrottle(Base):
    """Login attempts and failures of one client address or account name (gmrd.web.throttle)."""

    __tablename__ = "login_throttle"
    key: Mapped[str] = mapped_column(sa.String(200), primary_key=True)
    window_start: Mapped[datetime]
    attempts: Mapped[int]
    failures: Mapped[int]
    last_failure_at: Mapped[datetime | None]
    blocked_until: Mapped[datetime | None]


class CountryAlias(Base):
    """A country label a user mapped to a code (``gmrd aliases``), valid for a range of reference dates
    where given; consulted before the built-in name rules by every import. ``code`` may lie outside the
    countries table (an internal grouping such as 1000031): such an area is named by its first label."""

    __tablename__ = "country_aliases"
    id: Mapped[int] = mapped_column(primary_key=True)
    label: Mapped[str] = mapped_column(sa.String(200), index=True)
    code: Mapped[int] = mapped_column(index=True)
    valid_from: Mapped[date | None]
    valid_to: Mapped[date | None]
    reason: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str] = mapped_column(sa.String(100), default="")
