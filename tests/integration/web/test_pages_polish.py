"""Issue 12, point 9: pages for people — column labels in words, age groups in age order, a searchable
country list grouped by region with kinds in words, readable axis ticks, no SDMX download of accounts,
API docs without literal backticks, a verification report naming countries and universes in words."""

from __future__ import annotations

import re

import pandas as pd
from webdata import login

from gmrd.db.queries import age_order
from gmrd.web.charts import compact, pyramid
from gmrd.web.render import code_spans


def test_age_groups_in_age_order(client):
    assert sorted([(0, 18), (5, 10), (0, None), (0, 5), (15, 20), (15, 18), (0, 20), (75, None)],
                  key=age_order) == [(0, 5), (5, 10), (15, 18), (15, 20), (75, None), (0, 18), (0, 20),
                                     (0, None)]
    login(client, "ana")
    page = client.get("/estimates").text
    select = page.split('id="age"', 1)[1].split("</select>", 1)[0]
    options = re.findall(r"<option[^>]*>([^<]+)</option>", select)
    assert options[:3] == ["0-4", "5-9", "10-14"], options
    assert options.index("75+") < options.index("0-17") < options.index("0-19") < options.index("total")


def test_countries_searchable_grouped_by_region_kinds_in_words(client):
    login(client, "ana")
    page = client.get("/countries").text
    headings = re.findall(r"<h2[^>]*>([^<]+)</h2>", page)
    assert headings[0] == "World and regions" and "Latin America and the Caribbean" in headings
    assert ">Region<" in page and ">World<" in page and "subregion" not in page and "sdg_region" not in page
    assert "M49 code" in page and 'id="q"' in page
    found = client.get("/countries?q=ecua").text
    assert "/countries/218" in found and "/countries/170" not in found and "1 area match" in found
    by_code = client.get("/countries?q=170").text
    assert "/countries/170" in by_code and "/countries/218" not in by_code
    assert "/countries/218" in client.get("/countries?q=ECUADOR").text


def test_profile_tables_have_labels_in_words(client):
    login(client, "ana")
    page = client.get("/countries/218").text
    series = page.split('id="series-data"', 1)[1].split("</thead>", 1)[0]
    assert "<th" in series and ">Migrants<" in series and ">How it was made<" in series
    assert ">value<" not in series and ">lower<" not in series


def test_pyramid_ticks_are_round_and_compact():
    chart = pyramid(["0-4", "5-9"], [19_319.0, 7_000.0], [12_000.0, 73_299.0], "Migrants by age and sex")
    labels = chart["layout"]["xaxis"]["ticktext"]
    assert all(re.fullmatch(r"\d+(\.\d)?[kM]?", t) for t in labels), labels
    assert "73,299" not in labels and compact(73_299) == "73.3k" and compact(2_800_000) == "2.8M"


def test_account_pages_offer_no_sdmx(client):
    login(client, "ada")
    for path in ("/admin/users", "/admin/tokens", "/admin/audit"):
        page = client.get(path).text
        assert "format=csv" in page and "sdmx" not in page.lower(), path
        assert client.get(f"{path}?format=sdmx-csv").status_code == 400
        assert client.get(f"{path}?format=csv").status_code == 200


def test_api_docs_without_backticks(client):
    login(client, "ana")
    page = client.get("/api/v1/docs").text
    main = page.split("<main", 1)[1]
    assert "`" not in main
    assert "<code>Authorization: Bearer &lt;token&gt;</code>" in main
    assert str(code_spans("a `b` c")) == "a <code>b</code> c"


def test_verification_report_names_countries_and_universes_in_words():
    from gmrd.verify.report import render_html

    findings = pd.DataFrame([{"source_id": 1, "source_title": "Censo 2010", "check": "totals.sex",
                              "severity": "error", "message": "male + female != total", "expected": 10.0,
                              "found": 9.0, "cells": [], "key": "k"}])
    sources = pd.DataFrame([{"id": 1, "country_code": 218, "reference_date": "2010-11-28", "universe": 3,
                             "status": "pending", "title": "Censo 2010"}])
    html = render_html(findings, sources)
    assert "Ecuador (M49 218)" in html and "population counted: foreign-born" in html
    assert "universe 3" not in html and ">Severity<" in html
