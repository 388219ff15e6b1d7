"""sources.counts_refugees: a curator's override of the refugee-addition rule for one source

NULL (default): the declared rule of gmrd.estimate.refugees decides from the data; true: the source
counts the refugees (only later arrivals may be added); false: it does not count them (all refugees
are added). Set with `gmrd review SOURCE_ID refugees counted|not-counted|rule --reason TEXT` (audited).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06 05:30:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('sources', sa.Column('counts_refugees', sa.Boolean(), nullable=True))


def downgrade() -> None:
    # plain ALTER TABLE … DROP COLUMN (SQLite ≥ 3.35 has it): a batch copy of sources would drop the
    # data-version triggers of migration 0005 with the old table
    op.execute(sa.text('ALTER TABLE sources DROP COLUMN counts_refugees'))
