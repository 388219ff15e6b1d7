"""`gmrd demo --no-serve` builds the whole pipeline on an empty database (both back-ends), and the world it
shows is plausible: UN DESA's published totals are the last resort where the demo has no census table."""

from __future__ import annotations

import sqlalchemy as sa
from typer.testing import CliRunner

from gmrd.cli import app
from gmrd.db.engine import get_engine


#: IMS 2020 Table 1, WORLD, 2020, both sexes (UN DESA Population Division 2020, CC BY 3.0 IGO)
IMS2020_WORLD_2020 = 280_598_105


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
        world = conn.scalar(sa.text("select value from estimates where area_code = 900 and year = 2020 "
                                    "and sex = 0 and age_lo = 0 and age_hi is null"))
        imputed = conn.scalar(sa.text(
            "select count(*) from estimates where area_code < 900 and year = 2020 and sex = 0 and age_lo = 0 "
            "and age_hi is null and (flags = 'imputed' or flags like 'imputed,%')"))
    assert files == 21 and accepted >= 14 and revision == "demo" and users == 3
    # issue 12 point 13: the demo world was 205 M with 222 of 235 countries imputed from 20 tables
    assert abs(world / IMS2020_WORLD_2020 - 1) < 0.02, world
    assert imputed <= 5, imputed
    again = CliRunner().invoke(app, ["demo", "--no-serve"])
    assert again.exit_code == 1 and "needs an empty database" in again.stderr
