"""Speed of the estimate: the whole pipeline on the UN corpus, and the interpolation step vs numpy.

1. whole estimate (selection, interpolation, graduation, imputation, aggregation, intervals) from
   the 11.7-million-row corpus held in memory as pipeline cells, wall and CPU seconds (the CPU
   figure is what the machine's load does not change);
3. if GMRD_ESTIMATE_DB names a database with the corpus imported and accepted, reading the
   accepted cells from it (gmrd.estimate.run.load_cells);
2. interpolation of all countries × 1990-2025 × sex × fine age groups: gmrd's
   interpolate_panel vs the plain vectorized numpy reference (reference_log_linear), same data.
Run: python -m benchmarks.estimate_speed
"""

from __future__ import annotations

import os
import time
import warnings

import numpy as np
import pandas as pd

from benchmarks.common import CORPUS, write_result
from gmrd.estimate import accuracy
from gmrd.estimate.interpolate import interpolate_panel, reference_log_linear
from gmrd.estimate.pipeline import Params, estimate


def best_of(fn, repeat: int = 5) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    warnings.filterwarnings("ignore")
    raw = pd.read_csv(CORPUS)
    cells = accuracy.cells_from_un_long(raw)
    start, cpu = time.perf_counter(), time.process_time()
    out = estimate(cells, Params(years=tuple(range(1990, 2026))))
    whole, whole_cpu = time.perf_counter() - start, time.process_time() - cpu
    read = read_cpu = None
    if os.environ.get("GMRD_ESTIMATE_DB"):
        from gmrd.estimate.run import load_cells

        start, cpu = time.perf_counter(), time.process_time()
        load_cells(os.environ["GMRD_ESTIMATE_DB"])
        read, read_cpu = time.perf_counter() - start, time.process_time() - cpu
    rng = np.random.default_rng(0)
    n_series = 235 * 3 * 32
    counts = rng.integers(2, 12, n_series)
    series = np.repeat(np.arange(n_series), counts)
    t = np.concatenate([np.sort(rng.uniform(1985, 2024, c)) for c in counts])
    v = rng.uniform(100, 1e6, len(t))
    targets = np.arange(1990, 2026) + 0.5
    ours = best_of(lambda: interpolate_panel(series, t, v, n_series, targets, extrapolation="constant"))
    ref = best_of(lambda: reference_log_linear(series, t, v, n_series, targets))
    read_text = (f"{read:.1f} s wall, {read_cpu:.1f} s CPU" if read is not None
                 else "not run (set GMRD_ESTIMATE_DB)")
    lines = [
        "# Estimate speed", "",
        (f"- whole estimate, 1990-2025, corpus of {len(raw):,} rows in memory: {whole:.1f} s wall, "
         f"{whole_cpu:.1f} s CPU ({len(out):,} estimates; target < 60 s)"),
        f"- reading the accepted cells from {os.environ.get('GMRD_ESTIMATE_DB')}: {read_text}",
        f"- machine load average (1 min) at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs",
        (f"- interpolation, {n_series:,} series × {len(targets)} years: gmrd {ours * 1000:.1f} ms, "
         f"numpy reference {ref * 1000:.1f} ms, ratio {ours / ref:.2f} (target ≤ 3)"),
    ]
    md = "\n".join(lines)
    write_result("estimate_speed", md, {"whole_s": whole, "whole_cpu_s": whole_cpu, "read_s": read,
                                        "read_cpu_s": read_cpu, "interp_s": ours, "reference_s": ref,
                                        "rows": len(out)})


if __name__ == "__main__":
    main()
