"""web_sessions: browser logins get a table of their own (they were api_tokens rows with a reserved label)

Every page view looks its session up; a table of its own keeps that lookup apart from API tokens, lets
the admin list of tokens stop filtering sessions out, and lets old sessions be purged on their own.
Existing session rows move over with their ids' owners, digests and times.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 20:30:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

SESSION_LABEL = '@web-session'


def upgrade() -> None:
    op.create_table('web_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=128), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_web_sessions_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_web_sessions')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_web_sessions_token_hash'))
    )
    with op.batch_alter_table('web_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_web_sessions_user_id'), ['user_id'], unique=False)
    op.execute(sa.text(
        "INSERT INTO web_sessions (user_id, token_hash, created_at, revoked_at) "
        "SELECT user_id, token_hash, created_at, revoked_at FROM api_tokens WHERE label = :label ORDER BY id"
    ).bindparams(label=SESSION_LABEL))
    op.execute(sa.text("DELETE FROM api_tokens WHERE label = :label").bindparams(label=SESSION_LABEL))


def downgrade() -> None:
    op.execute(sa.text(
        "INSERT INTO api_tokens (user_id, token_hash, label, created_at, revoked_at) "
        "SELECT user_id, token_hash, :label, created_at, revoked_at FROM web_sessions ORDER BY id"
    ).bindparams(label=SESSION_LABEL))
    with op.batch_alter_table('web_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_web_sessions_user_id'))
    op.drop_table('web_sessions')
