"""data_version: a token that changes with every committed change of sources, tabulations, findings or revisions

The web pages keep what they derive from those tables (a profile's list of sources with their findings,
the newest revision) per worker, keyed by this token, and read only the token on each view. Triggers keep
it current whatever writes (import, verification, review, estimation, restore, or SQL by hand):
- SQLite: after each row change, a new random token (SQLite has one writer at a time, so the update
  waits for nothing);
- PostgreSQL: deferred constraint triggers set it to the writing transaction's id at commit, once per
  transaction, so the row is locked only while a transaction commits (not for the whole of a long import,
  which would make concurrent reviews and verification wait) and the new token becomes visible together
  with the data.
The table is not part of the models: backups do not carry it, and a restore gets a token of its own.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25 21:30:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

TABLES = ('sources', 'tabulations', 'findings', 'revisions')
EVENTS = ('INSERT', 'UPDATE', 'DELETE')

PG_FUNCTION = """
CREATE FUNCTION gmrd_touch_data_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE data_version SET token = txid_current()::text WHERE token IS DISTINCT FROM txid_current()::text;
    RETURN NULL;
END $$
"""


def upgrade() -> None:
    op.create_table('data_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=40), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_data_version'))
    )
    op.execute(sa.text("INSERT INTO data_version (id, token) VALUES (1, 'initial')"))
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(sa.text(PG_FUNCTION))
        for table in TABLES:
            op.execute(sa.text(
                f"CREATE CONSTRAINT TRIGGER {table}_data_version AFTER INSERT OR UPDATE OR DELETE ON {table} "
                "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION gmrd_touch_data_version()"))
    else:
        for table in TABLES:
            for event in EVENTS:
                op.execute(sa.text(
                    f"CREATE TRIGGER {table}_{event.lower()}_data_version AFTER {event} ON {table} "
                    "BEGIN UPDATE data_version SET token = lower(hex(randomblob(8))); END"))


def downgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        for table in TABLES:
            op.execute(sa.text(f"DROP TRIGGER {table}_data_version ON {table}"))
        op.execute(sa.text("DROP FUNCTION gmrd_touch_data_version()"))
    else:
        for table in TABLES:
            for event in EVENTS:
                op.execute(sa.text(f"DROP TRIGGER {table}_{event.lower()}_data_version"))
    op.drop_table('data_version')
