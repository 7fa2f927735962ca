"""payers (individuals, sole traders, legal entities), invoices with per-year numbering, payer on orders and payments

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-26 09:47:23.444118
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import domain.models.base

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('invoice_counters',
    sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('last', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('year', name=op.f('pk_invoice_counters'))
    )
    op.create_table('payers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.BigInteger(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.Column('address', sa.Text(), nullable=True),
    sa.Column('tax_number', sa.String(length=64), nullable=True),
    sa.Column('reg_number', sa.String(length=64), nullable=True),
    sa.Column('contact', sa.String(length=200), nullable=True),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('is_default', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('active', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.Column('created_at', domain.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_payers_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payers'))
    )
    with op.batch_alter_table('payers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_payers_user_id'), ['user_id'], unique=False)

    op.create_table('invoices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.BigInteger(), nullable=False),
    sa.Column('payer_id', sa.Integer(), nullable=True),
    sa.Column('number', sa.String(length=16), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('purpose', sa.String(length=8), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('bank_transfer', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('net', sa.Integer(), nullable=False),
    sa.Column('vat_rate_bp', sa.Integer(), nullable=False),
    sa.Column('vat', sa.Integer(), nullable=False),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('lines', sa.JSON(), nullable=False),
    sa.Column('payer', sa.JSON(), nullable=False),
    sa.Column('cart_revision', sa.String(length=32), nullable=True),
    sa.Column('issued_at', domain.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('due_at', domain.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('paid_at', domain.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('paid_by', sa.BigInteger(), nullable=True),
    sa.Column('order_id', sa.Integer(), nullable=True),
    sa.Column('cancelled_at', domain.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_invoices_order_id_orders')),
    sa.ForeignKeyConstraint(['payer_id'], ['payers.id'], name=op.f('fk_invoices_payer_id_payers'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_invoices_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invoices')),
    sa.UniqueConstraint('number', name=op.f('uq_invoices_number')),
    sa.UniqueConstraint('year', 'seq', name=op.f('uq_invoices_year_seq'))
    )
    with op.batch_alter_table('invoices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_invoices_payer_id'), ['payer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_invoices_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_invoices_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.add_column(sa.Column('payer_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_orders_payer_id_payers'), 'payers', ['payer_id'], ['id'], ondelete='RESTRICT')

    with op.batch_alter_table('payments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('payer_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_payments_payer_id_payers'), 'payers', ['payer_id'], ['id'], ondelete='RESTRICT')



def downgrade() -> None:
    with op.batch_alter_table('payments', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_payments_payer_id_payers'), type_='foreignkey')
        batch_op.drop_column('payer_id')

    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_orders_payer_id_payers'), type_='foreignkey')
        batch_op.drop_column('payer_id')

    with op.batch_alter_table('invoices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_invoices_user_id'))
        batch_op.drop_index(batch_op.f('ix_invoices_status'))
        batch_op.drop_index(batch_op.f('ix_invoices_payer_id'))

    op.drop_table('invoices')
    with op.batch_alter_table('payers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_payers_user_id'))

    op.drop_table('payers')
    op.drop_table('invoice_counters')
