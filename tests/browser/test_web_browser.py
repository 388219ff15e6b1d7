"""A partner's visit in a real browser: log in, filter tabulations, open a country, see its chart,
download a CSV and check it, log out. No console errors (so no Content-Security-Policy violations).
Every page with a chart is checked for drawn traces with data points (issue 12 point 8), and the
interval charts for drawn shaded bands."""

from __future__ import annotations

import csv

import pytest

pytestmark = pytest.mark.browser


def _watched_page(browser):
    """A new context (downloads allowed), its page, and the list its console errors and page errors go to."""
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    return context, page, problems


#: for each chart of the page: its id, its traces (name, fill, number of points with x and y) and the
#: shaded areas plotly drew (SVG fill paths with a path)
CHART_STATE = """() => Array.from(document.querySelectorAll('div.plot')).map(el => ({
  id: el.id, rendered: el.getAttribute('data-rendered') === 'true',
  traces: (el.data || []).map(t => ({name: t.name || '', fill: t.fill || '',
    points: (t.x || []).filter((x, i) => x !== null && t.y && t.y[i] !== null
                                         && t.y[i] !== undefined).length})),
  fills: Array.from(el.querySelectorAll('.scatterlayer path.js-fill'))
    .filter(p => (p.getAttribute('d') || '').length > 10).length}))"""


def charts_drawn(page, bands: tuple[str, ...] = ()) -> list[dict]:
    """Wait until every chart of the page is drawn; assert each has traces and every trace has data
    points, and that each chart in ``bands`` has a band trace per line whose shaded area is drawn."""
    page.wait_for_function("() => Array.from(document.querySelectorAll('div.plot'))"
                           ".every(el => el.getAttribute('data-rendered') === 'true')", timeout=20_000)
    state = page.evaluate(CHART_STATE)
    assert state, f"no chart on {page.url}"
    for chart in state:
        assert chart["rendered"] and chart["traces"], (page.url, chart)
        assert all(t["points"] > 0 for t in chart["traces"]), (page.url, chart)
    for chart in (c for c in state if c["id"] in bands):
        lines = [t for t in chart["traces"] if t["fill"] != "toself"]
        shaded = [t for t in chart["traces"] if t["fill"] == "toself"]
        assert len(shaded) == len(lines) >= 1 and chart["fills"] >= len(shaded), (page.url, chart)
    assert {c["id"] for c in state} >= set(bands), (page.url, state)
    return state


def test_partner_visit(server, browser, webdata, tmp_path):
    context, page, problems = _watched_page(browser)

    page.goto(server + "/countries/218")
    assert page.url.startswith(server + "/login?next=")
    page.fill("#name", "ana")
    page.fill("#password", webdata.PASSWORDS["ana"])
    page.click("button[type=submit]")
    page.wait_for_url(server + "/countries/218")

    page.goto(server + "/tabulations")
    assert page.inner_text("#result-count") == "3"
    page.check("input[name=country][value='218']")
    page.click("text=Apply filters")
    page.wait_for_url("**/tabulations?**country=218**")
    assert page.inner_text("#result-count") == "2"

    page.click("#tabulations >> text=Ecuador >> nth=0")
    page.wait_for_url(server + "/countries/218")
    page.wait_for_selector("#series-chart[data-rendered=true] svg.main-svg", timeout=20_000)
    page.wait_for_selector("#pyramid-chart[data-rendered=true] svg.main-svg", timeout=20_000)
    assert page.locator("#series-chart .scatterlayer .trace").count() >= 3
    assert {c["id"] for c in charts_drawn(page, bands=("series-chart",))} == {"series-chart", "pyramid-chart"}
    page.screenshot(path=str(tmp_path / "country.png"), full_page=True)

    with page.expect_download() as info:
        page.click(".downloads >> text=CSV >> nth=0")
    saved = tmp_path / "download.csv"
    info.value.save_as(saved)
    with saved.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert rows and set(rows[0]) == {"revision", "area_code", "area_name", "origin_code", "origin_name",
                                     "year", "sex", "age", "value", "lower", "upper", "flags"}
    assert {r["area_name"] for r in rows} == {"Ecuador"}
    assert {"0-17", "0-19", "total"} <= {r["age"] for r in rows}

    page.goto(server + "/")
    assert {c["id"] for c in charts_drawn(page, bands=("world-chart",))} == {"world-chart", "region-chart"}
    page.goto(server + "/estimates")
    assert [c["id"] for c in charts_drawn(page, bands=("estimates-chart",))] == ["estimates-chart"]
    page.goto(server + "/estimates?area=218&area=170&age=0-17&sex=female")
    chart = charts_drawn(page, bands=("estimates-chart",))[0]
    assert [t["points"] for t in chart["traces"]] == [6, 3, 6, 3], chart

    page.click("header >> text=Log out")
    page.wait_for_url(server + "/login")
    page.goto(server + "/")
    assert page.url.startswith(server + "/login")
    assert problems == [], problems
    context.close()


def test_curator_analyses_a_survey(server, browser, webdata, tmp_path):
    """Upload a zipped pilot survey with its configuration, see the report's charts drawn, download
    the full report (issue 6, point 10)."""
    import zipfile
    from pathlib import Path

    from gmrd.survey.pilot.files import generate_pilot

    folder = tmp_path / "pilot"
    generate_pilot("A", folder, fmt="sav")
    data = tmp_path / "pilot.zip"
    with zipfile.ZipFile(data, "w") as archive:
        for path in sorted(folder.glob("*.sav")):
            archive.write(path, path.name)
    config = Path(__file__).resolve().parents[2] / "examples" / "survey.yaml"

    context, page, problems = _watched_page(browser)
    page.goto(server + "/survey")
    page.fill("#name", "carl")
    page.fill("#password", webdata.PASSWORDS["carl"])
    page.click("button[type=submit]")
    page.wait_for_url(server + "/survey")
    page.set_input_files("#data", str(data))
    page.set_input_files("#config", str(config))
    with page.expect_navigation(timeout=180_000):
        page.click("form[action='/survey'] button[type=submit]")
    assert page.locator("#left-behind").count() == 1, page.inner_text("main")[:2000]
    page.wait_for_selector("#left_behind-chart-1[data-rendered=true] svg.main-svg", timeout=20_000)
    assert page.locator(".plot[data-rendered=true]").count() == page.locator(".plot").count() >= 3
    assert len(charts_drawn(page)) >= 3
    assert page.locator("#left-behind tbody tr").count() > 3
    page.screenshot(path=str(tmp_path / "survey.png"), full_page=True)
    with page.expect_download() as info:
        page.click("text=full report (HTML)")
    saved = tmp_path / "report.html"
    info.value.save_as(saved)
    assert "Children left behind" in saved.read_text(encoding="utf-8")
    assert problems == [], problems
    context.close()


#: every text label plotly drew (ticks, legend, titles) that reaches outside its chart's box
CUT_LABELS = """() => Array.from(document.querySelectorAll('div.plot')).flatMap(el => {
  const box = el.getBoundingClientRect();
  return Array.from(el.querySelectorAll('svg text')).filter(t => (t.textContent || '').trim()).filter(t => {
    const r = t.getBoundingClientRect();
    return r.width > 0 && (r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1
                           || r.bottom > box.bottom + 1);
  }).map(t => el.id + ': ' + t.textContent);
})"""


def test_admin_pages_at_1400_px(server, browser, webdata):
    """Issue 12, point 9: the admin navigation fits on one line at 1400 px; chart labels are whole (inside
    their chart) and the pyramid's ticks are compact (73.3k, not 73,299)."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.goto(server + "/login")
    page.fill("#name", "ada")
    page.fill("#password", webdata.PASSWORDS["ada"])
    page.click("button[type=submit]")
    page.wait_for_url(server + "/")
    tops = page.evaluate("() => Array.from(document.querySelectorAll('header nav a'))"
                         ".map(a => Math.round(a.getBoundingClientRect().top))")
    assert len(tops) >= 11 and len(set(tops)) == 1, tops
    for path in ("/", "/countries/904", "/countries/218", "/estimates?area=904&area=170"):
        page.goto(server + path)
        charts_drawn(page)
        assert page.evaluate(CUT_LABELS) == [], path
    page.goto(server + "/countries/218")
    charts_drawn(page)
    ticks = page.evaluate("() => Array.from(document.querySelectorAll('#pyramid-chart .xtick text'))"
                          ".map(t => t.textContent)")
    assert ticks and all("," not in t for t in ticks), ticks
    context.close()
