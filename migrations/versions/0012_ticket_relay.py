"""ticket messages: when a customer message reached the staff group, so one that did not is posted later

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from domain.models.base import UTCDateTime

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("ticket_messages") as batch:
        batch.add_column(sa.Column("relayed_at", UTCDateTime(timezone=True), nullable=True))
        batch.create_index("ix_ticket_messages_relayed_at", ["relayed_at"], unique=False)
    # Messages from before are taken as relayed: posting the whole history again would flood the topics.
    op.execute("UPDATE ticket_messages SET relayed_at = created_at")


def downgrade() -> None:
    with op.batch_alter_table("ticket_messages") as batch:
        batch.drop_index("ix_ticket_messages_relayed_at")
        batch.drop_column("relayed_at")
