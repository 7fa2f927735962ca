"""Discounts given to a customer, promo codes, and who redeemed which code."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Integer, String, UniqueConstraint, false, true
from sqlalchemy.orm import Mapped, mapped_column

from domain.models.base import Base


class DiscountKind(StrEnum):
    PERCENT = "percent"  # the value in basis points
    FIXED = "fixed"  # the value in minor units


class PromoKind(StrEnum):
    """A promo code gives a discount of one of the discount kinds, or a credit to the balance."""

    PERCENT = "percent"
    FIXED = "fixed"
    CREDIT = "credit"  # the value in minor units


class DiscountScope(StrEnum):
    """Which cart lines a discount applies to; all but ALL name a target."""

    ALL = "all"
    PRODUCT = "product"
    TARIFF = "tariff"
    PERIOD = "period"  # a period length in months


class PromoSource(StrEnum):
    FILE = "file"  # the catalogue file's [[promo]] tables, kept in sync with it
    STAFF = "staff"  # `/promo new`


class Discount(Base):
    """A discount one customer has: a percentage (basis points) or a fixed amount (minor units) off each cart
    line its scope matches (all, a product, a tariff, a period) between `valid_from` and `valid_until`.
    A discount from a promo code is `single_use`: the order that uses it consumes it (`used_order_id`)."""

    __tablename__ = "discounts"
    __table_args__ = (
        CheckConstraint("value > 0", name="value_positive"),
        CheckConstraint("kind <> 'percent' OR value <= 10000", name="percent_at_most_all"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id"), index=True)
    kind: Mapped[str] = mapped_column(String(8))  # DiscountKind
    value: Mapped[int]
    scope: Mapped[str] = mapped_column(String(8))  # DiscountScope
    target: Mapped[str | None] = mapped_column(String(70))  # product code, [product/]tariff code, months
    valid_from: Mapped[datetime]
    valid_until: Mapped[datetime | None]
    reason: Mapped[str] = mapped_column(String(200))
    single_use: Mapped[bool] = mapped_column(default=False, server_default=false())
    promo_id: Mapped[int | None] = mapped_column(ForeignKey("promo_codes.id"))
    used_order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"))
    granted_by: Mapped[int | None] = mapped_column(BigInteger)  # a staff member's Telegram id
    created_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]


class PromoCode(Base):
    """A code a customer types (or opens by a link) for a discount or a balance credit. Codes from the
    catalogue file are kept in sync with it; codes no longer there stop working but are never deleted."""

    __tablename__ = "promo_codes"
    __table_args__ = (
        CheckConstraint("value > 0", name="value_positive"),
        CheckConstraint("max_uses IS NULL OR uses <= max_uses", name="uses_within_limit"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)  # upper case
    kind: Mapped[str] = mapped_column(String(8))  # PromoKind
    value: Mapped[int]
    scope: Mapped[str] = mapped_column(String(8), default=DiscountScope.ALL)
    target: Mapped[str | None] = mapped_column(String(70))
    max_uses: Mapped[int | None]
    uses: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    once_per_customer: Mapped[bool] = mapped_column(default=True, server_default=true())
    first_order_only: Mapped[bool] = mapped_column(default=False, server_default=false())
    valid_until: Mapped[datetime | None]
    active: Mapped[bool] = mapped_column(default=True, server_default=true())  # staff's `/promo off`
    source: Mapped[str] = mapped_column(String(8))  # PromoSource
    # A file code still listed in the catalogue file; staff switching one off survives the next sync.
    in_file: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_by: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime]


class PromoRedemption(Base):
    """One use of a code by one customer. `once_user_id` is the customer for a once-per-customer code and
    NULL otherwise: the UNIQUE pair then allows one redemption per customer (NULLs never collide)."""

    __tablename__ = "promo_redemptions"
    __table_args__ = (UniqueConstraint("promo_id", "once_user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    promo_id: Mapped[int] = mapped_column(ForeignKey("promo_codes.id"), index=True)
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id"), index=True)
    once_user_id: Mapped[int | None] = mapped_column(BigInteger)
    discount_id: Mapped[int | None] = mapped_column(ForeignKey("discounts.id"))
    credit: Mapped[int] = mapped_column(default=0, server_default="0")
    created_at: Mapped[datetime]
