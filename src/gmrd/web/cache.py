"""In-process caches of what cannot change once an estimation revision is written.

A revision's estimates, manifest and coverage are written once by ``gmrd estimate`` and never
updated, so a worker can keep them: each entry is keyed by the database URL and the revision's id,
name and creation time (a restored backup with other contents gets other keys). Entries are read
from the database on first use and evicted least-recently-used.

Sources, findings and the list of revisions change at any time (import, verification, review,
estimation, from any process): what is derived from them is kept under the database's data version
(:func:`gmrd.db.queries.data_version`, a token triggers change with every committed change), read
once per use. Users, sessions and tokens are never cached.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from gmrd.db import queries
from gmrd.web.profile import Profile, build_profile
from gmrd.web.provenance import Provenance, build_provenance

T = TypeVar("T")


class LRU:
    """A thread-safe least-recently-used map of at most ``maxsize`` entries."""

    def __init__(self, maxsize: int) -> None:
        self.maxsize = maxsize
        self._data: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The value under ``key``, computed (outside the lock) and stored when missing."""
        with self._lock:
            if key in self._data:
                self._data.move_to_end(key)
                return self._data[key]
        value = compute()
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self.maxsize:
                self._data.popitem(last=False)
        return value

    def peek(self, key: Hashable) -> Any:
        """The value under ``key`` (marked as recently used), or None."""
        with self._lock:
            if key in self._data:
                self._data.move_to_end(key)
                return self._data[key]
        return None

    def clear(self) -> None:
        with self._lock:
            self._data.clear()

    def __len__(self) -> int:
        return len(self._data)


_manifests = LRU(4)
_dimensions = LRU(16)
_profiles = LRU(1024)


def _key(conn: Connection, revision: sa.Row) -> tuple[str, int, str, str]:
    return (conn.engine.url.render_as_string(), revision.id, revision.name, str(revision.created_at))


def manifest(conn: Connection, revision: sa.Row) -> dict:
    """The revision's manifest (megabytes of JSON on a full corpus: read once per worker)."""
    return _manifests.get(_key(conn, revision), lambda: queries.revision_manifest(conn, revision.id))


def manifest_preview(conn: Connection, revision: sa.Row) -> str:
    """What the revision was made from, in words (:func:`gmrd.estimate.revisions.manifest_summary`), for
    the revisions table."""
    from gmrd.estimate.revisions import manifest_summary

    return _dimensions.get(("preview", *_key(conn, revision)),
                           lambda: manifest_summary(manifest(conn, revision)))


def dimensions(conn: Connection, revision: sa.Row) -> dict[str, list]:
    """The areas, years and age intervals of the revision (:func:`gmrd.db.queries.estimate_dimensions`)."""
    return _dimensions.get(_key(conn, revision), lambda: queries.estimate_dimensions(conn, revision.id))


def area_profile(conn: Connection, revision: sa.Row, area: int) -> Profile:
    """The profile built from one area's estimates in the revision (the rows themselves are not kept:
    a full corpus has millions, and every object kept lengthens the garbage collector's full passes)."""
    return _profiles.get(("profile", area, *_key(conn, revision)),
                         lambda: build_profile(queries.estimate_rows(conn, revision.id, areas=(area,))))


def per_area(conn: Connection, revision: sa.Row, area: int, kind: str, compute: Callable[[], T]) -> T:
    """Any value derived only from the revision's estimates of ``area`` (``kind`` names it)."""
    return _profiles.get((kind, area, *_key(conn, revision)), compute)


_provenances = LRU(8)


def provenance(conn: Connection, revision: sa.Row) -> Provenance:
    """The imputed shares and types of data of the revision (:func:`gmrd.web.provenance.build_provenance`)."""
    return _provenances.get(_key(conn, revision), lambda: build_provenance(
        queries.estimates(conn, revision.id, sexes=(0,), ages=((0, None),))))


_answers = LRU(1024)
#: answers larger than this are not kept (recomputed each time), so the answers take at most
#: 1,024 × 32 KB = 32 MB per worker whatever the clients ask
MAX_ANSWER_BYTES = 32 * 1024


def per_revision(conn: Connection, revision: sa.Row, key: Hashable, compute: Callable[[], bytes]) -> bytes:
    """An answer (bytes) that depends only on the revision and ``key`` (e.g. the query string)."""
    full = ("answer", key, *_key(conn, revision))
    found = _answers.peek(full)
    if found is not None:
        return found
    body = compute()
    if len(body) <= MAX_ANSWER_BYTES:
        _answers.get(full, lambda: body)
    return body


_versioned = LRU(2048)


def per_data_version(conn: Connection, key: Hashable, compute: Callable[[], T]) -> T:
    """A value derived from sources, tabulations, findings or revisions, recomputed after any change.

    The data version is read before and after computing: a value computed while a change committed is
    returned but not kept, so a kept value always belongs to the version it is filed under.
    """
    version = queries.data_version(conn)
    full = (conn.engine.url.render_as_string(), version, key)
    found = _versioned.peek(full)
    if found is not None:
        return found
    value = compute()
    if queries.data_version(conn) == version:
        _versioned.get(full, lambda: value)
    return value


def revision(conn: Connection, name: str | None = None) -> sa.Row | None:
    """:func:`gmrd.db.queries.revision` (the newest when ``name`` is None), kept per data version."""
    return per_data_version(conn, ("revision", name), lambda: queries.revision(conn, name))


def clear() -> None:
    """Forget everything (tests; a worker never needs it)."""
    for cache in (_manifests, _dimensions, _profiles, _provenances, _answers, _versioned):
        cache.clear()
