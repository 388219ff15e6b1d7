"""What the benchmarks share: where the reference data is, timing a child process, writing results."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "out"
REFERENCE = Path(os.environ.get("GMRD_REFERENCE_DATA", ROOT.parent / "shared" / "data")).resolve()
CORPUS = REFERENCE / "un_ims" / "undesa_pd_long" / "empirical_data_points.csv.gz"
POSTGRES = os.environ.get("GMRD_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")


def run_child(code: str, env: dict[str, str] | None = None) -> dict[str, float]:
    """Run python code in a fresh process; returns its wall seconds, its own peak RSS (MB) and JSON output.

    The code's last line of output must be a JSON object.
    """
    code += ("\nimport json as _j, resource as _r\n"
             "print(_j.dumps({'peak_rss_mb': _r.getrusage(_r.RUSAGE_SELF).ru_maxrss / 1024}))")
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, cwd=ROOT)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"benchmark child failed:\n{proc.stderr[-3000:]}")
    lines = proc.stdout.strip().splitlines()
    result: dict[str, float] = {}
    for line in lines[-2:]:
        if line.startswith("{"):
            result.update(json.loads(line))
    return {"wall_s": wall, **result}


def write_result(name: str, markdown: str, data: object) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / f"{name}.md").write_text(markdown)
    (OUT / f"{name}.json").write_text(json.dumps(data, indent=2, default=str))
    print(markdown)


def markdown(frame: pd.DataFrame) -> str:
    """A pipe table without extra dependencies."""
    frame = frame.reset_index()
    head = "| " + " | ".join(str(c) for c in frame.columns) + " |"
    rule = "|" + "---|" * len(frame.columns)
    body = ["| " + " | ".join(str(v) for v in row) + " |" for row in frame.itertuples(index=False)]
    return "\n".join([head, rule, *body])
