"""Label columns → codes, each unique label resolved once; errors name the first offending row.

Shared by every reader that gets labels (canonical CSV, wide tables): countries and origins to M49
for the reference date, ages to half-open intervals, sexes, universes, source types, dates, values.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from gmrd.errors import InputError
from gmrd.ingest.records import SOURCE_TYPES
from gmrd.ingest.written_dates import parse_date
from gmrd.reference.ages import parse_age
from gmrd.reference.country_names import resolve_country, resolve_origin
from gmrd.reference.sexes import parse_sex
from gmrd.reference.universes import parse_universe


def _map_unique(labels: pd.Series, rows: pd.Series, parse: Callable[[Any], Any], *, file: str,
                field: str) -> pd.Series:
    """Apply ``parse`` once per distinct label; an InputError gets the first row that has the label."""
    resolved: dict[Any, Any] = {}
    for label in pd.unique(labels):
        try:
            resolved[label] = parse(label)
        except InputError as exc:
            row = int(rows[labels == label].iloc[0])
            raise exc.located(file=file, row=row, field=field) from None
        except (ValueError, OverflowError) as exc:  # a parser's own conversion failed: still a bad label
            row = int(rows[labels == label].iloc[0])
            shown = label[0] if isinstance(label, tuple) else label
            raise InputError(f"unreadable label {str(shown)[:80]!r} ({exc.__class__.__name__}: "
                             f"{str(exc)[:80]})", file=file, row=row, field=field) from None
    return labels.map(resolved)


def dates(labels: pd.Series, rows: pd.Series, *, file: str) -> pd.DataFrame:
    parsed = _map_unique(labels, rows, parse_date, file=file, field="reference_date")
    return pd.DataFrame({"date": parsed.map(lambda p: p[0]), "precision": parsed.map(lambda p: p[1])})


def _pairwise(labels: pd.Series, on: pd.Series, rows: pd.Series, parse: Callable[[str, date], int], *,
              file: str, field: str) -> pd.Series:
    keys = pd.Series(list(zip(labels, on)), index=labels.index)
    return _map_unique(keys, rows, lambda key: parse(key[0], key[1]), file=file, field=field).astype("int64")


def countries(labels: pd.Series, on: pd.Series, rows: pd.Series, *, file: str, field: str) -> pd.Series:
    """Destination names or codes → M49 for the reference date (never a fuzzy guess)."""
    return _pairwise(labels, on, rows, lambda label, day: resolve_country(label.strip(), on=day),
                     file=file, field=field)


def origins(labels: pd.Series, on: pd.Series, rows: pd.Series, *, file: str) -> pd.Series:
    """Origins → M49, with total / other / unknown as the UN Population Division codes them."""
    return _pairwise(labels, on, rows, lambda label, day: resolve_origin(label.strip(), on=day),
                     file=file, field="origin")


def sexes(labels: pd.Series, rows: pd.Series, *, file: str) -> pd.Series:
    return _map_unique(labels, rows, parse_sex, file=file, field="sex").astype("int64")


def ages(labels: pd.Series, rows: pd.Series, *, file: str) -> pd.DataFrame:
    parsed = _map_unique(labels, rows, parse_age, file=file, field="age")
    return pd.DataFrame({"age_lo": parsed.map(lambda a: a.lo).astype("int64"),
                         "age_hi": parsed.map(lambda a: a.hi).astype("Int64")})


def universes(labels: pd.Series, rows: pd.Series, *, file: str) -> pd.Series:
    return _map_unique(labels, rows, parse_universe, file=file, field="concept").astype("int64")


def _source_type(label: str) -> str:
    text = label.strip().lower()
    if text not in SOURCE_TYPES:
        raise InputError(f"unknown source type {label!r}: use one of {', '.join(SOURCE_TYPES)}")
    return text


def source_types(labels: pd.Series, rows: pd.Series, *, file: str) -> pd.Series:
    return _map_unique(labels, rows, _source_type, file=file, field="source_type")


def values(labels: pd.Series, rows: pd.Series, *, file: str, field: str = "value") -> pd.Series:
    """Counts of persons: numbers (thousands separators allowed), finite and non-negative."""
    text = labels.astype(str).str.strip().str.replace(r"(?<=\d)[ ,\u00a0\u202f](?=\d{3}\b)", "", regex=True)
    numbers = pd.to_numeric(text, errors="coerce")
    bad = numbers.isna() | ~np.isfinite(numbers.fillna(0))
    if bad.any():
        first = bad.idxmax()
        raise InputError(f"not a number: {labels[first]!r}", file=file, row=int(rows[first]), field=field)
    negative = numbers < 0
    if negative.any():
        first = negative.idxmax()
        raise InputError(f"negative value {numbers[first]:g}", file=file, row=int(rows[first]), field=field)
    return numbers.astype("float64")
