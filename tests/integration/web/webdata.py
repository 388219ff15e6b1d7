"""Test data and helpers of the web tests: two small canonical files, findings, two revisions of
estimates, one user per role; logging in through the real login form."""

from __future__ import annotations

import re
from datetime import datetime

import sqlalchemy as sa
from fastapi.testclient import TestClient

from gmrd.db.engine import get_engine
from gmrd.db.models import Estimate, Finding, Revision, Source
from gmrd.ingest.load import import_file
from gmrd.web import auth

PASSWORDS = {"ana": "partner-pass-123", "carl": "curator-pass-123", "ada": "admin-pass-1234"}
ROLE_USERS = {"partner": "ana", "curator": "carl", "admin": "ada"}

HEADER = "country,reference_date,source_type,concept,sex,age,origin,value,source_title,citation\n"
ECUADOR = HEADER + "".join(
    f"Ecuador,2010-11-28,census,foreign_born,{sex},{age},{origin},{value},Censo de Población 2010,INEC 2011\n"
    for sex, age, origin, value in [
        ("Total", "Total", "Total", 194398), ("Hombres", "Total", "Total", 98000),
        ("Mujeres", "Total", "Total", 96398), ("Total", "0-4", "Colombia", 5120),
        ("Total", "5-9", "Perú", 1000), ("Total", "75+", "Total", 3000),
    ]) + "Ecuador,2001-11-25,census,foreign_citizens,Total,Total,Total,104130,=Censo 2001,INEC 2002\n"
COLOMBIA = HEADER + (
    "Colombia,2018-06-30,census,foreign_born,Total,Total,Total,1100000,Censo Nacional 2018,DANE\n"
    "Colombia,2018-06-30,census,foreign_born,Total,Total,Venezuela,950000,Censo Nacional 2018,DANE\n"
)
AGES = [(lo, lo + 5) for lo in range(0, 75, 5)] + [(75, None)]


#: the flags of the test estimates: Ecuador from its foreign-born data (refugees added and extrapolated in
#: 2020), Colombia imputed (no data); aggregates have none
FLAGS = {(218, 2010): "foreign_born", (218, 2015): "foreign_born",
         (218, 2020): "foreign_born,refugees_added,extrapolated", (170, 2010): "imputed,age_imputed,sex_imputed",
         (170, 2015): "imputed,age_imputed,sex_imputed", (170, 2020): "imputed,age_imputed,sex_imputed"}
#: Colombia's all-ages estimate is 2.8 M of the world's 280 M (times the growth): 1 % of the world imputed
SIZES = ((900, 280_000_000), (903, 25_000_000), (935, 86_000_000), (908, 87_000_000), (904, 15_000_000),
         (905, 59_000_000), (909, 9_000_000), (218, 390_000), (170, 2_800_000))


def estimate_rows(revision_id: int, scale: float) -> list[dict]:
    """Test estimates: 5-year groups per sex, sexes summed to both, cohorts and totals summed from groups;
    countries' values and bounds are not whole numbers (the pages and exports round them)."""
    rows = []
    for area, size in SIZES:
        for year in (2010, 2015, 2020):
            growth = scale * (1 + (year - 2010) / 100)
            per_sex = {}
            for sex, share in ((1, 0.51), (2, 0.49)):
                groups = {(lo, hi): size * growth * share * (0.5 if lo >= 60 else 1.0) / 14 for lo, hi in AGES}
                per_sex[sex] = groups
            for sex in (0, 1, 2):
                groups = ({k: per_sex[1][k] + per_sex[2][k] for k in per_sex[1]} if sex == 0 else per_sex[sex])
                values = dict(groups)
                values[(0, 18)] = groups[(0, 5)] + groups[(5, 10)] + groups[(10, 15)] + 0.6 * groups[(15, 20)]
                values[(0, 20)] = sum(groups[(lo, lo + 5)] for lo in (0, 5, 10, 15))
                values[(0, None)] = sum(groups.values())
                whole = round if area >= 900 else float
                for (lo, hi), v in values.items():
                    rows.append({"revision_id": revision_id, "area_code": area, "year": year, "sex": sex, "age_lo": lo,
                                 "age_hi": hi, "value": whole(v), "lower": whole(v * 0.9) + 0.25,
                                 "upper": whole(v * 1.1) + 0.25, "flags": FLAGS.get((area, year), "")})
    return rows


def populate(url: str, tmp_path) -> dict[str, int]:
    """Import two small canonical files, add findings, two revisions and one user per role."""
    for name, text in (("ecuador.csv", ECUADOR), ("colombia.csv", COLOMBIA)):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        import_file(path, url=url)
    with get_engine(url).begin() as conn:
        ids = {title: sid for sid, title in conn.execute(sa.select(Source.id, Source.title))}
        ecuador = ids["Censo de Población 2010"]
        conn.execute(sa.insert(Finding), [
            {"source_id": ecuador, "check": "totals_match", "severity": "error", "status": "open",
                 "message": "the sexes sum to 194,398 but the ages to 9,120", "details": {"difference": 185278}},
            {"source_id": ecuador, "check": "age_groups", "severity": "warning", "status": "open",
                 "message": "age groups 10-74 are missing", "details": None},
        ])
        conn.execute(sa.update(Source).where(Source.title == "Censo Nacional 2018")
                     .values(status="accepted", status_reason="checked against DANE tables"))
        first = conn.scalar(sa.insert(Revision).returning(Revision.id).values(
            name="2024-test", manifest={"years": [2010, 2015, 2020], "sources": 1}))
        second = conn.scalar(sa.insert(Revision).returning(Revision.id).values(
            name="2025-test", manifest={"years": [2010, 2015, 2020], "sources": 2}))
        conn.execute(sa.update(Revision).where(Revision.id == first)
                     .values(created_at=datetime(2024, 6, 1)))
        conn.execute(sa.insert(Estimate), estimate_rows(first, 1.0))
        conn.execute(sa.insert(Estimate), estimate_rows(second, 1.02))
        for role, name in ROLE_USERS.items():
            auth.create_user(conn, name, role, PASSWORDS[name])
    return {"ecuador": ecuador, "colombia": ids["Censo Nacional 2018"], "ecuador_2001": ids["=Censo 2001"]}


CSRF = re.compile(r'name="csrf" value="([0-9a-f]+)"')


def csrf_of(html: str) -> str:
    match = CSRF.search(html)
    assert match, "page has no CSRF field"
    return match.group(1)


def login(client: TestClient, name: str, password: str | None = None) -> TestClient:
    page = client.get("/login")
    response = client.post("/login", data={"name": name, "password": password or PASSWORDS[name],
                                           "csrf": csrf_of(page.text), "next": "/"})
    assert response.status_code == 303, response.text[:500]
    return client


def page_csrf(client: TestClient, path: str = "/") -> str:
    return csrf_of(client.get(path).text)
