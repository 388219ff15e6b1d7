"""Graduation on real data (issue 4): IMS 2020 5-year groups -> wide groups -> graduated back.

For every destination country (and year, sex) of UN DESA's International Migrant Stock 2020 by
age (0-4 … 70-74, 75+), the 5-year groups are summed into the wide groups censuses often publish
(0-14, 15-24, 25-64, 65+), graduated back to single years with each method, and regrouped into
15-19 and 0-19. The median (over countries) absolute percentage error against the published
5-year counts is compared with the uniform split. Sprague and Beers need 5-year input and do not
apply to wide groups.

Run from the project root: ``.venv/bin/python -m benchmarks.graduation_real_data`` (reference data
from ``GMRD_REFERENCE_DATA``, default ../shared/data). Prints the tables and writes
benchmarks/out/graduation.md (a markdown fragment) and graduation.json. About 5 minutes on 2 cores.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import numpy as np
import pandas as pd
from rich.console import Console
from rich.table import Table

from benchmarks.common import OUT, REFERENCE
from gmrd.estimate.graduation.evaluate import WIDE_GROUPS, absolute_percentage_errors, recovery

FILE = REFERENCE / "un_ims" / "ims2020_age_sex_destination_wide.csv"
AGES = [f"{a}-{a + 4}" for a in range(0, 75, 5)] + ["75+"]
STARTS = list(range(0, 80, 5))
WIDTHS: list[float | None] = [5.0] * 15 + [None]
TARGETS = {"15-19": (15, 20), "0-19": (0, 20)}
HEADER = ("| method | median APE 15-19 % | median APE 0-19 % | mean APE 15-19 % | mean APE 0-19 % "
          "| median / uniform 15-19 | median / uniform 0-19 |")

# (label, method, options): defaults first, then the open-group variants documented in the code
VARIANTS: list[tuple[str, str, dict[str, Any]]] = [
    ("uniform", "uniform", {}),
    ("mono", "mono", {}),
    ("mono, 65+ closed at 100", "mono", {"open_width": 35}),
    ("pclm (BIC)", "pclm", {}),
    ("pclm, 65+ as 1-year bin (DemoTools default)", "pclm", {"open_width": 1}),
]


def _errors(job: tuple[str, dict[str, Any], list[list[float]]]) -> dict[str, list[tuple[float, float]]]:
    method, options, series = job
    out: dict[str, list[tuple[float, float]]] = {name: [] for name in TARGETS}
    for values in series:
        for name, pair in recovery(values, STARTS, WIDTHS, WIDE_GROUPS, TARGETS, method, **options).items():
            out[name].append(pair)
    return out


def evaluate(series: list[list[float]], method: str, options: dict[str, Any], workers: int
             ) -> dict[str, float]:
    chunks = [series[i::workers] for i in range(workers)]
    merged: dict[str, list[tuple[float, float]]] = {name: [] for name in TARGETS}
    with ProcessPoolExecutor(workers) as pool:
        for part in pool.map(_errors, [(method, options, c) for c in chunks]):
            for name in TARGETS:
                merged[name].extend(part[name])
    result: dict[str, float] = {"n": float(len(series))}
    for name in TARGETS:
        ape = absolute_percentage_errors(merged[name])
        result[f"median {name}"] = float(np.median(ape))
        result[f"mean {name}"] = float(np.mean(ape))
    return result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="only 2020, both sexes (about 1 minute)")
    args = parser.parse_args(argv)
    console = Console(width=150)
    frame = pd.read_csv(FILE)
    frame = frame[frame[AGES].notna().all(axis=1) & (frame[AGES].sum(axis=1) > 0)]
    slices = {
        "2020, both sexes": frame[(frame.year == 2020) & (frame.sex == "both")],
        "1990-2020, both sexes": frame[frame.sex == "both"],
    }
    if args.quick:
        del slices["1990-2020, both sexes"]
    workers = max(1, min(4, os.cpu_count() or 1))
    lines = [
        "# Graduation on real data (IMS 2020)", "",
        "UN DESA International Migrant Stock 2020 by destination, sex and 5-year age group: the",
        "5-year groups are summed into 0-14, 15-24, 25-64, 65+, graduated back to single years and",
        "regrouped; the table gives the absolute percentage error of the 15-19 and 0-19 counts",
        "(median and mean over countries x years) and the ratio of the median to the uniform split's.",
        "Sprague and Beers need 5-year groups and do not apply. Produced by",
        "benchmarks/graduation_real_data.py.", "",
    ]
    results: dict[str, dict[str, dict[str, float]]] = {}
    for title, rows in slices.items():
        results[title] = {}
        series = rows[AGES].astype(float).values.tolist()
        table = Table(title=f"{title} ({len(series)} series)")
        for column in ("method", "median 15-19 %", "median 0-19 %", "mean 15-19 %", "mean 0-19 %",
                       "vs uniform 15-19", "vs uniform 0-19", "seconds"):
            table.add_column(column, justify="left" if column == "method" else "right")
        lines += [f"## {title} ({len(series)} series)", "",
                  HEADER,
                  "|---|---:|---:|---:|---:|---:|---:|"]
        baseline: dict[str, float] = {}
        for label, method, options in VARIANTS:
            if "DemoTools" in label and not title.startswith("2020"):
                continue  # shown once: the open group as a one-year bin is far worse
            started = time.perf_counter()
            res = evaluate(series, method, options, workers)
            seconds = time.perf_counter() - started
            results[title][label] = res
            if method == "uniform":
                baseline = res
            ratios = [res[f"median {t}"] / baseline[f"median {t}"] for t in TARGETS]
            cells = [f"{res['median 15-19']:.2f}", f"{res['median 0-19']:.2f}", f"{res['mean 15-19']:.2f}",
                     f"{res['mean 0-19']:.2f}", f"{ratios[0]:.2f}", f"{ratios[1]:.2f}"]
            table.add_row(label, *cells, f"{seconds:.1f}")
            lines.append(f"| {label} | " + " | ".join(cells) + " |")
        console.print(table)
        lines.append("")
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "graduation.md").write_text("\n".join(lines), encoding="utf-8")
    (OUT / "graduation.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    console.print(f"wrote {OUT / 'graduation.md'}")


if __name__ == "__main__":
    main()
