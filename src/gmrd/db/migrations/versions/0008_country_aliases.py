"""country_aliases: country labels users map to codes (gmrd aliases add/import, the upload page)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06 06:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('country_aliases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=200), nullable=False),
    sa.Column('code', sa.Integer(), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=True),
    sa.Column('valid_to', sa.Date(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_country_aliases'))
    )
    with op.batch_alter_table('country_aliases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_country_aliases_label'), ['label'], unique=False)
        batch_op.create_index(batch_op.f('ix_country_aliases_code'), ['code'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('country_aliases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_country_aliases_code'))
        batch_op.drop_index(batch_op.f('ix_country_aliases_label'))
    op.drop_table('country_aliases')
