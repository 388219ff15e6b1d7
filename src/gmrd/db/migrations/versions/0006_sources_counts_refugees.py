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
    with op.batch_alter_table('sources') as batch:
        batch.add_column(sa.Column('counts_refugees', sa.Boolean(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('sources') as batch:
        batch.drop_column('counts_refugees')
