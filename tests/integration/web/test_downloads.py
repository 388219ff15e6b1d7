"""Every view downloads as CSV, XLSX and SDMX-CSV, with formulas neutralised."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from webdata import login

VIEWS = ["/", "/countries/218", "/countries/218?table=sources", "/tabulations", "/tabulations?what=cells",
         "/sources/{ecuador}", "/sources/{ecuador}?table=findings", "/estimates?area=218",
         "/revisions?a=2024-test&b=2025-test", "/admin/users", "/admin/tokens", "/admin/audit"]


def _csv(response) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))


def test_every_view_downloads_in_three_formats(client, web_db):
    ids = web_db[1]
    login(client, "ada")
    for view in VIEWS:
        path = view.format(**ids)
        joiner = "&" if "?" in path else "?"
        for fmt in ("csv", "xlsx", "sdmx-csv"):
            response = client.get(f"{path}{joiner}format={fmt}")
            assert response.status_code == 200, (path, fmt, response.text[:300])
            assert response.headers["content-disposition"].startswith("attachment; filename=")
            if fmt == "xlsx":
                sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
                assert sheet.max_row >= 1
            else:
                header = response.content.decode("utf-8").splitlines()[0].split(",")
                if fmt == "sdmx-csv":
                    assert header[0] == "DATAFLOW" and "OBS_VALUE" in header, path


def test_estimates_csv_contents(client):
    login(client, "ana")
    rows = _csv(client.get("/estimates?area=218&age=0-17&age=total&sex=both&year=2020&format=csv"))
    assert list(rows[0]) == ["revision", "area_code", "area_name", "year", "sex", "age", "value", "lower", "upper"]
    assert [(r["area_name"], r["year"], r["sex"], r["age"]) for r in rows] == [
        ("Ecuador", "2020", "both", "0-17"), ("Ecuador", "2020", "both", "total")]
    total = float(rows[1]["value"])
    assert float(rows[1]["lower"]) < total < float(rows[1]["upper"]) and float(rows[0]["value"]) < total
    sdmx = _csv(client.get("/estimates?area=218&age=0-17&sex=female&year=2020&format=sdmx-csv"))
    assert sdmx == [{"DATAFLOW": "GMRD:MIGRANT_STOCK(1.0)", "REF_AREA": "218", "TIME_PERIOD": "2020",
                     "SEX": "F", "AGE": "Y0T17", "OBS_VALUE": sdmx[0]["OBS_VALUE"],
                     "LOWER_BOUND": sdmx[0]["LOWER_BOUND"], "UPPER_BOUND": sdmx[0]["UPPER_BOUND"],
                     "REVISION": "2025-test"}]


def test_cells_download_neutralises_formulas(client):
    login(client, "ana")
    rows = _csv(client.get("/tabulations?country=218&what=cells&format=csv"))
    titles = {r["source_title"] for r in rows}
    assert "'=Censo 2001" in titles, "a title starting with = is prefixed with an apostrophe"
    ages = {r["age"] for r in rows if r["source_title"] == "Censo de Población 2010"}
    assert ages == {"total", "0-4", "5-9", "75+"}
    sdmx = _csv(client.get("/tabulations?country=218&format=sdmx-csv"))
    assert {r["AGE"] for r in sdmx} == {"_T", "Y0T4", "Y5T9", "Y_GE75"}
    assert {r["SEX"] for r in sdmx} == {"_T", "M", "F"}


@pytest.mark.parametrize("fmt", ["pdf", "json"])
def test_unknown_format_is_refused(client, fmt):
    login(client, "ana")
    response = client.get(f"/estimates?format={fmt}")
    assert response.status_code == 400 and "csv, xlsx or sdmx-csv" in response.text
