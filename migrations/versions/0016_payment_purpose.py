"""a top-up paid for an invoice marks it paid; a top-up knows the flow it was made for, to resume it once paid

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("payments") as batch:
        batch.add_column(sa.Column("invoice_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("resume", sa.String(length=64), nullable=True))
        batch.create_foreign_key(batch.f("fk_payments_invoice_id_invoices"), "invoices", ["invoice_id"], ["id"])
        batch.create_index(batch.f("ix_payments_invoice_id"), ["invoice_id"])


def downgrade() -> None:
    with op.batch_alter_table("payments") as batch:
        batch.drop_index(batch.f("ix_payments_invoice_id"))
        batch.drop_constraint(batch.f("fk_payments_invoice_id_invoices"), type_="foreignkey")
        batch.drop_column("resume")
        batch.drop_column("invoice_id")
