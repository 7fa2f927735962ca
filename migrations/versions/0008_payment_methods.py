"""payment methods (Stripe cards, Telegram Payments), Stripe customers and events, automatic payments

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import domain.models.base

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "stripe_customers",
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("customer_id", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", domain.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_stripe_customers_user_id_users"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_stripe_customers")),
    )
    op.create_table(
        "payment_methods",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=True),
        sa.Column("is_default", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("brand", sa.String(length=24), nullable=True),
        sa.Column("last4", sa.String(length=4), nullable=True),
        sa.Column("exp_month", sa.Integer(), nullable=True),
        sa.Column("exp_year", sa.Integer(), nullable=True),
        sa.Column("stripe_id", sa.LargeBinary(), nullable=True),
        sa.Column("stripe_digest", sa.String(length=64), nullable=True),
        sa.Column("created_at", domain.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_payment_methods_user_id_users"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment_methods")),
        sa.UniqueConstraint("stripe_digest", name=op.f("uq_payment_methods_stripe_digest")),
    )
    with op.batch_alter_table("payment_methods", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_payment_methods_user_id"), ["user_id"], unique=False)
    op.create_table(
        "stripe_events",
        sa.Column("id", sa.String(length=255), nullable=False),
        sa.Column("type", sa.String(length=64), nullable=False),
        sa.Column("received_at", domain.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stripe_events")),
    )
    op.create_table(
        "autopay",
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("method_id", sa.Integer(), nullable=True),
        sa.Column("enabled", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("monthly_limit", sa.Integer(), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("updated_at", domain.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("monthly_limit > 0", name=op.f("ck_autopay_limit_positive")),
        sa.ForeignKeyConstraint(["method_id"], ["payment_methods.id"], name=op.f("fk_autopay_method_id_payment_methods"),
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_autopay_user_id_users"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_autopay")),
    )
    op.create_table(
        "autopay_charges",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("method_id", sa.Integer(), nullable=True),
        sa.Column("idempotency_key", sa.String(length=128), nullable=False),
        sa.Column("purpose", sa.String(length=128), nullable=False),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("payment_intent", sa.String(length=255), nullable=True),
        sa.Column("error", sa.String(length=64), nullable=True),
        sa.Column("created_at", domain.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("finished_at", domain.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["method_id"], ["payment_methods.id"],
                                name=op.f("fk_autopay_charges_method_id_payment_methods"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_autopay_charges_user_id_users"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_autopay_charges")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_autopay_charges_idempotency_key")),
    )
    with op.batch_alter_table("autopay_charges", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_autopay_charges_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_autopay_charges_user_id"), ["user_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("autopay_charges", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_autopay_charges_user_id"))
        batch_op.drop_index(batch_op.f("ix_autopay_charges_created_at"))
    op.drop_table("autopay_charges")
    op.drop_table("autopay")
    op.drop_table("stripe_events")
    with op.batch_alter_table("payment_methods", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_payment_methods_user_id"))
    op.drop_table("payment_methods")
    op.drop_table("stripe_customers")
