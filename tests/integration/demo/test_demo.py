"""`gmrd demo --no-serve` builds the whole pipeline on an empty database (both back-ends), and the world it
shows is plausible: UN DESA's published totals are the last resort where the demo has no census table."""

from __future__ import annotations

import sqlalchemy as sa
from typer.testing import CliRunner

from gmrd.cli import app
from gmrd.db.engine import get_engine

#: IMS 2020 Table 1, WORLD, 2020, both sexes (UN DESA Population Division 2020, CC BY 3.0 IGO)
IMS2020_WORLD_2020 = 280_598_105
#: UNICEF (2021), migrant children under 18 in 2020, unrounded (../shared/data/un_ims/SOURCES.md)
UNICEF_CHILDREN_2020 = 35_500_000


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
        children = conn.scalar(sa.text("select value from estimates where area_code = 900 and year = 2020 "
                                       "and sex = 0 and age_lo = 0 and age_hi = 18"))
        imputed = conn.scalar(sa.text(
            "select count(*) from estimates where area_code < 900 and year = 2020 and sex = 0 and age_lo = 0 "
            "and age_hi is null and (flags = 'imputed' or flags like 'imputed,%')"))
    assert files == 27 and accepted >= 14 and revision == "demo" and users == 3
    # issue 12 point 13: the demo world was 205 M with 222 of 235 countries imputed from 20 tables
    assert abs(world / IMS2020_WORLD_2020 - 1) < 0.02, world
    assert imputed <= 5, imputed
    # the demo's age tables cover every region (Europe, Northern America, Western Asia, Oceania too): with
    # Latin American, African and Asian tables only, the imputed ages made the world 0-17 55.6 M
    assert abs(children / UNICEF_CHILDREN_2020 - 1) < 0.15, children
    again = CliRunner().invoke(app, ["demo", "--no-serve"])
    assert again.exit_code == 1 and "needs an empty database" in again.stderr
