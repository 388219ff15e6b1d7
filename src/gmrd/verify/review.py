"""Curator review: accept or reject sources, dismiss findings; every action is an audit event.

Only accepted sources feed estimation. A source must have been verified since its last import, and a
source with open errors is accepted only with ``override=True`` and a reason. ``accept_clean``
accepts, in one transaction, every pending verified source without open errors (bulk curation of a
large corpus), with one audit event per source; sources in an open conflict with another pending
source (``cross_source.conflict``) stay pending unless ``include_conflicts``.
"""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from gmrd.db.engine import get_engine
from gmrd.db.models import AuditEvent, Finding, ImportedFile, Source, Tabulation, utcnow
from gmrd.errors import GmrdError, InputError

DECISIONS = {"accept": "accepted", "reject": "rejected"}


class ReviewRefused(GmrdError):
    """A review action the rules do not allow (open errors without override, unverified source)."""


@dataclass
class ReviewResult:
    source_id: int
    before: str
    after: str
    open_errors: int
    override: bool

    def as_dict(self) -> dict[str, object]:
        return {"source_id": self.source_id, "before": self.before, "after": self.after,
                    "open_errors": self.open_errors, "override": self.override}


def current_actor() -> str:
    """The reviewer for the CLI: GMRD_USER, else the operating-system user."""
    user = os.environ.get("GMRD_USER", "").strip()
    if user:
        return user
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def _reason(reason: str) -> str:
    if not reason or not reason.strip():
        raise InputError("a reason is required", field="--reason")
    return reason.strip()


def _open_errors(conn: Connection, source_id: int) -> int:
    return int(conn.scalar(sa.select(sa.func.count()).select_from(Finding).where(
        Finding.source_id == source_id, Finding.status == "open", Finding.severity == "error")) or 0)


def _last_import(conn: Connection) -> sa.Subquery:
    return (sa.select(Tabulation.source_id, sa.func.max(ImportedFile.imported_at).label("imported_at"))
            .join(ImportedFile, ImportedFile.id == Tabulation.file_id).group_by(Tabulation.source_id)
            .subquery())


def _verified(conn: Connection, source_id: int) -> bool:
    last = _last_import(conn)
    row = conn.execute(sa.select(Source.verified_at, last.c.imported_at)
                       .outerjoin(last, last.c.source_id == Source.id).where(Source.id == source_id)).one()
    return row[0] is not None and (row[1] is None or row[0] >= row[1])


def _audit(action: str, source_id: int, before: str, after: str, reason: str, actor: str,
           extra: dict[str, object] | None = None) -> dict[str, object]:
    return {"actor": actor, "action": action, "object_type": "source", "object_id": str(source_id),
                "before": {"status": before}, "after": {"status": after, **(extra or {})}, "reason": reason,
                "at": utcnow()}


def review_source(source_id: int, decision: str, reason: str, *, actor: str | None = None,
                  override: bool = False, url: str | None = None) -> ReviewResult:
    """Accept or reject one source (audited); accepting needs a verified source without open errors,
    unless ``override``."""
    if decision not in DECISIONS:
        raise InputError(f"unknown decision {decision!r}: use accept or reject", field="decision")
    reason = _reason(reason)
    actor = actor or current_actor()
    with get_engine(url).begin() as conn:
        before = conn.scalar(sa.select(Source.status).where(Source.id == source_id))
        if before is None:
            raise InputError(f"no source with id {source_id}", field="SOURCE_ID")
        errors = _open_errors(conn, source_id)
        if decision == "accept" and not override:
            if not _verified(conn, source_id):
                raise ReviewRefused(f"source {source_id} has not been verified since its last import: "
                                    "run gmrd verify first (or use --override with a reason)")
            if errors:
                raise ReviewRefused(f"source {source_id} has {errors} open error finding(s): fix, dismiss "
                                    "them, or accept with --override and a reason")
        after = DECISIONS[decision]
        conn.execute(sa.update(Source).where(Source.id == source_id)
                     .values(status=after, status_reason=reason))
        conn.execute(sa.insert(AuditEvent), _audit(
            f"review.{decision}", source_id, before, after, reason, actor,
            {"open_errors": errors, "override": bool(override)}))
    return ReviewResult(source_id, before, after, errors, bool(override))


@dataclass
class AcceptClean:
    """What ``accept_clean`` did: the accepted sources, and the clean sources left pending because an
    open ``cross_source.conflict`` pairs them with another pending source (a curator's choice)."""

    accepted: list[int]
    left_for_conflicts: list[int]

    def as_dict(self) -> dict[str, object]:
        return {"accepted": self.accepted, "left_for_conflicts": self.left_for_conflicts}


CONFLICT = "cross_source.conflict"


def accept_clean(reason: str, *, actor: str | None = None, url: str | None = None,
                 include_conflicts: bool = False) -> AcceptClean:
    """Accept every pending, verified source without open errors; one audit event each.

    A source with an open ``cross_source.conflict`` finding against another pending source (two
    publications of the same data that disagree) is left pending for a curator to choose one,
    unless ``include_conflicts``; a conflict with a source already accepted or rejected does not hold it.
    """
    reason = _reason(reason)
    actor = actor or current_actor()
    with get_engine(url).begin() as conn:
        last = _last_import(conn)
        errors = (sa.select(Finding.source_id).where(Finding.status == "open", Finding.severity == "error")
                  .distinct())
        ids = [int(i) for i in conn.scalars(
            sa.select(Source.id).outerjoin(last, last.c.source_id == Source.id)
            .where(Source.status == "pending", Source.verified_at.is_not(None),
                   sa.or_(last.c.imported_at.is_(None), Source.verified_at >= last.c.imported_at),
                   Source.id.not_in(errors)).order_by(Source.id))]
        held = [] if include_conflicts else _in_pending_conflict(conn, ids)
        ids = [i for i in ids if i not in set(held)]
        for start in range(0, len(ids), 30_000):
            conn.execute(sa.update(Source).where(Source.id.in_(ids[start:start + 30_000]))
                         .values(status="accepted", status_reason=reason))
        extra = {"include_conflicts": True} if include_conflicts else None
        events = [_audit("review.accept_clean", i, "pending", "accepted", reason, actor, extra) for i in ids]
        for start in range(0, len(events), 20_000):
            conn.execute(sa.insert(AuditEvent), events[start:start + 20_000])
    return AcceptClean(ids, held)


def _in_pending_conflict(conn: Connection, candidates: list[int]) -> list[int]:
    """The candidates with an open conflict finding naming another pending source."""
    if not candidates:
        return []
    rows = conn.execute(sa.select(Finding.source_id, Finding.details).where(
        Finding.status == "open", Finding.check == CONFLICT)).all()
    pending = set(conn.scalars(sa.select(Source.id).where(Source.status == "pending")))
    wanted = set(candidates)
    held = set()
    for source_id, details in rows:
        key = str((details or {}).get("key", ""))
        other = key.rpartition(":")[2]
        if int(source_id) in wanted and other.isdigit() and int(other) in pending:
            held.add(int(source_id))
    return sorted(held)


#: ``gmrd review SOURCE_ID refugees VALUE``: the curator's override of the refugee rule
REFUGEE_OVERRIDES: dict[str, bool | None] = {"counted": True, "not-counted": False, "rule": None}


def set_counts_refugees(source_id: int, value: str, reason: str, *, actor: str | None = None,
                        url: str | None = None) -> dict[str, object]:
    """Set whether a source counts the refugees (``counted``, ``not-counted``) or let the rule of
    :mod:`gmrd.estimate.refugees` decide (``rule``); audited as ``review.refugees``."""
    if value not in REFUGEE_OVERRIDES:
        raise InputError(f"unknown refugee override {value!r}: use {', '.join(REFUGEE_OVERRIDES)}",
                         field="refugees")
    reason = _reason(reason)
    actor = actor or current_actor()
    after = REFUGEE_OVERRIDES[value]
    with get_engine(url).begin() as conn:
        row = conn.execute(sa.select(Source.status, Source.counts_refugees)
                           .where(Source.id == source_id)).first()
        if row is None:
            raise InputError(f"no source with id {source_id}", field="SOURCE_ID")
        conn.execute(sa.update(Source).where(Source.id == source_id).values(counts_refugees=after))
        conn.execute(sa.insert(AuditEvent), {
            "actor": actor, "action": "review.refugees", "object_type": "source", "object_id": str(source_id),
            "before": {"counts_refugees": row[1]}, "after": {"counts_refugees": after}, "reason": reason,
            "at": utcnow()})
    return {"source_id": source_id, "before": row[1], "counts_refugees": after}


def dismiss_finding(finding_id: int, reason: str, *, actor: str | None = None,
                    url: str | None = None) -> dict[str, object]:
    """Dismiss an open finding (audited); the same finding stays dismissed when verify runs again."""
    reason = _reason(reason)
    actor = actor or current_actor()
    with get_engine(url).begin() as conn:
        row = conn.execute(sa.select(Finding.status, Finding.source_id, Finding.check, Finding.severity)
                           .where(Finding.id == finding_id)).one_or_none()
        if row is None:
            raise InputError(f"no finding with id {finding_id}", field="FINDING_ID")
        if row.status != "open":
            raise ReviewRefused(f"finding {finding_id} is already {row.status}")
        conn.execute(sa.update(Finding).where(Finding.id == finding_id)
                     .values(status="dismissed", status_reason=reason))
        conn.execute(sa.insert(AuditEvent), {
            "actor": actor, "action": "finding.dismiss", "object_type": "finding", "object_id": str(finding_id),
            "before": {"status": "open"}, "after": {"status": "dismissed", "source_id": row.source_id,
                                              "check": row.check, "severity": row.severity},
            "reason": reason, "at": utcnow()})
    return {"finding_id": finding_id, "source_id": row.source_id, "check": row.check, "status": "dismissed"}
