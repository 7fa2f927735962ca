"""SSL certificates: the issuance state of an ssl service (key and CSR, validation, the issued files)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, LargeBinary, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column

from domain.models.base import Base


class Certificate(Base):
    """One per ssl service, made when the customer first opens it. `status`: csr (awaiting a CSR), validation
    (awaiting domain validation), issued, reissuing (issued, a new key and CSR awaited). Expiring and expired
    are read from `not_after` and the clock."""

    __tablename__ = "certificates"

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"), unique=True)
    status: Mapped[str] = mapped_column(String(16), index=True)
    sans: Mapped[list[str]] = mapped_column(JSON)  # names besides the service's domain
    key_type: Mapped[str | None] = mapped_column(String(16))  # ec256, rsa2048, rsa3072, own (the customer's CSR)
    private_key: Mapped[bytes | None] = mapped_column(LargeBinary)  # PEM, encrypted at rest; None when not kept
    csr_pem: Mapped[str | None] = mapped_column(Text)
    dcv_method: Mapped[str] = mapped_column(String(8), default="dns")
    dcv_token: Mapped[str] = mapped_column(String(64))
    approver_email: Mapped[str | None] = mapped_column(String(254))
    validated: Mapped[bool] = mapped_column(default=False, server_default=false())
    checked_at: Mapped[datetime | None]
    cert_pem: Mapped[str | None] = mapped_column(Text)
    chain_pem: Mapped[str | None] = mapped_column(Text)  # intermediates, leaf's issuer first
    root_pem: Mapped[str | None] = mapped_column(Text)
    serial: Mapped[str | None] = mapped_column(String(64))
    not_before: Mapped[datetime | None]
    not_after: Mapped[datetime | None]
    issued_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
