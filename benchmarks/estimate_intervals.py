"""How often the 80 % prediction intervals hold what they should, on the UN's own empirical inputs.

1. **Held-out data points** (the calibration's own yardstick): every data point of every country is
   predicted from the other points of its series (leave one point out) and, for the imputation,
   from the other countries (leave one country out); the countries are split into 5 folds (fixed
   seed) and each fold's errors are scored against a calibration table fitted on the other 4.
   Goal: coverage within 80 +/- 5 %, overall and for the imputed situation.
2. **IMS 2020**: the share of country-years (both sexes, 1990-2020) whose published total lies in
   gmrd's interval (goal >= 70 %), by situation and by the UN's type of data; the regions and the
   world under both aggregation rules (independent errors, sum of bounds).

Run: python -m benchmarks.estimate_intervals
"""

from __future__ import annotations

import warnings
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

from benchmarks.common import REFERENCE, markdown, write_result
from gmrd.estimate import accuracy
from gmrd.estimate import holdout as ho
from gmrd.estimate import intervals as iv
from gmrd.estimate import pipeline as pl
from gmrd.ingest import un_workbook
from gmrd.reference.countries import countries

YEARS = tuple(range(1990, 2021, 5))
TOLERANCE = 5.0


def load(folder: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(pipeline cells of the UN long file, IMS 2020 workbook records incl. aggregates)."""
    records = pd.concat(un_workbook.read_workbook(
        folder / "undesa_pd_2020_ims_stock_by_sex_and_destination.xlsx", aggregates=True))
    raw = pd.read_csv(folder / "undesa_pd_long" / "empirical_data_points_all_origins_total.csv.gz")
    return accuracy.cells_from_un_long(raw), records


def held_out(cells: pd.DataFrame, params: pl.Params, k: int = 5, seed: int = 0
             ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Totals and age shares: every held-out error with whether the out-of-fold interval covers it."""
    scores, ages = pl.held_out_errors(cells, params)
    folds = ho.country_folds(scores["country_code"], k, seed)
    age_folds = ho.country_folds(ages["country_code"], k, seed)
    return (iv.cross_validated_coverage(scores, folds, params.level),
            iv.cross_validated_age_coverage(ages, age_folds, params.level))


def published_all(records: pd.DataFrame) -> pd.DataFrame:
    """``area_code, year, value``: both-sexes totals of countries and aggregates."""
    rows = records[(records["sex"] == 0) & (records["age_lo"] == 0) & records["age_hi"].isna()]
    return pd.DataFrame({"area_code": rows["country_code"].to_numpy(),
                         "year": pd.to_datetime(rows["reference_date"]).dt.year.to_numpy(),
                         "published": rows["value"].to_numpy(dtype=float)})


def against_published(estimates: pd.DataFrame, published: pd.DataFrame) -> pd.DataFrame:
    """Both-sexes totals with the published value, ``covered`` and the relative width."""
    tot = estimates[(estimates["sex"] == 0) & (estimates["age"] == "total")]
    m = tot.merge(published, on=["area_code", "year"])
    m = m[m["published"] > 0]
    m["covered"] = ((m["lower"] <= m["published"]) & (m["published"] <= m["upper"])).astype(float)
    m["rel_width"] = (m["upper"] - m["lower"]) / m["value"]
    return m


def summary(frame: pd.DataFrame, by: str) -> pd.DataFrame:
    g = frame.groupby(by)
    out = pd.DataFrame({"n": g.size(), "coverage %": (100 * g["covered"].mean()).round(1)})
    out.loc["all"] = [len(frame), round(100 * frame["covered"].mean(), 1)]
    return out


def main() -> None:
    warnings.filterwarnings("ignore")
    cells, records = load(REFERENCE / "un_ims")
    params = pl.Params(years=YEARS)
    scored, ages = held_out(cells, params)
    held = summary(scored, "situation")
    age_held = summary(ages, "age")
    bins = pd.cut(scored["distance"], [0, 1, 2, 5, 10, 20, np.inf], right=False)
    by_distance = summary(scored.assign(bin=bins.astype(str)), ["situation", "bin"])
    overall, imputed = float(held.loc["all", "coverage %"]), float(held.loc["imputed", "coverage %"])
    types = accuracy.published_types(records)
    published = published_all(records)
    rows, aggregates = {}, {}
    for rule in iv.AGGREGATE_RULES:
        out, table = pl.estimate_with_calibration(cells, replace(params, aggregate_intervals=rule))
        compared = against_published(out, published)
        rows[rule] = compared
        aggregates[rule] = compared[compared["area_code"] >= 900]
    countries_cmp = rows["independent"][rows["independent"]["area_code"] < 900].copy()
    memo: dict[object, object] = {}
    pl.country_estimates(cells, params, memo)
    series = memo["series"]
    where = ho.situations(series[series["sex"] == 0], countries_cmp["area_code"],  # type: ignore[index]
                          countries_cmp["year"].to_numpy(float) + 0.5)
    countries_cmp["situation"] = where["situation"].to_numpy()
    countries_cmp["type"] = countries_cmp["area_code"].map(types).fillna("?")
    ims_by_year = summary(countries_cmp, "year")
    ims_by_situation = summary(countries_cmp, "situation")
    ims_by_type = summary(countries_cmp, "type")
    width = countries_cmp.groupby("situation")["rel_width"].median().round(3)
    names = countries()["name"]
    agg_rows = []
    for rule, frame in aggregates.items():
        kinds = frame["area_code"].map(countries()["kind"])
        for kind, part in frame.groupby(kinds):
            agg_rows.append({"rule": rule, "kind": kind, "n": len(part),
                             "coverage %": round(100 * part["covered"].mean(), 1),
                             "median relative width": round(float(part["rel_width"].median()), 3)})
    world = pd.concat([f[f["area_code"] == 900].assign(rule=r) for r, f in aggregates.items()])
    world = world.assign(error_pct=(100 * (world["value"] / world["published"] - 1)).round(1),
                         lower=(world["lower"] / 1e6).round(1), upper=(world["upper"] / 1e6).round(1),
                         value=(world["value"] / 1e6).round(1), published=(world["published"] / 1e6).round(1))
    ims_share = float(countries_cmp["covered"].mean() * 100)
    wide = countries_cmp["situation"].isin(["imputed", "outside", "single"])
    never_zero = bool((countries_cmp.loc[wide, "rel_width"] > 0).all())
    md = ["# Prediction intervals (80 %): coverage", "",
          f"Calibration table (all countries, level {params.level}):", "", markdown(table.round(3)), "",
          "Held-out data points, calibration fitted on the other 4 of 5 folds of countries (seed 0):", "",
          markdown(held), "", "By distance to the nearest remaining data point:", "",
          markdown(by_distance), "",
          f"Goal 80 +/- {TOLERANCE:g} %: overall {overall:.1f} %, imputed {imputed:.1f} %: "
          f"{abs(overall - 80) <= TOLERANCE and abs(imputed - 80) <= TOLERANCE}", "",
          "Age shares of countries with age data, predicted by the regional pattern without them "
          "(the age_imputed rule), 5 folds of countries:", "", markdown(age_held), "",
          "IMS 2020 country totals inside gmrd's interval, by year:", "", markdown(ims_by_year), "",
          "by situation (median relative width (upper - lower) / value beside):", "",
          markdown(ims_by_situation.join(width.rename("median relative width"))), "",
          "by the UN's type of data:", "", markdown(ims_by_type), "",
          f"Goal >= 70 % of country-years: {ims_share:.1f} % ({ims_share >= 70}); imputed and extrapolated "
          f"intervals never of zero width: {never_zero}", "",
          "Regions and world (IMS 2020 aggregates) by aggregation rule:", "",
          markdown(pd.DataFrame(agg_rows).set_index(["rule", "kind"])), "",
          "World (millions):", "",
          markdown(world[["rule", "year", "value", "lower", "upper", "published", "error_pct", "covered"]]
                   .set_index(["rule", "year"]))]
    write_result("estimate_intervals", "\n".join(md), {
        "level": params.level, "calibration": table.to_dict("records"),
        "held_out": held.reset_index().to_dict("records"), "held_out_overall": overall,
        "held_out_imputed": imputed, "ims_country_years": ims_share,
        "age_share_held_out": age_held.reset_index().to_dict("records"), "never_zero_width": never_zero,
        "ims_by_situation": ims_by_situation.reset_index().to_dict("records"),
        "aggregates": agg_rows, "world_name": str(names.get(900, "World"))})


if __name__ == "__main__":
    main()
