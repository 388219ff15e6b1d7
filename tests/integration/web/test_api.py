"""The REST API: envelopes and pagination, filters as in the pages, JSON errors, OpenAPI."""

from __future__ import annotations

import sqlalchemy as sa

from gmrd.db.engine import get_engine
from gmrd.web import auth


def _client_with_token(client, url: str):
    with get_engine(url).begin() as conn:
        _, token = auth.create_api_token(conn, "ana", "api test", actor="test")
    client.headers["Authorization"] = f"Bearer {token}"
    return client


def test_sources_tabulations_and_cells(client, web_db):
    url, ids = web_db
    api = _client_with_token(client, url)
    page = api.get("/api/v1/tabulations?limit=2").json()
    assert page["total"] == 3 and len(page["items"]) == 2 and page["next"].endswith("limit=2&offset=2")
    assert page["next"].startswith("/api/v1/"), "a path: the Host header is not reflected"
    last = api.get(page["next"]).json()
    assert len(last["items"]) == 1 and last["next"] is None
    ecuador = api.get("/api/v1/tabulations?country=218&dim=origin").json()["items"]
    assert [t["source_title"] for t in ecuador] == ["Censo de Población 2010"]
    assert set(ecuador[0]["dimensions"]) == {"sex", "age", "origin"}
    one = api.get(f"/api/v1/tabulations/{ecuador[0]['id']}?limit=4").json()
    assert one["cells"]["total"] == 6 and len(one["cells"]["items"]) == 4
    assert one["cells"]["items"][0] == {"id": one["cells"]["items"][0]["id"], "sex": "both", "age": "total",
                                        "age_lo": 0, "age_hi": None, "origin_code": 0, "value": 194398.0,
                                        "file_row": 2, "labels": {"sex": "Total", "age": "Total",
                                                                  "origin": "Total"}}
    sources = api.get("/api/v1/sources?status=accepted").json()
    assert [s["country"] for s in sources["items"]] == ["Colombia"]
    detail = api.get(f"/api/v1/sources/{ids['ecuador']}").json()
    assert [f["check"] for f in detail["findings"]] == ["totals_match", "age_groups"]
    findings = api.get("/api/v1/findings?severity=error").json()
    assert findings["total"] == 1 and findings["items"][0]["details"] == {"difference": 185278}


def test_estimates_revisions_and_places(client, web_db):
    api = _client_with_token(client, web_db[0])
    revisions = api.get("/api/v1/revisions").json()["items"]
    assert [r["name"] for r in revisions] == ["2025-test", "2024-test"]
    detail = api.get("/api/v1/revisions/2024-test").json()
    assert detail["years"] == [2010, 2015, 2020] and 218 in detail["areas"]
    result = api.get("/api/v1/estimates?area=218,900&year=2010:2020:5&sex=male&age=0-17").json()
    assert result["revision"] == "2025-test" and result["total"] == 6
    assert {(e["area_name"], e["year"], e["age"], e["sex"]) for e in result["items"]} == {
        (name, year, "0-17", "male") for name in ("Ecuador", "World") for year in (2010, 2015, 2020)}
    older = api.get("/api/v1/estimates?revision=2024-test&area=218&age=total&sex=both&year=2010").json()
    newer = api.get("/api/v1/estimates?area=218&age=total&sex=both&year=2010").json()
    # webdata.estimate_rows: revision 2025-test is revision 2024-test times 1.02
    assert abs(newer["items"][0]["value"] / older["items"][0]["value"] - 1.02) < 1e-5
    regions = {r["code"]: r for r in api.get("/api/v1/regions").json()["items"]}
    assert 218 in regions[904]["members"] and 170 in regions[904]["members"]
    countries = {c["code"]: c for c in api.get("/api/v1/countries?kind=country").json()["items"]}
    assert countries[218]["iso3"] == "ECU" and countries[218]["region"] == 904


def test_json_errors(client, web_db):
    api = _client_with_token(client, web_db[0])
    assert api.get("/api/v1/sources/99999").json() == {"error": {"status": 404, "message": "no source with id 99999"}}
    assert api.get("/api/v1/revisions/nope").status_code == 404
    bad = api.get("/api/v1/estimates?sex=other")
    assert bad.status_code == 422 and bad.json()["error"]["message"] == "sex: 'other' is not one of both, male, female"
    limit = api.get("/api/v1/tabulations?limit=0").json()["error"]
    assert limit["status"] == 422 and limit["message"].startswith("invalid request: limit:")
    assert api.get("/api/v1/tabulations?sort=size").status_code == 422
    assert api.get("/api/v1/nothing").json()["error"]["status"] == 404


def test_openapi_lists_every_endpoint(client, web_db):
    api = _client_with_token(client, web_db[0])
    spec = api.get("/api/v1/openapi.json").json()
    assert set(spec["paths"]) == {
        "/api/v1/sources", "/api/v1/sources/{source_id}", "/api/v1/tabulations",
        "/api/v1/tabulations/{tabulation_id}", "/api/v1/findings", "/api/v1/countries", "/api/v1/regions",
        "/api/v1/revisions", "/api/v1/revisions/{name}", "/api/v1/estimates"}
    params = {p["name"] for p in spec["paths"]["/api/v1/estimates"]["get"]["parameters"]}
    assert {"revision", "area", "year", "sex", "age", "limit", "offset"} <= params
    del client.headers["Authorization"]
    assert client.get("/api/v1/openapi.json").status_code == 401
    with get_engine(web_db[0]).connect() as conn:
        assert conn.scalar(sa.text("select count(*) from api_tokens")) == 1
