"""Import: labelled .sav/.dta files, MICS-style linking with orphan checks, value labels against the
questionnaire, ODK Central and Kobo exports, the analysis configuration."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pandas as pd
import pyreadstat
import pytest

from gmrd.errors import InputError
from gmrd.survey.load import Keys, LabelledTable, link_tables, load_survey, read_table
from gmrd.survey.load_config import parse_config
from gmrd.survey.load_labels import check_value_labels
from gmrd.survey.load_odk import odk_survey, plain_name


def _hh() -> pd.DataFrame:
    return pd.DataFrame({"HH1": [1, 1, 2], "HH2": [1, 2, 1], "hhweight": [10.0, 10.0, 20.0], "MA1": [1, 2, 2]})


def _hl() -> pd.DataFrame:
    return pd.DataFrame({"HH1": [1, 1, 1, 2], "HH2": [1, 1, 2, 1], "HL1": [1, 2, 1, 1], "HL4": [2, 1, 1, 2],
                         "HL6": [30, 5, 40, 12]})


def test_sav_and_dta_keep_value_labels(tmp_path: Path) -> None:
    labels = {"HL4": {1: "Male", 2: "Female"}}
    pyreadstat.write_sav(_hl().astype(float), str(tmp_path / "hl.sav"), variable_value_labels=labels)
    pyreadstat.write_dta(_hl(), str(tmp_path / "hl.dta"), variable_value_labels=labels)
    for name in ("hl.sav", "hl.dta"):
        table = read_table(tmp_path / name)
        assert table.frame["HL6"].tolist() == [30, 5, 40, 12]
        assert {float(k): v for k, v in table.value_labels["HL4"].items()} == {1.0: "Male", 2.0: "Female"}


def test_unsupported_and_missing_files_name_the_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"x\.txt.*unsupported"):
        read_table(tmp_path / "x.txt")
    with pytest.raises(InputError, match="file not found"):
        read_table(tmp_path / "none.sav")


def test_link_finds_orphan_members_and_children() -> None:
    members = _hl()
    members.loc[3, "HH2"] = 9  # household (2, 9) was not interviewed
    with pytest.raises(InputError, match=r"hl\.csv, row 4, field 'HH2': 1 row\(s\) with no matching household"):
        link_tables(LabelledTable(_hh(), "hh.csv"), LabelledTable(members, "hl.csv"))
    data = link_tables(LabelledTable(_hh(), "hh.csv"), LabelledTable(members, "hl.csv"), orphans="drop")
    assert len(data.members) == 3 and "left out" in data.warnings[0]
    children = pd.DataFrame({"HH1": [1, 1], "HH2": [1, 1], "LN": [2, 7]})  # line 7 is not in the roster
    with pytest.raises(InputError, match=r"ch\.csv, row 2, field 'LN'.*household member"):
        link_tables(LabelledTable(_hh(), "hh.csv"), LabelledTable(_hl(), "hl.csv"), LabelledTable(children, "ch.csv"))


def test_link_rejects_duplicate_and_missing_keys() -> None:
    duplicated = pd.concat([_hh(), _hh().iloc[[0]]], ignore_index=True)
    with pytest.raises(InputError, match=r"hh\.csv, row 4, field 'HH2': duplicate key"):
        link_tables(LabelledTable(duplicated, "hh.csv"), LabelledTable(_hl(), "hl.csv"))
    with pytest.raises(InputError, match=r"hl\.csv, field 'HL1': join key column"):
        link_tables(LabelledTable(_hh(), "hh.csv"), LabelledTable(_hl().drop(columns="HL1"), "hl.csv"))
    missing = _hh().astype({"HH2": float})
    missing.loc[1, "HH2"] = None
    with pytest.raises(InputError, match=r"row 2, field 'HH2': join key is missing"):
        link_tables(LabelledTable(missing, "hh.csv"), LabelledTable(_hl(), "hl.csv"))


def test_value_labels_that_collide_with_the_questionnaire_are_an_error() -> None:
    with pytest.raises(InputError, match=r"hl\.sav, field 'HL4': value label 1 'Female' is code 2"):
        check_value_labels({"HL4": {1: "Female", 2: "Male"}}, file="hl.sav")


def test_value_labels_that_differ_are_warnings_naming_the_variable() -> None:
    warnings = check_value_labels({"HL4": {1: "Masculin", 2: "Woman", 9: "Missing"},
                                   "LS1": {1: "Very happy", 2: "Somewhat happy"}, "XYZ": {1: "a"}}, file="hl.sav")
    assert len(warnings) == 2
    assert "field 'HL4': code(s) not in the questionnaire: 9 'Missing'" in warnings[0]
    assert "field 'HL4': label(s) differ" in warnings[1] and "2 'Woman'" in warnings[1]


def test_folder_of_linked_csv_files(tmp_path: Path) -> None:
    _hh().to_csv(tmp_path / "hh.csv", index=False)
    _hl().to_csv(tmp_path / "hl.csv", index=False)
    data = load_survey(tmp_path)
    assert len(data.households) == 3 and len(data.members) == 4 and data.children.empty
    with pytest.raises(InputError, match="no households file"):
        load_survey(tmp_path, files={"members": "hl.csv"})


def test_flat_member_file_is_split_into_households(tmp_path: Path) -> None:
    flat = _hl().merge(_hh(), on=["HH1", "HH2"])
    flat.to_csv(tmp_path / "flat.csv", index=False)
    data = load_survey(tmp_path / "flat.csv")
    assert len(data.households) == 3 and {"hhweight", "MA1"} <= set(data.households.columns)
    assert "HL6" not in data.households.columns


def test_plain_names_strip_groups() -> None:
    assert plain_name("rm/RM3/bank") == "RM3_bank"
    assert plain_name("rm-RM2", "-") == "RM2"


def test_kobo_xlsx_with_repeat_sheets(tmp_path: Path) -> None:
    path = tmp_path / "kobo.xlsx"
    with pd.ExcelWriter(path) as writer:
        pd.DataFrame({"HH1": [1, 1], "HH2": [1, 2], "MA1": [1, 2], "rm/RM1": [1, 2], "rm/RM3/bank": [1, None],
                      "_index": [1, 2]}).to_excel(writer, sheet_name="gmrd", index=False)
        pd.DataFrame({"hl/HL4": [1, 2, 2], "hl/HL6": [40, 8, 30], "_index": [1, 2, 3],
                      "_parent_index": [1, 1, 2], "_parent_table_name": "gmrd"}).to_excel(writer, sheet_name="hl",
                                                                                      index=False)
    data = odk_survey(path)
    assert data.households[["RM1", "RM3_bank"]].iloc[0].tolist() == [1, 1]
    assert data.members[["HH2", "HL1", "HL6"]].values.tolist() == [[1, 1, 40], [1, 2, 8], [2, 1, 30]]


def test_odk_central_zip_links_repeats_and_finds_orphans(tmp_path: Path) -> None:
    path = tmp_path / "odk.zip"
    main = "HH1,HH2,MA1,KEY\n1,1,1,uuid:a\n1,2,2,uuid:b\n"
    roster = "hl-HL4,hl-HL6,PARENT_KEY,KEY\n1,40,uuid:a,uuid:a/hl[1]\n2,7,uuid:b,uuid:b/hl[1]\n"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("gmrd.csv", main)
        archive.writestr("gmrd-hl.csv", roster)
    data = odk_survey(path)
    assert data.members[["HH2", "HL1", "HL4"]].values.tolist() == [[1, 1, 1], [2, 1, 2]]
    with zipfile.ZipFile(tmp_path / "bad.zip", "w") as archive:
        archive.writestr("gmrd.csv", main)
        archive.writestr("gmrd-hl.csv", roster.replace("uuid:b,", "uuid:zz,"))
    with pytest.raises(InputError, match=r"gmrd-hl\.csv\], row 3, field 'PARENT_KEY'.*orphan"):
        odk_survey(tmp_path / "bad.zip")


def test_config_errors_name_the_key() -> None:
    config = parse_config({"design": {"weights": "w", "clusters": "HH1", "lonely_psu": "average"},
                           "keys": {"line": "LINE"}})
    assert config.design.clusters == ("HH1",) and config.keys == Keys(line="LINE")
    with pytest.raises(InputError, match="field 'design.lonely_psu'"):
        parse_config({"design": {"lonely_psu": "ignore"}})
    with pytest.raises(InputError, match="field 'design.weight'"):
        parse_config({"design": {"weight": "w"}})
    with pytest.raises(InputError, match="field 'outputs'"):
        parse_config({"outputs": ["everything"]})
