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
#: account pages are not statistics: CSV and XLSX only (issue 12, point 9)
NO_SDMX = ("/admin/users", "/admin/tokens", "/admin/audit")


def _csv(response) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))


def test_every_view_downloads_in_its_formats(client, web_db):
    ids = web_db[1]
    login(client, "ada")
    for view in VIEWS:
        path = view.format(**ids)
        joiner = "&" if "?" in path else "?"
        for fmt in ("csv", "xlsx") if path in NO_SDMX else ("csv", "xlsx", "sdmx-csv"):
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
    """The page downloads have the export's columns: whole persons, flags ;-separated (issue 11 point 5)."""
    login(client, "ana")
    rows = _csv(client.get("/estimates?area=218&age=0-17&age=total&sex=both&year=2020&format=csv"))
    assert list(rows[0]) == ["revision", "area_code", "area_name", "origin_code", "origin_name", "year",
                             "sex", "age", "value", "lower", "upper", "flags"]
    assert [(r["area_name"], r["year"], r["sex"], r["age"]) for r in rows] == [
        ("Ecuador", "2020", "both", "0-17"), ("Ecuador", "2020", "both", "total")]
    assert all(r[c].isdigit() for r in rows for c in ("value", "lower", "upper")), rows
    total = int(rows[1]["value"])
    assert int(rows[1]["lower"]) < total < int(rows[1]["upper"]) and int(rows[0]["value"]) < total
    assert {r["flags"] for r in rows} == {"foreign_born;refugees_added;extrapolated"}
    sdmx = _csv(client.get("/estimates?area=218&age=0-17&sex=female&year=2020&format=sdmx-csv"))
    assert sdmx == [{"DATAFLOW": "GMRD:DF_MIGRANT_STOCK(1.0)", "REF_AREA": "218", "TIME_PERIOD": "2020",
                     "SEX": "F", "AGE": "Y0T17", "OBS_VALUE": sdmx[0]["OBS_VALUE"],
                     "LOWER_BOUND": sdmx[0]["LOWER_BOUND"], "UPPER_BOUND": sdmx[0]["UPPER_BOUND"],
                     "OBS_STATUS": "E", "FLAGS": "foreign_born;refugees_added;extrapolated",
                     "REVISION": "2025-test"}]
    assert all(sdmx[0][c].isdigit() for c in ("OBS_VALUE", "LOWER_BOUND", "UPPER_BOUND"))


@pytest.mark.parametrize("view", ["/?", "/countries/170?", "/estimates?area=170&area=900&",
                                  "/countries/900?"])
def test_every_estimates_download_carries_flags_and_whole_persons(client, view):
    """Home, country profiles and the explorer: CSV with flags and integers, SDMX-CSV with OBS_STATUS
    (I for imputed Colombia), FLAGS and three-digit REF_AREA."""
    login(client, "ana")
    rows = _csv(client.get(f"{view}format=csv"))
    assert rows and all(r["value"].isdigit() and r["lower"].isdigit() and r["upper"].isdigit() for r in rows)
    flags = {r["area_code"]: r["flags"] for r in rows}
    assert flags.get("900", "") == "" and flags.get("170", "imputed;age_imputed;sex_imputed") == \
        "imputed;age_imputed;sex_imputed"
    sdmx = _csv(client.get(f"{view}format=sdmx-csv"))
    assert all(len(r["REF_AREA"]) >= 3 and r["OBS_VALUE"].isdigit() for r in sdmx)
    status = {(r["REF_AREA"], r["OBS_STATUS"], r["FLAGS"]) for r in sdmx}
    assert status <= {("170", "I", "imputed;age_imputed;sex_imputed")} | {
        (area, "E", "") for area in ("900", "903", "935", "908", "904", "905", "909")}


def test_revision_comparison_download_has_both_flags(client):
    login(client, "ana")
    rows = _csv(client.get("/revisions?a=2024-test&b=2025-test&area=170&area=218&age=total&year=2020"
                           "&format=csv"))
    assert [(r["area_code"], r["flags_a"], r["flags_b"]) for r in rows] == [
        ("170", "imputed;age_imputed;sex_imputed", "imputed;age_imputed;sex_imputed"),
        ("218", "foreign_born;refugees_added;extrapolated", "foreign_born;refugees_added;extrapolated")]
    assert all(r[c].isdigit() for r in rows for c in ("value_a", "value_b", "lower_b", "upper_b"))


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
