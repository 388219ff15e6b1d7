"""Query results shaped as the tables pages show and download (names beside codes, labels for ages)."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
import sqlalchemy as sa

from gmrd.export.estimates import export_table
from gmrd.export.provenance import INTERVAL, flag_words, relative_width
from gmrd.web.labels import SEXES, age_name, area_name, concept_name, is_aggregate

#: the columns of the estimates tables on pages (the downloads have the export columns)
DISPLAY_COLUMNS = ["Area", "Year", "Sex", "Age", "Migrants", f"Lower ({INTERVAL})", "Upper", "Interval width",
                   "How it was made"]
DISPLAY_NUMERIC = ("Migrants", f"Lower ({INTERVAL})", "Upper")


def estimates_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Estimates (columns of :data:`gmrd.db.queries.ESTIMATE_COLUMNS`) in the columns of the estimates CSV
    of ``gmrd export`` (whole persons, ``;``-separated flags)."""
    return export_table(frame)


def width_text(value: float | None, lower: float | None, upper: float | None) -> str:
    """The interval's width as a percentage of the value ("35 %"), empty where unknown."""
    width = relative_width(value, lower, upper)
    return "" if width is None else f"{100 * width:.0f} %" if width >= 0.01 else f"{100 * width:.1f} %"


def how_made(area_code: int, flags: object, imputed_share: float | None) -> str:
    """An estimate's flags in words; for an aggregate, the share of it that is imputed."""
    if is_aggregate(area_code):
        share = "" if imputed_share is None or pd.isna(imputed_share) else \
            f"; imputed (no data): {100 * imputed_share:.0f} % of all ages"
        return "sum of countries" + share
    return flag_words(flags)


def estimates_display(frame: pd.DataFrame, shares: dict[tuple[int, int], float]) -> pd.DataFrame:
    """Estimates as the pages show them: names, labels, the interval, its width and how each was made
    (``shares``: the imputed share of each (area, year), :func:`gmrd.web.cache.provenance`)."""
    names = {int(c): area_name(int(c)) for c in pd.unique(frame["area_code"])}
    rows = [(names[int(r.area_code)], int(r.year), SEXES[int(r.sex)],
             age_name(int(r.age_lo), None if pd.isna(r.age_hi) else int(r.age_hi)), r.value, r.lower, r.upper,
             width_text(r.value, r.lower, r.upper),
             how_made(int(r.area_code), r.flags, shares.get((int(r.area_code), int(r.year)))))
            for r in frame.itertuples(index=False)]
    return pd.DataFrame(rows, columns=DISPLAY_COLUMNS)


def tabulations_table(rows: Iterable[sa.Row]) -> pd.DataFrame:
    return pd.DataFrame([{
        "tabulation_id": r.id, "source_id": r.source_id, "source_title": r.title, "country_code": r.country_code,
        "country": area_name(r.country_code), "reference_date": r.reference_date, "source_type": r.source_type,
        "concept": concept_name(r.universe), "dimensions": r.dims, "cells": r.n_cells, "status": r.status,
    } for r in rows], columns=["tabulation_id", "source_id", "source_title", "country_code", "country",
                               "reference_date", "source_type", "concept", "dimensions", "cells", "status"])


def cells_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Cells with their source (columns of queries.TABULATION_CELLS) in the tabulations CSV columns."""
    names = {int(c): area_name(int(c)) for c in pd.unique(frame[["country_code", "origin_code"]].values.ravel())}
    return pd.DataFrame({
        "source_id": frame["source_id"], "source_title": frame["source_title"],
        "country_code": frame["country_code"], "country": frame["country_code"].map(lambda c: names[int(c)]),
        "reference_date": frame["reference_date"], "source_type": frame["source_type"],
        "concept": frame["universe"].map(concept_name), "sex": frame["sex"].map(SEXES),
        "age": [age_name(int(lo), None if pd.isna(hi) else int(hi)) for lo, hi in zip(frame["age_lo"],
                                                                                       frame["age_hi"])],
        "origin_code": frame["origin_code"], "origin": frame["origin_code"].map(lambda c: names[int(c)]),
        "value": frame["value"], "sex_original": frame["sex_label"], "age_original": frame["age_label"],
        "origin_original": frame["origin_label"], "file_row": frame["row"].astype("Int64"),
    })


def rows_table(rows: Iterable[sa.Row], columns: list[str]) -> pd.DataFrame:
    """Plain rows (sources, findings, users, audit events) as a frame of ``columns``."""
    return pd.DataFrame([{c: getattr(r, c) for c in columns} for r in rows], columns=columns)
