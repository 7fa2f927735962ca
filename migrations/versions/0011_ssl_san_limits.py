"""ssl tariffs: how many names besides the ordered domain a certificate may carry, from the catalogue

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("tariffs") as batch:
        batch.add_column(sa.Column("san_limit", sa.Integer(), server_default="1", nullable=False))
    # What the shipped catalogue had built in, until the catalogue file is synced at the next start.
    op.execute("UPDATE tariffs SET san_limit = 4 WHERE product_code = 'ssl' AND code = 'ov'")


def downgrade() -> None:
    with op.batch_alter_table("tariffs") as batch:
        batch.drop_column("san_limit")
