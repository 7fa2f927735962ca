"""SSL certificates: the issuance state of an ssl service (key and CSR, validation, the issued files), and what an
ACME CA's orders need to survive a restart (the account, each order with its authorisations, revocations due)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, LargeBinary, String, Text, false
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
    # When the next certificate is due: set for CAs whose certificates are short-lived (ACME: a third of the
    # lifetime before the end, at most 30 days); None keeps the rule of EXPIRING before `not_after`.
    renew_after: Mapped[datetime | None]


class AcmeAccount(Base):
    """The vendor's account at an ACME CA, one per directory URL (UNIQUE: processes racing to create it end with
    one). `key` is the account key (PEM), encrypted with the secrets key; `url` is set once the CA registered it."""

    __tablename__ = "acme_accounts"

    id: Mapped[int] = mapped_column(primary_key=True)
    directory_url: Mapped[str] = mapped_column(String(500), unique=True)
    key: Mapped[bytes] = mapped_column(LargeBinary)
    url: Mapped[str | None] = mapped_column(String(500))
    email: Mapped[str | None] = mapped_column(String(254))
    created_at: Mapped[datetime]
    registered_at: Mapped[datetime | None]


class AcmeOrder(Base):
    """One ACME order of a certificate (first issue, renewal, reissue). `state` is ours:

        awaiting    the CA waits for the customer's records or files ("check now" compares, then answers)
        validating  challenges answered, the CA is validating; the job polls
        ready       every name is valid; the job finalises with the certificate's CSR
        finalizing  finalised, the CA is signing; the job polls and downloads
        done        the certificate is stored (`serial`)
        failed      the CA refused (`error`, a Fluent id; `detail`, the CA's words): a fresh order retries
        abandoned   replaced (new names or CSR, a retry, the service deleted)

    `authorizations` keeps, per name, the authorisation URL and status and each challenge's URL, token and
    status, so what the customer must publish is shown without asking the CA again."""

    __tablename__ = "acme_orders"

    id: Mapped[int] = mapped_column(primary_key=True)
    certificate_id: Mapped[int] = mapped_column(ForeignKey("certificates.id"), index=True)
    purpose: Mapped[str] = mapped_column(String(16))  # issue, renew, reissue
    state: Mapped[str] = mapped_column(String(16))
    url: Mapped[str] = mapped_column(String(500))
    ca_status: Mapped[str] = mapped_column(String(16))  # the order's status as the CA last said
    names: Mapped[list[str]] = mapped_column(JSON)
    authorizations: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    finalize_url: Mapped[str] = mapped_column(String(500))
    certificate_url: Mapped[str | None] = mapped_column(String(500))
    method: Mapped[str | None] = mapped_column(String(8))  # what the challenges were answered with
    answered_at: Mapped[datetime | None]
    next_poll_at: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(default=0)
    error: Mapped[str | None] = mapped_column(String(64))
    detail: Mapped[str | None] = mapped_column(Text)
    serial: Mapped[str | None] = mapped_column(String(64))
    expires_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    __table_args__ = (Index("ix_acme_orders_state_next_poll_at", "state", "next_poll_at"),)


class AcmeRevocation(Base):
    """A certificate to revoke at the CA (replaced by a reissue, or its service deleted); the job sends it and
    retries until the CA confirms. UNIQUE serial: queueing twice is harmless."""

    __tablename__ = "acme_revocations"

    id: Mapped[int] = mapped_column(primary_key=True)
    certificate_id: Mapped[int] = mapped_column(ForeignKey("certificates.id"), index=True)
    serial: Mapped[str] = mapped_column(String(64), unique=True)
    cert_pem: Mapped[str] = mapped_column(Text)
    reason: Mapped[int]  # RFC 5280 CRLReason: 4 superseded, 5 cessationOfOperation
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(index=True)
    error: Mapped[str | None] = mapped_column(String(64))
    revoked_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
