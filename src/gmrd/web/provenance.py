"""How a revision's estimates were made, per area: the imputed share of each area and year and gmrd's
type of data of each country (:mod:`gmrd.export.provenance`), computed once per revision."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

from gmrd.export.provenance import data_types, imputed_shares


@dataclass(frozen=True)
class Provenance:
    """``shares[(area, year)]``: the share of the area's all-ages estimate that is imputed;
    ``types[country]``: gmrd's type of data (``B``, ``C R``, ``I`` …); ``latest``: the latest year."""

    shares: dict[tuple[int, int], float] = field(default_factory=dict)
    types: dict[int, str] = field(default_factory=dict)
    latest: int | None = None

    def share(self, area: int, year: int | None = None) -> float | None:
        """The imputed share of ``area`` in ``year`` (default: the latest year); None where unknown."""
        found = self.shares.get((int(area), int(year if year is not None else self.latest or 0)))
        return None if found is None or math.isnan(found) else found


def build_provenance(totals: pd.DataFrame) -> Provenance:
    """From the revision's all-ages, both-sexes estimates (``area_code, year, value, flags``)."""
    if totals.empty:
        return Provenance()
    shares = imputed_shares(totals)
    return Provenance(shares={(int(a), int(y)): float(s) for a, y, s in shares.itertuples(index=False)},
                      types=data_types(totals), latest=int(totals["year"].max()))
