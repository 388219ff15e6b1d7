"""The UN DESA IMS workbooks and age CSV, read as published; expected numbers are the published cells."""

from __future__ import annotations

import time
import warnings
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook

from gmrd.errors import InputError
from gmrd.ingest import un_workbook
from gmrd.ingest.excel import InputWarning, parse_count
from gmrd.ingest.records import COLUMNS

IMS2020 = "undesa_pd_2020_ims_stock_by_sex_and_destination.xlsx"
IMS2019 = "undesa_pd_2019_migrant_stock_total_dataset.xlsx"
IMS2015 = "UN_MigrantStockTotal_2015.xlsx"
AGE_CSV = "ims2020_age_sex_destination_wide.csv"


def _head(path: Path) -> bytes:
    with path.open("rb") as fh:
        return fh.read(65536)


def _read(path: Path, **kw: bool) -> tuple[pd.DataFrame, float]:
    start = time.perf_counter()
    frame = pd.concat(list(un_workbook.read_workbook(path, **kw)))
    return frame, time.perf_counter() - start


def _cell(frame: pd.DataFrame, code: int, year: int, sex: int) -> float:
    hit = frame[(frame.country_code == code) & (frame.reference_date == date(year, 7, 1)) & (frame.sex == sex)]
    assert len(hit) == 1
    return float(hit["value"].iloc[0])


@pytest.fixture(scope="module")
def ims(refdata: Path) -> Path:
    return refdata / "un_ims"


def test_detects_the_workbooks_and_age_csv_by_content(ims: Path) -> None:
    for name in (IMS2020, IMS2019, IMS2015, AGE_CSV):
        assert un_workbook.detect(ims / name, _head(ims / name)), name
    other = ims / "UN_MigrantStockByOriginAndDestination_2019_clean.csv"
    assert not un_workbook.detect(other, _head(other))


def test_ims2020_table1(ims: Path) -> None:
    frame, seconds = _read(ims / IMS2020)
    assert seconds < 10
    assert list(frame.columns) == list(COLUMNS)
    # 235 countries or areas (codes < 900); Taiwan Province of China, Saint Barthélemy and Saint Martin
    # (French part) are published as ".." in every year, so 232 have cells.
    assert frame.country_code.nunique() == 232
    assert frame.country_code.max() < 900
    # IMS 2020 Table 1, United States of America, 2020: 50 632 836 (males 24 478 996, females 26 153 840)
    assert _cell(frame, 840, 2020, 0) == 50_632_836
    assert _cell(frame, 840, 2020, 1) == 24_478_996
    assert _cell(frame, 840, 2020, 2) == 26_153_840
    # IMS 2020 Table 1, Germany 2020: 15 762 457
    assert _cell(frame, 276, 2020, 0) == 15_762_457
    # South Sudan 1990 is "..": no cell; its 2010 value 230 732 is read
    assert frame[(frame.country_code == 728) & (frame.reference_date == date(1990, 7, 1))].empty
    assert _cell(frame, 728, 2010, 0) == 230_732
    row = frame[frame.country_code == 218].iloc[0]
    assert row.source_title == "UN DESA International Migrant Stock 2020"
    assert row.citation.startswith("United Nations Department of Economic and Social Affairs")
    assert (row.source_type, row.universe, row.date_precision, row.origin_code, row.age_lo) == \
        ("estimate", 9, "day", 0, 0)
    assert pd.isna(row.age_hi)
    assert "type of data: B R" in row.note


def test_ims2020_world_total_kept_with_aggregates(ims: Path) -> None:
    frame, _ = _read(ims / IMS2020, aggregates=True)
    # IMS 2020 Table 1, WORLD (code 900): 280 598 105 in 2020, 152 986 157 in 1990
    assert _cell(frame, 900, 2020, 0) == 280_598_105
    assert _cell(frame, 900, 1990, 0) == 152_986_157
    countries = frame[(frame.country_code < 900) & (frame.reference_date == date(2020, 7, 1)) & (frame.sex == 0)]
    assert countries["value"].sum() == pytest.approx(280_598_105, rel=1e-9)


def test_ims2019_two_row_header(ims: Path) -> None:
    frame, seconds = _read(ims / IMS2019)
    assert seconds < 10
    assert frame.country_code.nunique() == 232
    assert frame.source_title.iloc[0] == "UN DESA International Migrant Stock 2019"
    # IMS 2019 Table 1, United States of America, 2019: 50 661 149 (24 488 382 males, 26 172 767 females)
    assert _cell(frame, 840, 2019, 0) == 50_661_149
    assert _cell(frame, 840, 2019, 1) == 24_488_382
    assert _cell(frame, 840, 2019, 2) == 26_172_767
    world, _ = _read(ims / IMS2019, aggregates=True)
    assert _cell(world, 900, 2019, 0) == 271_642_105  # IMS 2019 Table 1, WORLD 2019


def test_ims2015_revision(ims: Path) -> None:
    frame, seconds = _read(ims / IMS2015)
    assert seconds < 10
    assert frame.country_code.nunique() == 232
    assert "2015 revision" in frame.source_title.iloc[0]
    # Trends in International Migrant Stock: The 2015 Revision, Table 1, USA 2015: 46 627 102
    assert _cell(frame, 840, 2015, 0) == 46_627_102
    world, _ = _read(ims / IMS2015, aggregates=True)
    assert _cell(world, 900, 2015, 0) == 243_700_236  # WORLD 2015 in the same table


def test_read_skips_aggregates(ims: Path) -> None:
    frame = pd.concat(list(un_workbook.read(ims / IMS2020)))
    assert frame.country_code.max() < 900


def test_age_csv_gives_published_children_totals(ims: Path) -> None:
    frame = pd.concat(list(un_workbook.read(ims / AGE_CSV)))
    assert list(frame.columns) == list(COLUMNS)
    assert frame.country_code.nunique() == 235
    both = frame[(frame.sex == 0) & frame.age_hi.notna()]
    young = both[both.age_hi.astype(int) <= 20]
    totals = young.groupby("reference_date")["value"].sum()
    # UN DESA (IMS 2020 documentation): 29 million international migrants aged 0-19 in 1990 and
    # 40.9 million (14.6 per cent of all migrants) in 2020
    assert round(totals[date(1990, 7, 1)] / 1e6) == 29
    assert totals[date(2020, 7, 1)] / 1e6 == pytest.approx(40.9, abs=0.05)
    world, _ = _read(ims / IMS2020, aggregates=True)
    assert round(100 * totals[date(2020, 7, 1)] / _cell(world, 900, 2020, 0), 1) == 14.6
    open_group = frame[(frame.age_label == "75+")]
    assert (open_group.age_lo == 75).all() and open_group.age_hi.isna().all()
    assert frame.source_title.iloc[0] != "UN DESA International Migrant Stock 2020"  # its own source


def _table1_like(path: Path, cells: list[object]) -> Path:
    """A Table 1 in the IMS 2020 layout with the given cells for one country's 1990, 1995 both sexes."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Table of contents"
    t = wb.create_sheet("Table 1")
    t["E2"] = "International Migrant Stock 2020: Destination"
    t["E3"] = "Table 1: International migrant stock at mid-year by sex and by region, country or area of destination"
    t["E5"] = ("Suggested citation: United Nations Department of Economic and Social Affairs, Population "
               "Division (2020). International Migrant Stock 2020.")
    t["F8"] = "International migrant stock at mid-year, both sexes combined"
    t["H8"] = "International migrant stock at mid-year, males"
    t.append([])
    for col, label in zip("BCDEFGHI", ["Region, development group, country or area", "Notes", "Location code",
                                       "Type of data", 1990, 1995, 1990, 1995]):
        t[f"{col}11"] = label
    for col, value in zip("ABCDEFGHI", [1, "  Tuvalu", None, 798, "C", *cells]):
        t[f"{col}12"] = value
    wb.save(path)
    return path


def test_markers_in_a_built_workbook(tmp_path: Path) -> None:
    path = _table1_like(tmp_path / "t1.xlsx", ["..", "—", "~", 318])
    assert un_workbook.detect(path, _head(path))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        frame = pd.concat(list(un_workbook.read(path)))
    assert [(r.sex, r.reference_date.year, r.value) for r in frame.itertuples()] == [(0, 1995, 0.0), (1, 1995, 318.0)]
    assert any(issubclass(w.category, InputWarning) and "fewer than 5" in str(w.message) and "H12" in
               str(w.message) for w in caught)


def test_bad_cell_names_file_row_and_cell(tmp_path: Path) -> None:
    path = _table1_like(tmp_path / "t1.xlsx", ["12a", 1, 2, 3])
    with pytest.raises(InputError) as err:
        list(un_workbook.read(path))
    message = str(err.value)
    assert "t1.xlsx" in message and "row 12" in message and "F12" in message and "1990" in message


def test_corrupt_workbook(tmp_path: Path) -> None:
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    assert not un_workbook.detect(path, _head(path))
    with pytest.raises(InputError, match="broken.xlsx"):
        list(un_workbook.read(path))


def test_parse_count_markers() -> None:
    where = {"file": "f.csv", "row": 3, "field": "x"}
    assert parse_count("..", **where) is None
    assert parse_count("—", **where) == 0.0
    assert parse_count("1,234", **where) == 1234.0
    assert parse_count("1.234.567", **where) == 1234567.0
    assert parse_count("1 234", **where) == 1234.0
    assert parse_count("12,5", **where) == 12.5
    assert parse_count("1.234,5", **where) == 1234.5
    with pytest.raises(InputError, match="negative"):
        parse_count("-5", **where)
    with pytest.raises(InputError, match="not a number"):
        parse_count("abc", **where)
