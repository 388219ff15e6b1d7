"""Size limits: oversized files, gzip and zip (XLSX) decompression bombs are refused before parsing."""

from __future__ import annotations

import gzip
import random
import zipfile
from pathlib import Path

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from gmrd.cli import app
from gmrd.db.engine import get_engine
from gmrd.errors import InputError
from gmrd.ingest import limits
from gmrd.ingest.load import import_file

LONG_HEADER = b"LocID,sex,LocIDorg,yearref,age,agelength,PopulationUniverse,source,value\n"
CANONICAL = ("country,reference_date,source_type,concept,sex,age,origin,value\n"
             "Ecuador,2010-11-28,census,foreign_born,both,total,Colombia,89931\n")


def _long_rows(n: int, seed: int = 1) -> bytes:
    rng = random.Random(seed)
    return b"".join(
        f"{rng.choice((218, 4, 76))},{rng.randint(0, 2)},{rng.randint(1, 900)},2010.5,{5 * rng.randint(0, 15)},5,3,"
        f"CEN_2010,{rng.randint(0, 99999)}\n".encode() for _ in range(n))


def _repetitive_rows(n: int, seed: int = 7) -> bytes:
    """Rows that compress 20-30 times: more than EXPANSION_FACTOR, less than MAX_RATIO."""
    rng = random.Random(seed)
    return b"".join(f"218,{rng.randint(0, 2)},{rng.choice((4, 76, 170))},2010.5,{5 * rng.randint(0, 15)},5,3,"
                    f"Censo de Poblacion y Vivienda 2010 (INEC),{rng.randint(0, 4)}\n".encode() for _ in range(n))


def _gzip_bomb(path: Path, megabytes: int) -> Path:
    """A valid UN long-format header, then megabytes of zeros: a few kB on disk."""
    with gzip.open(path, "wb", compresslevel=9) as fh:
        fh.write(LONG_HEADER)
        block = b"0" * (1 << 20)
        for _ in range(megabytes):
            fh.write(block)
    return path


def _cells(url: str) -> int:
    with get_engine(url).connect() as conn:
        return int(conn.scalar(sa.text("select count(*) from cells")))


def test_gzip_bomb_is_refused_before_parsing(tmp_path, db_url):
    bomb = _gzip_bomb(tmp_path / "bomb.csv.gz", 16)
    assert bomb.stat().st_size < 200_000
    with pytest.raises(InputError, match="decompression bomb") as info:
        import_file(bomb, url=db_url)
    assert "bomb.csv.gz" in str(info.value)
    assert _cells(db_url) == 0


def test_gzip_over_the_expansion_limit_is_refused(tmp_path, monkeypatch):
    # ordinary data (ratio well under 100), but more than GMRD_MAX_FILE_BYTES × 16 once decompressed
    path = tmp_path / "big.csv.gz"
    path.write_bytes(gzip.compress(LONG_HEADER + _repetitive_rows(40_000)))
    expanded = len(gzip.decompress(path.read_bytes()))
    assert limits.EXPANSION_FACTOR < expanded / path.stat().st_size < limits.MAX_RATIO
    monkeypatch.setenv("GMRD_MAX_FILE_BYTES", str(path.stat().st_size + 1))
    assert expanded > limits.max_expanded_bytes()
    with pytest.raises(InputError, match=r"GMRD_MAX_FILE_BYTES × 16"):
        limits.check_input(path)
    monkeypatch.setenv("GMRD_MAX_FILE_BYTES", str(expanded // limits.EXPANSION_FACTOR + 1))
    assert limits.check_gzip(path) == expanded


def test_multi_member_gzip_counts_every_member(tmp_path, monkeypatch):
    path = tmp_path / "multi.csv.gz"
    part = gzip.compress(_long_rows(5_000))
    path.write_bytes(gzip.compress(LONG_HEADER) + part * 3)
    assert limits.check_gzip(path) == len(LONG_HEADER) + 3 * len(gzip.decompress(part))


def test_corrupt_gzip_is_an_input_error(tmp_path):
    path = tmp_path / "broken.csv.gz"
    good = gzip.compress(LONG_HEADER + _long_rows(2_000))
    path.write_bytes(good[:40] + bytes(b ^ 0x5A for b in good[40:200]) + good[200:])
    with pytest.raises(InputError, match="broken.csv.gz"):
        limits.check_gzip(path)


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def test_xlsx_zip_bomb_is_refused_before_opening(tmp_path, db_url):
    sheet = b"<row>" + b"<c><v>0</v></c>" * (4 << 20) + b"</row>"
    bomb = _zip(tmp_path / "bomb.xlsx", {"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>",
                                         "xl/worksheets/sheet1.xml": sheet})
    with pytest.raises(InputError, match=r"sheet1.xml.*decompression bomb"):
        limits.check_zip(bomb)
    with pytest.raises(InputError, match="decompression bomb"):
        import_file(bomb, url=db_url)
    assert _cells(db_url) == 0


def test_zip_over_the_expansion_limit_is_refused(tmp_path, monkeypatch):
    path = _zip(tmp_path / "big.xlsx", {f"xl/worksheets/sheet{i}.xml": _repetitive_rows(10_000, seed=i)
                                          for i in range(4)})
    declared = sum(i.file_size for i in zipfile.ZipFile(path).infolist())
    monkeypatch.setenv("GMRD_MAX_FILE_BYTES", str(path.stat().st_size + 1))
    assert declared > limits.max_expanded_bytes()
    with pytest.raises(InputError, match=r"GMRD_MAX_FILE_BYTES × 16"):
        limits.check_input(path)


def test_zip_with_too_many_members_is_refused(tmp_path):
    path = _zip(tmp_path / "many.xlsx", {f"x/{i}": b"" for i in range(limits.MAX_MEMBERS + 1)})
    with pytest.raises(InputError, match="members"):
        limits.check_zip(path)


def test_not_a_zip_is_an_input_error(tmp_path):
    path = tmp_path / "fake.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    with pytest.raises(InputError, match="fake.xlsx"):
        limits.check_zip(path)


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_files_over_the_size_limit_are_refused_by_the_cli(tmp_path, db_url, monkeypatch, kind):
    path = tmp_path / f"huge.{kind}"
    if kind == "csv":
        path.write_text(CANONICAL)
    else:
        _zip(path, {"xl/workbook.xml": _long_rows(500)})
    monkeypatch.setenv("GMRD_MAX_FILE_BYTES", str(path.stat().st_size - 1))
    result = CliRunner().invoke(app, ["import", str(path)])
    assert result.exit_code == 1
    assert f"huge.{kind}: file is {path.stat().st_size:,} bytes, over the limit" in result.stderr
    assert "Traceback" not in result.output
    assert _cells(db_url) == 0


def test_cli_reports_a_bomb_in_one_line(tmp_path, db_url):
    bomb = _gzip_bomb(tmp_path / "bomb.csv.gz", 8)
    result = CliRunner().invoke(app, ["import", str(bomb)])
    assert result.exit_code == 1
    assert result.stderr.strip().startswith("error: bomb.csv.gz: expands more than 100 times")
    assert "Traceback" not in result.output


def test_published_files_pass_the_guards(refdata):
    # SOURCES.md (un_ims): the IMS workbooks and a long-format file of the UN Population Division
    for name in ("UN_MigrantStockTotal_2015.xlsx", "undesa_pd_2019_migrant_stock_total_dataset.xlsx",
                 "undesa_pd_2020_ims_stock_by_sex_and_destination.xlsx"):
        assert limits.check_input(refdata / "un_ims" / name) > 0
    path = refdata / "un_ims/undesa_pd_long/ims2024_by_destination_origin_age_sex.csv.gz"
    assert limits.check_gzip(path) == len(gzip.decompress(path.read_bytes()))
