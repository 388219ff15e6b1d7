"""Verification of whole tabulations cut from the real UNPD corpus (its all-origins extract,
empirical_data_points_all_origins_total.csv.gz), each finding checked by hand against the raw rows
(issue 3, point 5). The Palau 2005 age codes read as spreadsheet dates are in the by-origin rows only:
see tests/unit/verify/test_ages.py."""

from __future__ import annotations

import pandas as pd
import pytest

from gmrd.db.engine import get_engine
from gmrd.ingest.load import import_file
from gmrd.verify import store
from gmrd.verify.run import verify

LONG = "un_ims/undesa_pd_long/empirical_data_points_all_origins_total.csv.gz"
INTEGERS = ["LocID", "sex", "LocIDorg", "age", "agelength", "PopulationUniverse"]
# (LocID, source, first year): whole tabulations whose problems were checked against the raw rows
PICKED = [(96, "Census_1991", 1991), (96, "UNSDDYB_B09_CFC", 1991), (862, "UNSDDYB_B09_CFC", 2001),
          (496, "UNSDDYB_B09_CJC", 2020)]


@pytest.fixture(scope="module")
def picked(refdata, tmp_path_factory):
    rows = pd.read_csv(refdata / LONG, dtype={"source": str})
    mask = pd.Series(False, index=rows.index)
    for loc, source, year in PICKED:
        mask |= (rows["LocID"] == loc) & (rows["source"] == source) & (rows["yearref"].astype(int) == year)
    path = tmp_path_factory.mktemp("unpicked") / "picked.csv"
    rows[mask].astype(dict.fromkeys(INTEGERS, "int64")).to_csv(path, index=False)
    return path


def test_real_tabulations_give_the_findings_seen_in_the_raw_rows(db_url, picked):
    import_file(picked, url=db_url)
    result = verify(db_url)
    with get_engine(db_url).connect() as conn:
        sources = store.load_sources(conn)
    key = {(r.country_code, r.title, r.reference_date.year, r.universe): r.id for r in sources.itertuples()}
    found = result.findings
    def checks(country, title, year, universe):
        return set(found.loc[found["source_id"] == key[(country, title, year, universe)], "check"])
    # Brunei 1991 census: 43,297 men + 33,090 women ≠ 76,094; the Demographic Yearbook gives 32,797 women
    brunei = found[(found["source_id"] == key[(96, "Census_1991", 1991, 3)]) & (found["check"] == "totals.sex")]
    assert (brunei["expected"].iloc[0], brunei["found"].iloc[0]) == (43_297 + 33_090, 76_094)
    assert "cross_source.conflict" in checks(96, "UNSDDYB_B09_CFC", 1991, 3)
    # Venezuela 2001 (Demographic Yearbook B09): 90+ beside 95-99 and nothing above 100
    assert "ages.open_group" in checks(862, "UNSDDYB_B09_CFC", 2001, 0)
    # Mongolia 2020: 14,351 of 18,209 foreign citizens under 15 (78.8 %)
    mongolia = found[(found["source_id"] == key[(496, "UNSDDYB_B09_CJC", 2020, 3)])
                     & (found["check"] == "plausibility.age_structure")]
    assert round(mongolia["found"].iloc[0], 3) == round(14_351 / 18_209, 3)
