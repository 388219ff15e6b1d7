"""World migrant children (0-17, 0-19) estimated from the UN's empirical inputs, 1990-2020, by sex.

The pure pipeline with the default parameters runs on the all-origins totals and age tabulations of
the UN Population Division's empirical data points (nothing of the published ages goes in); its
world 0-17 and 0-19 and their 80 % intervals (both aggregation rules: the default sum of the country
bounds, and independent errors) are set beside

- the published headline figures: UNICEF under 18 (31 M in 2015, 35.5 M in 2020), UN DESA 0-19
  (29 M in 1990, 40.9 M in 2020);
- the IMS 2020 table by 5-year age group summed over the destinations, every year and sex: 0-19 as
  published, 0-17 with 15-19 split by Sprague's formula (the published ages do not give 0-17).

Also the 2020 estimate run alone (``years=(2020,)``): the age tabulations used are those nearest
each reference year, so the set of years moves the children a little. CI pins the 2020, 2015 and
1990 figures in tests/unit/estimate/test_children_world.py.

Run: python -m benchmarks.children_world
"""

from __future__ import annotations

import time
import warnings
from dataclasses import replace

import pandas as pd

from benchmarks.common import REFERENCE, write_result
from gmrd.estimate import accuracy
from gmrd.estimate import pipeline as pl
from gmrd.estimate.children import against_published, headline_figures, world_cohorts_from_ages

SEX_NAMES = {0: "both", 1: "male", 2: "female"}


def compared(estimates: pd.DataFrame, published: pd.DataFrame) -> pd.DataFrame:
    """Both aggregation rules' world children beside ``published`` (rows per rule)."""
    countries = estimates[estimates["area_code"] < 900]
    parts = []
    for rule in ("bound", "independent"):
        out = estimates if rule == "bound" else pl.with_aggregates(countries, "independent")
        parts.append(against_published(out, published).assign(rule=rule))
    return pd.concat(parts, ignore_index=True)


def table(frame: pd.DataFrame) -> str:
    """Markdown rows: millions with one decimal, % differences, interval and coverage."""
    head = ("| source | year | sex | age | estimate (M) | 80 % interval, sum of bounds (M) | covered | "
            "80 % interval, independent (M) | covered | published (M) | difference |")
    rule = "|" + "---|" * 11
    wide = frame.pivot_table(index=["source", "year", "sex", "age"], columns="rule",
                             values=["value", "lower", "upper", "covered", "published", "diff_pct"],
                             aggfunc="first")
    rows = []
    for (source, year, sex, age), r in wide.iterrows():
        rows.append(
            f"| {source} | {year} | {SEX_NAMES[int(sex)]} | {age} | {r[('value', 'bound')] / 1e6:.2f} | "
            f"[{r[('lower', 'bound')] / 1e6:.1f}, {r[('upper', 'bound')] / 1e6:.1f}] | "
            f"{'yes' if r[('covered', 'bound')] else 'no'} | "
            f"[{r[('lower', 'independent')] / 1e6:.1f}, {r[('upper', 'independent')] / 1e6:.1f}] | "
            f"{'yes' if r[('covered', 'independent')] else 'no'} | {r[('published', 'bound')] / 1e6:.2f} | "
            f"{r[('diff_pct', 'bound')]:+.1f} % |")
    return "\n".join([head, rule, *rows])


def main() -> None:
    warnings.filterwarnings("ignore")
    folder = REFERENCE / "un_ims"
    raw = pd.read_csv(folder / "undesa_pd_long" / "empirical_data_points_all_origins_total.csv.gz")
    cells = accuracy.cells_from_un_long(raw)
    ages = world_cohorts_from_ages(pd.read_csv(folder / "ims2020_age_sex_destination_wide.csv"))
    params = pl.Params()
    start = time.perf_counter()
    estimates = pl.estimate(cells, params)
    seconds = time.perf_counter() - start
    alone = pl.estimate(cells, replace(params, years=(2020,)))
    headline = compared(estimates, headline_figures())
    by_year = compared(estimates, ages)
    only_2020 = against_published(alone, headline_figures())
    world = estimates[(estimates["area_code"] == 900) & (estimates["sex"] == 0)]
    shares = world.pivot_table(index="year", columns="age", values="value")
    published_total = ages[(ages["sex"] == 0)].set_index(["year", "age"])["published"]
    share_rows = ["| year | 0-17 share | IMS ages | 0-19 share | IMS ages |", "|---|---|---|---|---|"]
    ims_totals = pd.read_csv(folder / "ims2020_age_sex_destination_wide.csv").query("sex == 'both'")
    ims_totals = ims_totals.groupby("year")["total"].sum()
    for year, r in shares.iterrows():
        share_rows.append(
            f"| {year} | {100 * r['0-17'] / r['total']:.1f} % | "
            f"{100 * published_total[(year, '0-17')] / ims_totals[year]:.1f} % | "
            f"{100 * r['0-19'] / r['total']:.1f} % | "
            f"{100 * published_total[(year, '0-19')] / ims_totals[year]:.1f} % |")
    md = ["# World migrant children from the corpus inputs", "",
          f"Pipeline (default parameters, {len(params.years)} years) in {seconds:.1f} s.", "",
          "Published headline figures:", "", table(headline), "",
          "IMS 2020 table by age (0-17: 15-19 split by Sprague), every year and sex:", "", table(by_year), "",
          "Covered, of the " + f"{len(by_year) // 2} rows above: " + "; ".join(
              f"{rule} {int(part['covered'].sum())}" for rule, part in by_year.groupby("rule")) + "; median "
          "absolute difference " + "; ".join(
              f"{year} {part['diff_pct'].abs().median():.1f} %"
              for year, part in by_year[by_year["rule"] == "bound"].groupby("year")), "",
          "Child share of the world total (estimate; IMS 2020 ages):", "", "\n".join(share_rows), "",
          "2020 estimated alone (years=(2020,)): " + "; ".join(
              f"{r.source} {r.age} {r.year}: {r.value / 1e6:.2f} M ({r.diff_pct:+.1f} %)"
              for r in only_2020.itertuples() if r.year == 2020)]
    write_result("children_world", "\n".join(md), {
        "seconds": seconds,
        "headline": headline.drop(columns=["share"]).to_dict("records"),
        "by_year": by_year.drop(columns=["share"]).to_dict("records"),
        "alone_2020": only_2020.to_dict("records")})


if __name__ == "__main__":
    main()
