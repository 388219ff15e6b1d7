"""`make bench`: every benchmark in its own process, one after another; results in benchmarks/out/.

Each benchmark compares gmrd with a baseline measured in the same run (a ratio), so the figures
hold on a noisy machine. `python -m benchmarks.run NAME ...` runs only the named ones.
"""

from __future__ import annotations

import subprocess
import sys
import time

from benchmarks.common import OUT, ROOT

BENCHMARKS = (
    "import_speed",
    "verify_speed",
    "graduation_real_data",
    "graduation_groupings",
    "estimate_un_reproduction",
    "estimate_intervals",
    "children_world",
    "estimate_speed",
    "survey_speed",
    "web_latency",
)


def main(names: list[str]) -> int:
    chosen = names or list(BENCHMARKS)
    unknown = sorted(set(chosen) - set(BENCHMARKS))
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; choose from {', '.join(BENCHMARKS)}")
        return 2
    failed = []
    for name in chosen:
        print(f"== {name}", flush=True)
        start = time.perf_counter()
        code = subprocess.call([sys.executable, "-m", f"benchmarks.{name}"], cwd=ROOT)
        print(f"== {name}: {'ok' if code == 0 else f'FAILED ({code})'} in {time.perf_counter() - start:.0f} s",
              flush=True)
        if code:
            failed.append(name)
    OUT.mkdir(parents=True, exist_ok=True)
    parts = [(OUT / f"{n}.md").read_text() for n in chosen if (OUT / f"{n}.md").exists()]
    (OUT / "SUMMARY.md").write_text("\n".join(parts))
    print(f"summary: {OUT / 'SUMMARY.md'}; failed: {', '.join(failed) or 'none'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
