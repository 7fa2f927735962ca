"""Customer discounts: what a customer was given, and the one pricing rule the cart (and checkout) apply.

A discount is a percentage (basis points) or a fixed amount (minor units) off each line its scope matches:
every line, one product, one tariff (`pro`, or `ispmanager/pro` where two products share a tariff code), or one
period length in months. Per line the discount that saves most applies, on top of the catalogue's period
discount; no line ever goes below the vendor's floor (DISCOUNT_FLOOR_BP of its list price) nor below zero.
All arithmetic is on integers.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, exists, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.catalogue import BASIS_POINTS, Price
from domain.clock import Clock
from domain.db import rowcount
from domain.errors import InvalidInput, NotFound
from domain.models import (
    Discount,
    DiscountKind,
    DiscountScope,
    NotificationCategory,
    Product,
    PromoKind,
    Tariff,
    User,
)
from domain.notifications import Notifications, button, date_arg, localized_arg, money_arg
from domain.values import parse_amount as typed_amount

KINDS = tuple(DiscountKind)
SCOPES = tuple(DiscountScope)
MAX_PERIOD_MONTHS = 120
REASON_LENGTH = 200


class DiscountState(StrEnum):
    """Where a customer's discount stands now (for staff: `Discounts.status`)."""

    ACTIVE = "active"
    USED = "used"  # a single-use one an order consumed
    EXPIRED = "expired"
    REVOKED = "revoked"


@dataclass(frozen=True, slots=True)
class Terms:
    """What a discount (or a promo code's discount) takes off, and which lines it applies to."""

    kind: str  # DiscountKind
    value: int
    scope: str = DiscountScope.ALL
    target: str | None = None

    def matches(self, product_code: str, tariff_code: str, months: int) -> bool:
        if self.scope == DiscountScope.ALL:
            return True
        if self.scope == DiscountScope.PRODUCT:
            return self.target == product_code
        if self.scope == DiscountScope.TARIFF:
            return self.target in (tariff_code, f"{product_code}/{tariff_code}")
        return self.target == str(months)


@dataclass(frozen=True, slots=True)
class Offer:
    """A discount the customer can use now, as the pricing rule sees it."""

    id: int
    terms: Terms
    single_use: bool = False
    reason: str = ""
    promo: bool = False  # from a promo code: `reason` is the code


@dataclass(frozen=True, slots=True)
class Applied:
    """The customer discount that priced a line and how much it took off."""

    discount_id: int
    amount: int
    single_use: bool
    terms: Terms
    reason: str = ""
    promo: bool = False


def floor_of(list_price: int, floor_bp: int) -> int:
    """The least a line may cost: `floor_bp` of its list price, rounded up to a minor unit."""
    return -(-list_price * floor_bp // BASIS_POINTS)


def saving(terms: Terms, price: Price, floor_bp: int) -> int:
    """What `terms` take off a line already priced by the catalogue, kept above the floor and zero."""
    wanted = terms.value
    if terms.kind == DiscountKind.PERCENT:
        wanted = (price.total * terms.value + BASIS_POINTS // 2) // BASIS_POINTS
    room = price.total - max(floor_of(price.list_price, floor_bp), 0)
    return max(0, min(wanted, room))


def price_line(price: Price, product_code: str, tariff_code: str, months: int, offers: Sequence[Offer],
               floor_bp: int) -> tuple[Price, Applied | None]:
    """The line's price with the best applicable discount (the highest saving; the older one on a tie)."""
    best: Applied | None = None
    for offer in sorted(offers, key=lambda o: o.id):
        if not offer.terms.matches(product_code, tariff_code, months):
            continue
        amount = saving(offer.terms, price, floor_bp)
        if amount > 0 and (best is None or amount > best.amount):
            best = Applied(offer.id, amount, offer.single_use, offer.terms, offer.reason, offer.promo)
    if best is None:
        return price, None
    return replace(price, discount=price.discount + best.amount, total=price.total - best.amount), best


# --- what staff type ------------------------------------------------------------------------------------

_AMOUNT = re.compile(r"^\d+(?:[.,]\d+)?$")


def parse_amount(text: str, precision: int) -> int:
    """'5', '5.00' or '5,5' in major units -> minor units; more decimals than the currency has are refused."""
    amount = typed_amount(text, precision, "discounts-error-value")
    if amount <= 0:
        raise InvalidInput("discounts-error-value", value=text)
    return amount


def parse_value(text: str, precision: int, *, credit: bool = False) -> tuple[PromoKind, int]:
    """'10%' (or '12.5%') -> percent in basis points; '5.00' -> a fixed amount; 'credit:5.00' when allowed."""
    if credit and text.lower().startswith("credit:"):
        return PromoKind.CREDIT, parse_amount(text[7:], precision)
    if text.endswith("%"):
        number = text[:-1]
        if not _AMOUNT.match(number):
            raise InvalidInput("discounts-error-value", value=text)
        bp = Decimal(number.replace(",", ".")) * 100
        if bp != bp.to_integral_value() or not 0 < bp <= BASIS_POINTS:
            raise InvalidInput("discounts-error-percent", value=text)
        return PromoKind.PERCENT, int(bp)
    return PromoKind.FIXED, parse_amount(text, precision)


def parse_scope(text: str) -> tuple[DiscountScope, str | None] | None:
    """'all', 'product:<code>', 'tariff:<code>' or 'tariff:<product>/<code>', 'period:<months>'; None: not a scope."""
    if text.lower() == DiscountScope.ALL:
        return DiscountScope.ALL, None
    word, sep, target = text.partition(":")
    word = word.lower()
    if not sep or word not in SCOPES or word == DiscountScope.ALL:
        return None
    name = DiscountScope(word)
    target = target.strip().lower()
    if not target or len(target) > 70:
        raise InvalidInput("discounts-error-scope", scope=text)
    if name == DiscountScope.PERIOD and (not target.isdigit() or not 1 <= int(target) <= MAX_PERIOD_MONTHS):
        raise InvalidInput("discounts-error-scope", scope=text)
    return name, str(int(target)) if name == DiscountScope.PERIOD else target


def parse_until(text: str, today: date) -> datetime:
    """'until:YYYY-MM-DD' -> the last moment of that day (UTC); a day already past is refused."""
    try:
        day = date.fromisoformat(text.partition(":")[2])
    except ValueError:
        raise InvalidInput("discounts-error-date", value=text) from None
    if day < today:
        raise InvalidInput("discounts-error-date-past", value=text)
    return datetime.combine(day, time(23, 59, 59), UTC)


@dataclass(frozen=True, slots=True)
class Grant:
    """A parsed `/discount` command."""

    user_id: int
    terms: Terms
    valid_until: datetime | None
    reason: str


def parse_grant(args: str, precision: int, today: date) -> Grant:
    """`<user_id> <10% | 5.00> [all | product:<code> | tariff:<code> | period:<months>] [until:YYYY-MM-DD]
    <reason...>`; options may come in any order before the reason."""
    tokens = args.split()
    if len(tokens) < 3:
        raise InvalidInput("discounts-error-usage")
    if not tokens[0].isdigit():
        raise InvalidInput("discounts-error-user", user=tokens[0])
    kind, value = parse_value(tokens[1], precision)
    scope: tuple[str, str | None] = (DiscountScope.ALL, None)
    until = None
    rest = tokens[2:]
    while rest:
        token = rest[0]
        if token.lower().startswith("until:"):
            until = parse_until(token, today)
        elif (parsed := parse_scope(token)) is not None:
            scope = parsed
        else:
            break
        rest = rest[1:]
    reason = " ".join(rest).strip()
    if not reason:
        raise InvalidInput("discounts-error-reason")
    if len(reason) > REASON_LENGTH:
        raise InvalidInput("discounts-error-reason-long", max=REASON_LENGTH)
    return Grant(int(tokens[0]), Terms(kind, value, *scope), until, reason)


# --- the service ----------------------------------------------------------------------------------------

def offer_of(discount: Discount) -> Offer:
    return Offer(discount.id, Terms(discount.kind, discount.value, discount.scope, discount.target),
                 discount.single_use, discount.reason, discount.promo_id is not None)


class Discounts:
    def __init__(self, session: AsyncSession, clock: Clock, notifications: Notifications, currency: str,
                 floor_bp: int = 0) -> None:
        self._session = session
        self._clock = clock
        self._notifications = notifications
        self.currency = currency
        self.floor_bp = floor_bp

    def parse_grant(self, args: str, precision: int) -> Grant:
        return parse_grant(args, precision, self._clock.now().date())

    def _usable(self, now: datetime) -> tuple[ColumnElement[bool], ...]:
        return (Discount.revoked_at.is_(None), Discount.used_order_id.is_(None), Discount.valid_from <= now,
                or_(Discount.valid_until.is_(None), Discount.valid_until >= now))

    async def active(self, user_id: int) -> list[Discount]:
        """The customer's discounts usable now, newest first."""
        return list(await self._session.scalars(
            select(Discount).where(Discount.user_id == user_id, *self._usable(self._clock.now()))
            .order_by(Discount.id.desc())
        ))

    async def offers(self, user_id: int) -> list[Offer]:
        return [offer_of(d) for d in await self.active(user_id)]

    async def standing_offers(self, user_ids: set[int]) -> dict[int, list[Offer]]:
        """Per customer, the discounts that also price renewals: every usable one except one-off promo ones."""
        found: dict[int, list[Offer]] = {}
        where = [Discount.single_use.is_(False), *self._usable(self._clock.now())]
        if len(user_ids) <= 500:  # a sweep over many customers reads the (few) standing discounts instead
            where.append(Discount.user_id.in_(user_ids))
        for discount in await self._session.scalars(select(Discount).where(*where)):
            if discount.user_id in user_ids:
                found.setdefault(discount.user_id, []).append(offer_of(discount))
        return found

    def price(self, price: Price, product_code: str, tariff_code: str, months: int,
              offers: Sequence[Offer]) -> tuple[Price, Applied | None]:
        return price_line(price, product_code, tariff_code, months, offers, self.floor_bp)

    async def names(self) -> dict[str, dict[str, str]]:
        """Names of what a scope can name: product codes, tariff codes and `product/tariff` codes."""
        names: dict[str, dict[str, str]] = {p.code: p.names for p in await self._session.scalars(select(Product))}
        for tariff in await self._session.scalars(select(Tariff).order_by(Tariff.id.desc())):
            names[f"{tariff.product_code}/{tariff.code}"] = tariff.names
            names.setdefault(tariff.code, tariff.names)
        return names

    async def consume(self, user_id: int, discount_ids: set[int], order_id: int) -> bool:
        """Mark single-use discounts as used by `order_id`. False when one was used (or revoked) meanwhile;
        the caller's transaction must then roll back."""
        for discount_id in sorted(discount_ids):
            changed = await rowcount(
                self._session,
                update(Discount).where(Discount.id == discount_id, Discount.user_id == user_id,
                                       *self._usable(self._clock.now()))
                .values(used_order_id=order_id).execution_options(synchronize_session=False)
            )
            if changed != 1:
                return False
        return True

    async def check_terms(self, terms: Terms) -> None:
        """A scope must name something in the catalogue (withdrawn products still count: services renew)."""
        if terms.kind not in KINDS or terms.value <= 0 \
                or (terms.kind == DiscountKind.PERCENT and terms.value > BASIS_POINTS):
            raise InvalidInput("discounts-error-value", value=str(terms.value))
        if terms.scope == DiscountScope.PRODUCT:
            if await self._session.get(Product, terms.target) is None:
                raise InvalidInput("discounts-error-product", code=terms.target or "")
        elif terms.scope == DiscountScope.TARIFF:
            product, _, code = (terms.target or "").rpartition("/")
            where = [Tariff.code == code] + ([Tariff.product_code == product] if product else [])
            if not await self._session.scalar(select(exists().where(*where))):
                raise InvalidInput("discounts-error-tariff", code=terms.target or "")

    async def grant(self, user_id: int, terms: Terms, reason: str, *, valid_until: datetime | None = None,
                    granted_by: int | None = None, single_use: bool = False, promo_id: int | None = None,
                    notify: bool = True) -> Discount:
        if await self._session.get(User, user_id) is None:
            raise NotFound("discounts-error-no-customer", user=str(user_id))
        await self.check_terms(terms)
        now = self._clock.now()
        discount = Discount(user_id=user_id, kind=terms.kind, value=terms.value, scope=terms.scope,
                            target=terms.target, valid_from=now, valid_until=valid_until, reason=reason[:REASON_LENGTH],
                            single_use=single_use, promo_id=promo_id, granted_by=granted_by, created_at=now)
        self._session.add(discount)
        await self._session.flush()
        if notify:
            await self._notifications.notify(
                user_id, category=NotificationCategory.FINANCE, key="discounts-notification-granted",
                args={**await self.describe(discount), "reason": discount.reason},
                buttons=[button("discounts-button-open", action="discounts")],
                dedupe_key=f"discount:{discount.id}",
            )
        return discount

    async def grant_command(self, args: str, precision: int, granted_by: int | None = None) -> Discount:
        """`/discount` as staff typed it (`parse_grant`), granted; a refusal changes nothing."""
        grant = self.parse_grant(args, precision)
        return await self.grant(grant.user_id, grant.terms, grant.reason, valid_until=grant.valid_until,
                                granted_by=granted_by)

    async def describe(self, discount: Discount) -> dict[str, Any]:
        """Notification arguments that say what a discount is, in any language."""
        percent = discount.value / 100 if discount.kind == DiscountKind.PERCENT else 0
        fixed = discount.value if discount.kind == DiscountKind.FIXED else 0
        args: dict[str, Any] = {
            "kind": discount.kind, "percent": percent, "amount": money_arg(fixed, self.currency),
            "scope": discount.scope, "target": discount.target or "",
            "has_until": "yes" if discount.valid_until else "no",
            "until": date_arg(discount.valid_until.date()) if discount.valid_until else "",
        }
        if discount.scope in (DiscountScope.PRODUCT, DiscountScope.TARIFF):
            names = await self.names()
            if discount.target in names:
                args["target"] = localized_arg(names[discount.target])
        return args

    async def revoke(self, discount_id: int) -> Discount:
        """Staff take a discount back; a revoked or unknown one is NotFound."""
        discount = await self._session.get(Discount, discount_id)
        if discount is None or discount.revoked_at is not None:
            raise NotFound("discounts-error-unknown", id=str(discount_id))
        discount.revoked_at = self._clock.now()
        await self._session.flush()
        return discount

    async def history(self, user_id: int, limit: int = 30) -> list[Discount]:
        """Every discount of a customer, newest first (for staff: revoked, used and expired ones too)."""
        return list(await self._session.scalars(
            select(Discount).where(Discount.user_id == user_id).order_by(Discount.id.desc()).limit(limit)
        ))

    def status(self, discount: Discount) -> DiscountState:
        now = self._clock.now()
        if discount.revoked_at is not None:
            return DiscountState.REVOKED
        if discount.used_order_id is not None:
            return DiscountState.USED
        if discount.valid_until is not None and discount.valid_until < now:
            return DiscountState.EXPIRED
        return DiscountState.ACTIVE
