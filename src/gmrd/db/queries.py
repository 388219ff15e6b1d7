"""All database reads the CLI, exports and web use: small functions, no SQL in callers."""

from __future__ import annotations

from collections.abc import Iterator

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from gmrd.db.models import Cell, Source, Tabulation

TABULATION_CELLS = (
    sa.select(Source.id.label("source_id"), Source.title.label("source_title"), Source.country_code,
              Source.reference_date, Source.source_type, Source.universe, Cell.sex, Cell.age_lo,
              Cell.age_hi, Cell.origin_code, Cell.value, Cell.sex_label, Cell.age_label,
              Cell.origin_label, Cell.row, Tabulation.id.label("tabulation_id"))
    .join(Tabulation, Tabulation.source_id == Source.id)
    .join(Cell, Cell.tabulation_id == Tabulation.id)
    .order_by(Source.id, Cell.id)
)


def tabulation_cells(conn: Connection, chunk_rows: int = 200_000,
                     source_ids: list[int] | None = None) -> Iterator[pd.DataFrame]:
    """Every imported cell with its source, in import order, as frames of ``chunk_rows``."""
    query = TABULATION_CELLS
    if source_ids is not None:
        query = query.where(Source.id.in_(source_ids))
    result = conn.execution_options(stream_results=True, yield_per=chunk_rows).execute(query)
    for part in result.partitions(chunk_rows):
        yield pd.DataFrame(part, columns=list(result.keys()))


def counts(conn: Connection) -> dict[str, int]:
    """How many files, sources, tabulations and cells the database holds, and sources by status."""
    from gmrd.db.models import ImportedFile

    out = {name: conn.scalar(sa.select(sa.func.count()).select_from(table)) or 0
           for name, table in (("files", ImportedFile), ("sources", Source),
                               ("tabulations", Tabulation), ("cells", Cell))}
    for status, n in conn.execute(sa.select(Source.status, sa.func.count()).group_by(Source.status)):
        out[f"sources_{status}"] = n
    return out
