"""Issue 12, point 6: a normal wide census table imports in one try — all missing metadata reported at
once with examples for that file, written dates, sex and concept in headers, the title line kept."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from gmrd.errors import InputError
from gmrd.ingest import wide
from gmrd.ingest.written_dates import parse_date

GHANA = Path(__file__).resolve().parents[2] / "data" / "ghana_census_2010_foreign_born.csv"
TITLE = ("Table 12: Population born outside Ghana by country of birth and sex, 2010 Population and "
         "Housing Census")


def _read(path: Path) -> pd.DataFrame:
    assert wide.detect(path, path.read_bytes()[:65536])
    return pd.concat(list(wide.read(path)), ignore_index=True)


def _error(path: Path) -> str:
    with pytest.raises(InputError) as err:
        list(wide.read(path))
    return str(err.value)


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_hand_made_ghana_table_reads_in_one_try() -> None:
    frame = _read(GHANA)
    assert len(frame) == 21
    assert set(frame.country_code) == {288} and set(frame.universe) == {3}  # Ghana, foreign-born
    assert set(frame.reference_date) == {dt.date(2010, 9, 26)} and set(frame.date_precision) == {"day"}
    assert set(frame.source_title) == {TITLE}  # the title line, as there is no Title: line
    nigeria = frame[frame.origin_code == 566].set_index("sex")["value"]
    assert nigeria.to_dict() == {1: 42152.0, 2: 39917.0, 0: 82069.0}
    assert set(frame.sex_label) == {"Male foreign-born", "Female foreign-born", "Total"}


def test_all_missing_metadata_at_once_with_an_example_for_this_file(tmp_path: Path) -> None:
    lines = GHANA.read_text(encoding="utf-8").splitlines()
    bare = _write(tmp_path / "ghana.csv", "\n".join([lines[0], *lines[5:]]) + "\n")
    message = _error(bare)
    assert "missing metadata: country, reference date, source type." in message
    assert "Country: Ghana | Reference date: 2010-MM-DD | Source type: census" in message
    assert "Ecuador" not in message and "row 2" in message  # the header row
    neutral = _write(tmp_path / "table.csv", "Sex,0-4,Total\nMale,1,1\n")
    assert ("Country: <the country of the census> | Reference date: YYYY-MM-DD | Source type: census | "
            "register | survey | Concept: foreign-born | foreign citizens") in _error(neutral)
    # "in the" is not read as IN (India); "born" suggests the concept
    titled = _write(tmp_path / "table.csv", "Foreign-born persons by sex in the year of the census\n"
                                            "Sex,0-4,Total\nMale,1,1\n")
    assert ("Country: <the country of the census> | Reference date: YYYY-MM-DD | Source type: census | "
            "Concept: foreign-born") in _error(titled)


@pytest.mark.parametrize("written", ["26 September 2010", "September 26, 2010", "2010-09-26", "26 Sept. 2010",
                                     "26/09/2010", "26 de septiembre de 2010"])
def test_written_census_dates(tmp_path: Path, written: str) -> None:
    text = GHANA.read_text(encoding="utf-8").replace("26 September 2010", written)
    frame = _read(_write(tmp_path / "ghana.csv", text))
    assert set(frame.reference_date) == {dt.date(2010, 9, 26)}


def test_ambiguous_numeric_date_is_refused_clearly(tmp_path: Path) -> None:
    text = GHANA.read_text(encoding="utf-8").replace("26 September 2010", "03/04/2010")
    message = _error(_write(tmp_path / "ghana.csv", text))
    assert "row 3" in message and "field 'reference_date'" in message
    assert "ambiguous date '03/04/2010': it reads as day/month and as month/day" in message
    with pytest.raises(InputError, match="impossible date"):
        parse_date("31 September 2010")


def test_sex_and_concept_in_headers(tmp_path: Path) -> None:
    text = ("Foreign population of Ghana, 2010 census\nCountry: Ghana\nReference date: 2010-09-26\n"
            "Source type: census\nAge group,\"Foreign citizens, males\",\"Foreign citizens, females\","
            "Foreign citizens\n0-4,1,2,3\n5-9,4,5,9\n")
    frame = _read(_write(tmp_path / "citizens.csv", text))
    assert set(frame.universe) == {4}  # foreign citizens, from the headers
    assert frame.groupby("sex")["value"].sum().to_dict() == {0: 12.0, 1: 5.0, 2: 7.0}
    assert set(frame.source_title) == {"Foreign population of Ghana, 2010 census"}


def test_origins_beside_a_concept_total_stay_origins(tmp_path: Path) -> None:
    text = ("Country: Ghana\nReference date: 2010-09-26\nSource type: census\nConcept: foreign-born\n"
            "Sex,Nigeria,Togo,Total foreign-born\nMale,1,2,3\n")
    frame = _read(_write(tmp_path / "origins.csv", text))
    assert sorted(frame.origin_code) == [0, 566, 768] and set(frame.sex) == {1}
    rows_are_sexes = _write(tmp_path / "total.csv", text.replace("Nigeria,Togo,", "").replace("1,2,3", "3"))
    frame = _read(rows_are_sexes)
    assert frame[["sex", "origin_code", "value"]].values.tolist() == [[1, 0, 3.0]]
