"""Reproduce IMS 2020 mid-year totals (1990-2020) from the UN's own empirical inputs.

Countries whose IMS 2020 "Type of data" is B or C (no refugees added). Median absolute % error vs
IMS 2020 Table 1 by year, inside/outside the data range (the naive baseline's range on all
sources, the same cells for every row), for:

* the naive baseline of issue 4 (median of the sources of the published universe at each date,
  exponential interpolation, last-rate extrapolation), on all sources -- which include the World
  Bank's series, a republication of earlier UN revisions -- and on primary sources only;
* gmrd's default rules (estimates only as a last resort, see gmrd.estimate.selection) and
  gmrd on primary sources only, then one declared alternative at a time.

Every gmrd row is scored on the same country-years as its baseline. Run:
python -m benchmarks.estimate_un_reproduction
"""

from __future__ import annotations

import warnings

import pandas as pd

from benchmarks.common import REFERENCE, write_result
from gmrd.estimate import accuracy
from gmrd.ingest import un_workbook

#: name -> (baseline source types excluded, gmrd choices)
VARIANTS: dict[str, tuple[tuple[str, ...], dict[str, object]]] = {
    "gmrd default": ((), {}),
    "gmrd, primary sources only": (("estimate",), {"exclude_types": ("estimate",)}),
    "gmrd, dates as given (no year-only rule)": ((), {"year_only_mid_year": False}),
    "gmrd, foreign-born whenever available": ((), {"concept_ratio": 1e9}),
    "gmrd, median at one date": ((), {"combine": "median"}),
    "gmrd, linear": ((), {"form": "linear"}),
    "gmrd, blend extrapolation": ((), {"extrapolation": "blend"}),
    "gmrd, share extrapolation": ((), {"extrapolation": "share"}),
    "gmrd, rate extrapolation": ((), {"extrapolation": "rate"}),
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
    baselines_done: set[tuple[str, ...]] = set()
    for name, (excluded, choice) in VARIANTS.items():
        r = accuracy.reproduction(cells, published, universe_of, years, baseline_exclude=excluded, **choice)
        if excluded not in baselines_done:
            label = "naive baseline" + (", primary sources only" if excluded else ", all sources")
            rows.append(r.assign(method=label, error=r["baseline"]))
            baselines_done.add(excluded)
        rows.append(r.assign(method=name, error=r["gmrd"]))
    order = {name: i for i, name in enumerate(dict.fromkeys(f["method"].iloc[0] for f in rows))}
    table = pd.concat(rows).pivot_table(index=["inside", "method"], columns="year", values="error")
    table = table.sort_index(level=["inside", "method"], key=lambda idx: idx.map(order) if idx.name == "method"
                             else -idx.astype(int), sort_remaining=False)
    counts = rows[0].pivot_table(index="inside", columns="year", values="countries")
    default = rows[1].set_index(["year", "inside"])
    beats = bool((default["gmrd"] < default["baseline"]).all())
    md = ["# Reproducing IMS 2020 totals from the UN's empirical inputs", "",
          (f"{len(universe_of)} countries of type B or C. Median absolute % error vs IMS 2020 Table 1; "
           "inside = the year lies within the naive baseline's data range (all sources)."), "",
          markdown(table.round(2)), "", "Countries per cell (default rows):", "", markdown(counts), "",
          f"gmrd default below the naive baseline (all sources) in every year, inside and outside: {beats}"]
    write_result("estimate_un_reproduction", "\n".join(md),
                 {"errors": table.round(3).reset_index().to_dict("records"), "beats_baseline": beats})


if __name__ == "__main__":
    main()
