"""Every page and API answer that shows an estimate says how it was made and how wide its 80 % prediction
interval is (issue 11 point 5); the explorer's chart has data (issue 12 point 8).

Test data (webdata.py): Ecuador from foreign-born data (refugees added and extrapolated in 2020),
Colombia imputed with 2.8 M of the world's 280 M (1 %) and of Latin America's 15 M (19 %)."""

from __future__ import annotations

import html
import json
import re

from webdata import login

from gmrd.db.engine import get_engine
from gmrd.web import auth


def _charts(page: str) -> dict[str, dict]:
    """The chart specifications of a page: div id → {data, layout}."""
    found = re.findall(r'<div id="([^"]+)" class="plot"[^>]*data-chart="([^"]*)"', page)
    return {i: json.loads(html.unescape(spec)) for i, spec in found}


def _points(trace: dict) -> int:
    return sum(1 for x, y in zip(trace.get("x", []), trace.get("y", [])) if x is not None and y is not None)


def test_explorer_chart_has_lines_and_bands(client):
    login(client, "ana")
    page = client.get("/estimates?area=218&area=900&age=total&sex=both").text
    assert "Macro" not in page
    charts = _charts(page)
    assert list(charts) == ["estimates-chart"]
    traces = charts["estimates-chart"]["data"]
    lines = [t for t in traces if t.get("fill") != "toself"]
    bands = [t for t in traces if t.get("fill") == "toself"]
    assert len(lines) == 2 and all(_points(t) == 3 for t in lines)
    assert len(bands) == 2 and all(_points(t) == 6 for t in bands)


def test_explorer_table_says_how_each_estimate_was_made(client):
    login(client, "ana")
    page = client.get("/estimates?area=170&area=218&area=904&age=total&sex=both&year=2020").text
    assert "80 % prediction interval" in page and "uncertainty" not in page
    assert "imputed (no data); ages imputed (regional pattern); sexes imputed (regional pattern)" in page
    assert "extrapolated (outside the data range); refugees added; foreign-born" in page
    # Latin America: Colombia's 2.8 M of 15 M is imputed; every interval is [0.9, 1.1] times the value
    assert "sum of countries; imputed (no data): 19 % of all ages" in page
    assert page.count(">20 %<") == 3


def test_home_says_what_share_of_world_and_regions_is_imputed(client):
    login(client, "ana")
    page = client.get("/").text
    notice = page.split('id="imputed-share"', 1)[1].split("</p>", 1)[0]
    assert "<strong>1 %</strong> of the world's" in notice and "2020" in notice
    table = page.split("Migrant stock by region", 1)[1].split("</table>", 1)[0]
    region_rows = re.findall(r"<tr><td>(?:<a [^>]+>)?([^<]+)(?:</a>)?</td><td>2020</td>(.*?)</tr>", table,
                             flags=re.DOTALL)
    shares = {name: re.findall(r'<td class="n">(\d+ %)</td>', rest) for name, rest in region_rows}
    assert shares["World"] == ["20 %", "1 %"]
    assert shares["Latin America and the Caribbean"] == ["20 %", "19 %"]
    assert shares["Europe"] == ["20 %", "0 %"]
    assert "80 % prediction interval" in page and "uncertainty" not in page
    charts = _charts(page)
    assert set(charts) == {"world-chart", "region-chart"}
    assert all(_points(t) > 0 for spec in charts.values() for t in spec["data"])
    assert any(t.get("fill") == "toself" for t in charts["world-chart"]["data"])


def test_country_pages_and_list_show_type_of_data(client):
    login(client, "ana")
    ecuador = client.get("/countries/218").text
    facts = ecuador.split('id="how-made"', 1)[1].split("</dl>", 1)[0]
    assert "<strong>B R</strong>: foreign-born, refugees added" in facts
    assert "80 % prediction interval" in facts and "(width 20 % of the value)" in facts
    assert "extrapolated (outside the data range); refugees added; foreign-born" in facts
    colombia = client.get("/countries/170").text.split('id="how-made"', 1)[1].split("</dl>", 1)[0]
    assert "<strong>I</strong>: imputed (no data)" in colombia
    world = client.get("/countries/900").text.split('id="how-made"', 1)[1].split("</dl>", 1)[0]
    assert "<strong>1 %</strong> of it is in countries without data" in world
    series = ecuador.split('id="series-data"', 1)[1].split("</table>", 1)[0]
    assert "How it was made" in series and series.count("foreign-born") >= 9
    charts = _charts(ecuador)
    assert set(charts) == {"series-chart", "pyramid-chart"}
    assert all(_points(t) > 0 for spec in charts.values() for t in spec["data"])
    listing = client.get("/countries").text
    assert re.search(r'/countries/218">Ecuador</a>.*?<abbr title="foreign-born, refugees added">B R</abbr>',
                     listing, flags=re.DOTALL)
    assert re.search(r'/countries/904">Latin America and the Caribbean</a>.*?<td>19 % imputed</td>', listing,
                     flags=re.DOTALL)
    assert re.search(r'/countries/170">Colombia</a>.*?<abbr title="imputed \(no data\)">I</abbr>', listing,
                     flags=re.DOTALL)


def test_revision_comparison_shows_how_both_were_made(client):
    login(client, "ana")
    page = client.get("/revisions?a=2024-test&b=2025-test&area=170&area=900&age=total&year=2020").text
    assert page.count("imputed (no data); ages imputed") == 2
    assert page.count("sum of countries; imputed (no data): 1 % of all ages") == 2
    assert page.count(">20 %<") == 4


def test_api_estimates_carry_flags_whole_persons_and_imputed_share(client, web_db):
    with get_engine(web_db[0]).begin() as conn:
        _, token = auth.create_api_token(conn, "ana", "provenance test", actor="test")
    api = client
    api.headers["Authorization"] = f"Bearer {token}"
    items = api.get("/api/v1/estimates?area=170,218,900&year=2020&sex=both&age=total").json()["items"]
    by_area = {e["area_code"]: e for e in items}
    assert by_area[170]["flags"] == ["imputed", "age_imputed", "sex_imputed"]
    assert by_area[218]["flags"] == ["foreign_born", "refugees_added", "extrapolated"]
    assert by_area[900]["flags"] == []
    assert by_area[170]["imputed_share"] == 1.0 and by_area[218]["imputed_share"] == 0.0
    assert abs(by_area[900]["imputed_share"] - 0.01) < 1e-3
    assert all(isinstance(e[c], int) for e in items for c in ("value", "lower", "upper"))
    docs = api.get("/api/v1/docs").text
    assert "80 % prediction interval" in docs
