"""every Telegram charge recorded before it is applied; a pre-checkout lease per invoice; the cart a top-up is
for; ticket relay claims that expire; card payment ids encrypted; wrong 2FA codes counted within a window

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from domain.models.base import UTCDateTime

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "payment_charges",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("telegram_charge_id", sa.String(length=255), nullable=False),
        sa.Column("provider_charge_id", sa.String(length=255), nullable=True),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("payment_id", sa.Integer(), nullable=True),
        sa.Column("payload", sa.String(length=128), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("total_amount", sa.Integer(), nullable=False),
        sa.Column("credited", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("received_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("refunded_at", UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_payment_charges_user_id_users")),
        sa.ForeignKeyConstraint(["payment_id"], ["payments.id"], name=op.f("fk_payment_charges_payment_id_payments")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment_charges")),
        sa.UniqueConstraint("telegram_charge_id", name=op.f("uq_payment_charges_telegram_charge_id")),
    )
    op.create_index("ix_payment_charges_user_id", "payment_charges", ["user_id"])
    # Charges credited before this table existed, so staff can still find them by charge id.
    op.execute(
        "INSERT INTO payment_charges (telegram_charge_id, provider_charge_id, user_id, payment_id, payload, currency,"
        " total_amount, credited, outcome, received_at, refunded_at)"
        " SELECT telegram_charge_id, provider_charge_id, user_id, id, payload, invoice_currency, invoice_amount,"
        " amount, 'applied', paid_at, refunded_at FROM payments WHERE telegram_charge_id IS NOT NULL")
    with op.batch_alter_table("payments") as batch:
        batch.add_column(sa.Column("checkout_started_at", UTCDateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("cart_revision", sa.String(length=64), nullable=True))
    with op.batch_alter_table("ticket_messages") as batch:
        batch.add_column(sa.Column("relay_claimed_until", UTCDateTime(timezone=True), nullable=True))
    with op.batch_alter_table("two_factor") as batch:
        batch.add_column(sa.Column("failures_since", UTCDateTime(timezone=True), nullable=True))
    with op.batch_alter_table("autopay_charges") as batch:
        # Encrypted like every other provider id; the app encrypts the plain ones at its next start.
        batch.add_column(sa.Column("payment_intent_secret", sa.LargeBinary(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("autopay_charges") as batch:
        batch.drop_column("payment_intent_secret")
    with op.batch_alter_table("two_factor") as batch:
        batch.drop_column("failures_since")
    with op.batch_alter_table("ticket_messages") as batch:
        batch.drop_column("relay_claimed_until")
    with op.batch_alter_table("payments") as batch:
        batch.drop_column("cart_revision")
        batch.drop_column("checkout_started_at")
    op.drop_index("ix_payment_charges_user_id", table_name="payment_charges")
    op.drop_table("payment_charges")
