"""Country names as the UN publishes them resolve to the codes printed beside them.

Expected codes: UN DESA, International Migrant Stock 2020 (Table 1), 2019 and 2015 (Table 1), and
the Population Division's rftLocation.csv name list (a test list only; nothing is copied from it).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from gmrd.errors import UnknownCountry
from gmrd.reference.countries import country, members
from gmrd.reference.country_names import resolve_origin, resolver

WORKBOOKS = {
    "undesa_pd_2020_ims_stock_by_sex_and_destination.xlsx": 10,
    "undesa_pd_2019_migrant_stock_total_dataset.xlsx": 15,
    "UN_MigrantStockTotal_2015.xlsx": 15,
}
# Reached on rftLocation.csv rows with public codes (LocID < 1,000,000): 1,231 of 1,322 (93.1%), with no
# silent guess (misspellings such as "Kyrgyztan", "Mayanmar" or "Zambiana" are errors with a suggestion);
# 467 more rows carry Population Division internal codes.
PUBLIC_SHARE = 0.93
INTERNAL = 1_000_000


def _workbook_names(path: Path, header: int) -> pd.DataFrame:
    t = pd.read_excel(path, sheet_name="Table 1", header=None, skiprows=header + 1).iloc[:, [1, 3]]
    t.columns = ["name", "code"]
    t = t[pd.to_numeric(t["code"], errors="coerce").notna()]
    return t.astype({"code": int})


def _same_area(got: int, expected: int) -> bool:
    """Identical code, or aggregates the workbooks print under two codes with the same members
    (Latin America and the Caribbean 904 / SDG 1830; Europe 908 / 917; Northern America 905 / 918)."""
    if got == expected:
        return True
    a, b = country(got), country(expected)
    return a.is_aggregate and b.is_aggregate and members(got) == members(expected)


@pytest.mark.parametrize("workbook", sorted(WORKBOOKS))
def test_every_workbook_name_resolves_to_its_code(refdata: Path, workbook: str) -> None:
    table = _workbook_names(refdata / "un_ims" / workbook, WORKBOOKS[workbook])
    assert len(table) > 230
    wrong = [(n, c, resolver().resolve(n)) for n, c in zip(table["name"], table["code"])
             if not _same_area(resolver().resolve(n), c)]
    assert wrong == []


def test_rftlocation_share(refdata: Path) -> None:
    names = pd.read_csv(refdata / "un_ims" / "undesa_pd_long" / "rftLocation.csv")
    assert len(names) == 1789
    got = []
    for label in names["LongName"]:
        try:
            got.append(resolve_origin(label))
        except UnknownCountry:
            got.append(None)
    names["got"] = got
    public = names[names["LocID"] < INTERNAL]
    assert len(public) == 1322
    right = (public["got"] == public["LocID"]).sum()
    wrong = public[public["got"].notna() & (public["got"] != public["LocID"])]
    assert right / len(public) >= PUBLIC_SHARE
    # The one difference: "Australia and New Zealand" is 1836 there but 927 in the IMS workbooks.
    assert wrong["LongName"].tolist() == ["Australia and New Zealand"]
    unknown = names[names["LocID"] == 9_999_999]
    assert (unknown["got"] == 9_999_999).sum() >= 15
