"""Fixtures of the fault-injection tests (helpers in faultkit.py)."""

from __future__ import annotations

import subprocess
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from faultkit import CANONICAL, SLICE_ROWS, Tmpfs, mount_problem, write_slice

from unavailable import unavailable


@pytest.fixture(scope="session")
def long_slice(refdata: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """60,000 rows of the real corpus: an import that takes a few seconds in a subprocess."""
    return write_slice(refdata, tmp_path_factory.mktemp("faults") / "slice.csv.gz", SLICE_ROWS)


@pytest.fixture()
def baseline_file(tmp_path: Path) -> Path:
    """A small canonical CSV imported before the fault, so that "as before" is not just "empty"."""
    path = tmp_path / "baseline.csv"
    path.write_text(CANONICAL, encoding="utf-8")
    return path


@pytest.fixture()
def tmpfs() -> Iterator[Callable[[int], Tmpfs]]:
    """Mount small tmpfs file systems (a full disk on demand); fails in CI (CI=true) when impossible.

    Mount points are made in the system temporary folder (not pytest's private one) so that the
    PostgreSQL server's own user can reach a tablespace there.
    """
    mounted: list[Tmpfs] = []

    def mount(size: int) -> Tmpfs:
        problem = mount_problem()
        fs = None
        if problem is None:
            try:
                fs = Tmpfs(Path(tempfile.mkdtemp(prefix="gmrd-tmpfs-")), size)
            except subprocess.CalledProcessError as exc:
                problem = f"mount -t tmpfs failed: {exc.stderr.strip()}"
        if fs is None:
            unavailable(f"full-disk test needs a tmpfs mount: {problem}")
        mounted.append(fs)
        return fs

    yield mount
    for fs in reversed(mounted):
        fs.unmount()
        fs.path.rmdir()
