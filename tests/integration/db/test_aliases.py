"""Country aliases users add (issue 12, point 5): CLI, database, audit, and their use by every import."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from gmrd.cli import app
from gmrd.db import aliases
from gmrd.db.engine import get_engine
from gmrd.errors import UnknownCountry
from gmrd.export.tabulations import export_tabulations
from gmrd.ingest.load import import_file
from gmrd.reference.country_names import resolve_country, resolve_origin, use_user_aliases

HEADER = "country,reference_date,source_type,concept,sex,age,origin,value,source_title\n"
RFT = "un_ims/undesa_pd_long/rftLocation.csv"


@pytest.fixture(autouse=True)
def _no_aliases_left_behind():
    """The resolver is process-wide: leave it without user aliases for the other tests."""
    use_user_aliases(())
    yield
    use_user_aliases(())


def _cli(*args: str):
    return CliRunner().invoke(app, list(args))


def _table(tmp_path: Path, name: str, rows: list[str]) -> Path:
    path = tmp_path / name
    path.write_text(HEADER + "".join(r + "\n" for r in rows), encoding="utf-8")
    return path


def test_add_list_audit_and_use_by_import(db_url, tmp_path):
    head = "Ghana,2010-09-26,census,foreign_born,Total,Total"
    table = _table(tmp_path, "ghana.csv", [f"{head},Total,100", f"{head},Haute Volta,60",
                                           f"{head},Other in Asia,40"])
    with pytest.raises(UnknownCountry, match="Haute Volta"):
        import_file(table, url=db_url)
    assert _cli("aliases", "add", "Haute Volta", "854", "--reason", "Burkina Faso before 1984").exit_code == 0
    added = _cli("aliases", "add", "Other in Asia", "1000003", "--reason", "UN grouping", "--json")
    assert added.exit_code == 0, added.output
    assert json.loads(added.stdout)["codes_outside_countries_table"] == {"1000003": "Other in Asia"}
    missing_reason = _cli("aliases", "add", "Alto Volta", "854")
    assert missing_reason.exit_code == 1 and "reason is required" in missing_reason.stderr
    clash = _cli("aliases", "add", "Haute Volta", "288", "--reason", "typo")
    assert clash.exit_code == 1 and "already stands for code 854" in clash.stderr

    listed = json.loads(_cli("aliases", "list", "--json").stdout)["aliases"]
    assert [(a["label"], a["code"], a["name"]) for a in listed] == [
        ("Haute Volta", 854, "Burkina Faso"), ("Other in Asia", 1000003, "Other in Asia")]
    assert "1000003" in _cli("aliases", "list").stdout
    with get_engine(db_url).connect() as conn:
        events = conn.execute(sa.text("select action, object_type, reason from audit_events "
                                      "where action = 'alias_add' order by id")).all()
    assert events == [("alias_add", "country_alias", "Burkina Faso before 1984"),
                      ("alias_add", "country_alias", "UN grouping")]

    report = import_file(table, url=db_url)
    assert report.cells == 3
    with get_engine(db_url).connect() as conn:
        origins = conn.execute(sa.text("select origin_code from cells order by id")).scalars().all()
        out = tmp_path / "tabs.csv"
        export_tabulations(conn, out, "csv")
    assert origins == [0, 854, 1000003]
    assert pd.read_csv(out)["origin"].tolist() == ["total", "Burkina Faso", "Other in Asia"]
    # a grouping code is for origins: as a destination it is an error, not a new country
    with pytest.raises(UnknownCountry, match="origins only"):
        resolve_country("Other in Asia")


def test_validity_dates_against_the_reference_date(db_url, tmp_path):
    result = _cli("aliases", "add", "Gold Coast colony", "288", "--valid-to", "1957-03-05",
                  "--reason", "colony")
    assert result.exit_code == 0, result.output
    with get_engine(db_url).connect() as conn:
        use_user_aliases(aliases.load(conn))
    assert resolve_origin("Gold Coast colony", dt.date(1948, 2, 1)) == 288
    with pytest.raises(UnknownCountry):
        resolve_origin("Gold Coast colony", dt.date(2010, 9, 26))
    with pytest.raises(UnknownCountry):
        resolve_origin("Gold Coast colony")  # no reference date: only undated aliases apply


def test_import_is_one_transaction_and_names_row_and_field(db_url, tmp_path):
    bad = tmp_path / "aliases.csv"
    bad.write_text("label,code,valid_from,valid_to\nHaute Volta,854,,1984-08-03\nAlto Volta,abc,,\n",
                   encoding="utf-8")
    result = _cli("aliases", "import", str(bad))
    assert result.exit_code == 1
    assert result.stderr.strip() == "error: aliases.csv, row 3, field 'code': code 'abc' is not a number"
    bad.write_text("label,code,valid_from,valid_to\nHaute Volta,854,1990-01-01,1984-08-03\n",
                   encoding="utf-8")
    assert "row 2, field 'valid_to'" in _cli("aliases", "import", str(bad)).stderr
    bad.write_text("label,code\nHaute Volta,854\nAlto Volta,854\nHaute  Volta,288\n", encoding="utf-8")
    assert "row 4, field 'code': 'Haute Volta' already stands for code 854 (row 2)" in _cli(
        "aliases", "import", str(bad)).stderr
    assert json.loads(_cli("aliases", "list", "--json").stdout)["aliases"] == []
    good = tmp_path / "good.csv"
    good.write_text("label,code,valid_from,valid_to\nHaute Volta,854,,3 August 1984\nAlto Volta,854,,\n",
                    encoding="utf-8")
    first = json.loads(_cli("aliases", "import", str(good), "--json").stdout)
    again = json.loads(_cli("aliases", "import", str(good), "--json").stdout)
    assert (first["added"], again["added"], again["unchanged"]) == (2, 0, 2)


def test_rftlocation_resolves_completely_after_import(db_url, refdata):
    """The UN's name list, imported as it is (LongName, LocID): every row then resolves to its code,
    the internal groupings (codes of 1,000,000 and more) included."""
    path = refdata / RFT
    result = _cli("aliases", "import", str(path), "--json")
    assert result.exit_code == 0, result.output
    names = pd.read_csv(path)
    counts = json.loads(result.stdout)
    assert counts["added"] + counts["unchanged"] == len(names) == 1789  # 3 differ only in spacing
    with get_engine(db_url).connect() as conn:
        use_user_aliases(aliases.load(conn))
    got = [resolve_origin(label) for label in names["LongName"]]
    wrong = names[pd.Series(got) != names["LocID"].astype(int)]
    assert wrong.empty, wrong.head()
    assert (names["LocID"] >= 1_000_000).sum() == 467
