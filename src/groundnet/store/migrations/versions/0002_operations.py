"""Operations: contact records (lifecycle, report, history), alert subscriptions, the alert outbox and
its delivery log.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-03 13:20:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('contact_records',
    sa.Column('contact_id', sa.String(length=100), nullable=False),
    sa.Column('antenna_id', sa.String(length=32), nullable=False),
    sa.Column('spacecraft_id', sa.String(length=32), nullable=False),
    sa.Column('mission', sa.String(length=100), nullable=False),
    sa.Column('start_unix', sa.Double(), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('phase', sa.String(length=16), nullable=True),
    sa.Column('cause', sa.String(length=16), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('evidence', sa.JSON(), nullable=False),
    sa.Column('report', sa.JSON(), nullable=False),
    sa.Column('history', sa.JSON(), nullable=False),
    sa.Column('updated_at', sa.Double(), nullable=False),
    sa.PrimaryKeyConstraint('contact_id')
    )
    with op.batch_alter_table('contact_records', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contact_records_antenna_id'), ['antenna_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contact_records_spacecraft_id'), ['spacecraft_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contact_records_start_unix'), ['start_unix'], unique=False)

    op.create_table('alert_subscriptions',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('url', sa.Text(), nullable=False),
    sa.Column('secret', sa.String(length=128), nullable=False),
    sa.Column('events', sa.JSON(), nullable=False),
    sa.Column('states', sa.JSON(), nullable=False),
    sa.Column('antennas', sa.JSON(), nullable=False),
    sa.Column('spacecraft', sa.JSON(), nullable=False),
    sa.Column('pass_at_risk', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.Double(), nullable=False),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('alert_outbox',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('subscription_id', sa.Integer(), nullable=False),
    sa.Column('idempotency_key', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.Double(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.Double(), nullable=False),
    sa.Column('delivered_at', sa.Double(), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['subscription_id'], ['alert_subscriptions.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('idempotency_key')
    )
    with op.batch_alter_table('alert_outbox', schema=None) as batch_op:
        batch_op.create_index('ix_alert_outbox_due', ['status', 'next_attempt_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_alert_outbox_subscription_id'), ['subscription_id'], unique=False)

    op.create_table('alert_deliveries',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('outbox_id', sa.Integer(), nullable=False),
    sa.Column('attempt', sa.Integer(), nullable=False),
    sa.Column('at', sa.Double(), nullable=False),
    sa.Column('status_code', sa.Integer(), nullable=True),
    sa.Column('error', sa.Text(), nullable=False),
    sa.Column('duration_s', sa.Double(), nullable=False),
    sa.ForeignKeyConstraint(['outbox_id'], ['alert_outbox.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('alert_deliveries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_alert_deliveries_outbox_id'), ['outbox_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('alert_deliveries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_alert_deliveries_outbox_id'))
    op.drop_table('alert_deliveries')
    with op.batch_alter_table('alert_outbox', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_alert_outbox_subscription_id'))
        batch_op.drop_index('ix_alert_outbox_due')
    op.drop_table('alert_outbox')
    op.drop_table('alert_subscriptions')
    with op.batch_alter_table('contact_records', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contact_records_start_unix'))
        batch_op.drop_index(batch_op.f('ix_contact_records_spacecraft_id'))
        batch_op.drop_index(batch_op.f('ix_contact_records_antenna_id'))
    op.drop_table('contact_records')
