"""Rebuild ``reference/data/countries.csv`` and ``ims_names.csv`` from public, licensable sources.

Run by a maintainer when a new edition appears, never at import time::

    python -m gmrd.reference.build_countries IMS2020.xlsx IMS2019.xlsx

Sources (all public):

* UN DESA International Migrant Stock 2020, Table 1 (CC BY 3.0 IGO): area names, location codes
  (M49 for countries) and the geographic hierarchy (region → sub-region → country).
* UN DESA International Migrant Stock 2019, ANNEX (CC BY 3.0 IGO): development groups, least
  developed countries and World Bank income groups as used in that edition.
* pycountry (ISO 3166-1, LGPL): ISO3/ISO2 codes; areas ISO lists that the IMS does not publish.
* country_converter's classification (GPL-3): UN sub-region *names* of those extra areas.
* The hand-written rows below: historical states with their dates and successors (dates are those
  of the UN Statistics Division's M49 historical notes and the states' own records).

The UN Population Division publishes aggregates with its own location codes (903 Africa …) that
differ from the M49 standard's (002 Africa …); ``code`` holds the Population Division's code, which
is what its workbooks and long-format files use, and ``m49`` the M49 standard code where it differs.

References
----------
.. [1] United Nations, Department of Economic and Social Affairs, Population Division (2020).
   International Migrant Stock 2020. CC BY 3.0 IGO.
.. [2] United Nations Statistics Division. Standard country or area codes for statistical use (M49).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

DATA = Path(__file__).with_name("data")

REGIONS = {903, 935, 908, 904, 905, 909}
# Population Division aggregate code → M49 standard code (where they differ).
M49_STANDARD = {
    900: 1, 903: 2, 935: 142, 908: 150, 909: 9, 904: 419, 905: 21,
    910: 14, 911: 17, 912: 15, 913: 18, 914: 11, 5500: 143, 906: 30, 920: 35, 5501: 34, 922: 145,
    923: 151, 924: 154, 925: 39, 926: 155, 915: 29, 916: 13, 931: 5, 927: 53, 928: 54, 954: 57, 957: 61,
    947: 202, 1833: 747, 921: 62, 1832: 753, 1830: 419, 1835: 543, 1829: 513,
}
# SDG regions as unions of geographic sub-regions (UNSD, SDG regional groupings).
SDG_OF_SUBREGION = {
    910: 947, 911: 947, 913: 947, 914: 947, 912: 1833, 922: 1833, 5500: 921, 5501: 921,
    906: 1832, 920: 1832, 915: 1830, 916: 1830, 931: 1830, 927: 927, 928: 1835, 954: 1835, 957: 1835,
    923: 1829, 924: 1829, 925: 1829, 926: 1829, 905: 1829,
}
# Aggregates the 2019 edition published under codes of its own with the same members.
EXTRA_AGGREGATES = [
    (917, "Europe (SDG region part)", "sdg_part", 908),
    (918, "Northern America (SDG region part)", "sdg_part", 905),
]
ANNEX_GROUPS = {
    "More Developed Regions": 901, "Less Developed Regions": 902, "Least developed countries": 941,
    "High-income Countries": 1503, "Middle-income Countries": 1517,
    "Upper-middle-income Countries": 1502, "Lower-middle-income Countries": 1501,
    "Low-income Countries": 1500, "No income group available": 1518,
}
# code, iso3, iso2, name, valid_from, valid_to, successors, subregion
HISTORICAL = [
    (810, "SUN", "SU", "Union of Soviet Socialist Republics", "", "1991-12-25",
     "51 31 112 233 268 398 417 428 440 498 643 762 795 804 860", 923),
    (890, "YUG", "YU", "Yugoslavia", "", "1992-04-26", "70 191 705 807 891", 925),
    (891, "SCG", "CS", "Serbia and Montenegro", "1992-04-27", "2006-06-04", "688 499", 925),
    (200, "CSK", "CS", "Czechoslovakia", "", "1992-12-31", "203 703", 923),
    (278, "DDR", "DD", "German Democratic Republic", "", "1990-10-02", "276", 926),
    (280, "", "", "Federal Republic of Germany (before 1990)", "", "1990-10-02", "276", 926),
    (530, "ANT", "AN", "Netherlands Antilles", "", "2010-10-09", "531 534 535", 915),
    (736, "", "", "Sudan (before 2011)", "", "2011-07-08", "729 728", 912),
    (720, "YMD", "YD", "Democratic Yemen", "", "1990-05-21", "887", 922),
    (886, "", "", "Yemen Arab Republic", "", "1990-05-21", "887", 922),
    (582, "PCI", "PC", "Trust Territory of the Pacific Islands", "", "1986-11-02", "583 584 580 585", 954),
    (128, "CTE", "CT", "Canton and Enderbury Islands", "", "1979-07-11", "296", 954),
    (396, "JTN", "JT", "Johnston Island", "", "1986-12-31", "581", 957),
    (872, "WAK", "WK", "Wake Island", "", "1986-12-31", "581", 954),
]
VALID_FROM = {729: "2011-07-09", 728: "2011-07-09", 203: "1993-01-01", 703: "1993-01-01",
              688: "2006-06-05", 499: "2006-06-05", 531: "2010-10-10", 534: "2010-10-10",
              535: "2010-10-10"}
# Areas ISO lists that the IMS counts inside another area (for aggregation only).
PART_OF = {248: 246, 831: 830, 832: 830, 833: 826, 162: 36, 166: 36, 574: 36, 744: 578}


def _read_table1(path: Path) -> pd.DataFrame:
    t = pd.read_excel(path, sheet_name="Table 1", header=10)
    t = t.iloc[:, [1, 3]]
    t.columns = ["name", "code"]
    t["name"] = t["name"].astype(str).str.strip().str.rstrip("*").str.strip()
    return t.dropna(subset=["code"]).astype({"code": int})


def _hierarchy(t: pd.DataFrame) -> pd.DataFrame:
    rows = []
    region = subregion = None
    for name, code in zip(t["name"], t["code"]):
        if code in REGIONS:
            region, subregion = code, (code if code == 905 else None)
            kind = "region"
        elif code >= 900 or code in (5500, 5501):
            if region is None:
                kind = "group"
            else:
                subregion, kind = code, "subregion"
        else:
            kind = "country"
        rows.append({"code": code, "name": _title(name) if name.isupper() else name, "kind": kind,
                     "region": region if kind in ("country", "subregion") else None,
                     "subregion": subregion if kind == "country" else None})
    out = pd.DataFrame(rows).drop_duplicates("code", keep="last")
    out.loc[out["code"] == 900, "kind"] = "world"
    out.loc[out["code"].isin(set(SDG_OF_SUBREGION.values()) - {927}), "kind"] = "sdg_region"
    return out


def _title(name: str) -> str:
    small = {"and", "the", "of", "excluding"}
    return " ".join(w if i and w in small else w.capitalize() for i, w in enumerate(name.lower().split()))


def _annex_groups(path: Path) -> dict[int, list[int]]:
    a = pd.read_excel(path, sheet_name="ANNEX", header=15).dropna(subset=["Code"])
    groups: dict[int, list[int]] = {}
    for _, r in a.iterrows():
        code = int(r["Code"])
        if code >= 900:
            continue
        groups[code] = [g for col, g in ANNEX_GROUPS.items() if r.get(col) == "Y"]
    return groups


def build(ims2020: Path, ims2019: Path) -> pd.DataFrame:
    import country_converter as coco
    import pycountry

    t = _read_table1(ims2020)
    h = _hierarchy(t)
    groups = _annex_groups(ims2019)
    sub_names = {n.lower(): c for n, c, k in zip(h["name"], h["code"], h["kind"]) if k == "subregion"}
    region_of_sub = dict(zip(h.loc[h.kind == "subregion", "code"], h.loc[h.kind == "subregion", "region"]))
    region_of_sub[905] = 905
    h["sdg_region"] = h["subregion"].map(SDG_OF_SUBREGION)
    h["groups"] = h["code"].map(lambda c: " ".join(str(g) for g in groups.get(c, [])))
    h["m49"] = h["code"].map(M49_STANDARD)
    h["valid_from"] = h["code"].map(VALID_FROM).fillna("")
    h["valid_to"] = ""
    h["successors"] = ""
    h["part_of"] = None
    h["same_members_as"] = None
    known = set(h["code"])
    extra = []
    cc = coco.CountryConverter().data
    un_region = {int(u): r for u, r in zip(cc["ISOnumeric"], cc["UNregion"])
                 if pd.notna(u) and str(u).strip() not in ("", "nan")}
    for iso_row in pycountry.countries:
        code = int(iso_row.numeric)
        if code in known:
            continue
        name = getattr(iso_row, "common_name", None) or iso_row.name
        sub: int | None = sub_names.get(str(un_region.get(code, "")).lower())
        extra.append({"code": code, "name": name, "kind": "territory", "subregion": sub,
                      "region": region_of_sub.get(sub) if sub else None,
                      "sdg_region": SDG_OF_SUBREGION.get(sub) if sub else None,
                      "groups": "", "m49": None, "valid_from": "", "valid_to": "", "successors": "",
                      "part_of": PART_OF.get(code)})
    for code, iso3, iso2, name, vf, vt, succ, sub in HISTORICAL:
        extra.append({"code": code, "name": name, "kind": "historical", "subregion": sub,
                      "region": region_of_sub.get(sub), "sdg_region": SDG_OF_SUBREGION.get(sub),
                      "groups": "", "m49": None, "valid_from": vf, "valid_to": vt, "successors": succ,
                      "part_of": None, "iso3": iso3, "iso2": iso2})
    extra.append({"code": 11578, "name": "Kosovo", "kind": "territory", "subregion": 925, "region": 908,
                  "sdg_region": 1829, "groups": "", "m49": None, "valid_from": "", "valid_to": "",
                  "successors": "", "part_of": 688, "iso3": "XKX", "iso2": "XK"})
    extra.append({"code": 1518, "name": "No income group available", "kind": "group"})
    for code, name, kind, same in EXTRA_AGGREGATES:
        extra.append({"code": code, "name": name, "kind": kind, "same_members_as": same})
    out = pd.concat([h, pd.DataFrame(extra).dropna(axis=1, how="all")], ignore_index=True)
    iso = {int(c.numeric): (c.alpha_3, c.alpha_2) for c in pycountry.countries}
    if "iso3" not in out:
        out["iso3"] = None
    out["iso3"] = [i if isinstance(i, str) else iso.get(c, ("", ""))[0] for c, i in zip(out.code, out.iso3)]
    out["iso2"] = [i if isinstance(i, str) else iso.get(c, ("", ""))[1] for c, i in zip(out.code, out.iso2)]
    out.loc[out["code"] == 1830, "same_members_as"] = 904
    out.loc[out["code"] == 927, "kind"] = "subregion"
    cols = ["code", "iso3", "iso2", "name", "kind", "valid_from", "valid_to", "successors", "part_of",
            "region", "subregion", "sdg_region", "m49", "groups", "same_members_as"]
    out = out[cols].sort_values("code").reset_index(drop=True)
    for col in ("part_of", "region", "subregion", "sdg_region", "m49", "same_members_as"):
        out[col] = out[col].astype("Int64")
    return out


def ims_names(*workbooks: Path) -> pd.DataFrame:
    """Area names exactly as the CC BY workbooks print them, with their codes."""
    rows = []
    for path in workbooks:
        for name, code in zip(*_names_codes(path)):
            rows.append({"name": name, "code": code})
    return pd.DataFrame(rows).drop_duplicates().sort_values(["code", "name"]).reset_index(drop=True)


def _names_codes(path: Path) -> tuple[list[str], list[int]]:
    raw = pd.read_excel(path, sheet_name="Table 1", header=None, nrows=20)
    header = next(i for i in range(20) if str(raw.iloc[i, 1]).strip().lower().startswith(("region", "major")))
    t = pd.read_excel(path, sheet_name="Table 1", header=None, skiprows=header + 1)
    t = t.iloc[:, [1, 3]].dropna()
    t = t[pd.to_numeric(t.iloc[:, 1], errors="coerce").notna()]
    names = [str(n).strip().rstrip("*").strip() for n in t.iloc[:, 0]]
    return names, [int(c) for c in t.iloc[:, 1]]


def main(argv: list[str]) -> None:
    ims2020, ims2019 = Path(argv[0]), Path(argv[1])
    build(ims2020, ims2019).to_csv(DATA / "countries.csv", index=False)
    ims_names(ims2020, ims2019).to_csv(DATA / "ims_names.csv", index=False)


if __name__ == "__main__":
    main(sys.argv[1:])
