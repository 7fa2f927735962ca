"""ledger labels: a charge keeps the tariff and the service's name it was bought under

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("ledger_entries") as batch:
        batch.add_column(sa.Column("tariff_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("label", sa.String(length=128), nullable=True))
        batch.create_foreign_key(op.f("fk_ledger_entries_tariff_id_tariffs"), "tariffs", ["tariff_id"], ["id"])


def downgrade() -> None:
    with op.batch_alter_table("ledger_entries") as batch:
        batch.drop_constraint(op.f("fk_ledger_entries_tariff_id_tariffs"), type_="foreignkey")
        batch.drop_column("label")
        batch.drop_column("tariff_id")
