"""The canonical tabulation CSV of DESIGN.md: one row per cell, labels harmonized at import."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pandas as pd

from gmrd.errors import InputError
from gmrd.ingest import harmonize
from gmrd.ingest.text import detect_delimiter, read_text_chunks

name = "canonical_csv"

REQUIRED = ("country", "reference_date", "source_type", "concept", "sex", "age", "origin", "value")
OPTIONAL = ("source_title", "citation", "note")


def detect(path: Path, head: bytes) -> bool:
    """A text file whose header row names most canonical columns (missing ones are reported by read)."""
    try:
        line = head.decode("utf-8-sig", errors="replace").splitlines()[0]
    except IndexError:
        return False
    fields = {f.strip().strip('"').lower() for f in line.split(detect_delimiter(line))}
    return len(set(REQUIRED) & fields) >= len(REQUIRED) - 2


def read(path: Path) -> Iterator[pd.DataFrame]:
    for chunk in read_text_chunks(path):
        chunk.columns = [c.lower() for c in chunk.columns]
        missing = [c for c in REQUIRED if c not in chunk.columns]
        if missing:
            raise InputError(f"missing column(s) {', '.join(missing)} in the header", file=path.name, row=1,
                             field=", ".join(missing))
        for column in OPTIONAL:
            if column not in chunk.columns:
                chunk[column] = ""
        yield _records(chunk, path.name)


def _records(chunk: pd.DataFrame, file: str) -> pd.DataFrame:
    for column in REQUIRED:
        blank = chunk[column].str.strip() == ""
        if blank.any():
            raise InputError("empty value", file=file, row=int(chunk["row"][blank].iloc[0]), field=column)
    out = pd.DataFrame({"row": chunk["row"].to_numpy()})
    dates = harmonize.dates(chunk["reference_date"], chunk["row"], file=file)
    out["reference_date"] = dates["date"].to_numpy()
    out["date_precision"] = dates["precision"].to_numpy()
    out["country_code"] = harmonize.countries(chunk["country"], out["reference_date"], chunk["row"],
                                              file=file, field="country").to_numpy()
    out["source_type"] = harmonize.source_types(chunk["source_type"], chunk["row"], file=file).to_numpy()
    out["universe"] = harmonize.universes(chunk["concept"], chunk["row"], file=file).to_numpy()
    out["source_title"] = chunk["source_title"].str.strip().to_numpy()
    out["citation"] = chunk["citation"].str.strip().to_numpy()
    out["note"] = chunk["note"].to_numpy()
    out["sex"] = harmonize.sexes(chunk["sex"], chunk["row"], file=file).to_numpy()
    ages = harmonize.ages(chunk["age"], chunk["row"], file=file)
    out["age_lo"] = ages["age_lo"].to_numpy()
    out["age_hi"] = ages["age_hi"].to_numpy()
    out["origin_code"] = harmonize.origins(chunk["origin"], out["reference_date"], chunk["row"],
                                           file=file).to_numpy()
    out["value"] = harmonize.values(chunk["value"], chunk["row"], file=file).to_numpy()
    out["age_label"] = chunk["age"].to_numpy()
    out["origin_label"] = chunk["origin"].to_numpy()
    out["sex_label"] = chunk["sex"].to_numpy()
    return out
