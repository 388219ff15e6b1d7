"""The wide official-table reader on small files built here: encodings, delimiters, XLSX, bad input."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook

from gmrd.errors import InputError
from gmrd.ingest import wide
from gmrd.ingest.records import COLUMNS, ORIGIN_OTHER, ORIGIN_TOTAL

META = ["Country: Ecuador", "Reference date: 2010-11-28", "Source type: census", "Concept: foreign-born",
        "Title: Censo de Población y Vivienda 2010", "Citation: INEC, Quito, 2011"]
AGES = ["0-4", "5-9", "10-14", "15+", "Total"]
ROWS = [["Male", "10", "20", "30", "40", "100"], ["Female", "1", "2", "3", "4", "10"]]


def _csv(path: Path, lines: list[list[str]], *, delimiter: str = ",", encoding: str = "utf-8") -> Path:
    text = "\n".join(delimiter.join(f'"{c}"' if delimiter in c else c for c in line) for line in lines)
    path.write_bytes((text + "\n").encode(encoding))
    return path


def _standard(path: Path, **kw: str) -> Path:
    return _csv(path, [[m] for m in META] + [[]] + [["Sex", *AGES], *ROWS], **kw)


def _read(path: Path) -> pd.DataFrame:
    head = path.read_bytes()[:65536]
    assert wide.detect(path, head)
    return pd.concat(list(wide.read(path)), ignore_index=True)


def _error(path: Path) -> str:
    with pytest.raises(InputError) as err:
        list(wide.read(path))
    return str(err.value)


def _check_standard(frame: pd.DataFrame) -> None:
    assert list(frame.columns) == list(COLUMNS)
    assert len(frame) == 10
    assert set(frame.country_code) == {218}
    assert set(frame.reference_date) == {dt.date(2010, 11, 28)}
    assert set(frame.date_precision) == {"day"}
    assert set(frame.universe) == {3}  # foreign-born
    assert set(frame.source_title) == {"Censo de Población y Vivienda 2010"}
    assert set(frame.origin_code) == {ORIGIN_TOTAL}
    male = frame[frame.sex == 1].set_index("age_label")
    assert male.loc["5-9", "value"] == 20 and male.loc["5-9", "age_lo"] == 5 and male.loc["5-9", "age_hi"] == 10
    assert male.loc["15+", "age_lo"] == 15 and pd.isna(male.loc["15+", "age_hi"])
    assert male.loc["Total", "age_lo"] == 0 and pd.isna(male.loc["Total", "age_hi"])
    assert frame[frame.sex == 2]["value"].sum() == 20


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "latin-1", "utf-16"])
@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_csv_encodings_and_delimiters(tmp_path: Path, encoding: str, delimiter: str) -> None:
    frame = _read(_standard(tmp_path / "t.csv", encoding=encoding, delimiter=delimiter))
    _check_standard(frame)
    assert frame.row.tolist()[:5] == [9, 9, 9, 9, 9]  # spreadsheet row of the Male line


def test_latin1_country_name_and_dotted_thousands(tmp_path: Path) -> None:
    lines = [["Country: Côte d'Ivoire"], ["Reference date: 2014-05-15"], ["Source type: census"],
             ["Concept: foreign citizens"], ["Sex", "Under 5", "75 and over", "Total"],
             ["Both sexes", "1.234.567", "2.000", "1.236.567"]]
    frame = _read(_csv(tmp_path / "civ.csv", lines, delimiter=";", encoding="cp1252"))
    assert set(frame.country_code) == {384} and set(frame.universe) == {4}
    assert frame.set_index("age_label").loc["Under 5", "value"] == 1_234_567
    assert frame.set_index("age_label").loc["75 and over", "age_lo"] == 75


def test_quoted_comma_thousands_and_unit(tmp_path: Path) -> None:
    lines = [[m] for m in META[:4]] + [["Unit: thousands"], ["Sex", "0-4", "Total"], ["Male", "1,500", "1,500"]]
    frame = _read(_csv(tmp_path / "t.csv", lines))
    assert frame["value"].tolist() == [1_500_000.0, 1_500_000.0]


def test_ages_down_sexes_across_and_block_labels(tmp_path: Path) -> None:
    lines = [[m] for m in META[:4]] + [["Age group", "Both sexes", "Male", "Female"],
                                       ["0-14", "30", "10", "20"], ["Total", "30", "10", "20"]]
    frame = _read(_csv(tmp_path / "t.csv", lines))
    assert sorted(frame.sex.unique()) == [0, 1, 2]
    assert frame[(frame.sex == 2) & (frame.age_label == "0-14")]["value"].item() == 20


def test_origins_across_with_sex_blocks_forward_filled(tmp_path: Path) -> None:
    lines = [[m] for m in META[:4]] + [["Sex", "Age", "Colombia", "Peru", "Other countries", "Total"],
                                       ["Male", "0-14", "5", "1", "1", "7"], ["", "15+", "50", "10", "5", "65"],
                                       ["Female", "0-14", "4", "1", "0", "5"]]
    frame = _read(_csv(tmp_path / "t.csv", lines))
    assert set(frame.origin_code) == {170, 604, ORIGIN_OTHER, ORIGIN_TOTAL}
    second = frame[frame.row == lines.index(["", "15+", "50", "10", "5", "65"]) + 1]
    assert set(second.sex) == {1} and set(second.age_lo) == {15}


def test_metadata_as_columns(tmp_path: Path) -> None:
    lines = [["country", "reference_date", "source_type", "concept", "sex", "0-4", "Total"],
             ["Kenya", "2009-08-24", "census", "foreign_born", "male", "10", "10"],
             ["Uganda", "2014-08-27", "census", "foreign_born", "male", "20", "20"]]
    frame = _read(_csv(tmp_path / "t.csv", lines))
    assert frame.groupby("country_code")["reference_date"].first().to_dict() == {
        404: dt.date(2009, 8, 24), 800: dt.date(2014, 8, 27)}


def test_year_only_date_is_flagged(tmp_path: Path) -> None:
    lines = [["Country: Nepal"], ["Reference date: 2011"], ["Source type: census"], ["Concept: foreign-born"],
             ["Sex", "Total"], ["Male", "5"]]
    frame = _read(_csv(tmp_path / "t.csv", lines))
    assert frame.reference_date.item() == dt.date(2011, 7, 1) and frame.date_precision.item() == "year"


def test_notes_below_the_table(tmp_path: Path) -> None:
    lines = [[m] for m in META[:4]] + [["Sex", "Total"], ["Male", "5"], [], ["Note: excludes refugees"]]
    assert _read(_csv(tmp_path / "t.csv", lines)).note.item() == "Note: excludes refugees"


def _xlsx(path: Path, *, merge: str | None = None, title_merge: bool = False) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "Cuadro 3"
    ws.append(["Foreign-born population by sex and age"])
    if title_merge:
        ws.merge_cells("A1:F1")
    ws.append(["Country:", "Ecuador"])
    ws.append(["Reference date:", dt.datetime(2010, 11, 28)])
    ws.append(["Source type:", "census"])
    ws.append(["Concept:", "foreign-born"])
    ws.append(["Sex", *AGES])
    for row in ROWS:
        ws.append([row[0], *[int(v) for v in row[1:]]])
    if merge:
        ws.merge_cells(merge)
    notes = wb.create_sheet("Notes")
    notes.append(["Source: INEC"])
    wb.save(path)
    return path


def test_xlsx_with_two_cell_metadata_and_date_cell(tmp_path: Path) -> None:
    frame = _read(_xlsx(tmp_path / "t.xlsx", title_merge=True))
    assert len(frame) == 10 and set(frame.country_code) == {218}
    assert set(frame.reference_date) == {dt.date(2010, 11, 28)}
    assert frame.row.min() == 7  # the Male row in the sheet


def test_merged_header_is_an_error(tmp_path: Path) -> None:
    message = _error(_xlsx(tmp_path / "m.xlsx", merge="B6:C6"))
    assert "m.xlsx" in message and "Cuadro 3" in message and "B6:C6" in message and "row 6" in message
    assert "unmerge" in message


def test_corrupt_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "bad.xlsx"
    path.write_bytes(b"PK\x03\x04 this is not a zip")
    assert wide.detect(path, path.read_bytes())
    assert "bad.xlsx" in _error(path) and "corrupt" in _error(path)


def _bad(tmp_path: Path, replace: dict[str, str] | None = None, *, drop: str | None = None,
         rows: list[list[str]] | None = None) -> Path:
    meta = [m for m in META if not (drop and m.startswith(drop))]
    meta = [(replace or {}).get(m.split(":")[0], m) for m in meta]
    return _csv(tmp_path / "bad.csv", [[m] for m in meta] + [["Sex", *AGES], *(rows or ROWS)])


@pytest.mark.parametrize(("case", "row", "field", "words"), [
    ({"drop": "Reference date"}, 6, "reference_date", "missing metadata"),
    ({"replace": {"Country": "Country: Atlantis"}}, 1, "country", "Atlantis"),
    ({"replace": {"Reference date": "Reference date: 2010-13-45"}}, 2, "reference_date", "2010-13-45"),
    ({"replace": {"Source type": "Source type: rumour"}}, 3, "source_type", "rumour"),
    ({"rows": [["Mle", "1", "2", "3", "4", "10"]]}, 8, "sex", "Mle"),
    ({"rows": [["Male", "1", "-2", "3", "4", "10"]]}, 8, "5-9", "negative"),
    ({"rows": [["Male", "1", "two", "3", "4", "10"]]}, 8, "5-9", "two"),
])
def test_bad_input_names_file_row_and_field(tmp_path: Path, case: dict, row: int, field: str,
                                             words: str) -> None:
    message = _error(_bad(tmp_path, case.get("replace"), drop=case.get("drop"), rows=case.get("rows")))
    assert "bad.csv" in message and f"row {row}" in message and f"'{field}'" in message and words in message


def test_bad_age_label_in_header_names_the_cell(tmp_path: Path) -> None:
    path = _csv(tmp_path / "bad_header.csv", [[m] for m in META[:4]] + [["Sex", "0-4", "5 bis 9"], ["Male", "1", "2"]])
    message = _error(path)
    assert "bad_header.csv" in message and "row 5" in message and "field '5 bis 9'" in message


def test_missing_row_label_and_headerless_column(tmp_path: Path) -> None:
    no_label = _csv(tmp_path / "a.csv", [[m] for m in META[:4]] + [["Sex", "Total"], ["", "5"]])
    assert "row 6" in _error(no_label) and "missing sex label" in _error(no_label)
    stray = _csv(tmp_path / "b.csv", [[m] for m in META[:4]] + [["Sex", "Total", ""], ["Male", "5", "7"]])
    assert "row 6" in _error(stray) and "C6" in _error(stray)


def test_no_table_found(tmp_path: Path) -> None:
    path = _csv(tmp_path / "x.csv", [["just", "numbers"], ["1", "2"]])
    assert not wide.detect(path, path.read_bytes())
    assert "no table found" in _error(path)


def test_does_not_claim_long_formats(tmp_path: Path) -> None:
    canonical = _csv(tmp_path / "c.csv", [["country", "reference_date", "source_type", "concept", "sex", "age",
                                           "origin", "value"], ["Ecuador", "2010-11-28", "census",
                                                                "foreign_born", "male", "0-4", "total", "5"]])
    un_long = _csv(tmp_path / "l.csv", [["LocID", "sex", "LocIDorg", "yearref", "age", "agelength",
                                         "PopulationUniverse", "source", "value"]])
    ims_age = _csv(tmp_path / "i.csv", [["LocID", "ISO3", "country", "year", "sex", "total", "0-4"]])
    for path in (canonical, un_long, ims_age):
        assert not wide.detect(path, path.read_bytes()), path.name
