"""Initial schema: stations, spacecraft and element-set history, requests, plans, contacts, blocks,
station events, board history, API tokens, partner feeds.

Revision ID: 0001
Revises: 
Create Date: 2026-11-21 08:43:30.053844
"""
from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('api_tokens',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.Double(), nullable=False),
    sa.Column('revoked_at', sa.Double(), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('name'),
    sa.UniqueConstraint('token_hash')
    )
    op.create_table('blocks',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('antenna_id', sa.String(length=32), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('start_unix', sa.Double(), nullable=False),
    sa.Column('end_unix', sa.Double(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('event_id', sa.String(length=100), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('blocks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_blocks_antenna_id'), ['antenna_id'], unique=False)

    op.create_table('board_history',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('antenna_id', sa.String(length=32), nullable=False),
    sa.Column('time_unix', sa.Double(), nullable=False),
    sa.Column('activity', sa.String(length=16), nullable=False),
    sa.Column('reported_activity', sa.String(length=16), nullable=True),
    sa.Column('state', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('board_history', schema=None) as batch_op:
        batch_op.create_index('ix_board_history_antenna_time', ['antenna_id', 'time_unix'], unique=False)

    op.create_table('events',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('event_id', sa.String(length=100), nullable=False),
    sa.Column('antenna_id', sa.String(length=32), nullable=False),
    sa.Column('spacecraft_id', sa.String(length=32), nullable=True),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('time_unix', sa.Double(), nullable=False),
    sa.Column('received_at', sa.Double(), nullable=False),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.Column('source', sa.String(length=100), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('event_id')
    )
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_events_antenna_id'), ['antenna_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_events_time_unix'), ['time_unix'], unique=False)

    op.create_table('partner_snapshots',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('network', sa.String(length=32), nullable=False),
    sa.Column('imported_at', sa.Double(), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('partner_snapshots', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_partner_snapshots_network'), ['network'], unique=False)

    op.create_table('plans',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('created_at', sa.Double(), nullable=False),
    sa.Column('start_unix', sa.Double(), nullable=False),
    sa.Column('end_unix', sa.Double(), nullable=False),
    sa.Column('reason', sa.String(length=64), nullable=False),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('spacecraft',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('norad_id', sa.Integer(), nullable=True),
    sa.Column('approximate', sa.Boolean(), nullable=False),
    sa.Column('error_bound_km', sa.Double(), nullable=True),
    sa.Column('links', sa.JSON(), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('stations',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('network', sa.String(length=64), nullable=False),
    sa.Column('latitude_deg', sa.Double(), nullable=False),
    sa.Column('longitude_deg', sa.Double(), nullable=False),
    sa.Column('altitude_m', sa.Double(), nullable=False),
    sa.Column('dish_m', sa.Double(), nullable=True),
    sa.Column('bands', sa.JSON(), nullable=False),
    sa.Column('min_elevation_deg', sa.Double(), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('contacts',
    sa.Column('id', sa.String(length=100), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('antenna_id', sa.String(length=32), nullable=False),
    sa.Column('spacecraft_id', sa.String(length=32), nullable=False),
    sa.Column('spacecraft_name', sa.String(length=200), nullable=False),
    sa.Column('request_id', sa.String(length=100), nullable=True),
    sa.Column('mission', sa.String(length=100), nullable=False),
    sa.Column('setup_start', sa.Double(), nullable=False),
    sa.Column('start_unix', sa.Double(), nullable=False),
    sa.Column('end_unix', sa.Double(), nullable=False),
    sa.Column('teardown_end', sa.Double(), nullable=False),
    sa.Column('cancelled', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['plans.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contacts_antenna_id'), ['antenna_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contacts_plan_id'), ['plan_id'], unique=False)
        batch_op.create_index('ix_contacts_time', ['start_unix', 'end_unix'], unique=False)

    op.create_table('element_sets',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('spacecraft_id', sa.String(length=32), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('epoch_unix', sa.Double(), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.Column('loaded_at', sa.Double(), nullable=False),
    sa.ForeignKeyConstraint(['spacecraft_id'], ['spacecraft.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('spacecraft_id', 'epoch_unix', name='uq_element_set_epoch')
    )
    with op.batch_alter_table('element_sets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_element_sets_spacecraft_id'), ['spacecraft_id'], unique=False)

    op.create_table('requests',
    sa.Column('id', sa.String(length=100), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=True),
    sa.Column('mission', sa.String(length=100), nullable=False),
    sa.Column('spacecraft_id', sa.String(length=32), nullable=False),
    sa.Column('duration_s', sa.Double(), nullable=False),
    sa.Column('min_duration_s', sa.Double(), nullable=False),
    sa.Column('window_start', sa.Double(), nullable=False),
    sa.Column('window_end', sa.Double(), nullable=False),
    sa.Column('priority', sa.Integer(), nullable=False),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['plans.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_requests_plan_id'), ['plan_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_requests_plan_id'))

    op.drop_table('requests')
    with op.batch_alter_table('element_sets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_element_sets_spacecraft_id'))

    op.drop_table('element_sets')
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.drop_index('ix_contacts_time')
        batch_op.drop_index(batch_op.f('ix_contacts_plan_id'))
        batch_op.drop_index(batch_op.f('ix_contacts_antenna_id'))

    op.drop_table('contacts')
    op.drop_table('stations')
    op.drop_table('spacecraft')
    op.drop_table('plans')
    with op.batch_alter_table('partner_snapshots', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_partner_snapshots_network'))

    op.drop_table('partner_snapshots')
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_events_time_unix'))
        batch_op.drop_index(batch_op.f('ix_events_antenna_id'))

    op.drop_table('events')
    with op.batch_alter_table('board_history', schema=None) as batch_op:
        batch_op.drop_index('ix_board_history_antenna_time')

    op.drop_table('board_history')
    with op.batch_alter_table('blocks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_blocks_antenna_id'))

    op.drop_table('blocks')
    op.drop_table('api_tokens')
