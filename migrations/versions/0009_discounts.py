"""discounts and promo codes: customer discounts, codes, redemptions, and the discount on each order item

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import domain.models.base

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('promo_codes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('value', sa.Integer(), nullable=False),
    sa.Column('scope', sa.String(length=8), nullable=False),
    sa.Column('target', sa.String(length=70), nullable=True),
    sa.Column('max_uses', sa.Integer(), nullable=True),
    sa.Column('uses', sa.Integer(), server_default='0', nullable=False),
    sa.Column('once_per_customer', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.Column('first_order_only', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('valid_until', domain.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('active', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.Column('source', sa.String(length=8), nullable=False),
    sa.Column('in_file', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('created_by', sa.BigInteger(), nullable=True),
    sa.Column('created_at', domain.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('max_uses IS NULL OR uses <= max_uses', name=op.f('ck_promo_codes_uses_within_limit')),
    sa.CheckConstraint('value > 0', name=op.f('ck_promo_codes_value_positive')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_promo_codes')),
    sa.UniqueConstraint('code', name=op.f('uq_promo_codes_code'))
    )
    op.create_table('discounts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.BigInteger(), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('value', sa.Integer(), nullable=False),
    sa.Column('scope', sa.String(length=8), nullable=False),
    sa.Column('target', sa.String(length=70), nullable=True),
    sa.Column('valid_from', domain.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('valid_until', domain.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.Column('single_use', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('promo_id', sa.Integer(), nullable=True),
    sa.Column('used_order_id', sa.Integer(), nullable=True),
    sa.Column('granted_by', sa.BigInteger(), nullable=True),
    sa.Column('created_at', domain.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', domain.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.CheckConstraint("kind <> 'percent' OR value <= 10000", name=op.f('ck_discounts_percent_at_most_all')),
    sa.CheckConstraint('value > 0', name=op.f('ck_discounts_value_positive')),
    sa.ForeignKeyConstraint(['promo_id'], ['promo_codes.id'], name=op.f('fk_discounts_promo_id_promo_codes')),
    sa.ForeignKeyConstraint(['used_order_id'], ['orders.id'], name=op.f('fk_discounts_used_order_id_orders')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_discounts_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_discounts'))
    )
    with op.batch_alter_table('discounts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_discounts_user_id'), ['user_id'], unique=False)

    op.create_table('promo_redemptions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('promo_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.BigInteger(), nullable=False),
    sa.Column('once_user_id', sa.BigInteger(), nullable=True),
    sa.Column('discount_id', sa.Integer(), nullable=True),
    sa.Column('credit', sa.Integer(), server_default='0', nullable=False),
    sa.Column('created_at', domain.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['discount_id'], ['discounts.id'], name=op.f('fk_promo_redemptions_discount_id_discounts')),
    sa.ForeignKeyConstraint(['promo_id'], ['promo_codes.id'], name=op.f('fk_promo_redemptions_promo_id_promo_codes')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_promo_redemptions_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_promo_redemptions')),
    sa.UniqueConstraint('promo_id', 'once_user_id', name=op.f('uq_promo_redemptions_promo_id_once_user_id'))
    )
    with op.batch_alter_table('promo_redemptions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_promo_redemptions_promo_id'), ['promo_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_promo_redemptions_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('order_items', schema=None) as batch_op:
        batch_op.add_column(sa.Column('discount_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('customer_discount', sa.Integer(), server_default='0', nullable=False))
        batch_op.create_foreign_key(batch_op.f('fk_order_items_discount_id_discounts'), 'discounts', ['discount_id'], ['id'])



def downgrade() -> None:
    with op.batch_alter_table('order_items', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_order_items_discount_id_discounts'), type_='foreignkey')
        batch_op.drop_column('customer_discount')
        batch_op.drop_column('discount_id')

    with op.batch_alter_table('promo_redemptions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_promo_redemptions_user_id'))
        batch_op.drop_index(batch_op.f('ix_promo_redemptions_promo_id'))

    op.drop_table('promo_redemptions')
    with op.batch_alter_table('discounts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_discounts_user_id'))

    op.drop_table('discounts')
    op.drop_table('promo_codes')
