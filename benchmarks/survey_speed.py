"""Speed of design-based domain means: gmrd vs a plain numpy reference, R survey, samplics and svy.

Task (issue 6): mean and SE of one variable for 1,000,000 persons in 20 strata and 2,000 clusters, by a
5-level domain, from a frame already in memory. Every tool's results are checked against the numpy
reference (they must be identical to rounding). R, samplics and svy are measured when installed.

Usage: python benchmarks/survey_speed.py [--rows 1000000] [--repeat 7] [--out benchmarks/out/survey_speed.md]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from gmrd.survey.design import SurveyDesign
from gmrd.survey.estimators import by, mean

N_STRATA, N_CLUSTERS, N_DOMAINS = 20, 2000, 5


def make_frame(rows: int, seed: int = 6) -> pd.DataFrame:
    """Synthetic persons: clusters nested in strata, cluster effects, unequal weights, a 5-level domain."""
    rng = np.random.default_rng(seed)
    cluster = rng.integers(0, N_CLUSTERS, rows)
    stratum = cluster % N_STRATA
    effect = rng.normal(0, 5, N_CLUSTERS)[cluster]
    domain = rng.integers(1, N_DOMAINS + 1, rows)
    y = 50 + effect + 2 * domain + rng.normal(0, 10, rows)
    weight = rng.uniform(50, 150, N_CLUSTERS)[cluster] * rng.uniform(0.8, 1.2, rows)
    return pd.DataFrame({"stratum": stratum, "cluster": cluster, "weight": weight, "y": y, "dom": domain})


def numpy_reference(frame: pd.DataFrame) -> pd.DataFrame:
    """Domain means and with-replacement SEs with np.bincount over clusters and strata (the yardstick)."""
    w = frame["weight"].to_numpy()
    y = frame["y"].to_numpy()
    d = frame["dom"].to_numpy() - 1
    c = frame["cluster"].to_numpy()
    s_of_c = np.zeros(N_CLUSTERS, dtype=np.int64)
    s_of_c[c] = frame["stratum"].to_numpy()
    n_h = np.bincount(s_of_c, minlength=N_STRATA).astype(float)
    key = d * N_CLUSTERS + c
    wsum = np.bincount(key, w, N_DOMAINS * N_CLUSTERS).reshape(N_DOMAINS, N_CLUSTERS)
    wysum = np.bincount(key, w * y, N_DOMAINS * N_CLUSTERS).reshape(N_DOMAINS, N_CLUSTERS)
    big_n = wsum.sum(axis=1)
    est = wysum.sum(axis=1) / big_n
    z = (wysum - wsum * est[:, None]) / big_n[:, None]
    zbar = np.stack([np.bincount(s_of_c, z[k], N_STRATA) for k in range(N_DOMAINS)]) / n_h
    dev = z - zbar[:, s_of_c]
    var = (dev**2 * (n_h / (n_h - 1))[s_of_c]).sum(axis=1)
    return pd.DataFrame({"dom": np.arange(1, N_DOMAINS + 1), "estimate": est, "se": np.sqrt(var)})


def run_gmrd(frame: pd.DataFrame, deff: bool = False) -> pd.DataFrame:
    design = SurveyDesign.from_frame(frame, weights="weight", strata="stratum", clusters=["cluster"])
    result = by(design, "y", "dom", mean, deff=deff)
    return pd.DataFrame({"dom": list(result), "estimate": [e.value for e in result.values()],
                         "se": [e.se for e in result.values()]})


def run_samplics(frame: pd.DataFrame) -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from samplics.estimation import TaylorEstimator
        from samplics.utils.types import PopParam

        est = TaylorEstimator(PopParam.mean)
        est.estimate(y=frame["y"], samp_weight=frame["weight"], stratum=frame["stratum"], psu=frame["cluster"],
                     domain=frame["dom"])
    keys = sorted(est.point_est)
    return pd.DataFrame({"dom": keys, "estimate": [est.point_est[k] for k in keys],
                         "se": [est.stderror[k] for k in keys]})


def svy_runner() -> Callable[[pd.DataFrame], pd.DataFrame]:
    import polars as pl
    import svy

    cache: dict[int, object] = {}

    def run(frame: pd.DataFrame) -> pd.DataFrame:
        data = cache.setdefault(id(frame), pl.from_pandas(frame))  # the loaded frame, converted untimed
        sample = svy.Sample(data, svy.Design(stratum="stratum", psu="cluster", wgt="weight"))
        rows = sample.estimation.mean("y", by="dom").to_polars().sort("dom")
        return pd.DataFrame({"dom": rows["dom"].to_list(), "estimate": rows["est"].to_list(),
                             "se": rows["se"].to_list()})

    return run


R_CODE = r"""
suppressPackageStartupMessages(library(survey))
d <- read.csv(commandArgs(trailingOnly = TRUE)[1])
t1 <- system.time(des <- svydesign(ids = ~cluster, strata = ~stratum, weights = ~weight, data = d))
t2 <- system.time(r <- svyby(~y, ~dom, des, svymean))
cat(sprintf("%.17g,%.17g\n", t1[["elapsed"]], t2[["elapsed"]]))
write.csv(data.frame(dom = r$dom, estimate = coef(r), se = SE(r)), stdout(), row.names = FALSE)
cat(as.character(packageVersion("survey")), "\n")
"""


def run_r(frame: pd.DataFrame) -> tuple[float, float, pd.DataFrame, str] | None:
    rscript = shutil.which("Rscript")
    if rscript is None:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        csv = Path(tmp) / "persons.csv"
        frame.to_csv(csv, index=False)
        script = Path(tmp) / "bench.R"
        script.write_text(R_CODE)
        out = subprocess.run([rscript, str(script), str(csv)], capture_output=True, text=True, check=True,
                             timeout=3600).stdout.strip().splitlines()
    design_s, by_s = (float(x) for x in out[0].split(","))
    from io import StringIO

    result = pd.read_csv(StringIO("\n".join(out[1:-1])))
    return design_s, by_s, result, out[-1].strip()


def timed(func: Callable[[pd.DataFrame], pd.DataFrame], frame: pd.DataFrame, repeat: int) -> tuple[float, pd.DataFrame]:
    best, result = float("inf"), pd.DataFrame()
    for _ in range(repeat):
        start = time.perf_counter()
        result = func(frame)
        best = min(best, time.perf_counter() - start)
    return best, result


def max_rel_diff(a: pd.DataFrame, b: pd.DataFrame) -> tuple[float, float]:
    a, b = a.sort_values("dom").reset_index(drop=True), b.sort_values("dom").reset_index(drop=True)
    rel = lambda x, y: float(np.max(np.abs(np.asarray(x, float) - np.asarray(y, float)) / np.abs(np.asarray(y, float))))
    return rel(a["estimate"], b["estimate"]), rel(a["se"], b["se"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "out" / "survey_speed.md")
    parser.add_argument("--no-r", action="store_true", help="skip R even when Rscript is installed")
    args = parser.parse_args()

    frame = make_frame(args.rows)
    load_before = os.getloadavg()[0]
    rows: list[tuple[str, float, str, str]] = []
    # the reference and gmrd alternate, so that both see the same machine load
    ref_time = gmrd_time = float("inf")
    reference = gmrd_result = pd.DataFrame()
    for _ in range(args.repeat):
        seconds, reference = timed(numpy_reference, frame, 1)
        ref_time = min(ref_time, seconds)
        seconds, gmrd_result = timed(run_gmrd, frame, 1)
        gmrd_time = min(gmrd_time, seconds)
    rows.append(("numpy reference (np.bincount over clusters and strata)", ref_time, "-", "-"))
    diff = max_rel_diff(gmrd_result, reference)
    rows.append(("gmrd (SurveyDesign.from_frame + by(mean))", gmrd_time, f"{diff[0]:.1e}", f"{diff[1]:.1e}"))
    deff_time, deff_result = timed(lambda f: run_gmrd(f, deff=True), frame, args.repeat)
    diff = max_rel_diff(deff_result, reference)
    rows.append(("gmrd, also design effects (deff=True)", deff_time, f"{diff[0]:.1e}", f"{diff[1]:.1e}"))
    candidates: list[tuple[str, Callable[[pd.DataFrame], pd.DataFrame]]] = [("samplics (TaylorEstimator)", run_samplics)]
    try:
        import svy

        candidates.append((f"svy {svy.__version__} (Sample + estimation.mean by)", svy_runner()))
    except ImportError:
        print("svy not installed: skipped", file=sys.stderr)
    for name, func in candidates:
        try:
            seconds, result = timed(func, frame, 1 if "samplics" in name else args.repeat)
        except ImportError:
            print(f"{name} not installed: skipped", file=sys.stderr)
            continue
        diff = max_rel_diff(result, reference)
        rows.append((name, seconds, f"{diff[0]:.1e}", f"{diff[1]:.1e}"))
    r = None if args.no_r else run_r(frame)
    if r is not None:
        design_s, by_s, result, version = r
        diff = max_rel_diff(result, reference)
        rows.append((f"R survey {version} (svydesign {design_s:.2f} s + svyby {by_s:.2f} s)", design_s + by_s,
                     f"{diff[0]:.1e}", f"{diff[1]:.1e}"))
    else:
        print("Rscript not found or --no-r: R skipped", file=sys.stderr)

    lines = [
        "# Survey estimation speed",
        "",
        (f"Mean and SE of y by a {N_DOMAINS}-level domain; {args.rows:,} persons, {N_STRATA} strata, "
         f"{N_CLUSTERS:,} clusters (with-replacement PSU variance), frame already in memory. "
         f"Best of {args.repeat} runs, the numpy reference and gmrd alternating (samplics and R: one run). Relative differences are the largest over "
         "the domains against the numpy reference."),
        "",
        "| tool | seconds | × numpy reference | max rel. diff estimate | max rel. diff SE |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, seconds, d_est, d_se in rows:
        lines.append(f"| {name} | {seconds:.3f} | {seconds / ref_time:.1f} | {d_est} | {d_se} |")
    lines.append(f"\nMachine: {os.cpu_count()} CPUs, load average {load_before:.1f} before and "
                 f"{os.getloadavg()[0]:.1f} after the run.")
    verdict = "met" if gmrd_time <= 3 * ref_time else "NOT met"
    lines += ["", f"Goal: gmrd within 3× of the numpy reference: {verdict} ({gmrd_time / ref_time:.1f}×).", ""]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
