"""estimates.flags: 200 characters (was 40)

With the refugees_added flag and the concept (foreign_born, foreign_citizens) a country estimate's flags
reach 68 characters ("extrapolated,refugees_added,foreign_citizens,age_imputed,sex_imputed"), which
PostgreSQL refused in a VARCHAR(40). SQLite does not enforce the length: only PostgreSQL is altered.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06 06:10:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.alter_column('estimates', 'flags', type_=sa.String(200), existing_type=sa.String(40),
                        existing_nullable=False)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.alter_column('estimates', 'flags', type_=sa.String(40), existing_type=sa.String(200),
                        existing_nullable=False)
