"""The survey report as a statistician reads it (issue 12): A4 pages, intervals "15.5 to 21.5" that do not
wrap, true minus signs, p-values "< 0.001", labels instead of codes, a header on every table."""

from __future__ import annotations

import re

import pytest

from gmrd.survey.analyze import analyze
from gmrd.survey.load_config import parse_config
from gmrd.survey.pilot.files import survey_data
from gmrd.survey.pilot.population import CountrySpec, simulate_population
from gmrd.survey.pilot.sample import SampleSpec, sample_population
from gmrd.survey.report import chart_specs, format_p, format_range, render_html

DESIGN = {"weights": "hhweight", "strata": "stratum", "clusters": ["HH1"]}


@pytest.fixture(scope="module")
def result():
    sample = sample_population(simulate_population(CountrySpec("Small", clusters_per_region=40, effect=0.6, seed=5)),
                               SampleSpec(clusters_per_stratum=8), seed=3)
    return analyze(survey_data(sample), parse_config({"design": DESIGN, "variables": {"region": "HH7"}}))


def test_numbers_ranges_and_p_values() -> None:
    assert format_range(-1.1994, -0.7312) == "\u22121.199 to \u22120.731"
    assert format_range(15.46, 21.54, 1) == "15.5 to 21.5"
    assert format_range(float("nan"), 1.0) == ""
    assert (format_p(2e-12), format_p(0.0004), format_p(0.001), format_p(0.04567)) == ("< 0.001", "< 0.001",
                                                                                       "0.001", "0.046")


def test_report_html_reads_well(result) -> None:
    html = render_html(result)
    assert "@page { size: A4;" in html
    tables = re.findall(r"<table[^>]*>(.*?)</table>", html, flags=re.DOTALL)
    assert len(tables) >= 5 and all(t.lstrip().startswith("<thead>") for t in tables)  # header repeats
    cells = re.findall(r'<td class="ci">([^<]*)</td>', html)
    assert len(cells) > 50 and all(re.fullmatch(r"\u2212?[\d.,]+ to \u2212?[\d.,]+", c) for c in cells if c), cells
    assert "td.ci, td.num { white-space: nowrap; }" in html
    body = html.split("<body>", 1)[1].split("<h2>Methods</h2>")[0]
    assert not re.search(r"<td[^>]*>-\d", body)  # negative numbers with a true minus
    assert re.search(r"<td[^>]*>\u2212\d", body)
    assert "&lt; 0.001" in body and not re.search(r">0\.0000<", body)
    for code in ("mto", "bank", "carried", "food"):
        assert f">{code}<" not in body
    assert ">Money transfer operator<" in body and ">Food and daily needs<" in body


def test_chart_titles_and_categories_are_labels(result) -> None:
    specs = chart_specs(result)
    titles = [c["layout"]["title"]["text"] for section in specs.values() for c in section]
    assert "Distribution: EQ-5D level sum (5 best - 15)" in titles
    assert not any("eq5d" in t or "_" in t for t in titles)
    channels = next(c for c in specs["remittances"] if c["layout"]["title"]["text"].startswith("Channel"))
    assert "Money transfer operator" in channels["data"][0]["y"] and "mto" not in channels["data"][0]["y"]
