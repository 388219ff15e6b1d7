"""The reader protocol: each format is a module with ``detect`` and ``read``; READERS lists them.

A reader turns one file into canonical record frames (columns in :mod:`gmrd.ingest.records`),
yielded in chunks so that large files stream. It raises :class:`gmrd.errors.InputError` naming
file, row and field for anything it cannot read. It never touches the database.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Protocol

import pandas as pd


class Reader(Protocol):
    name: str

    def detect(self, path: Path, head: bytes) -> bool:
        """True when the file's first bytes (and name) show this format."""

    def read(self, path: Path) -> Iterator[pd.DataFrame]:
        """Canonical record frames, in file order."""
