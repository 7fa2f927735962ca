"""Catalogue, cart, orders, services, the ledger and Telegram payments."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    ForeignKey,
    LargeBinary,
    String,
    UniqueConstraint,
    false,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column

from domain.models.base import Base


class ServiceKind(StrEnum):
    """What a product line sells, and so what a service bought from it is."""

    LICENCE = "licence"
    MODULE = "module"  # an add-on to one of the customer's licences
    SSL = "ssl"


class ServiceStatus(StrEnum):
    """An active service past its expiry is suspended after the grace period, then deleted (the sweeps in
    domain/renewals.py); the customer may delete one at any time. Deleted services keep their history."""

    ACTIVE = "active"
    SUSPENDED = "suspended"
    EXPIRED = "expired"
    DELETED = "deleted"


class Actor(StrEnum):
    """Who did what a service's history row records."""

    CUSTOMER = "customer"
    STAFF = "staff"
    SYSTEM = "system"  # a sweep


class ServiceAction(StrEnum):
    """What a history row of a licence or module records. The sweeps record the status they moved a service
    to; the certificate workflow (domain/certificates.py) records its own `ssl-*` actions."""

    ORDER = "order"
    RENAME = "rename"
    IP = "ip"
    KEY = "key"
    TARIFF = "tariff"
    AUTO_RENEW = "auto_renew"
    RENEWAL = "renewal"
    DELETE = "delete"
    SUSPENDED = "suspended"
    DELETED = "deleted"


class EntryKind(StrEnum):
    """A ledger entry: top-ups and refunds are the customer's payments, charges what services cost, adjustments
    everything else the vendor books (a tariff change's unused value, a promo credit, a refund on deletion)."""

    TOPUP = "topup"
    CHARGE = "charge"
    REFUND = "refund"
    ADJUSTMENT = "adjustment"


class TopupMethod(StrEnum):
    """How a top-up through Telegram Payments is paid."""

    STARS = "telegram-stars"
    PROVIDER = "telegram-provider"  # a card through Telegram's payment provider


class PaymentStatus(StrEnum):
    PENDING = "pending"
    PAID = "paid"
    REFUNDED = "refunded"


class PaymentChargeOutcome(StrEnum):
    """What became of a `successful_payment` Telegram reported (see PaymentCharge)."""

    RECEIVED = "received"  # recorded, not applied yet
    APPLIED = "applied"
    EXTRA = "extra"
    UNMATCHED = "unmatched"


class Product(Base):
    """A product line of the catalogue file (licence, module, SSL); withdrawn ones stay for existing services."""

    __tablename__ = "products"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # ServiceKind
    base_months: Mapped[int]
    names: Mapped[dict[str, str]] = mapped_column(JSON)
    descriptions: Mapped[dict[str, str]] = mapped_column(JSON)
    # [{"months": 3, "discount_bp": 500}, ...]
    periods: Mapped[list[dict[str, int]]] = mapped_column(JSON)
    sort: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True, server_default=true())


class Tariff(Base):
    __tablename__ = "tariffs"
    __table_args__ = (UniqueConstraint("product_code", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    product_code: Mapped[str] = mapped_column(ForeignKey("products.code"))
    code: Mapped[str] = mapped_column(String(32))
    names: Mapped[dict[str, str]] = mapped_column(JSON)
    descriptions: Mapped[dict[str, str]] = mapped_column(JSON)
    price: Mapped[int]  # minor units for the product's base_months
    wildcard: Mapped[bool] = mapped_column(default=False, server_default=false())
    san_limit: Mapped[int] = mapped_column(default=1, server_default="1")  # ssl: additional names allowed
    sort: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True, server_default=true())


class CartItem(Base):
    """A configured product waiting in the cart; priced from the catalogue whenever it is shown or paid."""

    __tablename__ = "cart_items"
    # Ids are never reused (SQLite would hand out a deleted row's id again): the checkout's idempotency key is
    # built from them, and an identical cart bought again later must not look like the one already paid.
    __table_args__ = (CheckConstraint("months > 0", name="months_positive"), {"sqlite_autoincrement": True})

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id"), index=True)
    tariff_id: Mapped[int] = mapped_column(ForeignKey("tariffs.id"))
    months: Mapped[int]
    params: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime]


class Order(Base):
    """One paid checkout; the idempotency key makes a double tap or a race produce one order."""

    __tablename__ = "orders"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id"), index=True)
    idempotency_key: Mapped[str] = mapped_column(String(128), unique=True)
    total: Mapped[int]
    currency: Mapped[str] = mapped_column(String(3))
    created_at: Mapped[datetime]
    # Who paid (domain/payers.py); NULL is the customer as an implied private person.
    payer_id: Mapped[int | None] = mapped_column(ForeignKey("payers.id", ondelete="RESTRICT"))


class OrderItem(Base):
    __tablename__ = "order_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    tariff_id: Mapped[int] = mapped_column(ForeignKey("tariffs.id"))
    months: Mapped[int]
    params: Mapped[dict[str, Any]] = mapped_column(JSON)
    list_price: Mapped[int]
    discount: Mapped[int]
    price: Mapped[int]
    service_id: Mapped[int | None] = mapped_column(ForeignKey("services.id"))
    # The customer discount (domain/discounts.py) that priced this line, and how much it took off.
    discount_id: Mapped[int | None] = mapped_column(ForeignKey("discounts.id"))
    customer_discount: Mapped[int] = mapped_column(default=0, server_default="0")


class Service(Base):
    """Something the customer owns: a licence, a module on a licence, or an SSL certificate."""

    __tablename__ = "services"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # ServiceKind
    product_code: Mapped[str] = mapped_column(ForeignKey("products.code"))
    tariff_id: Mapped[int] = mapped_column(ForeignKey("tariffs.id"))
    status: Mapped[str] = mapped_column(String(16), index=True)  # ServiceStatus
    name: Mapped[str | None] = mapped_column(String(64))
    ip_address: Mapped[str | None] = mapped_column(String(45))
    domain: Mapped[str | None] = mapped_column(String(253))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("services.id"))  # a module's licence
    activation_key: Mapped[bytes | None] = mapped_column(LargeBinary)  # encrypted at rest
    period_months: Mapped[int]
    auto_renew: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime] = mapped_column(index=True)


class ServiceEvent(Base):
    """History of a service: who did what and when, with the values before and after."""

    __tablename__ = "service_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"), index=True)
    actor: Mapped[str] = mapped_column(String(16))  # Actor
    actor_id: Mapped[int | None] = mapped_column(BigInteger)
    action: Mapped[str] = mapped_column(String(32))  # ServiceAction, or an `ssl-*` one
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_at: Mapped[datetime]


class LedgerEntry(Base):
    """Append-only money movement. Positive credits the balance, negative debits it. The reference is unique:
    the same top-up, charge or refund can never be entered twice."""

    __tablename__ = "ledger_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # EntryKind
    amount: Mapped[int]
    currency: Mapped[str] = mapped_column(String(3))
    reference: Mapped[str] = mapped_column(String(128), unique=True)
    service_id: Mapped[int | None] = mapped_column(ForeignKey("services.id"))
    payment_id: Mapped[int | None] = mapped_column(ForeignKey("payments.id"))
    created_at: Mapped[datetime] = mapped_column(index=True)
    # A charge for a service: the tariff and the service's name when it was charged, so the expenses read as
    # bought (a renamed service or a changed tariff does not rewrite them).
    tariff_id: Mapped[int | None] = mapped_column(ForeignKey("tariffs.id"))
    label: Mapped[str | None] = mapped_column(String(128))


class Balance(Base):
    """The sum of a customer's ledger entries, kept in the same transaction; it can never go below zero."""

    __tablename__ = "balances"
    __table_args__ = (CheckConstraint("amount >= 0", name="not_negative"),)

    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id"), primary_key=True)
    amount: Mapped[int] = mapped_column(default=0)
    currency: Mapped[str] = mapped_column(String(3))


class Payment(Base):
    """A top-up through Telegram Payments, from invoice to credit (and refund)."""

    __tablename__ = "payments"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id"), index=True)
    payload: Mapped[str] = mapped_column(String(64), unique=True)
    method: Mapped[str] = mapped_column(String(24))  # TopupMethod
    amount: Mapped[int]  # credited to the balance, shop currency minor units
    currency: Mapped[str] = mapped_column(String(3))
    invoice_amount: Mapped[int]  # what the invoice asks: stars for XTR, else minor units
    invoice_currency: Mapped[str] = mapped_column(String(3))
    status: Mapped[str] = mapped_column(String(16))  # PaymentStatus
    then_checkout: Mapped[bool] = mapped_column(default=False, server_default=false())
    telegram_charge_id: Mapped[str | None] = mapped_column(String(255), unique=True)
    provider_charge_id: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[datetime]
    paid_at: Mapped[datetime | None]
    refunded_at: Mapped[datetime | None]
    payer_id: Mapped[int | None] = mapped_column(ForeignKey("payers.id", ondelete="RESTRICT"))
    # Set by the pre-checkout query that lets a payment through: a second one meanwhile is refused.
    checkout_started_at: Mapped[datetime | None]
    cart_revision: Mapped[str | None] = mapped_column(String(64))  # the cart a shortfall top-up pays for
    invoice_id: Mapped[int | None] = mapped_column(ForeignKey("invoices.id"), index=True)  # the invoice it pays
    # The flow the top-up was made for ("tariff:<service>:<tariff>", "renew:<service>"), resumed once it is paid.
    resume: Mapped[str | None] = mapped_column(String(64))


class PaymentCharge(Base):
    """Every `successful_payment` Telegram reported, recorded before anything else is done with it: money that
    arrived is never only a log line. `outcome`: applied (paid its invoice), extra (a second charge for an
    invoice already paid: credited to the balance, staff told) or unmatched (no invoice of ours: staff told)."""

    __tablename__ = "payment_charges"

    id: Mapped[int] = mapped_column(primary_key=True)
    telegram_charge_id: Mapped[str] = mapped_column(String(255), unique=True)
    provider_charge_id: Mapped[str | None] = mapped_column(String(255))
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id"), index=True)
    payment_id: Mapped[int | None] = mapped_column(ForeignKey("payments.id"))
    payload: Mapped[str] = mapped_column(String(128))
    currency: Mapped[str] = mapped_column(String(3))
    total_amount: Mapped[int]  # as Telegram charged it: stars for XTR, else minor units
    credited: Mapped[int] = mapped_column(default=0, server_default="0")  # to the balance, shop minor units
    outcome: Mapped[str] = mapped_column(String(16))  # PaymentChargeOutcome
    received_at: Mapped[datetime]
    refunded_at: Mapped[datetime | None]
