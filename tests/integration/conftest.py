"""Slices of the real UN long-format corpus (its first rows: the last tabulation may be partial), for fast import tests."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

LONG = "un_ims/undesa_pd_long/empirical_data_points.csv.gz"


def write_slice(refdata: Path, out: Path, max_rows: int, compress: bool = False) -> Path:
    """The first ``max_rows`` data lines of the empirical corpus (header kept)."""
    opener = gzip.open if compress else open
    with gzip.open(refdata / LONG, "rt", encoding="utf-8") as src, opener(out, "wt", encoding="utf-8") as dst:
        for i, line in enumerate(src):
            if i > max_rows:
                break
            dst.write(line)
    return out


@pytest.fixture(scope="session")
def un_long_slice(refdata, tmp_path_factory) -> Path:
    return write_slice(refdata, tmp_path_factory.mktemp("unlong") / "slice.csv.gz", 60_000, compress=True)
