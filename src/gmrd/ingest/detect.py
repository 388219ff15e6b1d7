"""Which reader a file needs, decided from its content (first bytes), never from its name alone."""

from __future__ import annotations

from pathlib import Path

from gmrd.errors import InputError
from gmrd.ingest import canonical_csv, un_long, un_workbook, wide
from gmrd.ingest.readers import Reader

# Most specific first: the wide-table reader accepts the most layouts, so it is asked last.
READERS: tuple[Reader, ...] = (un_long, un_workbook, canonical_csv, wide)  # type: ignore[assignment]

HEAD_BYTES = 64 * 1024


def detect_reader(path: Path) -> Reader:
    with path.open("rb") as fh:
        head = fh.read(HEAD_BYTES)
    if not head.strip():
        raise InputError("empty file", file=path.name)
    for reader in READERS:
        if reader.detect(path, head):
            return reader
    names = ", ".join(r.name for r in READERS)
    raise InputError(f"not a recognised tabulation format (expected one of: {names}); "
                     "see docs/import-formats.md", file=path.name, row=1)
