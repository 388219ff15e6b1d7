"""Revision manifests and the comparison of two revisions (largest changes and their cause).

A manifest records what a revision was made from: every accepted source (id, country, date,
universe, title, the checksum of the imported file and of its cells as used), the parameters of
:class:`gmrd.estimate.pipeline.Params`, the checksum of the shipped population table and the gmrd
version. Comparing two manifests explains a change in an area's estimate (:func:`explain`): inputs
added, removed or revised for that country, for the sub-region (region) an imputed country borrows from,
or for an aggregate's members; and parameter changes (a method change).

References
----------
.. [1] United Nations, Department of Economic and Social Affairs, Population Division (2020).
   International Migrant Stock 2020: Documentation, "Comparability with earlier revisions".
.. [2] Wilkinson, M. D. et al. (2016). The FAIR Guiding Principles for scientific data management
   and stewardship. Scientific Data 3, 160018 (provenance: inputs, parameters, software).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
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
    causes = explain(old_manifest, new_manifest, [int(a) for a in merged["area_code"]])
    merged["cause"] = [causes[int(a)] for a in merged["area_code"]]
    return merged.rename(columns={"value_old": "old", "value_new": "new"})


def input_changes(old_manifest: Mapping[str, Any], new_manifest: Mapping[str, Any]) -> dict[int, list[str]]:
    """The inputs added, removed or revised (other cells) between two manifests, in words, by country code."""
    def by_key(m: Mapping[str, Any]) -> dict[tuple, dict[str, Any]]:
        return {(i["country_code"], i["reference_date"], i["universe"], i["title"]): i
                for i in m.get("inputs", [])}

    def words(verb: str, key: tuple) -> str:
        return f"{verb} {key[3]} {key[1]}"

    before, after = by_key(old_manifest), by_key(new_manifest)
    out: dict[int, list[str]] = {}
    for key in sorted(set(after) - set(before), key=str):
        out.setdefault(int(key[0]), []).append(words("added", key))
    for key in sorted(set(before) - set(after), key=str):
        out.setdefault(int(key[0]), []).append(words("removed", key))
    for key in sorted(set(before) & set(after), key=str):
        if before[key].get("cells_checksum") != after[key].get("cells_checksum"):
            out.setdefault(int(key[0]), []).append(words("revised", key))
    return out


def method_changes(old_manifest: Mapping[str, Any], new_manifest: Mapping[str, Any]) -> list[str]:
    """Parameters, population table and software version that differ between two manifests."""
    out = _diff(old_manifest.get("parameters", {}), new_manifest.get("parameters", {}))
    if old_manifest.get("population") != new_manifest.get("population"):
        out.append("population table changed")
    versions = [m.get("software", {}).get("version") for m in (old_manifest, new_manifest)]
    if versions[0] != versions[1]:
        out.append(f"gmrd {versions[0]} -> {versions[1]}")
    return out


def explain(old_manifest: Mapping[str, Any], new_manifest: Mapping[str, Any],
            areas: Iterable[int]) -> dict[int, str]:
    """The cause of each area's change between two revisions, in words.

    A country's own inputs added, removed or revised; for a country without data of its own (imputed from
    the median share of its sub-region, then region, then world [1]_), the changed inputs of the area it
    borrows from; for an aggregate, the changed inputs of its member countries; then any change of
    parameters, population table or software. Only when none of these differ: "no change in inputs or
    parameters"; when inputs changed elsewhere only, they are named as such.
    """
    changes = input_changes(old_manifest, new_manifest)
    method = method_changes(old_manifest, new_manifest)
    with_data = {int(i["country_code"]) for m in (old_manifest, new_manifest) for i in m.get("inputs", [])}
    out: dict[int, str] = {}
    for area in areas:
        parts = _input_cause(int(area), changes, with_data)
        if method:
            parts.append("method change: " + ", ".join(method))
        if not parts:
            parts = (["no change in its inputs, those it borrows from or the parameters; inputs changed "
                      "elsewhere: " + _countries(changes, list(changes))]
                     if changes else ["no change in inputs or parameters"])
        out[int(area)] = "; ".join(parts)
    return out


def _input_cause(area: int, changes: Mapping[int, list[str]], with_data: set[int]) -> list[str]:
    from gmrd.errors import UnknownCountry
    from gmrd.reference.countries import country, members, regions_of

    try:
        known = country(area)
        group = members(area) if known.is_aggregate else [area]
    except UnknownCountry:
        return []
    if known.is_aggregate:
        changed = [c for c in group if c in changes]
        if not changed:
            return []
        return [f"inputs of {len(changed)} member {'country' if len(changed) == 1 else 'countries'} changed: "
                + _countries(changes, changed)]
    if area in changes:
        return [f"{area_label(area)}: {_listed(changes[area])}"]
    if area in with_data:
        return []
    regions = regions_of(area)
    for level in ("subregion", "region"):
        code = regions[level]
        if code is None:
            continue
        peers = [c for c in members(code) if c != area and c in changes]
        if peers:
            where = "sub-region" if level == "subregion" else "region"
            return [f"imputed from its {where} {area_label(code)}, "
                    "whose inputs changed: " + _countries(changes, peers)]
    if changes:
        return ["imputed from the world's countries, whose inputs changed: "
                + _countries(changes, list(changes))]
    return []


def _countries(changes: Mapping[int, list[str]], codes: list[int], keep: int = 4) -> str:
    """``Germany (276): 3 added; Belgium (56): 2 added, 1 revised`` (the first ``keep`` countries)."""
    def counted(items: list[str]) -> str:
        verbs = [item.split(" ", 1)[0] for item in items]
        return ", ".join(f"{verbs.count(v)} {v}" for v in dict.fromkeys(verbs))

    shown = [f"{area_label(c)}: {counted(changes[c])}" for c in sorted(codes, key=area_label)[:keep]]
    more = len(codes) - keep
    rest = f" (+{more} more {'country' if more == 1 else 'countries'})" if more > 0 else ""
    return "; ".join(shown) + rest


def _listed(items: list[str], keep: int = 3) -> str:
    return "; ".join(items[:keep]) + (f" (+{len(items) - keep} more)" if len(items) > keep else "")


def manifest_summary(doc: Mapping[str, Any]) -> str:
    """What a revision was made from, in words, for a table cell: ``"12 sources from 5 countries (censuses
    1990-2011); years 1990-2020 every 5; trend exponential, extrapolation constant, ages mono; 80 %
    prediction intervals; gmrd 0.1.0"``."""
    inputs = doc.get("inputs", [])
    countries = {i.get("country_code") for i in inputs}
    dates = sorted(str(i.get("reference_date", ""))[:4] for i in inputs if i.get("reference_date"))
    span = f" (data {dates[0]}-{dates[-1]})" if dates else ""
    parts = [f"{len(inputs):,} source{'' if len(inputs) == 1 else 's'} from {len(countries):,} "
             f"countr{'y' if len(countries) == 1 else 'ies'}{span}"]
    params = doc.get("parameters", {})
    years = [int(y) for y in params.get("years", [])]
    if years:
        step = f" every {years[1] - years[0]}" if len(years) > 1 else ""
        parts.append(f"years {years[0]}-{years[-1]}{step}")
    labels = (("form", "trend"), ("extrapolation", "extrapolation"), ("graduation", "ages"))
    method = [f"{label} {params[key]}" for key, label in labels if key in params]
    if method:
        parts.append(", ".join(method))
    intervals = doc.get("intervals")
    has_kind = isinstance(intervals, Mapping) and intervals.get("kind")
    parts.append(str(intervals["kind"]) if has_kind else "no intervals")  # type: ignore[index]
    version = doc.get("software", {}).get("version")
    if version:
        parts.append(f"gmrd {version}")
    return "; ".join(parts)


def area_label(code: int) -> str:
    """``Western Europe (926)``: the area's name and code (the code alone when unknown)."""
    from gmrd.errors import UnknownCountry
    from gmrd.reference.countries import country

    try:
        return f"{country(code).name} ({code})"
    except UnknownCountry:
        return str(code)


def _diff(a: Mapping[str, Any], b: Mapping[str, Any], prefix: str = "") -> list[str]:
    out = []
    for key in sorted(set(a) | set(b)):
        x, y = a.get(key), b.get(key)
        if isinstance(x, Mapping) and isinstance(y, Mapping):
            out += _diff(x, y, f"{prefix}{key}.")
        elif x != y:
            out.append(f"{prefix}{key} {x!r} -> {y!r}")
    return out
