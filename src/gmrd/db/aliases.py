"""The users' country aliases: add, import many in one transaction, list; each addition audited.

An alias maps a label to a code, optionally for a range of reference dates. Two aliases of the same
label (as written) whose dates overlap must give the same code; adding an identical alias again is
reported as already present and changes nothing. A code outside the countries table is accepted (an
internal grouping for origins): the result says so, and such an area is named by its first label.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from gmrd.db.models import AuditEvent, CountryAlias
from gmrd.errors import InputError
from gmrd.reference.countries import country, is_known
from gmrd.reference.country_names import ORIGIN_OTHER, ORIGIN_TOTAL, ORIGIN_UNKNOWN
from gmrd.reference.user_aliases import UserAlias, written

MAX_CODE = 2**31 - 1
ORIGIN_NAMES = {ORIGIN_TOTAL: "total", ORIGIN_OTHER: "other", ORIGIN_UNKNOWN: "unknown"}
ORIGIN_CODES = frozenset(ORIGIN_NAMES)


@dataclass
class AddResult:
    """What an add or import did: aliases added, identical ones already present, and the codes
    outside the countries table that the new aliases name."""

    added: int = 0
    unchanged: int = 0
    new_areas: dict[int, str] = field(default_factory=dict)

    def as_dict(self) -> dict[str, object]:
        return {"added": self.added, "unchanged": self.unchanged,
                "codes_outside_countries_table": {str(k): v for k, v in sorted(self.new_areas.items())}}


def load(conn: Connection) -> list[UserAlias]:
    """Every alias, in the order added (for the resolver)."""
    rows = conn.execute(sa.select(CountryAlias.label, CountryAlias.code, CountryAlias.valid_from,
                                  CountryAlias.valid_to).order_by(CountryAlias.id))
    return [UserAlias(r[0], int(r[1]), r[2], r[3]) for r in rows]


def listing(conn: Connection) -> list[dict[str, object]]:
    """Every alias with who added it, when and why (for ``gmrd aliases list``)."""
    rows = conn.execute(sa.select(CountryAlias).order_by(CountryAlias.id)).mappings()
    names = area_names(conn)
    return [{"id": r["id"], "label": r["label"], "code": r["code"], "name": area_name(r["code"], names),
             "valid_from": r["valid_from"], "valid_to": r["valid_to"], "reason": r["reason"],
             "created_by": r["created_by"], "created_at": r["created_at"]} for r in rows]


def area_names(conn: Connection) -> dict[int, str]:
    """{code: first label} for the alias codes outside the countries table (how such areas are named)."""
    names: dict[int, str] = {}
    for alias in load(conn):
        if not is_known(alias.code):
            names.setdefault(alias.code, written(alias.label))
    return names


def area_name(code: int, names: dict[int, str]) -> str:
    """The countries table's name of ``code`` (total, other, unknown for those origin codes), else its
    name in ``names`` (:func:`area_names`)."""
    if is_known(code):
        return country(code).name
    return ORIGIN_NAMES.get(code) or names.get(code, f"code {code}")


def validate(alias: UserAlias, *, file: str | None = None, row: int | None = None) -> None:
    """Refuse an empty or numeric label, a negative or oversized code and dates in the wrong order."""
    label = written(alias.label)
    if not label:
        raise InputError("an alias needs a label", file=file, row=row, field="label")
    if len(label) > 200:
        raise InputError("label longer than 200 characters", file=file, row=row, field="label")
    if label.replace(".", "", 1).isdigit():
        raise InputError(f"label {label!r} is a number: numbers are read as codes, not names",
                         file=file, row=row, field="label")
    if not 0 <= alias.code <= MAX_CODE:
        raise InputError(f"code {alias.code} is out of range", file=file, row=row, field="code")
    if alias.valid_from and alias.valid_to and alias.valid_from > alias.valid_to:
        raise InputError(f"valid_from {alias.valid_from} is after valid_to {alias.valid_to}", file=file,
                         row=row, field="valid_to")


def add_many(conn: Connection, aliases: Sequence[tuple[int | None, UserAlias]], *, reason: str, actor: str,
             file: str | None = None) -> AddResult:
    """Add aliases (each with its row in ``file`` for messages) in the caller's transaction.

    Raises
    ------
    InputError
        For an invalid alias, or one whose label already has an alias with another code on an
        overlapping range of dates (in the database or earlier in ``aliases``); nothing is written.
    """
    if not reason or not reason.strip():
        raise InputError("a reason is required", field="--reason")
    known: dict[str, list[tuple[UserAlias, str]]] = {}
    stored = load(conn)
    for old in stored:
        known.setdefault(written(old.label), []).append((old, "an alias already in the database"))
    named = {old.code for old in stored}
    result = AddResult()
    new: list[UserAlias] = []
    for row, alias in aliases:
        validate(alias, file=file, row=row)
        alias = UserAlias(written(alias.label), alias.code, alias.valid_from, alias.valid_to)
        same = known.setdefault(alias.label, [])
        if any(old == alias for old, _ in same):
            result.unchanged += 1
            continue
        clash = next(((old, where) for old, where in same if old.overlaps(alias)), None)
        if clash is not None:
            old, where = clash
            raise InputError(f"{alias.label!r} already stands for code {old.code} ({where}) on dates that "
                             f"overlap; give valid_from/valid_to to separate them", file=file, row=row,
                             field="code" if old.code != alias.code else "valid_from")
        same.append((alias, f"row {row}" if row is not None else "this command"))
        new.append(alias)
        if not is_known(alias.code) and alias.code not in ORIGIN_CODES and alias.code not in named:
            result.new_areas.setdefault(alias.code, alias.label)
    if new:
        ids = conn.scalars(sa.insert(CountryAlias).returning(CountryAlias.id, sort_by_parameter_order=True),
                           [dict(label=a.label, code=a.code, valid_from=a.valid_from, valid_to=a.valid_to,
                                 reason=reason.strip(), created_by=actor) for a in new]).all()
        conn.execute(sa.insert(AuditEvent), [dict(
            actor=actor, action="alias_add", object_type="country_alias", object_id=str(i), before=None,
            after=dict(label=a.label, code=a.code, valid_from=a.valid_from and a.valid_from.isoformat(),
                       valid_to=a.valid_to and a.valid_to.isoformat()), reason=reason.strip())
            for i, a in zip(ids, new)])
    result.added = len(new)
    return result
