"""Reproduce IMS 2020 mid-year totals (1990-2020) from the UN's own empirical inputs.

Countries whose IMS 2020 "Type of data" is B or C (no refugees added). Median absolute % error by
year, inside/outside the data range, for gmrd's default rules, gmrd with published estimates
(World Bank, earlier UN figures) admitted as lowest-ranked points, and the naive baseline (median of
sources at each date, exponential interpolation, last-rate extrapolation), all in this run.
Run: python -m benchmarks.estimate_un_reproduction
"""

from __future__ import annotations

import warnings

import pandas as pd

from benchmarks.common import REFERENCE, write_result
from gmrd.estimate import accuracy
from gmrd.ingest import un_workbook

VARIANTS = {
    "gmrd (default: primary sources)": {},
    "gmrd (estimates admitted, blend)": {"exclude_types": ()},
    "gmrd (estimates admitted, constant)": {"exclude_types": (), "extrapolation": "constant"},
    "gmrd (share extrapolation)": {"extrapolation": "share"},
    "gmrd (linear)": {"form": "linear"},
}


def markdown(frame: pd.DataFrame) -> str:
    """A pipe table without extra dependencies."""
    frame = frame.reset_index()
    head = "| " + " | ".join(str(c) for c in frame.columns) + " |"
    rule = "|" + "---|" * len(frame.columns)
    body = ["| " + " | ".join(str(v) for v in row) + " |" for row in frame.itertuples(index=False)]
    return "\n".join([head, rule, *body])


def main() -> None:
    warnings.filterwarnings("ignore")
    folder = REFERENCE / "un_ims"
    records = pd.concat(un_workbook.read_workbook(
        folder / "undesa_pd_2020_ims_stock_by_sex_and_destination.xlsx", aggregates=True))
    universe_of = accuracy.countries_of_type(accuracy.published_types(records))
    raw = pd.read_csv(folder / "undesa_pd_long" / "empirical_data_points_all_origins_total.csv.gz")
    cells = accuracy.cells_from_un_long(raw)
    published = accuracy.published_totals(records)
    years = list(range(1990, 2021, 5))
    rows = []
    for name, choice in VARIANTS.items():
        r = accuracy.reproduction(cells, published, universe_of, years, **choice)
        if not rows:
            rows.append(r.assign(method="naive baseline", error=r["baseline"]))
        rows.append(r.assign(method=name, error=r["gmrd"]))
    table = pd.concat(rows).pivot_table(index=["method", "inside"], columns="year", values="error")
    counts = rows[0].pivot_table(index="inside", columns="year", values="countries")
    md = ["# Reproducing IMS 2020 totals from the UN's empirical inputs", "",
          f"{len(universe_of)} countries of type B or C. Median absolute % error vs IMS 2020 Table 1; "
          "inside = the year lies within the baseline's data range.", "",
          markdown(table.round(2)), "", "Countries per cell:", "", markdown(counts)]
    write_result("estimate_un_reproduction", "\n".join(md),
                 {"errors": table.round(3).reset_index().to_dict("records")})


if __name__ == "__main__":
    main()
