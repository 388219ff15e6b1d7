"""The UN long format recognised by its column names in any order: a slice of the UN's own IMS 2020
file (header ``LocID,LocIDorg,sex,…``, codes written as floats, rows with only LocID at the end) and of
the empirical corpus (``LocID,sex,LocIDorg,…``, integer codes) read alike."""

from __future__ import annotations

import gzip
import warnings
from pathlib import Path

import pandas as pd
import pytest

from gmrd.errors import InputError, InputWarning
from gmrd.ingest import un_long
from gmrd.ingest.detect import detect_reader

IMS2020 = Path("un_ims") / "undesa_pd_long" / "ims2020_by_destination_origin_age_sex.csv.gz"


def _ims2020_slice(refdata: Path, out: Path, rows: int = 400, empty: int = 2) -> Path:
    """The file's header and first ``rows`` data lines, then ``empty`` of its trailing LocID-only lines."""
    with gzip.open(refdata / IMS2020, "rt", encoding="utf-8") as src:
        lines = src.read().splitlines()
    tail = [line for line in lines[-300:] if line.count(",") == len(line) - len(line.split(",")[0])]
    assert len(tail) >= empty and tail[-1].endswith(",,,,,,,,")
    with gzip.open(out, "wt", encoding="utf-8") as dst:
        dst.write("\n".join(lines[: rows + 1] + tail[-empty:]) + "\n")
    return out


def _read(path: Path) -> tuple[pd.DataFrame, list[str]]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", InputWarning)
        frame = pd.concat(list(un_long.read(path)))
    return frame, [str(w.message) for w in caught if issubclass(w.category, InputWarning)]


def test_ims2020_file_with_its_own_column_order_and_float_codes(refdata: Path, tmp_path: Path) -> None:
    path = _ims2020_slice(refdata, tmp_path / "ims2020.csv.gz")
    with gzip.open(path, "rt") as fh:
        assert fh.readline().startswith("LocID,LocIDorg,sex,yearref")  # the order of the UN's file
    assert detect_reader(path) is un_long
    frame, messages = _read(path)
    published = pd.read_csv(path).dropna(subset=["value"])
    assert len(frame) == len(published) == 400
    assert frame["country_code"].dtype == "int64" and frame["origin_code"].dtype == "int64"
    assert frame["country_code"].tolist() == published["LocID"].astype(int).tolist()
    assert frame["sex"].tolist() == published["sex"].astype(int).tolist()
    assert frame["value"].sum() == pytest.approx(published["value"].sum(), rel=1e-12)
    assert frame["row"].tolist() == list(range(2, 402))
    assert messages == ["ims2020.csv.gz: 2 row(s) with no data beside LocID skipped"]


def test_columns_in_any_order_read_alike(tmp_path: Path) -> None:
    rows = [[4, 0, 9999999, 1990.5, 0, 0, 2, "UNHCR", 50.0], [4, 1, 9999999, 1990.5, 0, 0, 2, "UNHCR", 20.0]]
    plain = pd.DataFrame(rows, columns=list(un_long.COLUMNS))
    shuffled = plain[["value", "source", "LocIDorg", "age", "LocID", "PopulationUniverse", "agelength",
                      "yearref", "sex"]].assign(extra="x")
    plain.to_csv(tmp_path / "a.csv", index=False)
    shuffled.astype({"LocID": float, "sex": float}).to_csv(tmp_path / "b.csv", index=False)
    assert detect_reader(tmp_path / "b.csv") is un_long
    a, b = _read(tmp_path / "a.csv")[0], _read(tmp_path / "b.csv")[0]
    pd.testing.assert_frame_equal(a.reset_index(drop=True), b.reset_index(drop=True))


@pytest.mark.parametrize(("cell", "message"), [("218.5", "row 3, field 'sex': code 218.5 is not a whole number"),
                                               ("", "row 3, field 'sex': missing code")])
def test_bad_codes_are_errors_naming_row_and_field(tmp_path: Path, cell: str, message: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("LocID,LocIDorg,sex,yearref,age,agelength,PopulationUniverse,source,value\n"
                    "218.0,0.0,0.0,1990.5,0.0,0.0,3.0,UNPD_2020,10.0\n"
                    f"218.0,0.0,{cell},1990.5,0.0,0.0,3.0,UNPD_2020,10.0\n")
    with pytest.raises(InputError, match=message):
        _read(path)
