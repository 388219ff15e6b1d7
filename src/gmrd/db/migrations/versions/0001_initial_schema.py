"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-25 18:43:30.975309
"""
import sqlalchemy as sa
from alembic import op

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('audit_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('actor', sa.String(length=100), nullable=False),
    sa.Column('action', sa.String(length=60), nullable=False),
    sa.Column('object_type', sa.String(length=40), nullable=False),
    sa.Column('object_id', sa.String(length=60), nullable=False),
    sa.Column('before', sa.JSON(), nullable=True),
    sa.Column('after', sa.JSON(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_events'))
    )
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_events_at'), ['at'], unique=False)

    op.create_table('countries',
    sa.Column('code', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('iso3', sa.String(length=3), nullable=True),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=True),
    sa.Column('valid_to', sa.Date(), nullable=True),
    sa.Column('successors', sa.String(length=200), nullable=True),
    sa.Column('region', sa.Integer(), nullable=True),
    sa.Column('subregion', sa.Integer(), nullable=True),
    sa.Column('sdg_region', sa.Integer(), nullable=True),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_countries'))
    )
    op.create_table('imported_files',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('checksum', sa.String(length=64), nullable=False),
    sa.Column('filename', sa.String(length=500), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('format', sa.String(length=40), nullable=False),
    sa.Column('imported_at', sa.DateTime(), nullable=False),
    sa.Column('imported_by', sa.String(length=100), nullable=False),
    sa.Column('n_cells', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_imported_files')),
    sa.UniqueConstraint('checksum', name=op.f('uq_imported_files_checksum'))
    )
    op.create_table('revisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('manifest', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_revisions')),
    sa.UniqueConstraint('name', name=op.f('uq_revisions_name'))
    )
    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('password_hash', sa.String(length=200), nullable=False),
    sa.Column('role', sa.String(length=10), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('failed_logins', sa.Integer(), nullable=False),
    sa.Column('locked_until', sa.DateTime(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('name', name=op.f('uq_users_name'))
    )
    op.create_table('api_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=128), nullable=False),
    sa.Column('label', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_api_tokens_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_api_tokens_token_hash'))
    )
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_api_tokens_user_id'), ['user_id'], unique=False)

    op.create_table('estimates',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('revision_id', sa.Integer(), nullable=False),
    sa.Column('area_code', sa.Integer(), nullable=False),
    sa.Column('year', sa.SmallInteger(), nullable=False),
    sa.Column('sex', sa.SmallInteger(), nullable=False),
    sa.Column('age_lo', sa.SmallInteger(), nullable=False),
    sa.Column('age_hi', sa.SmallInteger(), nullable=True),
    sa.Column('value', sa.Float(), nullable=False),
    sa.Column('lower', sa.Float(), nullable=True),
    sa.Column('upper', sa.Float(), nullable=True),
    sa.Column('flags', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['revision_id'], ['revisions.id'], name=op.f('fk_estimates_revision_id_revisions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_estimates'))
    )
    with op.batch_alter_table('estimates', schema=None) as batch_op:
        batch_op.create_index('ix_estimates_lookup', ['revision_id', 'area_code', 'year'], unique=False)

    op.create_table('sources',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('country_code', sa.Integer(), nullable=False),
    sa.Column('reference_date', sa.Date(), nullable=False),
    sa.Column('date_precision', sa.String(length=10), nullable=False),
    sa.Column('source_type', sa.String(length=20), nullable=False),
    sa.Column('universe', sa.SmallInteger(), nullable=False),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('citation', sa.Text(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('file_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('status_reason', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['file_id'], ['imported_files.id'], name=op.f('fk_sources_file_id_imported_files')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sources')),
    sa.UniqueConstraint('country_code', 'reference_date', 'source_type', 'universe', 'title', name='uq_sources_key')
    )
    with op.batch_alter_table('sources', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sources_country_code'), ['country_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_sources_status'), ['status'], unique=False)

    op.create_table('tabulations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.Column('file_id', sa.Integer(), nullable=False),
    sa.Column('dims', sa.String(length=20), nullable=False),
    sa.Column('n_cells', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['file_id'], ['imported_files.id'], name=op.f('fk_tabulations_file_id_imported_files')),
    sa.ForeignKeyConstraint(['source_id'], ['sources.id'], name=op.f('fk_tabulations_source_id_sources')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tabulations'))
    )
    with op.batch_alter_table('tabulations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tabulations_source_id'), ['source_id'], unique=False)

    op.create_table('cells',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('tabulation_id', sa.Integer(), nullable=False),
    sa.Column('sex', sa.SmallInteger(), nullable=False),
    sa.Column('age_lo', sa.Integer(), nullable=False),
    sa.Column('age_hi', sa.Integer(), nullable=True),
    sa.Column('origin_code', sa.Integer(), nullable=False),
    sa.Column('value', sa.Float(), nullable=False),
    sa.Column('row', sa.Integer(), nullable=True),
    sa.Column('sex_label', sa.String(length=60), nullable=True),
    sa.Column('age_label', sa.String(length=60), nullable=True),
    sa.Column('origin_label', sa.String(length=200), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cells'))
    )
    with op.batch_alter_table('cells', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cells_tabulation_id'), ['tabulation_id'], unique=False)

    op.create_table('findings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.Column('tabulation_id', sa.Integer(), nullable=True),
    sa.Column('check', sa.String(length=60), nullable=False),
    sa.Column('severity', sa.String(length=10), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('details', sa.JSON(), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('status_reason', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['source_id'], ['sources.id'], name=op.f('fk_findings_source_id_sources')),
    sa.ForeignKeyConstraint(['tabulation_id'], ['tabulations.id'], name=op.f('fk_findings_tabulation_id_tabulations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_findings'))
    )
    with op.batch_alter_table('findings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_findings_check'), ['check'], unique=False)
        batch_op.create_index(batch_op.f('ix_findings_source_id'), ['source_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('findings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_findings_source_id'))
        batch_op.drop_index(batch_op.f('ix_findings_check'))

    op.drop_table('findings')
    with op.batch_alter_table('cells', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cells_tabulation_id'))

    op.drop_table('cells')
    with op.batch_alter_table('tabulations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tabulations_source_id'))

    op.drop_table('tabulations')
    with op.batch_alter_table('sources', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sources_status'))
        batch_op.drop_index(batch_op.f('ix_sources_country_code'))

    op.drop_table('sources')
    with op.batch_alter_table('estimates', schema=None) as batch_op:
        batch_op.drop_index('ix_estimates_lookup')

    op.drop_table('estimates')
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_tokens_user_id'))

    op.drop_table('api_tokens')
    op.drop_table('users')
    op.drop_table('revisions')
    op.drop_table('imported_files')
    op.drop_table('countries')
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_events_at'))

    op.drop_table('audit_events')
