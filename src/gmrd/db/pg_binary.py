"""PostgreSQL binary COPY built with numpy: numeric columns (some NULL) without text conversion.

The binary format (PostgreSQL manual, "COPY — Binary Format"): an 11-byte signature, two int32
(flags, extension length), then per row an int16 field count and per field an int32 byte length
(-1 for NULL) followed by the value in network byte order; a trailer int16 -1. Rows that share one
pattern of NULL columns have a fixed layout, so each such group is one numpy structured array.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

SIGNATURE = b"PGCOPY\n\xff\r\n\x00" + (0).to_bytes(4, "big") + (0).to_bytes(4, "big")
TRAILER = (-1).to_bytes(2, "big", signed=True)
NUMPY_TYPES = {"int2": ">i2", "int4": ">i4", "int8": ">i8", "float8": ">f8"}


def binary_copy_payload(frame: pd.DataFrame, columns: Sequence[str], pg_types: Sequence[str | None]
                        ) -> bytes | None:
    """The COPY BINARY payload for ``frame``, or None when a column is not numeric-or-all-NULL.

    ``pg_types`` gives int2/int4/int8/float8 per column, or None for a column that must be all NULL.
    """
    n = len(frame)
    nulls = []
    for column, kind in zip(columns, pg_types):
        missing = frame[column].isna().to_numpy()
        if kind is None and not missing.all():
            return None
        nulls.append(missing)
    bits = 1 << np.arange(len(nulls), dtype=np.int64)
    code = np.column_stack(nulls).astype(np.int64) @ bits if nulls else np.zeros(n, np.int64)
    parts = [SIGNATURE]
    for value in np.unique(code):
        rows = np.flatnonzero(code == value)
        pattern = (int(value) & bits) != 0
        fields = [("count", ">i2")]
        for i, (column, kind) in enumerate(zip(columns, pg_types)):
            fields.append((f"len{i}", ">i4"))
            if not pattern[i]:
                fields.append((f"val{i}", NUMPY_TYPES[kind]))  # type: ignore[index]
        block = np.empty(len(rows), dtype=np.dtype(fields))
        block["count"] = len(columns)
        for i, (column, kind) in enumerate(zip(columns, pg_types)):
            if pattern[i]:
                block[f"len{i}"] = -1
            else:
                dtype = np.dtype(NUMPY_TYPES[kind])  # type: ignore[index]
                block[f"len{i}"] = dtype.itemsize
                values = frame[column].to_numpy()[rows]
                block[f"val{i}"] = values.astype(dtype.newbyteorder("="), copy=False)
        parts.append(block.tobytes())
    parts.append(TRAILER)
    return b"".join(parts)
