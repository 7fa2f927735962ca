"""Automatic payments: when a renewal or a checkout finds the balance short, the shortfall is charged off-session
to the customer's saved card, credited once, and the customer told. A declined charge notifies with a manual
top-up button; after `AUTOPAY_MAX_FAILURES` declines in a row automatic payments turn themselves off.

Money is never lost to a crash: the attempt row (with its idempotency key) is committed before Stripe is called,
so a retry sends the same key and Stripe answers with the same PaymentIntent; the credit is a ledger entry with
the UNIQUE reference `stripe:<payment intent>`. One attempt per purpose and day: a declined card is not asked
again within the day (Stripe would replay the same decline for the same key anyway).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.clock import Clock
from domain.db import rowcount, upsert
from domain.errors import DomainError, InvalidInput
from domain.ledger import Ledger
from domain.models import (
    Autopay,
    AutopayCharge,
    AutopayChargeStatus,
    Balance,
    EntryKind,
    LedgerEntry,
    NotificationCategory,
    PaymentMethod,
    Product,
    Service,
    ServiceStatus,
    Tariff,
)
from domain.notifications import Notifications, button, money_arg
from domain.payment_methods import CARD, MethodSettings, PaymentMethods
from domain.renewals import RenewalSettings, renewal_notice_key, renewal_price, renewal_reference, service_label
from domain.stripe_gateway import StripeUnavailable


class CoverStatus(StrEnum):
    """What an attempt to cover a shortfall with the automatic-payments card came to."""

    CHARGED = "charged"  # credited, now or by an earlier attempt for the same purpose
    OFF = "off"  # no automatic payments (or no card to charge)
    LIMIT = "limit"  # the monthly limit would be passed
    FAILED = "failed"  # declined
    PENDING = "pending"  # Stripe could not be reached: asked again later with the same key


class CoverReason(StrEnum):
    """What the card is charged for; the notices say it, and an attempt's purpose starts with it."""

    RENEWAL = "renewal"
    CHECKOUT = "checkout"


CHARGED, OFF, LIMIT = CoverStatus.CHARGED, CoverStatus.OFF, CoverStatus.LIMIT
FAILED, PENDING = CoverStatus.FAILED, CoverStatus.PENDING
MAX_LIMIT = 10_000_000
PENDING_WINDOW = timedelta(hours=23)  # Stripe keeps idempotency keys for 24 hours
# Stripe refuses charges below about 0.50 of most currencies: a smaller shortfall is charged as this much (the
# rest stays on the balance).
MIN_CHARGE = 50


@dataclass(frozen=True, slots=True)
class AutopayView:
    enabled: bool
    method: PaymentMethod | None
    monthly_limit: int
    used: int
    failures: int
    max_failures: int


@dataclass(frozen=True, slots=True)
class Cover:
    """What an attempt to cover a shortfall came to, and the card it was charged to."""

    status: CoverStatus
    amount: int = 0
    method: PaymentMethod | None = None

    @property
    def charged(self) -> bool:
        return self.status == CHARGED


class NoCard(DomainError):
    message_id = "methods-autopay-error-no-card"


def month_start(moment: datetime) -> datetime:
    return moment.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def charge_reference(charge_id: int) -> str:
    """The ledger reference of a card charge: the attempt's own id (one PaymentIntent per attempt, Stripe's
    idempotency key sees to it), so Stripe's id appears nowhere in plain text."""
    return f"autopay:{charge_id}"


class AutomaticPayments:
    def __init__(self, session: AsyncSession, clock: Clock, methods: PaymentMethods, ledger: Ledger,
                 notifications: Notifications, settings: MethodSettings, renewals: RenewalSettings,
                 commit: Callable[[], Awaitable[None]]) -> None:
        self._session = session
        self._clock = clock
        self._methods = methods
        self._ledger = ledger
        self._notifications = notifications
        self.settings = settings
        self._renewals = renewals
        self._commit = commit

    async def seal_plain_intents(self) -> int:
        """Rows written before card payment ids were encrypted: encrypt each and give its ledger entry the new
        reference. Run at startup; returns how many rows it sealed (0 once done)."""
        rows = list(await self._session.scalars(select(AutopayCharge).where(AutopayCharge.payment_intent.is_not(None))))
        for charge in rows:
            intent = charge.payment_intent or ""
            await self._session.execute(
                update(LedgerEntry).where(LedgerEntry.reference == f"stripe:{intent}")
                .values(reference=charge_reference(charge.id)).execution_options(synchronize_session=False))
            charge.payment_intent_secret = self._methods.seal(intent)
            charge.payment_intent = None
        await self._session.flush()
        return len(rows)

    # --- the customer's switch ----------------------------------------------------------------------------

    async def _used(self, user_id: int, now: datetime) -> int:
        return await self._session.scalar(
            select(func.coalesce(func.sum(AutopayCharge.amount), 0))
            .where(AutopayCharge.user_id == user_id,
                   AutopayCharge.status.in_((AutopayChargeStatus.PENDING, AutopayChargeStatus.SUCCEEDED)),
                   AutopayCharge.created_at >= month_start(now))) or 0

    async def view(self, user_id: int) -> AutopayView:
        row = await self._session.get(Autopay, user_id, populate_existing=True)
        method = await self._session.get(PaymentMethod, row.method_id) if row and row.method_id else None
        used = await self._used(user_id, self._clock.now())
        return AutopayView(bool(row and row.enabled and method), method, row.monthly_limit if row else 0, used,
                           row.failures if row else 0, self.settings.autopay_max_failures)

    async def cards(self, user_id: int) -> list[PaymentMethod]:
        return [m for m in await self._methods.methods(user_id) if m.kind == CARD]

    @staticmethod
    def check_limit(amount: int) -> int:
        if amount <= 0 or amount > MAX_LIMIT:
            raise InvalidInput("methods-autopay-error-limit")
        return amount

    async def enable(self, user_id: int, method_id: int, monthly_limit: int) -> AutopayView:
        method = await self._methods.get(user_id, method_id)
        if method.kind != CARD:
            raise NoCard()
        self.check_limit(monthly_limit)
        now = self._clock.now()
        stmt = upsert(self._session, Autopay).values(
            user_id=user_id, method_id=method.id, enabled=True, monthly_limit=monthly_limit, failures=0,
            updated_at=now)
        await self._session.execute(stmt.on_conflict_do_update(index_elements=["user_id"], set_={
            "method_id": method.id, "enabled": True, "monthly_limit": monthly_limit, "failures": 0,
            "updated_at": now}))
        return await self.view(user_id)

    async def disable(self, user_id: int) -> None:
        await self._session.execute(
            update(Autopay).where(Autopay.user_id == user_id)
            .values(enabled=False, updated_at=self._clock.now()).execution_options(synchronize_session=False))

    # --- covering a shortfall -----------------------------------------------------------------------------

    async def cover_renewal(self, user_id: int, service_id: int, expires_at: datetime, shortfall: int,
                            label: str) -> Cover:
        """One renewal's shortfall to the card. The sweep and the customer's "Renew now" share the attempt's key
        (service and period), so both together still charge once."""
        return await self.cover(
            user_id, shortfall, renewal_reference(service_id, expires_at), reason=CoverReason.RENEWAL, service=label,
            buttons=[button("notification-button-top-up", action="renewal-topup", service_id=service_id,
                            amount=money_arg(shortfall, self._ledger.currency))],
            notice_key=renewal_notice_key(service_id, expires_at, self._clock.now()))

    async def cover(self, user_id: int, amount: int, purpose: str, *, reason: str,
                    buttons: Sequence[Mapping[str, Any]] = (), service: str | None = None,
                    notice_key: str | None = None) -> Cover:
        """Charge `amount` to the automatic-payments card for `purpose` (e.g. `renewal:<id>:<period>`) and credit
        it. Commits its own steps: the caller's earlier changes are committed too, and no transaction is open
        while Stripe is asked. `notice_key` dedupes the notice of a decline or of the monthly limit (a renewal
        shares it with the sweep's own notice, so the customer hears of one failed renewal once a day)."""
        gateway = self._methods.gateway
        row = await self._session.get(Autopay, user_id, populate_existing=True)
        if gateway is None or row is None or not row.enabled or row.method_id is None or amount <= 0:
            return Cover(OFF)
        method = await self._session.get(PaymentMethod, row.method_id)
        if method is None or method.kind != CARD or method.stripe_id is None:
            return Cover(OFF)
        amount = max(amount, MIN_CHARGE)
        now = self._clock.now()
        key = f"autopay:{purpose}:{now:%Y%m%d}"
        charge = await self._attempt(key)
        if charge is not None and charge.status == AutopayChargeStatus.SUCCEEDED:
            return Cover(CHARGED, charge.amount, method)
        if charge is not None and charge.status == AutopayChargeStatus.FAILED:
            return Cover(FAILED, charge.amount, method)
        if charge is None:
            if await self._used(user_id, now) + amount > row.monthly_limit:
                await self._notifications.notify(
                    user_id, category=NotificationCategory.FINANCE, key="methods-autopay-limit-note",
                    args={"amount": money_arg(amount, self._ledger.currency),
                          "limit": money_arg(row.monthly_limit, self._ledger.currency)},
                    buttons=buttons, dedupe_key=notice_key or f"autopay-limit:{user_id}:{now:%Y%m}")
                await self._commit()
                return Cover(LIMIT, amount, method)
            await self._session.execute(
                upsert(self._session, AutopayCharge)
                .values(user_id=user_id, method_id=method.id, idempotency_key=key, purpose=purpose[:128],
                        amount=amount, currency=self._ledger.currency, status=AutopayChargeStatus.PENDING,
                        created_at=now)
                .on_conflict_do_nothing(index_elements=["idempotency_key"]))
            charge = await self._attempt(key)
            assert charge is not None
        if charge.method_id != method.id:  # a pending attempt keeps its own card: Stripe wants the same request
            method = await self._session.get(PaymentMethod, charge.method_id) if charge.method_id else None
            if method is None or method.stripe_id is None:
                return Cover(PENDING, charge.amount, None)
        return await self._settle(charge, method, row.failures, reason, service, buttons, notice_key)

    async def _settle(self, charge: AutopayCharge, method: PaymentMethod, failures: int, reason: str,
                      service: str | None, buttons: Sequence[Mapping[str, Any]],
                      notice_key: str | None = None) -> Cover:
        """Ask Stripe for a recorded attempt (with its own key) and record the answer: credit once, or count a
        decline. Stripe unreachable leaves the attempt pending for the next try with the same key."""
        gateway = self._methods.gateway
        user_id, key, purpose = charge.user_id, charge.idempotency_key, charge.purpose
        customer = await self._methods.stripe_customer(user_id)
        payment_method = self._methods.stripe_id(method)
        # The attempt is on disk before Stripe hears of it.
        await self._commit()
        if gateway is None or customer is None:
            return Cover(OFF)
        try:
            outcome = await gateway.charge(customer, payment_method, charge.amount, charge.currency, key, purpose)
        except StripeUnavailable:
            return Cover(PENDING, charge.amount, method)
        card = {"brand": (method.brand or "").title(), "last4": method.last4 or ""}
        money = money_arg(charge.amount, charge.currency)
        finished = await rowcount(
            self._session,
            update(AutopayCharge)
            .where(AutopayCharge.id == charge.id, AutopayCharge.status == AutopayChargeStatus.PENDING)
            .values(status=AutopayChargeStatus.SUCCEEDED if outcome.ok else AutopayChargeStatus.FAILED,
                    payment_intent_secret=self._methods.seal(outcome.payment_intent) if outcome.payment_intent
                    else None,
                    error=None if outcome.ok else (outcome.error or "declined")[:64], finished_at=self._clock.now())
            .execution_options(synchronize_session=False))
        first = finished == 1
        if outcome.ok:
            await self._ledger.post(user_id, EntryKind.TOPUP, charge.amount, charge_reference(charge.id))
            if first:
                await self._session.execute(update(Autopay).where(Autopay.user_id == user_id).values(failures=0))
                await self._notifications.notify(
                    user_id, category=NotificationCategory.FINANCE, key="methods-autopay-charged-note",
                    args={"amount": money, "reason": reason, "service": service or "", **card},
                    dedupe_key=f"autopay-charged:{key}")
            await self._commit()
            return Cover(CHARGED, charge.amount, method)
        if first:
            failures += 1
            turn_off = failures >= self.settings.autopay_max_failures
            changes: dict[str, Any] = {"failures": failures, "updated_at": self._clock.now()}
            if turn_off:
                changes["enabled"] = False
            await self._session.execute(update(Autopay).where(Autopay.user_id == user_id).values(**changes))
            await self._notifications.notify(
                user_id, category=NotificationCategory.FINANCE, key="methods-autopay-failed-note",
                args={"amount": money, "reason": reason, "service": service or "", "error": outcome.error or "",
                      **card}, buttons=buttons, dedupe_key=notice_key or f"autopay-failed:{key}")
            if turn_off:
                await self._notifications.notify(
                    user_id, category=NotificationCategory.FINANCE, key="methods-autopay-off-note",
                    args={"failures": failures, **card}, dedupe_key=f"autopay-off:{key}")
        await self._commit()
        return Cover(FAILED, charge.amount, method)

    async def settle_pending(self) -> int:
        """Attempts left pending (Stripe unreachable, or a crash between Stripe's answer and our commit) are asked
        again with their own key while Stripe still remembers it (24 hours), so money Stripe took is credited and
        no second charge is made. Returns how many were credited."""
        now = self._clock.now()
        pending = list(await self._session.scalars(
            select(AutopayCharge).where(AutopayCharge.status == AutopayChargeStatus.PENDING,
                                        AutopayCharge.created_at > now - PENDING_WINDOW)
            .order_by(AutopayCharge.id)))
        credited = 0
        for charge in pending:
            method = await self._session.get(PaymentMethod, charge.method_id) if charge.method_id else None
            row = await self._session.get(Autopay, charge.user_id, populate_existing=True)
            if method is None or method.stripe_id is None or row is None:
                continue
            result = await self._settle(charge, method, row.failures, charge.purpose.split(":", 1)[0], None, ())
            credited += result.charged
        return credited

    async def _attempt(self, key: str) -> AutopayCharge | None:
        return await self._session.scalar(
            select(AutopayCharge).where(AutopayCharge.idempotency_key == key)
            .execution_options(populate_existing=True))

    async def cover_renewals(self) -> dict[str, int]:
        """Before the auto-renewal sweep: for customers with automatic payments on, charge what the balance lacks
        for the services due (in expiry order per customer, like the sweep), so the sweep then renews them."""
        counts: dict[str, int] = {CHARGED: 0, FAILED: 0, LIMIT: 0, PENDING: 0, OFF: 0}
        if self._methods.gateway is None:
            return counts
        counts["settled"] = await self.settle_pending()
        now = self._clock.now()
        rows = (await self._session.execute(
            select(Service.id, Service.user_id, Service.kind, Service.name, Service.domain, Service.ip_address,
                   Service.tariff_id, Service.product_code, Service.period_months, Service.expires_at,
                   Balance.amount)
            .join(Autopay, Autopay.user_id == Service.user_id)
            .outerjoin(Balance, Balance.user_id == Service.user_id)
            .where(Autopay.enabled.is_(True), Service.status == ServiceStatus.ACTIVE, Service.auto_renew.is_(True),
                   Service.expires_at <= now + timedelta(days=self._renewals.renew_days_before),
                   Service.expires_at > now - timedelta(days=self._renewals.suspend_after_days))
            .order_by(Service.user_id, Service.expires_at, Service.id)
        )).all()
        if not rows:
            return counts
        tariffs = {t.id: t for t in await self._session.scalars(select(Tariff))}
        products = {p.code: p for p in await self._session.scalars(select(Product))}
        budget: dict[int, int] = {}
        wanted = []
        for (service_id, user_id, kind, name, domain, ip, tariff_id, product_code, months, expires_at,
             balance) in rows:
            price = renewal_price(tariffs[tariff_id], products[product_code], months)
            left = budget.setdefault(user_id, balance or 0)
            budget[user_id] = max(0, left - price)
            if left < price:
                wanted.append((user_id, service_id, expires_at, price - left,
                               service_label(kind, name, domain, ip, service_id)))
        await self._commit()
        stopped: set[int] = set()
        for user_id, service_id, expires_at, shortfall, label in wanted:
            if user_id in stopped:
                continue
            result = await self.cover_renewal(user_id, service_id, expires_at, shortfall, label)
            counts[result.status] += 1
            if not result.charged:
                stopped.add(user_id)
        return counts

