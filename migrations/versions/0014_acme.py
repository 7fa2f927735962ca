"""acme: the CA account, orders with their authorisations, revocations due; when a certificate is renewed

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from domain.models.base import UTCDateTime

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("certificates") as batch:
        batch.add_column(sa.Column("renew_after", UTCDateTime(), nullable=True))
    op.create_table(
        "acme_accounts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("directory_url", sa.String(length=500), nullable=False),
        sa.Column("key", sa.LargeBinary(), nullable=False),
        sa.Column("url", sa.String(length=500), nullable=True),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("registered_at", UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_acme_accounts")),
        sa.UniqueConstraint("directory_url", name=op.f("uq_acme_accounts_directory_url")),
    )
    op.create_table(
        "acme_orders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("certificate_id", sa.Integer(), nullable=False),
        sa.Column("purpose", sa.String(length=16), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("url", sa.String(length=500), nullable=False),
        sa.Column("ca_status", sa.String(length=16), nullable=False),
        sa.Column("names", sa.JSON(), nullable=False),
        sa.Column("authorizations", sa.JSON(), nullable=False),
        sa.Column("finalize_url", sa.String(length=500), nullable=False),
        sa.Column("certificate_url", sa.String(length=500), nullable=True),
        sa.Column("method", sa.String(length=8), nullable=True),
        sa.Column("answered_at", UTCDateTime(), nullable=True),
        sa.Column("next_poll_at", UTCDateTime(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("error", sa.String(length=64), nullable=True),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.Column("serial", sa.String(length=64), nullable=True),
        sa.Column("expires_at", UTCDateTime(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["certificate_id"], ["certificates.id"],
                                name=op.f("fk_acme_orders_certificate_id_certificates")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_acme_orders")),
    )
    with op.batch_alter_table("acme_orders") as batch:
        batch.create_index(batch.f("ix_acme_orders_certificate_id"), ["certificate_id"], unique=False)
        batch.create_index("ix_acme_orders_state_next_poll_at", ["state", "next_poll_at"], unique=False)
    op.create_table(
        "acme_revocations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("certificate_id", sa.Integer(), nullable=False),
        sa.Column("serial", sa.String(length=64), nullable=False),
        sa.Column("cert_pem", sa.Text(), nullable=False),
        sa.Column("reason", sa.Integer(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", UTCDateTime(), nullable=False),
        sa.Column("error", sa.String(length=64), nullable=True),
        sa.Column("revoked_at", UTCDateTime(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["certificate_id"], ["certificates.id"],
                                name=op.f("fk_acme_revocations_certificate_id_certificates")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_acme_revocations")),
        sa.UniqueConstraint("serial", name=op.f("uq_acme_revocations_serial")),
    )
    with op.batch_alter_table("acme_revocations") as batch:
        batch.create_index(batch.f("ix_acme_revocations_certificate_id"), ["certificate_id"], unique=False)
        batch.create_index(batch.f("ix_acme_revocations_next_attempt_at"), ["next_attempt_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("acme_revocations") as batch:
        batch.drop_index(batch.f("ix_acme_revocations_next_attempt_at"))
        batch.drop_index(batch.f("ix_acme_revocations_certificate_id"))
    op.drop_table("acme_revocations")
    with op.batch_alter_table("acme_orders") as batch:
        batch.drop_index("ix_acme_orders_state_next_poll_at")
        batch.drop_index(batch.f("ix_acme_orders_certificate_id"))
    op.drop_table("acme_orders")
    op.drop_table("acme_accounts")
    with op.batch_alter_table("certificates") as batch:
        batch.drop_column("renew_after")
