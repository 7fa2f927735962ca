"""Saved payment methods (Stripe cards, Telegram Payments), Stripe customers and events, automatic payments."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, LargeBinary, String, false
from sqlalchemy.orm import Mapped, mapped_column

from domain.models.base import Base


class MethodKind(StrEnum):
    CARD = "card"  # saved at Stripe
    TELEGRAM = "telegram"  # Telegram Payments: nothing saved, every payment asks


class AutopayChargeStatus(StrEnum):
    PENDING = "pending"  # written before Stripe is asked; asked again with the same key until it answers
    SUCCEEDED = "succeeded"
    FAILED = "failed"


class StripeCustomer(Base):
    """The Stripe Customer a user's cards are saved under; Stripe's id encrypted at rest."""

    __tablename__ = "stripe_customers"

    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    customer_id: Mapped[bytes] = mapped_column(LargeBinary)  # encrypted
    created_at: Mapped[datetime]


class PaymentMethod(Base):
    """A saved way to pay. A card keeps only Stripe's payment method id (encrypted) and what is shown."""

    __tablename__ = "payment_methods"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # MethodKind
    name: Mapped[str | None] = mapped_column(String(64))
    is_default: Mapped[bool] = mapped_column(default=False, server_default=false())
    brand: Mapped[str | None] = mapped_column(String(24))
    last4: Mapped[str | None] = mapped_column(String(4))
    exp_month: Mapped[int | None]
    exp_year: Mapped[int | None]
    stripe_id: Mapped[bytes | None] = mapped_column(LargeBinary)  # encrypted pm_...
    # A digest of Stripe's id: the same card reported twice (two webhook events) is saved once.
    stripe_digest: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime]


class StripeEvent(Base):
    """A webhook event handled once, whatever Stripe redelivers."""

    __tablename__ = "stripe_events"

    id: Mapped[str] = mapped_column(String(255), primary_key=True)
    type: Mapped[str] = mapped_column(String(64))
    received_at: Mapped[datetime]


class Autopay(Base):
    """Automatic payments of a user: the card charged when a renewal or checkout finds the balance short."""

    __tablename__ = "autopay"
    __table_args__ = (CheckConstraint("monthly_limit > 0", name="limit_positive"),)

    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    method_id: Mapped[int | None] = mapped_column(ForeignKey("payment_methods.id", ondelete="SET NULL"))
    enabled: Mapped[bool] = mapped_column(default=False, server_default=false())
    monthly_limit: Mapped[int]
    failures: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime]


class AutopayCharge(Base):
    """One off-session charge attempt, written before Stripe is called: a retry after a crash reuses its
    idempotency key, so Stripe answers with the same PaymentIntent instead of charging again."""

    __tablename__ = "autopay_charges"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"), index=True)
    method_id: Mapped[int | None] = mapped_column(ForeignKey("payment_methods.id", ondelete="SET NULL"))
    idempotency_key: Mapped[str] = mapped_column(String(128), unique=True)
    purpose: Mapped[str] = mapped_column(String(128))  # renewal:<service>:<period>, checkout:<user>:<rev>
    amount: Mapped[int]
    currency: Mapped[str] = mapped_column(String(3))
    status: Mapped[str] = mapped_column(String(16))  # AutopayChargeStatus
    payment_intent: Mapped[str | None] = mapped_column(String(255))  # only in rows from before encryption
    payment_intent_secret: Mapped[bytes | None] = mapped_column(LargeBinary)  # Stripe's PaymentIntent id, encrypted
    error: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(index=True)
    finished_at: Mapped[datetime | None]
