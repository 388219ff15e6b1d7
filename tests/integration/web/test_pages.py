"""Pages: what each shows for the test database, filters, review and upload, admin actions."""

from __future__ import annotations

import re
from html import unescape

import sqlalchemy as sa
from webdata import csrf_of, login

from gmrd.db.engine import get_engine
from gmrd.db.models import AuditEvent, Finding, Revision, Source


def _ids(html: str, table: str) -> list[str]:
    body = html.split(f'id="{table}"', 1)[1].split("</table>", 1)[0]
    return re.findall(r"<tr><td>(\d+)</td>", body)


def test_home_country_and_charts(client):
    login(client, "ana")
    home = client.get("/").text
    # world 2020 in revision 2025-test: 280e6 * 1.02 * 1.10 split over groups, summed back (conftest)
    assert "2025-test" in home and "World" in home and 'data-chart="' in home
    assert home.count('class="plot"') == 2 and "Migrant stock by region" in home
    profile = client.get("/countries/218").text
    assert "Ecuador" in profile and "Censo de Población 2010" in profile
    assert 'id="series-chart"' in profile and 'id="pyramid-chart"' in profile
    assert 'id="series-data"' in profile and 'id="cohorts"' in profile and 'id="pyramid-data"' in profile
    assert "0-17" in profile and "15-19" in profile and "2 errors" not in profile and "1 errors" in profile
    assert "accepted" in client.get("/countries/170").text
    assert client.get("/countries/12345").status_code == 404
    listing = client.get("/countries").text
    assert "/countries/218" in listing and "/countries/170" in listing


def test_tabulation_browser_filters_sort_and_pages(client):
    login(client, "ana")
    everything = client.get("/tabulations").text
    assert re.search(r'id="result-count">3<', everything)
    assert 'value="218"' in everything and "foreign_citizens" in everything

    def count(query: str) -> int:
        return int(re.search(r'id="result-count">([\d,]+)<', client.get("/tabulations?" + query).text).group(1))

    assert count("country=218") == 2
    assert count("region=904") == 3  # Ecuador and Colombia are in Latin America and the Caribbean
    assert count("region=908") == 0
    assert count("concept=foreign_citizens") == 1
    assert count("q=nacional") == 1
    assert count("dim=origin") == 2
    assert count("dim=sex&dim=age") == 1
    assert count("status=accepted") == 1
    assert count("year_from=2005&year_to=2012") == 1
    assert count("source_type=census&country=170") == 1
    by_cells = client.get("/tabulations?sort=cells&desc=1").text
    assert "Censo de Población 2010" in by_cells.split("<tbody>")[1].split("</tr>")[0]
    page2 = client.get("/tabulations?per_page=2&page=2").text
    assert "Page 2 of 2" in page2 and len(_ids(page2, "tabulations")) == 1
    assert client.get("/tabulations?sort=nonsense").status_code == 422
    assert client.get("/tabulations?source_type=poll").status_code == 422


def test_source_detail_and_review(client, web_db):
    url, ids = web_db
    login(client, "ana")
    page = client.get(f"/sources/{ids['ecuador']}").text
    assert "totals_match" in page and "194,398" in page and "Colombia" in page and "0-4" in page
    assert 'action="/sources/' not in page, "partners see no review actions"
    client.cookies.clear()
    login(client, "carl")
    page = client.get(f"/sources/{ids['ecuador']}").text
    assert f'action="/sources/{ids["ecuador"]}/review"' in page
    csrf = csrf_of(page)
    refused = client.post(f"/sources/{ids['ecuador']}/review",
                          data={"csrf": csrf, "decision": "accept", "reason": "looks fine"})
    assert refused.status_code == 409 and "verified" in refused.text
    done = client.post(f"/sources/{ids['ecuador']}/review",
                       data={"csrf": csrf, "decision": "reject", "reason": "sexes do not add up", "override": "yes"})
    assert done.status_code == 303
    with get_engine(url).connect() as conn:
        assert conn.scalar(sa.select(Source.status).where(Source.id == ids["ecuador"])) == "rejected"
        assert conn.scalar(sa.select(AuditEvent.actor).where(AuditEvent.action == "review.reject")) == "carl"
    assert "sexes do not add up" in client.get(f"/sources/{ids['ecuador']}").text


def test_profile_and_newest_revision_follow_changes_made_elsewhere(client, web_db):
    """The profile's sources and the newest revision are cached per data version: a change committed by
    another process (here plain SQL) shows on the next view."""
    url, ids = web_db
    login(client, "ana")
    assert "1 errors" in client.get("/countries/218").text and "2025-test" in client.get("/").text
    with get_engine(url).begin() as conn:
        conn.execute(sa.update(Finding).where(Finding.severity == "error").values(status="dismissed"))
        conn.execute(sa.update(Source).where(Source.id == ids["ecuador"]).values(status="rejected"))
        conn.execute(sa.update(Revision).where(Revision.name == "2025-test").values(name="2026-renamed"))
    profile = client.get("/countries/218").text
    assert "1 errors" not in profile and '<span class="badge rejected">rejected</span>' in profile
    assert "2026-renamed" in client.get("/").text and "2026-renamed" in profile


def test_estimates_explorer_and_revision_comparison(client):
    login(client, "ana")
    page = client.get("/estimates?area=218&area=900&age=0-17&sex=female&year=2020").text
    assert 'id="estimates-chart"' in page and "2 estimates of revision 2025-test" in page
    older = client.get("/estimates?revision=2024-test&area=218&age=total").text
    assert "3 estimates of revision 2024-test" in older
    assert client.get("/estimates?revision=nope").status_code == 404
    assert client.get("/estimates?age=adults").status_code == 422
    compare = client.get("/revisions?a=2024-test&b=2025-test&area=218&age=total").text
    # the test revisions differ by the factor 1.02 (webdata.estimate_rows): +2% everywhere
    assert compare.count(">2.0<") == 3 or compare.count(">2<") == 3


def test_upload_import_and_verification_report(client, web_db):
    login(client, "carl")
    csrf = csrf_of(client.get("/upload").text)
    good = ("country,reference_date,source_type,concept,sex,age,origin,value,source_title\n"
            "Peru,2017-10-22,census,foreign_born,Total,Total,Total,1000,Censo 2017\n"
            "Peru,2017-10-22,census,foreign_born,Hombres,Total,Total,600,Censo 2017\n"
            "Peru,2017-10-22,census,foreign_born,Mujeres,Total,Total,300,Censo 2017\n")
    response = client.post("/upload", data={"csrf": csrf}, files={"file": ("peru.csv", good.encode(), "text/csv")})
    assert response.status_code == 200 and "Import report" in response.text
    assert re.search(r"<dt>Cells</dt><dd>3</dd>", response.text)
    assert 'id="findings"' in response.text, "the new source is verified at once (male + female != total)"
    again = client.post("/upload", data={"csrf": csrf}, files={"file": ("peru.csv", good.encode(), "text/csv")})
    assert "imported before" in again.text
    bad = good.replace("1000", "-5")
    failed = client.post("/upload", data={"csrf": csrf}, files={"file": ("bad.csv", bad.encode(), "text/csv")})
    assert failed.status_code == 400 and "nothing was stored" in failed.text and "row 2" in failed.text
    with get_engine(web_db[0]).connect() as conn:
        assert conn.scalar(sa.select(sa.func.count()).select_from(Source)) == 4


def test_upload_unknown_country_offers_an_alias(client, web_db):
    """Issue 12, point 5: the unknown-country error carries a form that adds the alias (curator, CSRF,
    audited); the same file then imports."""
    login(client, "carl")
    csrf = csrf_of(client.get("/upload").text)
    table = (b"country,reference_date,source_type,concept,sex,age,origin,value,source_title\n"
             b"Peru,2017-10-22,census,foreign_born,Total,Total,Haute Volta,12,Censo 2017 B\n")
    failed = client.post("/upload", data={"csrf": csrf}, files={"file": ("peru.csv", table, "text/csv")})
    assert failed.status_code == 400 and "unknown country or area 'Haute Volta'" in unescape(failed.text)
    assert 'action="/upload/alias"' in failed.text and 'name="label" value="Haute Volta"' in failed.text
    form = {"label": "Haute Volta", "code": "Burkina Faso", "reason": "Upper Volta before 1984"}
    assert client.post("/upload/alias", data=form).status_code == 403  # no CSRF token
    added = client.post("/upload/alias", data={"csrf": csrf, **form})
    assert added.status_code == 200
    assert "alias added: 'Haute Volta' → 854 (Burkina Faso)" in unescape(added.text)
    bad = client.post("/upload/alias", data={"csrf": csrf, **form, "label": "Alto Volta", "reason": ""})
    assert bad.status_code == 400 and "a reason is required" in bad.text
    again = client.post("/upload", data={"csrf": csrf}, files={"file": ("peru.csv", table, "text/csv")})
    assert again.status_code == 200 and "Import report" in again.text
    with get_engine(web_db[0]).connect() as conn:
        event = conn.execute(sa.text("select actor, reason from audit_events "
                                     "where action = 'alias_add'")).one()
    assert tuple(event) == ("carl", "Upper Volta before 1984")


def test_admin_users_and_tokens(client, web_db):
    login(client, "ada")
    csrf = csrf_of(client.get("/admin/users").text)
    assert client.post("/admin/users", data={"csrf": csrf, "name": "maria", "role": "curator",
                                             "password": "curator-key-482"}).status_code == 303
    short = client.post("/admin/users", data={"csrf": csrf, "name": "x", "role": "partner", "password": "short"})
    assert short.status_code == 400 and "at least 10 characters" in short.text
    assert client.post("/admin/users", data={"csrf": csrf, "name": "y", "role": "king",
                                             "password": "long-enough-1"}).status_code == 400
    assert "maria" in client.get("/admin/users").text
    assert client.post("/admin/users/ada/disable", data={"csrf": csrf}).status_code == 400
    created = client.post("/admin/tokens", data={"csrf": csrf, "owner": "maria", "label": "etl"})
    token = re.search(r'<code id="new-token">([^<]+)</code>', created.text).group(1)
    assert client.get("/api/v1/sources", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    assert client.post("/admin/users/maria/disable", data={"csrf": csrf}).status_code == 303
    assert client.get("/api/v1/sources", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    audit = client.get("/admin/audit?actor=ada").text
    for action in ("user.create", "token.create", "user.disable"):
        assert action in audit
