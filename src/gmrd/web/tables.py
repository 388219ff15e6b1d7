"""Query results shaped as the tables pages show and download (names beside codes, labels for ages)."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
import sqlalchemy as sa

from gmrd.web.labels import SEXES, age_name, area_name, concept_name

ESTIMATE_COLUMNS = ["revision", "area_code", "area_name", "year", "sex", "age", "value", "lower", "upper"]


def estimates_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Estimates in the columns of the estimates CSV (docs: revision, area_code, area_name, year, sex, age …)."""
    names = {int(c): area_name(int(c)) for c in pd.unique(frame["area_code"])}
    return pd.DataFrame({
        "revision": frame["revision"], "area_code": frame["area_code"].astype(int),
        "area_name": frame["area_code"].map(lambda c: names[int(c)]), "year": frame["year"].astype(int),
        "sex": frame["sex"].map(SEXES),
        "age": [age_name(int(lo), None if pd.isna(hi) else int(hi)) for lo, hi in zip(frame["age_lo"],
                                                                                       frame["age_hi"])],
        "value": frame["value"], "lower": frame["lower"], "upper": frame["upper"],
    }, columns=ESTIMATE_COLUMNS)


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
