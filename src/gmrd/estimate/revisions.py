"""Revision manifests and the comparison of two revisions (largest changes and their cause).

A manifest records what a revision was made from: every accepted source (id, country, date,
universe, title, the checksum of the imported file and of its cells as used), the parameters of
:class:`gmrd.estimate.pipeline.Params`, the checksum of the shipped population table and the gmrd
version. Comparing two manifests explains a change in a country's estimate: a data point added or
removed for that country, else a parameter change (a method change), else nothing in the inputs
(e.g. a change in the regional pattern borrowed by an imputed country).

References
----------
.. [1] United Nations, Department of Economic and Social Affairs, Population Division (2020).
   International Migrant Stock 2020: Documentation, "Comparability with earlier revisions".
.. [2] Wilkinson, M. D. et al. (2016). The FAIR Guiding Principles for scientific data management
   and stewardship. Scientific Data 3, 160018 (provenance: inputs, parameters, software).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from gmrd.estimate.children import OUTPUT_GROUPS

LABEL_OF = {bounds: label for label, bounds in OUTPUT_GROUPS.items()}


def cells_checksum(cells: pd.DataFrame) -> dict[int, str]:
    """SHA-256 of each source's cells as used (sorted sex, ages, origin, value), by source id."""
    cols = ["source_id", "sex", "age_lo", "age_hi", "origin_code", "value"]
    frame = cells[cols].assign(age_hi=cells["age_hi"].fillna(-2).astype(np.int64))
    frame = frame.sort_values(cols, kind="stable")
    out = {}
    for source_id, group in frame.groupby("source_id", sort=True):
        payload = group[cols[1:]].to_csv(index=False, header=False, float_format="%.17g").encode()
        out[int(source_id)] = hashlib.sha256(payload).hexdigest()
    return out


def manifest(sources: pd.DataFrame, cells: pd.DataFrame, parameters: Mapping[str, Any],
             population_checksum: str, version: str) -> dict[str, Any]:
    """The manifest document (JSON-serializable)."""
    sums = cells_checksum(cells)
    inputs = [{"source_id": int(r.source_id), "country_code": int(r.country_code),
               "reference_date": str(r.reference_date), "source_type": str(r.source_type),
               "universe": int(r.universe), "title": str(r.title), "file_checksum": str(r.file_checksum),
               "cells_checksum": sums.get(int(r.source_id), "")}
              for r in sources.itertuples(index=False)]
    return {"software": {"name": "gmrd", "version": version}, "parameters": _plain(parameters),
            "population": {"file": "total_population_ims2020.csv", "sha256": population_checksum},
            "inputs": inputs}


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def age_labels(age_lo: pd.Series, age_hi: pd.Series) -> list[str]:
    """Labels (``0-4``, ``75+``, ``0-17``, ``total``) of estimate rows' [age_lo, age_hi).

    Examples
    --------
    >>> age_labels(pd.Series([0, 75, 0]), pd.Series([5, None, None]))
    ['0-4', '75+', 'total']
    """
    lo = pd.Series(age_lo).astype("int64").to_numpy()
    hi = pd.to_numeric(pd.Series(age_hi), errors="coerce").fillna(-1).astype("int64").to_numpy()
    pairs, codes = np.unique(np.column_stack([lo, hi]), axis=0, return_inverse=True)
    labels = []
    for a, b in pairs.tolist():
        key = (int(a), None if b < 0 else int(b))
        labels.append(LABEL_OF.get(key, f"{key[0]}+" if key[1] is None else f"{key[0]}-{key[1] - 1}"))
    return np.asarray(labels, dtype=object)[np.ravel(codes)].tolist() if len(lo) else []


def compare(old: pd.DataFrame, new: pd.DataFrame, old_manifest: Mapping[str, Any],
            new_manifest: Mapping[str, Any], top: int = 20) -> pd.DataFrame:
    """The ``top`` largest absolute changes of both-sexes totals by area and year, with their cause.

    ``old``/``new`` have ``area_code, year, sex, age, value``. Returns ``area_code, year, old, new,
    change, change_pct, cause``.
    """
    keys = ["area_code", "year"]
    pick = [(f["sex"] == 0) & (f["age"] == "total") for f in (old, new)]
    merged = old[pick[0]][keys + ["value"]].merge(new[pick[1]][keys + ["value"]], on=keys, how="outer",
                                                  suffixes=("_old", "_new"))
    merged["change"] = merged["value_new"].fillna(0) - merged["value_old"].fillna(0)
    with np.errstate(divide="ignore", invalid="ignore"):
        merged["change_pct"] = 100 * merged["change"] / merged["value_old"]
    merged = merged.reindex(merged["change"].abs().sort_values(ascending=False, kind="stable").index)
    merged = merged.head(top).reset_index(drop=True)
    causes = explain(old_manifest, new_manifest)
    merged["cause"] = [causes.get(int(a), causes.get(-1, "no change in inputs or parameters"))
                       for a in merged["area_code"]]
    return merged.rename(columns={"value_old": "old", "value_new": "new"})


def explain(old_manifest: Mapping[str, Any], new_manifest: Mapping[str, Any]) -> dict[int, str]:
    """Cause by country code (-1: the cause for every other area, a method change or none)."""
    def by_key(m: Mapping[str, Any]) -> dict[tuple, dict[str, Any]]:
        return {(i["country_code"], i["reference_date"], i["universe"], i["title"]): i
                for i in m.get("inputs", [])}

    before, after = by_key(old_manifest), by_key(new_manifest)
    causes: dict[int, list[str]] = {}
    for key in sorted(set(after) - set(before), key=str):
        causes.setdefault(int(key[0]), []).append(f"new data point: {key[3]} {key[1]}")
    for key in sorted(set(before) - set(after), key=str):
        causes.setdefault(int(key[0]), []).append(f"data point removed: {key[3]} {key[1]}")
    for key in sorted(set(before) & set(after), key=str):
        if before[key].get("cells_checksum") != after[key].get("cells_checksum"):
            causes.setdefault(int(key[0]), []).append(f"data point revised: {key[3]} {key[1]}")
    out = {code: "; ".join(items[:3]) + (f" (+{len(items) - 3} more)" if len(items) > 3 else "")
           for code, items in causes.items()}
    changed = _diff(old_manifest.get("parameters", {}), new_manifest.get("parameters", {}))
    if changed:
        out[-1] = "method change: " + ", ".join(changed)
    return out


def _diff(a: Mapping[str, Any], b: Mapping[str, Any], prefix: str = "") -> list[str]:
    out = []
    for key in sorted(set(a) | set(b)):
        x, y = a.get(key), b.get(key)
        if isinstance(x, Mapping) and isinstance(y, Mapping):
            out += _diff(x, y, f"{prefix}{key}.")
        elif x != y:
            out.append(f"{prefix}{key} {x!r} -> {y!r}")
    return out
