"""Payers (who pays and gets invoices), invoices, and the per-year invoice number counter."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, String, Text, UniqueConstraint, false, true
from sqlalchemy.orm import Mapped, mapped_column

from domain.models.base import Base


class PayerKind(StrEnum):
    INDIVIDUAL = "individual"
    SOLE = "sole"  # a sole trader
    LEGAL = "legal"  # a legal entity


class InvoiceStatus(StrEnum):
    AWAITING = "awaiting"  # a bank transfer is expected; staff mark it paid
    ISSUED = "issued"  # a document only: paid in the bot
    PAID = "paid"
    CANCELLED = "cancelled"


class InvoicePurpose(StrEnum):
    TOPUP = "topup"
    CART = "cart"


class InvoiceLineKind(StrEnum):
    """A line of `Invoice.lines`: the top-up amount, or one cart item."""

    TOPUP = "topup"
    ITEM = "item"


class Payer(Base):
    """An individual, a sole trader or a legal entity paying for a customer's account."""

    __tablename__ = "payers"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # PayerKind
    name: Mapped[str] = mapped_column(String(200))  # full name, or the company's name
    country: Mapped[str] = mapped_column(String(2))  # ISO 3166-1 alpha-2
    address: Mapped[str | None] = mapped_column(Text)  # the legal address for a legal entity
    tax_number: Mapped[str | None] = mapped_column(String(64))  # VAT / tax number (INN, INN/KPP in Russia)
    reg_number: Mapped[str | None] = mapped_column(String(64))  # company registration number (OGRN, ...)
    contact: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254))
    is_default: Mapped[bool] = mapped_column(default=False, server_default=false())
    # A payer that has paid for something cannot be deleted, only disabled (kept for the records).
    active: Mapped[bool] = mapped_column(default=True, server_default=true())
    created_at: Mapped[datetime]


class InvoiceCounter(Base):
    """The last invoice number given out in a year; bumped in the issuing transaction (the row lock
    serialises concurrent issuers), and invoices.number is UNIQUE anyway."""

    __tablename__ = "invoice_counters"

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last: Mapped[int] = mapped_column(default=0)


class Invoice(Base):
    """An invoice for a top-up amount or for the cart. The payer's details are copied at issue: an invoice
    never changes when the payer is edited later."""

    __tablename__ = "invoices"
    __table_args__ = (UniqueConstraint("year", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id"), index=True)
    payer_id: Mapped[int | None] = mapped_column(ForeignKey("payers.id", ondelete="RESTRICT"), index=True)
    number: Mapped[str] = mapped_column(String(16), unique=True)  # 2026-000123
    year: Mapped[int]
    seq: Mapped[int]
    purpose: Mapped[str] = mapped_column(String(8))  # InvoicePurpose
    status: Mapped[str] = mapped_column(String(16), index=True)  # InvoiceStatus
    bank_transfer: Mapped[bool] = mapped_column(default=False, server_default=false())
    net: Mapped[int]  # credited to the balance when paid
    vat_rate_bp: Mapped[int] = mapped_column(default=0)
    vat: Mapped[int] = mapped_column(default=0)
    total: Mapped[int]
    currency: Mapped[str] = mapped_column(String(3))
    lines: Mapped[list[dict[str, Any]]] = mapped_column(JSON)  # [{"kind": InvoiceLineKind, "amount": minor, ...}]
    payer: Mapped[dict[str, Any]] = mapped_column(JSON)  # the payer's details as issued
    cart_revision: Mapped[str | None] = mapped_column(String(32))
    issued_at: Mapped[datetime]
    due_at: Mapped[datetime]
    paid_at: Mapped[datetime | None]
    paid_by: Mapped[int | None] = mapped_column(BigInteger)  # the staff member who marked it paid
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"))
    cancelled_at: Mapped[datetime | None]
