"""Cross-validated reproduction of IMS 2020 (1990-2020) from the UN's own empirical inputs.

1. The documented workflow on the all-origins file: ``gmrd init``, ``gmrd import``, ``gmrd verify``,
   ``gmrd review accept-clean``, ``gmrd estimate``, ``gmrd export estimates`` into a temporary
   SQLite database; the exported world and SDG-region totals (default rules) against IMS 2020.
2. On the accepted cells read back from that database (``gmrd.estimate.run.load_cells``): 5-fold
   cross-validation over the 235 countries and areas (fixed seed); every rule (imputation share,
   extrapolation, refugee rule and threshold, refugees on republished points) chosen on the
   training folds from the declared
   grid of :func:`gmrd.estimate.crossval.candidate_grid`, scored on the held-out fold: median
   absolute % error per year, inside/outside the data range, per IMS "Type of data" (scoring
   only), world and SDG regions. Baselines in the same run: "no refugees" (the same CV on the
   grid's no-refugee candidates) and the naive pipeline (median of sources at a date in the UN's
   universe, exponential interpolation, last-rate extrapolation). Every figure with all sources and
   without the "estimate" (World Bank) series.

Run: python -m benchmarks.estimate_un_reproduction
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from benchmarks.common import REFERENCE, ROOT, markdown, write_result
from gmrd.estimate import accuracy, crossval
from gmrd.estimate.impute import published_areas
from gmrd.estimate.pipeline import Params
from gmrd.estimate.run import load_cells
from gmrd.estimate.selection import SelectionRules
from gmrd.ingest import un_workbook
from gmrd.reference.countries import countries

YEARS = list(range(1990, 2021))
K, SEED = 5, 20201
VARIANTS = {"all sources": (), "without estimate series": ("estimate",)}
INPUT = REFERENCE / "un_ims" / "undesa_pd_long" / "empirical_data_points_all_origins_total.csv.gz"


def gmrd(*args: str, url: str) -> str:
    """Run one gmrd command (this source tree) and return its stdout; fail loudly."""
    env = {**os.environ, "GMRD_DATABASE_URL": url, "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.run([sys.executable, "-c", "from gmrd.cli import app; app()", *args],
                          capture_output=True, text=True, env=env, cwd=ROOT)
    if proc.returncode != 0:
        raise RuntimeError(f"gmrd {' '.join(args)} failed: {proc.stderr[-2000:]}")
    return proc.stdout


def workflow(folder: Path) -> tuple[str, pd.DataFrame, float]:
    """import → verify → review accept-clean → estimate → export; (url, exported rows, seconds)."""
    url = f"sqlite:///{folder / 'gmrd.db'}"
    out = folder / "estimates.csv"
    start = time.perf_counter()
    gmrd("init", url=url)
    gmrd("import", str(INPUT), url=url)
    gmrd("verify", url=url)
    gmrd("review", "accept-clean", "--reason", "benchmark: the documented workflow", url=url)
    gmrd("estimate", "--years", "1990:2020:5", "--revision", "bench", url=url)
    gmrd("export", "estimates", "--format", "csv", "-o", str(out), "--revision", "bench", url=url)
    return url, pd.read_csv(out), time.perf_counter() - start


def by_year(frame: pd.DataFrame, index: list[str], value: str) -> pd.DataFrame:
    return frame.pivot_table(index=index, columns="year", values=value).round(2)


def main() -> None:
    warnings.filterwarnings("ignore")
    folder = REFERENCE / "un_ims"
    records = pd.concat(un_workbook.read_workbook(
        folder / "undesa_pd_2020_ims_stock_by_sex_and_destination.xlsx", aggregates=True))
    published = accuracy.published_totals(records)
    published = published[published["year"].isin(YEARS)]
    pub_areas = accuracy.published_aggregates(records)
    types = accuracy.published_types(records)
    is_r = types.str.contains("R").map({True: "R (refugees added by the UN)", False: "not R"})
    names = countries()["name"]
    with tempfile.TemporaryDirectory() as tmp:
        url, exported, wf_seconds = workflow(Path(tmp))
        cells = load_cells(url)
    start = time.perf_counter()
    areas = published_areas()["code"].tolist()
    folds = crossval.assign_folds(areas, K, SEED)
    grid = crossval.candidate_grid()
    regions = crossval.sdg_regions()
    no_ref = {n: c for n, c in grid.items() if n.endswith("refugees none")}
    md, data = [], {}
    errors, aggs, refs, chosen_rows = [], [], [], []
    for variant, excluded in VARIANTS.items():
        base = Params(years=tuple(YEARS), selection=SelectionRules(exclude_types=excluded))
        cands = crossval.candidate_estimates(cells, grid, base)
        runs = {"gmrd (CV)": crossval.cross_validate(cands, published, folds, regions),
                "no refugees (CV)": crossval.cross_validate({n: cands[n] for n in no_ref}, published, folds,
                                                            regions)}
        base_pts = accuracy.baseline_points(cells, accuracy.baseline_universes(types), excluded)
        naive = accuracy.naive_baseline(base_pts, YEARS)
        for method, result in runs.items():
            est = result.estimates
            errors.append(crossval.error_table(est, published).assign(variant=variant, method=method))
            aggs.append(crossval.aggregate_errors(est, pub_areas).assign(variant=variant, method=method))
            refs.append(crossval.error_table(est, published, is_r).assign(variant=variant, method=method))
            chosen_rows += [{"variant": variant, "method": method, "fold": f, "candidate": c}
                            for f, c in result.chosen.items()]
            if method == "gmrd (CV)":
                errors.append(crossval.error_table(est, published, types).assign(
                    variant=variant, method="gmrd (CV) by type"))
                ours = est
        # the naive baseline against gmrd on the same country-years (gmrd's data range)
        common = naive[["country_code", "year", "value"]].dropna().merge(
            ours[["country_code", "year", "inside", "imputed"]], on=["country_code", "year"])
        common = common[~common["imputed"]]
        same = ours.merge(common[["country_code", "year"]])
        errors.append(crossval.error_table(common, published).assign(variant=variant,
                                                                     method="naive baseline"))
        errors.append(crossval.error_table(same, published).assign(
            variant=variant, method="gmrd (CV), naive's country-years"))
    cv_seconds = time.perf_counter() - start
    err = pd.concat(errors, ignore_index=True)
    agg = pd.concat(aggs, ignore_index=True)
    ref = pd.concat(refs, ignore_index=True)
    chosen = pd.DataFrame(chosen_rows)
    # the documented workflow's own figures (default rules), world and SDG regions
    both = "both" if exported["sex"].dtype == object else 0
    wf = exported[(exported["sex"] == both) & (exported["age"] == "total")]
    wf_tot = pd.DataFrame({"country_code": wf["area_code"].astype(np.int64), "year": wf["year"],
                           "value": wf["value"].astype(float)})
    wf_areas = wf_tot.rename(columns={"country_code": "area_code"}).merge(
        pub_areas, on=["area_code", "year"], suffixes=("", "_pub"))
    wf_areas = wf_areas[wf_areas["area_code"].isin([crossval.WORLD, *crossval.SDG_REGIONS])]
    wf_areas["pct_error"] = 100 * (wf_areas["value"] - wf_areas["value_pub"]) / wf_areas["value_pub"]
    label = {a: str(names.get(a, a)) for a in [crossval.WORLD, *crossval.SDG_REGIONS]}
    # goals (out of fold, all sources)
    main_cv = agg[(agg["variant"] == "all sources") & (agg["method"] == "gmrd (CV)")]
    world = main_cv[main_cv["area_code"] == crossval.WORLD].set_index("year")["pct_error"]
    regions = main_cv[main_cv["area_code"] != crossval.WORLD]
    e_all = err[(err["variant"] == "all sources")]
    own = e_all[(e_all["method"] == "gmrd (CV)") & (e_all["group"] == "all")]
    inside = own[own["inside"]].set_index("year")["median_ape"]
    g_same = e_all[e_all["method"] == "gmrd (CV), naive's country-years"].set_index(
        ["year", "inside"])["median_ape"]
    n_same = e_all[e_all["method"] == "naive baseline"].set_index(["year", "inside"])["median_ape"]
    beats = (g_same < n_same.reindex(g_same.index))
    goals = {
        "world within 2 % every year": (bool((world.abs() < 2).all()), float(world.abs().max())),
        "every SDG region within 5 % every year": (bool((regions["pct_error"].abs() < 5).all()),
                                                   float(regions["pct_error"].abs().max())),
        "median APE inside < 2.5 % every year": (bool((inside < 2.5).all()), float(inside.max())),
        "below naive baseline every year, inside and outside": (bool(beats.all()),
                                                                int((~beats).sum())),
    }
    md += ["# Cross-validated reproduction of IMS 2020 totals from the UN's empirical inputs", "",
           f"Input: {INPUT.name} through the documented workflow ({wf_seconds:.0f} s); {K}-fold CV over "
           f"{len(areas)} countries and areas (seed {SEED}), {len(grid)} candidates "
           f"({cv_seconds:.0f} s).", "",
           "## Goals (out of fold, all sources)", ""]
    md += [f"- {g}: {'met' if ok else 'NOT met'} ({'worst ' if 'naive' not in g else 'cells not below: '}"
           f"{v:.2f})" for g, (ok, v) in goals.items()]
    md += ["", "## World and SDG regions: % error of the out-of-fold sums vs IMS 2020", ""]
    a = agg.assign(area=agg["area_code"].map(label))
    md += [markdown(by_year(a[a["year"] % 5 == 0], ["variant", "method", "area"], "pct_error")), ""]
    md += ["## Median absolute % error, countries with data (imputed: outside)", ""]
    e = err[err["method"] != "gmrd (CV) by type"]
    md += [markdown(by_year(e[e["year"] % 5 == 0], ["variant", "method", "inside"], "median_ape")), ""]
    md += ["## By IMS type of data (scoring only; gmrd CV)", ""]
    t = err[err["method"] == "gmrd (CV) by type"]
    md += [markdown(by_year(t[t["year"] % 5 == 0], ["variant", "group", "inside"], "median_ape")), ""]
    md += ["## The refugee rule on countries the UN marks R and on the others", ""]
    md += [markdown(by_year(ref[ref["year"] % 5 == 0], ["variant", "group", "method", "inside"],
                            "median_ape")), ""]
    md += ["## The documented workflow (default rules): world and SDG regions, % error", ""]
    w = wf_areas.assign(area=wf_areas["area_code"].map(label))
    md += [markdown(by_year(w[w["year"] % 5 == 0], ["area"], "pct_error")), ""]
    md += ["## Rules chosen on the training folds", "",
           markdown(chosen.set_index(["variant", "method", "fold"]))]
    data = {"goals": goals, "aggregates": agg.to_dict("records"), "errors": err.round(3).to_dict("records"),
            "workflow": wf_areas.to_dict("records"), "chosen": chosen.to_dict("records")}
    write_result("estimate_un_reproduction", "\n".join(md), data)


if __name__ == "__main__":
    main()
