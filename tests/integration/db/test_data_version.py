"""The data version (migration 0005): changes with every committed change of sources, tabulations,
findings and revisions, whoever writes; not with users or sessions; on PostgreSQL only at commit, and
without making concurrent writers wait for each other."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from gmrd.db import queries
from gmrd.db.engine import get_engine
from gmrd.db.models import Finding, Revision, Source, Tabulation, User
from gmrd.web.auth import create_user

CSV = ("country,reference_date,source_type,concept,sex,age,origin,value,source_title,citation\n"
       "Ecuador,2010-11-28,census,foreign_born,Total,Total,Total,194398,Censo 2010,INEC\n"
       "Peru,2017-10-22,census,foreign_born,Total,Total,Total,100000,Censo 2017,INEI\n")


def _version(url: str) -> str:
    with get_engine(url).connect() as conn:
        return queries.data_version(conn)


def _loaded(url: str, tmp_path) -> dict[str, int]:
    from gmrd.ingest.load import import_file

    path = tmp_path / "two.csv"
    path.write_text(CSV, encoding="utf-8")
    import_file(path, url=url)
    with get_engine(url).connect() as conn:
        return {title: sid for sid, title in conn.execute(sa.select(Source.id, Source.title))}


def test_every_change_of_the_four_tables_changes_it(db_url, tmp_path):
    before = _version(db_url)
    ids = _loaded(db_url, tmp_path)
    seen = {before, _version(db_url)}
    assert len(seen) == 2, "an import changes the version"
    changes = [
        sa.update(Source).where(Source.id == ids["Censo 2010"]).values(status="accepted"),
        sa.insert(Finding).values(source_id=ids["Censo 2010"], check="totals.sex", severity="error",
                                  status="open", message="m"),
        sa.update(Finding).values(status="dismissed"),
        sa.delete(Finding),
        sa.update(Tabulation).values(dims="sex"),
        sa.insert(Revision).values(name="r1", manifest={}),
        sa.update(Revision).values(name="r2"),
        sa.delete(Revision),
    ]
    for change in changes:
        with get_engine(db_url).begin() as conn:
            conn.execute(change)
        seen.add(_version(db_url))
    assert len(seen) == 2 + len(changes), "each committed change gives a new version"
    last = _version(db_url)
    with get_engine(db_url).begin() as conn:
        create_user(conn, "someone", "partner", "a-long-password-1", actor="test")
        conn.execute(sa.update(User).values(active=False))
    assert _version(db_url) == last, "users (and sessions, audit events) do not touch it"
    with get_engine(db_url).connect() as conn:
        conn.execute(sa.update(Source).values(status="rejected"))
        conn.rollback()
    assert _version(db_url) == last, "a rolled-back change leaves it"


# SQLite has one writer at a time by design: its triggers run inside the writing transaction.
@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_postgresql_changes_it_at_commit_without_blocking_other_writers(db_url, tmp_path):
    ids = _loaded(db_url, tmp_path)
    before = _version(db_url)
    engine = get_engine(db_url)
    with engine.connect() as long_writer, engine.connect() as other:
        long_writer.execute(sa.update(Source).where(Source.id == ids["Censo 2010"]).values(status="accepted"))
        assert _version(db_url) == before, "an uncommitted change is not visible, nor is its version"
        other.execute(sa.text("SET LOCAL lock_timeout = '2s'"))
        other.execute(sa.update(Source).where(Source.id == ids["Censo 2017"]).values(status="rejected"))
        other.commit()  # would time out if the first writer held the version row until its commit
        after_other = _version(db_url)
        assert after_other != before
        long_writer.commit()
        assert _version(db_url) not in (before, after_other)
