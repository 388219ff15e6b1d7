"""The verification report: counts, the --json document (DESIGN.md shape) and the HTML page."""

from __future__ import annotations

import json
from datetime import date

import pandas as pd

from gmrd.verify.frame import concat, findings
from gmrd.verify.report import counts_by_check, counts_by_source, findings_document, render_html


def _found() -> pd.DataFrame:
    f = concat([
        findings([1, 2], "totals.sex", "error", "totals.sex:error", ["a", "b"], [3.0, 4.0], [5.0, 6.0]),
        findings([2], "series.growth", "warning", "series.growth", ["jump"], [100.0], [600.0],
                 [[{"t": 2005.5, "total": 100.0}, {"t": 2010.5, "total": 600.0}]]),
    ])
    f.insert(1, "source_title", ["Censo 2010", "Census 2011", "Census 2011"])
    return f


def test_counts_put_errors_first_and_count_sources():
    counts = counts_by_check(_found())
    assert counts.to_dict("records")[0] == {"check": "totals.sex", "severity": "error", "findings": 2, "sources": 2}
    assert counts_by_source(_found())["source_id"].tolist() == [2, 1]


def test_json_document_has_the_design_keys_and_is_strict_json():
    doc = findings_document(_found())
    assert {"source_id", "source_title", "check", "severity", "message"} <= set(doc["findings"][0])
    assert doc["counts"]["by_severity"] == {"error": 2, "warning": 1} and doc["counts"]["sources_with_errors"] == 2
    json.dumps(doc, allow_nan=False)


def test_html_has_a_section_per_source_and_a_chart_for_series_findings():
    sources = pd.DataFrame({"id": [1, 2], "country_code": [218, 218], "universe": [3, 3], "status": "pending",
                            "reference_date": [date(2010, 11, 28), date(2010, 7, 1)],
                            "title": ["Censo 2010", "Census 2011"]})
    points = pd.DataFrame({"country_code": [218, 218], "universe": [3, 3], "t": [2005.5, 2010.5],
                           "total": [100.0, 600.0]})
    page = render_html(_found(), sources, points)
    assert 'id="source-1"' in page and 'id="source-2"' in page
    assert page.count("<svg") == 1 and 'fill="#c0392b"' in page


def test_html_charts_a_spike_with_the_point_in_red():
    sources = pd.DataFrame({"id": [3], "country_code": [276], "universe": [3], "status": "pending",
                            "reference_date": [date(2000, 1, 1)], "title": ["Eurostat"]})
    cells = [[{"t": 1997.0, "total": 9.7e6}, {"t": 2000.0, "total": 77.2e6}, {"t": 2006.0, "total": 10.4e6}]]
    spike = findings([3], "series.spike", "error", "series.spike", ["spike"], [10e6], [77.2e6], cells)
    spike.insert(1, "source_title", ["Eurostat"])
    points = pd.DataFrame({"country_code": [276] * 3, "universe": [3] * 3, "t": [1997.0, 2000.0, 2006.0],
                           "total": [9.7e6, 77.2e6, 10.4e6]})
    page = render_html(spike, sources, points)
    assert page.count("<svg") == 1 and page.count('fill="#c0392b"') == 1
