"""ssl certificates: key and CSR, domain validation, the issued certificate

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from domain.models.base import UTCDateTime

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "certificates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("service_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("sans", sa.JSON(), nullable=False),
        sa.Column("key_type", sa.String(length=16), nullable=True),
        sa.Column("private_key", sa.LargeBinary(), nullable=True),
        sa.Column("csr_pem", sa.Text(), nullable=True),
        sa.Column("dcv_method", sa.String(length=8), nullable=False),
        sa.Column("dcv_token", sa.String(length=64), nullable=False),
        sa.Column("approver_email", sa.String(length=254), nullable=True),
        sa.Column("validated", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("checked_at", UTCDateTime(), nullable=True),
        sa.Column("cert_pem", sa.Text(), nullable=True),
        sa.Column("chain_pem", sa.Text(), nullable=True),
        sa.Column("root_pem", sa.Text(), nullable=True),
        sa.Column("serial", sa.String(length=64), nullable=True),
        sa.Column("not_before", UTCDateTime(), nullable=True),
        sa.Column("not_after", UTCDateTime(), nullable=True),
        sa.Column("issued_at", UTCDateTime(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["service_id"], ["services.id"], name=op.f("fk_certificates_service_id_services")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_certificates")),
        sa.UniqueConstraint("service_id", name=op.f("uq_certificates_service_id")),
    )
    with op.batch_alter_table("certificates", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_certificates_status"), ["status"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("certificates", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_certificates_status"))
    op.drop_table("certificates")
