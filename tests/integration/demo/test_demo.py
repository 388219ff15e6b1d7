"""`gmrd demo --no-serve` builds the whole pipeline on an empty database (both back-ends)."""

from __future__ import annotations

import sqlalchemy as sa
from typer.testing import CliRunner

from gmrd.cli import app
from gmrd.db.engine import get_engine


def test_demo_builds_the_pipeline(db_url, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["demo", "--no-serve"])
    assert result.exit_code == 0, result.output
    assert "Demo logins" in result.stdout
    with get_engine(db_url).connect() as conn:
        files = conn.scalar(sa.text("select count(*) from imported_files"))
        accepted = conn.scalar(sa.text("select count(*) from sources where status = 'accepted'"))
        revision = conn.scalar(sa.text("select name from revisions"))
        users = conn.scalar(sa.text("select count(*) from users"))
        world = conn.scalar(sa.text("select count(*) from estimates where area_code = 900"))
    assert files == 20 and accepted >= 14 and revision == "demo" and users == 3 and world > 0
    again = CliRunner().invoke(app, ["demo", "--no-serve"])
    assert again.exit_code == 1 and "needs an empty database" in again.stderr
