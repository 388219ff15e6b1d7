"""The canonical tabulation CSV: harmonization at import, and bad input that leaves the database unchanged."""

from __future__ import annotations

import os

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from gmrd.cli import app
from gmrd.db import queries
from gmrd.db.engine import get_engine
from gmrd.errors import InputError
from gmrd.ingest.load import import_file

HEADER = "country,reference_date,source_type,concept,sex,age,origin,value,source_title,citation\n"
GOOD = HEADER + (
    "Ecuador,2010-11-28,census,foreign_born,Total,Total,Total,194398,Censo 2010,INEC 2011\n"
    "Ecuador,2010-11-28,census,foreign_born,Hombres,Total,Total,98000,Censo 2010,INEC 2011\n"
    "Ecuador,2010-11-28,census,foreign_born,Mujeres,Total,Total,96398,Censo 2010,INEC 2011\n"
    "Ecuador,2010-11-28,census,foreign_born,Total,0 - 4,Colombia,5120,Censo 2010,INEC 2011\n"
    "Ecuador,2010-11-28,census,foreign_born,Total,Under 5,Perú,1000,Censo 2010,INEC 2011\n"
    "Ecuador,2010-11-28,census,foreign_born,Total,75 and over,Total,3000,Censo 2010,INEC 2011\n"
)


def _write(tmp_path, name: str, content: bytes | str):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


def _snapshot(url: str) -> dict[str, int]:
    with get_engine(url).connect() as conn:
        return queries.counts(conn)


def test_good_file_is_harmonized(db_url, tmp_path):
    report = import_file(_write(tmp_path, "ecuador.csv", GOOD), url=db_url)
    assert (report.sources, report.tabulations, report.cells) == (1, 1, 6)
    with get_engine(db_url).connect() as conn:
        rows = conn.execute(sa.text(
            "select s.country_code, s.universe, c.sex, c.age_lo, c.age_hi, c.origin_code, c.value "
            "from cells c join tabulations t on t.id = c.tabulation_id join sources s on s.id = t.source_id "
            "order by c.id")).all()
    # Ecuador M49 218, Colombia 170, Peru 604; foreign-born universe 3
    assert rows[0] == (218, 3, 0, 0, None, 0, 194398.0)
    assert rows[1][2] == 1 and rows[2][2] == 2
    assert rows[3][3:6] == (0, 5, 170)
    assert rows[4][3:6] == (0, 5, 604)
    assert rows[5][3:5] == (75, None)


@pytest.mark.parametrize("encoding", ["utf-8-sig", "latin-1"])
def test_bom_and_latin1_files_read_correctly(db_url, tmp_path, encoding):
    path = _write(tmp_path, f"ecuador-{encoding}.csv", GOOD.encode(encoding))
    import_file(path, url=db_url)
    with get_engine(db_url).connect() as conn:
        labels = conn.scalars(sa.text("select origin_label from cells order by id")).all()
    assert "Perú" in labels


def _bad(line: str) -> str:
    return HEADER + line + "\n"


BAD = {
    "empty": (b"", ["empty file"]),
    "random_bytes": (os.urandom(4096).replace(b"\n", b"x") + b"\x00", ["not a recognised"]),
    "missing_column": ("country,reference_date,source_type,concept,sex,age,value\nEcuador,2010-11-28,census,"
                       "foreign_born,Total,Total,5\n", ["row 1", "'origin'", "missing column"]),
    "negative": (_bad("Ecuador,2010-11-28,census,foreign_born,Total,Total,Total,-5,T,C"),
                 ["row 2", "'value'", "negative"]),
    "non_numeric": (_bad("Ecuador,2010-11-28,census,foreign_born,Total,Total,Total,abc,T,C"),
                    ["row 2", "'value'", "not a number"]),
    "bad_date": (_bad("Ecuador,28.11.2010x,census,foreign_born,Total,Total,Total,5,T,C"),
                 ["row 2", "'reference_date'"]),
    "unknown_country": (_bad("Atlantis,2010-11-28,census,foreign_born,Total,Total,Total,5,T,C"),
                        ["row 2", "'country'"]),
    "bad_age": (_bad("Ecuador,2010-11-28,census,foreign_born,Total,old people,Total,5,T,C"),
                ["row 2", "'age'"]),
    "duplicate_cells": (HEADER + "Ecuador,2010-11-28,census,foreign_born,Total,0-4,Total,5,T,C\n"
                        "Ecuador,2010-11-28,census,foreign_born,Total,00-04,Total,6,T,C\n",
                        ["row 3", "duplicate cell", "row 2"]),
}


def _corrupt_xlsx() -> bytes:
    return b"PK\x03\x04" + os.urandom(2000)


def _merged_header_xlsx() -> bytes:
    import io

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    for row in (["Country: Ecuador"], ["Reference date: 2010-11-28"], ["Source type: census"],
                ["Concept: foreign-born"], ["Title: Censo 2010"], ["Sex", "Total", "0-4", "5-9"],
                ["Total", 100, 60, 40]):
        ws.append(row)
    ws.merge_cells("B6:C6")
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


BAD_XLSX = {
    "corrupt_xlsx": (_corrupt_xlsx, ["corrupt"]),
    "merged_header": (_merged_header_xlsx, ["merged", "B6"]),
}


@pytest.mark.parametrize("case", sorted(BAD_XLSX))
def test_bad_workbooks_are_refused_by_the_cli_and_change_nothing(db_url, tmp_path, case):
    import_file(_write(tmp_path, "first.csv", GOOD), url=db_url)
    before = _snapshot(db_url)
    make, fragments = BAD_XLSX[case]
    path = _write(tmp_path, f"{case}.xlsx", make())
    result = CliRunner().invoke(app, ["import", str(path)])
    assert result.exit_code == 1
    message = result.stderr.strip()
    assert len(message.splitlines()) == 1 and path.name in message, message
    for fragment in fragments:
        assert fragment.lower() in message.lower(), message
    assert _snapshot(db_url) == before


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_input_names_the_problem_and_changes_nothing(db_url, tmp_path, case):
    import_file(_write(tmp_path, "first.csv", GOOD), url=db_url)
    before = _snapshot(db_url)
    content, fragments = BAD[case]
    path = _write(tmp_path, f"{case}.csv", content)
    with pytest.raises(InputError) as info:
        import_file(path, url=db_url)
    message = str(info.value)
    assert path.name in message
    for fragment in fragments:
        assert fragment in message, message
    assert _snapshot(db_url) == before


def test_duplicate_of_an_earlier_file_is_refused(db_url, tmp_path):
    import_file(_write(tmp_path, "first.csv", GOOD), url=db_url)
    before = _snapshot(db_url)
    again = GOOD.splitlines()[0] + "\n" + GOOD.splitlines()[1].replace("194398", "194399") + "\n"
    with pytest.raises(InputError, match="earlier import"):
        import_file(_write(tmp_path, "second.csv", again), url=db_url)
    assert _snapshot(db_url) == before


def test_file_over_the_size_limit_is_refused(db_url, tmp_path, monkeypatch):
    monkeypatch.setenv("GMRD_MAX_FILE_BYTES", "100")
    with pytest.raises(InputError, match="over the limit"):
        import_file(_write(tmp_path, "big.csv", GOOD), url=db_url)
    assert _snapshot(db_url)["cells"] == 0


def test_cli_reports_errors_in_one_line_without_traceback(db_url, tmp_path):
    path = _write(tmp_path, "bad.csv", BAD["negative"][0])
    result = CliRunner().invoke(app, ["import", str(path)])
    assert result.exit_code == 1
    assert "bad.csv" in result.stderr and "row 2" in result.stderr
    assert "Traceback" not in result.output
