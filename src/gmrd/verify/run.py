"""Run every check over all (or some) sources and store the findings (``gmrd verify``).

Checks are vectorized over all sources at once. Cells are processed in chunks of whole sources
(about ``CHUNK_CELLS`` cells each) to bound the memory of the group-bys; cross-source and time-series
checks use one total per source, read for all sources so that ``--source`` still compares with the
neighbours.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd
from sqlalchemy.engine import Connection

from gmrd.db.engine import get_engine
from gmrd.errors import InputError
from gmrd.verify import store
from gmrd.verify.ages import check_age_groups, check_age_values, check_duplicates
from gmrd.verify.cross_source import (
    check_conflicting_editions,
    check_cross_source,
    edition_pairs,
    source_points,
)
from gmrd.verify.dates import check_reference_dates
from gmrd.verify.frame import concat
from gmrd.verify.plausibility import check_age_structure, check_sex_ratio
from gmrd.verify.population import check_population_share, check_relative_share, source_stocks, stock_points
from gmrd.verify.series import check_spikes, check_time_series
from gmrd.verify.totals import (
    age_parents,
    check_age_totals,
    check_origin_totals,
    check_sex_totals,
    rounding_units,
    source_totals,
)

CHUNK_CELLS = 2_000_000
CHECKS = ("totals.sex", "totals.age", "totals.origin", "ages.overlap", "ages.gap", "ages.open_group", "ages.invalid",
          "cells.duplicate", "dates.invalid", "dates.future", "dates.title_year", "dates.precision",
          "plausibility.sex_ratio", "plausibility.age_structure", "plausibility.population_share",
          "cross_source.difference", "cross_source.concept", "cross_source.conflict",
          "cross_source.population_share", "series.growth", "series.spike")


@dataclass
class VerifyResult:
    sources: int
    cells: int
    findings: pd.DataFrame
    stored: int
    seconds: dict[str, float] = field(default_factory=dict)
    points: pd.DataFrame | None = None


def cell_checks(cells: pd.DataFrame, universes: pd.Series) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every check that reads a source's own cells; returns (findings, per-source totals and stocks:
    ``total``, ``male``, ``female``, ``stock``, ``from_origins``)."""
    units = rounding_units(cells)
    mapping, intervals = age_parents(cells)
    totals = source_totals(cells)
    stocks = source_stocks(cells)
    found = concat([
        check_duplicates(cells),
        check_age_values(cells),
        check_sex_totals(cells, units),
        check_age_totals(cells, units, mapping),
        check_origin_totals(cells, units),
        check_age_groups(cells, intervals),
        check_sex_ratio(totals, universes),
        check_age_structure(cells, universes),
    ])
    return found, totals.join(stocks.rename(columns={"total": "stock"}), how="outer")


def source_chunks(cells: pd.DataFrame, size: int = CHUNK_CELLS) -> Iterator[pd.DataFrame]:
    """Slices of a source-sorted cells frame, each holding whole sources and about ``size`` cells."""
    sid = cells["source_id"].to_numpy()
    start = 0
    while start < len(sid):
        stop = min(start + size, len(sid))
        if stop < len(sid):
            stop = int(np.searchsorted(sid, sid[stop - 1], side="right"))
        yield cells.iloc[start:stop]
        start = stop


def verify_frames(sources: pd.DataFrame, cells: pd.DataFrame, all_sources: pd.DataFrame | None = None,
                  all_totals: pd.DataFrame | None = None, today: date | None = None,
                  on_chunk: Callable[[int], None] | None = None, partner_cells: pd.DataFrame | None = None
                  ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """All checks over in-memory frames (pure: frames in; findings and the series points out: one per
    source with a stock, :func:`gmrd.verify.population.stock_points`, for the report's charts).

    ``sources``: the checked sources (id, country_code, reference_date, date_precision, universe,
    title); ``cells``: their cells sorted by source. ``all_sources`` / ``all_totals``: every source and
    its total (``total``; ``stock`` and ``from_origins`` of :func:`gmrd.verify.population.source_stocks`),
    for the cross-source, population and time-series comparisons (default: the checked ones);
    ``partner_cells``: cells of the checked sources and of other editions of them (default: ``cells``).
    """
    universes = sources.set_index("id")["universe"]
    parts, totals = [], []
    for chunk in source_chunks(cells):
        f, t = cell_checks(chunk, universes)
        parts.append(f)
        totals.append(t)
        if on_chunk:
            on_chunk(len(chunk))
    parts.append(check_reference_dates(sources, today))
    if all_sources is None:
        all_sources = sources
        all_totals = pd.concat(totals) if totals else None
    if all_totals is None:
        all_totals = pd.DataFrame(columns=["total", "male", "female", "stock", "from_origins"])
    points = source_points(all_sources, all_totals)
    only = set(sources["id"].tolist())
    parts.append(check_cross_source(points, only))
    parts.append(check_time_series(points, only))
    stocks = all_totals[["stock", "from_origins"]].rename(columns={"stock": "total"}).dropna(subset=["total"])
    stocks = stock_points(all_sources, stocks)
    shares = concat([check_population_share(stocks), check_relative_share(stocks)])
    parts.append(shares[shares["source_id"].isin(only)])
    parts.append(check_spikes(stocks[~stocks["id"].isin(shares["source_id"])], only))
    pairs = edition_pairs(all_sources)
    if partner_cells is None:
        parts.append(check_conflicting_editions(pairs[pairs["id"].isin(only) & pairs["id_b"].isin(only)],
                                                cells))
    else:
        partner_cells = partner_cells.sort_values("source_id", kind="stable")
        parts.append(check_conflicting_editions(pairs[pairs["id"].isin(only)], partner_cells, only))
    found = concat(parts)
    title = sources.set_index("id")["title"]
    found.insert(1, "source_title", title.reindex(found["source_id"]).to_numpy())
    found = found.sort_values(["source_id", "check", "key"], kind="stable").reset_index(drop=True)
    return found, stocks


def all_ages_totals(conn: Connection, sources: pd.DataFrame) -> pd.DataFrame:
    """Totals and stocks of every source (as :func:`cell_checks` gives them) from their all-ages cells:
    the all-origins cells of all sources, and every origin of the sources without one."""
    top = store.load_cells(conn, totals_only=True)
    missing = sorted(set(sources["id"].tolist()) - set(top["source_id"].tolist()))
    if missing:
        top = pd.concat([top, store.load_cells(conn, missing, all_ages=True)], ignore_index=True)
    stocks = source_stocks(top).rename(columns={"total": "stock"})
    return source_totals(top).join(stocks, how="outer")


def verify(url: str | None = None, source_ids: Iterable[int] | None = None, today: date | None = None,
           on_chunk: Callable[[int], None] | None = None) -> VerifyResult:
    """Run the checks on the database at ``url`` and replace the open findings of the checked sources."""
    import time

    engine = get_engine(url)
    seconds: dict[str, float] = {}
    t0 = time.perf_counter()
    with engine.connect() as conn:
        sources = store.load_sources(conn, source_ids)
        if source_ids is not None:
            missing = sorted({int(i) for i in source_ids} - set(sources["id"].tolist()))
            if missing:
                raise InputError(f"no source with id {missing[0]}", field="source")
            all_sources = store.load_sources(conn)
            all_totals = all_ages_totals(conn, all_sources)
        else:
            all_sources, all_totals = None, None
        cells = store.load_cells(conn, sources["id"].tolist() if source_ids is not None else None)
        partner_cells = None
        if source_ids is not None:
            pairs = edition_pairs(all_sources)
            partners = set(pairs.loc[pairs["id"].isin(sources["id"]), "id_b"])
            if partners:
                partner_cells = pd.concat([cells, store.load_cells(conn, partners)], ignore_index=True)
    seconds["read"] = time.perf_counter() - t0
    t1 = time.perf_counter()
    found, points = verify_frames(sources, cells, all_sources, all_totals, today, on_chunk, partner_cells)
    seconds["check"] = time.perf_counter() - t1
    t2 = time.perf_counter()
    with engine.begin() as conn:
        dismissed = store.dismissed_keys(conn, set(found["source_id"].tolist()))
        if dismissed:
            keep = [(int(s), c, k) not in dismissed
                    for s, c, k in zip(found["source_id"], found["check"], found["key"])]
            found = found[np.array(keep, dtype=bool)].reset_index(drop=True)
        stored = store.replace_findings(conn, found, sources["id"].tolist())
    seconds["store"] = time.perf_counter() - t2
    return VerifyResult(sources=len(sources), cells=len(cells), findings=found, stored=stored,
                        seconds=seconds, points=points)
