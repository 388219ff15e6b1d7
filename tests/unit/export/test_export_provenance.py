"""How each estimate was made, as exports and pages write it (gmrd.export.provenance, issue 11 point 5):
flags ;-separated and in words, SDMX OBS_STATUS and three-digit REF_AREA, whole persons, gmrd's type of
data and the imputed share of aggregates."""

from __future__ import annotations

import pandas as pd

from gmrd.export.estimates import COLUMNS, export_table, to_sdmx_csv
from gmrd.export.provenance import (
    data_type,
    data_types,
    export_flags,
    flag_words,
    imputed_shares,
    obs_status,
    split_flags,
    whole_persons,
)


def _rows() -> pd.DataFrame:
    """Afghanistan imputed, Albania from its foreign-born data with refugees added, the world."""
    return pd.DataFrame({
        "revision": "r1", "area_code": [4, 8, 900], "year": 2020, "sex": [0, 2, 0], "age_lo": [0, 0, 0],
        "age_hi": pd.array([None, 18, None], dtype="Int64"), "value": [144_098.6, 48_000.4, 280_598_105.2],
        "lower": [90_000.5, 47_000.49, None], "upper": [210_000.5, 49_999.5, None],
        "flags": ["imputed,age_imputed,sex_imputed", "foreign_born,refugees_added", ""]})


def test_flags_in_three_forms():
    assert split_flags("imputed, age_imputed") == ["imputed", "age_imputed"] == split_flags("imputed;age_imputed")
    assert split_flags(float("nan")) == [] and export_flags("") == ""
    assert export_flags("extrapolated,age_imputed,sex_imputed") == "extrapolated;age_imputed;sex_imputed"
    assert flag_words("imputed,age_imputed,sex_imputed") == (
        "imputed (no data); ages imputed (regional pattern); sexes imputed (regional pattern)")
    assert flag_words("refugees_added,foreign_citizens,extrapolated") == (
        "extrapolated (outside the data range); refugees added; foreign citizens")
    assert flag_words("new_flag") == "new flag" and flag_words("") == "from the country's data"
    assert [obs_status(f) for f in ("imputed", "age_imputed", "", "extrapolated")] == ["I", "E", "E", "E"]


def test_type_of_data_from_flags_not_the_un_column():
    assert data_type(["foreign_born", "foreign_born,refugees_added,extrapolated"]) == "B R"
    assert data_type(["foreign_citizens", "foreign_born"]) == "B C"
    assert data_type(["imputed,age_imputed", "imputed,refugees_added"]) == "I R"
    assert data_type(["extrapolated", ""]) == ""
    frame = pd.DataFrame({"area_code": [4, 4, 8, 900], "flags": ["imputed", "imputed", "foreign_citizens", ""]})
    assert data_types(frame) == {4: "I", 8: "C"}


def test_imputed_share_of_the_world_and_regions():
    # Afghanistan (Southern Asia, Asia) imputed, Albania (Europe) not; the aggregates' own values
    totals = pd.DataFrame({"area_code": [4, 8, 935, 908, 900], "year": 2020,
                           "value": [100.0, 300.0, 400.0, 300.0, 1000.0],
                           "flags": ["imputed,age_imputed", "foreign_born", "", "", ""]})
    shares = imputed_shares(totals).set_index("area_code")["imputed_share"]
    assert shares[4] == 1.0 and shares[8] == 0.0
    assert shares[935] == 0.25 and shares[908] == 0.0 and shares[900] == 0.1


def test_persons_are_whole_numbers_and_flags_semicolon_separated():
    table = export_table(_rows())
    assert list(table.columns) == COLUMNS
    assert table["value"].tolist() == [144_099, 48_000, 280_598_105]
    assert table["lower"].tolist()[:2] == [90_000, 47_000] and table["upper"].tolist()[:2] == [210_000, 50_000]
    assert table["lower"].isna().tolist() == [False, False, True]
    assert str(table["value"].dtype) == "Int64" and str(table["upper"].dtype) == "Int64"
    assert table["flags"].tolist() == ["imputed;age_imputed;sex_imputed", "foreign_born;refugees_added", ""]
    assert table["age"].tolist() == ["total", "0-17", "total"]
    assert table[["origin_code", "origin_name"]].drop_duplicates().values.tolist() == [[0, "All origins"]]
    assert whole_persons(pd.Series([float("inf"), 2.5, 3.5])).tolist()[1:] == [2, 4]


def test_sdmx_csv_three_digit_areas_status_and_flags():
    sdmx = to_sdmx_csv(export_table(_rows()))
    assert sdmx["REF_AREA"].tolist() == ["004", "008", "900"]
    assert sdmx["OBS_STATUS"].tolist() == ["I", "E", "E"]
    assert sdmx["FLAGS"].tolist()[0] == "imputed;age_imputed;sex_imputed"
    assert sdmx["OBS_VALUE"].tolist() == [144_099, 48_000, 280_598_105]
    assert sdmx["AGE"].tolist() == ["_T", "Y0T17", "_T"] and sdmx["SEX"].tolist() == ["_T", "F", "_T"]
    assert list(sdmx.columns) == ["DATAFLOW", "REF_AREA", "TIME_PERIOD", "SEX", "AGE", "OBS_VALUE", "LOWER_BOUND",
                                  "UPPER_BOUND", "OBS_STATUS", "FLAGS", "REVISION"]
