"""cells: index (tabulation_id, origin_code) replaces the index on tabulation_id alone

The estimate reads the all-origins cells of every accepted tabulation (origin_code = 0) and finds
the tabulations that have none; with the composite index both are index lookups instead of a scan
of every cell (the 11.7 M-cell UN corpus: 8.2 s -> 2.5 s for the all-origins cells on SQLite).
The composite index also serves every lookup by tabulation_id, so the old index is dropped.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 20:00:00
"""
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('cells', schema=None) as batch_op:
        batch_op.create_index('ix_cells_tabulation_origin', ['tabulation_id', 'origin_code'], unique=False)
        batch_op.drop_index('ix_cells_tabulation_id')


def downgrade() -> None:
    with op.batch_alter_table('cells', schema=None) as batch_op:
        batch_op.create_index('ix_cells_tabulation_id', ['tabulation_id'], unique=False)
        batch_op.drop_index('ix_cells_tabulation_origin')
