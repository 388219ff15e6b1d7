"""login_throttle: failed logins slow their client and account name down instead of locking the account

Five wrong passwords from anyone locked any account for 15 minutes (users.failed_logins, users.locked_until),
and the lock message told real user names from unknown ones. Attempts and failures are now counted per
client address and per account name tried (real or not) in a table of their own, with growing delays
(gmrd.web.throttle); the two users columns go. Existing locks are dropped with them.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06 05:30:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('login_throttle',
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('window_start', sa.DateTime(), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('last_failure_at', sa.DateTime(), nullable=True),
    sa.Column('blocked_until', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_login_throttle'))
    )
    # plain ALTER TABLE … DROP COLUMN (SQLite ≥ 3.35 has it): a batch copy of users would drop the table
    # that api_tokens and web_sessions refer to
    for column in ('failed_logins', 'locked_until'):
        op.execute(sa.text(f'ALTER TABLE users DROP COLUMN {column}'))


def downgrade() -> None:
    op.add_column('users', sa.Column('failed_logins', sa.Integer(), nullable=False, server_default='0'))
    op.add_column('users', sa.Column('locked_until', sa.DateTime(), nullable=True))
    op.drop_table('login_throttle')
