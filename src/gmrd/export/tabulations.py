"""Export of imported tabulations: harmonized codes beside the file's own labels, row by row."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pandas as pd
from sqlalchemy.engine import Connection

from gmrd.db import aliases, queries
from gmrd.export.cells import write_table
from gmrd.reference.ages import age_label
from gmrd.reference.countries import country, is_known
from gmrd.reference.universes import universe_name

SEX = {0: "both", 1: "male", 2: "female"}
COLUMNS = ["source_id", "source_title", "country_code", "country", "reference_date", "source_type",
           "concept", "sex", "age", "origin_code", "origin", "value",
           "sex_original", "age_original", "origin_original", "file_row"]


ORIGIN_NAMES = {0: "total", 2003: "other", 9999999: "unknown"}


def _name(code: int, user_names: dict[int, str]) -> str:
    """The area's name: the countries table's, else the first label of a user alias of the code."""
    if code in ORIGIN_NAMES:
        return ORIGIN_NAMES[code]
    if is_known(code):
        return country(code).name
    return user_names.get(code, f"code {code}")


def _shape(frame: pd.DataFrame, user_names: dict[int, str]) -> pd.DataFrame:
    codes = pd.unique(frame[["country_code", "origin_code"]].to_numpy().ravel())
    names = {code: _name(int(code), user_names) for code in codes}
    hi = frame["age_hi"].astype("Int64")
    ages = [age_label(int(lo), None if pd.isna(h) else int(h)) for lo, h in zip(frame["age_lo"], hi)]
    return pd.DataFrame({
        "source_id": frame["source_id"], "source_title": frame["source_title"],
        "country_code": frame["country_code"], "country": frame["country_code"].map(names),
        "reference_date": frame["reference_date"], "source_type": frame["source_type"],
        "concept": frame["universe"].map(universe_name), "sex": frame["sex"].map(SEX), "age": ages,
        "origin_code": frame["origin_code"], "origin": frame["origin_code"].map(names),
        "value": frame["value"], "sex_original": frame["sex_label"], "age_original": frame["age_label"],
        "origin_original": frame["origin_label"], "file_row": frame["row"].astype("Int64"),
    })[COLUMNS]


def export_tabulations(conn: Connection, out: Path, fmt: str) -> int:
    user_names = aliases.area_names(conn)
    chunks: Iterator[pd.DataFrame] = (_shape(c, user_names) for c in queries.tabulation_cells(conn))
    return write_table(chunks, out, fmt)
