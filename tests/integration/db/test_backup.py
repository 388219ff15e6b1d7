"""gmrd backup / restore: whole-database round trip on both back-ends, and damaged backups refused."""

from __future__ import annotations

import zipfile

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from gmrd.cli import app
from gmrd.db import schema
from gmrd.db.backup import backup, restore
from gmrd.db.engine import get_engine
from gmrd.db.models import AuditEvent, Base
from gmrd.errors import GmrdError
from gmrd.ingest.load import import_file


def _dump(url: str) -> dict[str, list[tuple]]:
    with get_engine(url).connect() as conn:
        return {t.name: sorted(map(tuple, conn.execute(sa.select(t)).all()), key=repr)
                for t in Base.metadata.sorted_tables}


@pytest.fixture
def populated(db_url, un_long_slice):
    import_file(un_long_slice, url=db_url)
    with get_engine(db_url).begin() as conn:
        conn.execute(sa.insert(AuditEvent), dict(actor="tester", action="note", object_type="db", object_id="1",
                                                 before={"a": 1}, after=None, reason=""))
    return db_url


def test_round_trip_restores_every_row(populated, tmp_path):
    original = _dump(populated)
    path = tmp_path / "backup.zip"
    manifest = backup(path, url=populated)
    assert manifest["tables"]["cells"]["rows"] == len(original["cells"])
    other = f"sqlite:///{tmp_path / 'other.sqlite'}"
    schema.upgrade(other)
    restore(path, url=other)
    assert _dump(other) == original
    back = tmp_path / "back.zip"
    backup(back, url=other)
    restore(back, url=populated)
    assert _dump(populated) == original


def test_damaged_backup_is_refused_and_database_unchanged(populated, tmp_path):
    path = tmp_path / "backup.zip"
    backup(path, url=populated)
    damaged = tmp_path / "damaged.zip"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(damaged, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "tables/sources.csv":
                data = data.replace(b"census", b"CENSUS", 1)
            dst.writestr(item, data)
    before = _dump(populated)
    with pytest.raises(GmrdError, match="checksum mismatch in table sources"):
        restore(damaged, url=populated)
    assert _dump(populated) == before


def test_cli_backup_and_restore(populated, tmp_path):
    runner = CliRunner()
    path = tmp_path / "cli.zip"
    assert runner.invoke(app, ["backup", str(path)]).exit_code == 0
    result = runner.invoke(app, ["restore", str(tmp_path / "missing.zip")])
    assert result.exit_code == 1 and "not a readable backup" in result.stderr
    assert runner.invoke(app, ["restore", str(path)]).exit_code == 0
