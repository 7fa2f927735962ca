"""Service expiry: reminders before a service ends, renewal from the balance (automatic or on request),
suspension after a grace period and deletion after that.

The sweeps are set-based: one range query over `services` (indexed on `expires_at`) with the balances joined,
the catalogue's few tariffs and products read once, and the notices written with multi-row
`INSERT ... ON CONFLICT DO NOTHING` (`Notifications.notify_many`). Every notice has a dedupe key naming the
service, the period (the expiry date) and the threshold or day, so running a sweep twice, or on two instances at
once, writes each notice once. A renewal moves the expiry date, so the keys of the next period are new ones and
the reminders of the old period no longer match any service.

Renewal is one ledger charge with the reference `renewal:<service>:<old expiry YYYYMMDD>`: the ledger's UNIQUE
reference makes it once per period whoever renews (the sweep, the customer's "Renew now", two instances).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import case, insert, literal, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.catalogue import period_price
from domain.clock import Clock
from domain.db import rowcount, upsert
from domain.discounts import Discounts, Offer, price_line
from domain.errors import DomainError, NotFound
from domain.ledger import InsufficientFunds, Ledger, bought_label
from domain.models import (
    Actor,
    Balance,
    EntryKind,
    LedgerEntry,
    NotificationCategory,
    Product,
    Service,
    ServiceAction,
    ServiceEvent,
    ServiceStatus,
    Tariff,
)
from domain.models.base import table_of
from domain.notifications import Notifications, button, localized_arg, money_arg
from domain.orders import add_months
from domain.validation import display_domain
from domain.values import Day

RENEWABLE = (ServiceStatus.ACTIVE, ServiceStatus.SUSPENDED)
DAY = timedelta(days=1)


class BatchRefused(Exception):
    """Something in a batch of renewals moved meanwhile (a reference entered, an expiry changed): the batch's
    savepoint rolls back and its services renew one by one, each with its own verdict."""


class RenewalOutdated(DomainError):
    """The service was renewed (or changed) since the customer was shown the offer."""

    message_id = "renew-already"


class NotRenewable(DomainError):
    message_id = "renew-not-renewable"


class RenewalCovered(DomainError):
    """The balance covers the renewal now: no top-up is needed."""

    message_id = "renew-covered-alert"


@dataclass(frozen=True, slots=True)
class RenewalSettings:
    reminder_days: tuple[int, ...] = (14, 7, 3, 1, 0)
    renew_days_before: int = 3
    suspend_after_days: int = 3
    delete_after_days: int = 30


@dataclass(frozen=True, slots=True)
class Quote:
    """What renewing one service costs now, and whether the balance covers it."""

    service: Service
    product: Product
    tariff: Tariff
    price: int
    balance: int
    new_expires_at: datetime

    @property
    def shortfall(self) -> int:
        return max(0, self.price - self.balance)


@dataclass(frozen=True, slots=True)
class Renewed:
    service_id: int
    user_id: int
    price: int
    old_expires_at: datetime
    expires_at: datetime
    balance: int


@dataclass(frozen=True, slots=True)
class DueRenewal:
    """A service the auto-renewal sweep found due and covered; renewed in its own unit of work."""

    user_id: int
    service_id: int
    expires_at: datetime


@dataclass
class SweepStats:
    candidates: int = 0
    notified: int = 0
    skipped_auto_renew: int = 0
    suspended: int = 0
    deleted: int = 0
    due_renewals: int = 0
    short: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


def start_of_day(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)


def period_key(expires_at: datetime) -> str:
    return f"{expires_at.astimezone(UTC):%Y%m%d}"


def renewal_reference(service_id: int, expires_at: datetime) -> str:
    return f"renewal:{service_id}:{period_key(expires_at)}"


def renewal_notice_key(service_id: int, expires_at: datetime, now: datetime) -> str:
    """The one notice a day about a renewal that could not be paid: the sweep's "could not be renewed", or what
    the automatic-payments card said first (declined, over the limit); whichever is written first wins."""
    return f"renewal-failed:{service_id}:{period_key(expires_at)}:{start_of_day(now):%Y%m%d}"


def renewal_price(tariff: Tariff, product: Product, months: int, offers: Sequence[Offer] = (),
                  floor_bp: int = 0) -> int:
    """The catalogue price of the tariff for the service's period (a period no longer offered gets no period
    discount), less the customer's best discount whose scope matches, priced like a cart line."""
    discount = next((p["discount_bp"] for p in product.periods if p["months"] == months), 0)
    price = period_price(tariff.price, product.base_months, months, discount)
    return price_line(price, product.code, tariff.code, months, offers, floor_bp)[0].total


def service_label(kind: str, name: str | None, domain: str | None, ip: str | None, service_id: int) -> str:
    """How the customer recognises the service: its name, its domain, its server's address."""
    if name:
        return name
    if domain:
        return display_domain(domain) if "xn--" in domain else domain
    return ip or f"#{service_id}"


def label_of(service: Service) -> str:
    return service_label(service.kind, service.name, service.domain, service.ip_address, service.id)


def threshold_for(days_left: int, thresholds: Sequence[int]) -> int | None:
    """The reminder due for a service `days_left` calendar days from expiry: the nearest threshold at or above
    it. One sweep missed (downtime) still sends the reminder that matters now, never the stale ones."""
    due = [d for d in thresholds if d >= days_left]
    return min(due) if due else None


class Renewals:
    def __init__(self, session: AsyncSession, clock: Clock, ledger: Ledger, notifications: Notifications,
                 settings: RenewalSettings, discounts: Discounts | None = None) -> None:
        self._session = session
        self._discounts = discounts
        self._clock = clock
        self._ledger = ledger
        self._notifications = notifications
        self.settings = settings

    # --- the catalogue, read once per sweep --------------------------------------------------------------

    async def _prices(self) -> tuple[dict[int, Tariff], dict[str, Product]]:
        tariffs = {t.id: t for t in await self._session.scalars(select(Tariff))}
        products = {p.code: p for p in await self._session.scalars(select(Product))}
        return tariffs, products

    async def _offers(self, user_ids: set[int]) -> Mapping[int, list[Offer]]:
        """Customers' standing discounts (not one-off promo ones, which are for an order)."""
        if self._discounts is None or not user_ids:
            return {}
        return await self._discounts.standing_offers(user_ids)

    def _price(self, tariff: Tariff, product: Product, months: int, offers: Sequence[Offer]) -> int:
        floor_bp = self._discounts.floor_bp if self._discounts is not None else 0
        return renewal_price(tariff, product, months, offers, floor_bp)

    def _money(self, amount: int) -> dict[str, Any]:
        return money_arg(amount, self._ledger.currency)

    # --- one service ---------------------------------------------------------------------------------------

    async def _own(self, user_id: int, service_id: int) -> Service:
        service = await self._session.get(Service, service_id)
        if service is None or service.user_id != user_id or service.status == ServiceStatus.DELETED:
            raise NotFound()
        return service

    async def quote(self, user_id: int, service_id: int) -> Quote:
        service = await self._own(user_id, service_id)
        if service.status not in RENEWABLE:
            raise NotRenewable()
        tariff = await self._session.get(Tariff, service.tariff_id)
        product = await self._session.get(Product, service.product_code)
        assert tariff is not None and product is not None
        offers = (await self._offers({user_id})).get(user_id, [])
        price = self._price(tariff, product, service.period_months, offers)
        balance = await self._ledger.balance(user_id)
        return Quote(service, product, tariff, price, balance, add_months(service.expires_at, service.period_months))

    async def renew(self, user_id: int, service_id: int, period: str | None = None, *, actor: str = Actor.CUSTOMER,
                    notify_push: bool = False) -> Renewed:
        """Renew one service for its period from the balance: charge, extend, history row, notification.

        `period` is the expiry date (YYYYMMDD) the customer was shown; a service renewed since is
        RenewalOutdated. A short balance raises InsufficientFunds and the caller's unit of work must roll back.
        """
        quote = await self.quote(user_id, service_id)
        service = quote.service
        old = service.expires_at
        if period is not None and period != period_key(old):
            raise RenewalOutdated(service=label_of(service), expires=Day(old))
        if quote.balance < quote.price:
            raise InsufficientFunds(shortfall=quote.shortfall, total=quote.price, balance=quote.balance,
                                    currency=self._ledger.currency)
        if not await self._ledger.post(user_id, EntryKind.CHARGE, -quote.price, renewal_reference(service.id, old),
                                       service_id=service.id):
            raise RenewalOutdated(service=label_of(service), expires=Day(old))
        new = quote.new_expires_at
        changed = await rowcount(
            self._session,
            update(Service).where(Service.id == service.id, Service.expires_at == old)
            .values(expires_at=new, status=ServiceStatus.ACTIVE).execution_options(synchronize_session=False)
        )
        if changed != 1:
            raise RenewalOutdated(service=label_of(service), expires=Day(old))
        before_status = service.status
        await self._session.refresh(service)
        now = self._clock.now()
        self._session.add(ServiceEvent(
            service_id=service.id, actor=actor, actor_id=user_id if actor == Actor.CUSTOMER else None,
            action=ServiceAction.RENEWAL, before={"expires_at": old.isoformat(), "status": before_status},
            after={"expires_at": new.isoformat(), "status": ServiceStatus.ACTIVE, "months": service.period_months,
                   "price": quote.price},
            created_at=now,
        ))
        balance = quote.balance - quote.price
        await self._notifications.notify(
            user_id, category=NotificationCategory.FINANCE, key="notification-renewal-done", push=notify_push,
            args={"service": label_of(service), "product": localized_arg(quote.product.names),
                  "months": service.period_months, "price": self._money(quote.price), "expires": new,
                  "balance": self._money(balance)},
            dedupe_key=renewal_reference(service.id, old),
        )
        await self._session.flush()
        return Renewed(service.id, user_id, quote.price, old, new, balance)

    async def renew_due(self, due: Sequence[DueRenewal], *, actor: str = Actor.SYSTEM,
                        notify_push: bool = True) -> tuple[list[Renewed], list[DueRenewal]]:
        """`renew` for many services at once (the auto-renewal sweep), in a fixed number of statements: one
        guarded balance update for all the customers, one insert of the charges, one guarded expiry update, one
        insert of the history rows and the notices. Returns what was renewed and what is left for `renew` one by
        one: a service no longer due as planned, or a customer whose balance no longer covers their services.
        Raises BatchRefused when a charge or an expiry moved between the reading and the writing; the caller
        rolls back to its savepoint and renews those services one by one."""
        if not due:
            return [], []
        services = {s.id: s for s in await self._session.scalars(
            select(Service).where(Service.id.in_([item.service_id for item in due])))}
        tariffs, products = await self._prices()
        offers = await self._offers({item.user_id for item in due})
        planned: list[tuple[DueRenewal, Service, int]] = []
        left: list[DueRenewal] = []
        for item in due:
            service = services.get(item.service_id)
            if service is None or service.user_id != item.user_id or service.status not in RENEWABLE \
                    or service.expires_at != item.expires_at:
                left.append(item)
                continue
            price = self._price(tariffs[service.tariff_id], products[service.product_code], service.period_months,
                                offers.get(item.user_id, []))
            planned.append((item, service, price))
        totals: dict[int, int] = {}
        for item, _, price in planned:
            totals[item.user_id] = totals.get(item.user_id, 0) + price
        if not totals:
            return [], left
        # One guarded update for every customer: a balance that no longer covers its services is left alone.
        owed = case(totals, value=Balance.user_id)
        covered = set(await self._session.scalars(
            update(Balance).where(Balance.user_id.in_(totals), Balance.amount >= owed)
            .values(amount=Balance.amount - owed).returning(Balance.user_id)
            .execution_options(synchronize_session=False)))
        left += [item for item, _, _ in planned if item.user_id not in covered]
        planned = [entry for entry in planned if entry[0].user_id in covered]
        if not planned:
            return [], left
        now = self._clock.now()
        entries = table_of(LedgerEntry)
        references = {renewal_reference(service.id, service.expires_at) for _, service, _ in planned}
        inserted = set((await self._session.execute(
            upsert(self._session, entries).on_conflict_do_nothing(index_elements=[entries.c.reference])
            .returning(entries.c.reference),
            [{"user_id": service.user_id, "kind": EntryKind.CHARGE, "amount": -price, "currency": self._ledger.currency,
              "reference": renewal_reference(service.id, service.expires_at), "service_id": service.id,
              "payment_id": None, "created_at": now, "tariff_id": service.tariff_id,
              "label": bought_label(service.name, service.domain, service.ip_address)}
             for _, service, price in planned],
        )).scalars())
        if inserted != references:
            raise BatchRefused("a renewal was charged meanwhile")
        new_expiry = {service.id: add_months(service.expires_at, service.period_months) for _, service, _ in planned}
        column = Service.__table__.c.expires_at
        renewed_ids = set(await self._session.scalars(
            update(Service)
            .where(Service.id.in_(new_expiry),
                   Service.expires_at == case({s.id: literal(s.expires_at, column.type) for _, s, _ in planned},
                                              value=Service.id))
            .values(expires_at=case({sid: literal(at, column.type) for sid, at in new_expiry.items()},
                                    value=Service.id), status=ServiceStatus.ACTIVE)
            .returning(Service.id).execution_options(synchronize_session=False)))
        if renewed_ids != set(new_expiry):
            raise BatchRefused("an expiry changed meanwhile")
        balances = {user_id: amount for user_id, amount in (await self._session.execute(
            select(Balance.user_id, Balance.amount).where(Balance.user_id.in_(covered)))).all()}
        spent: dict[int, int] = {}
        done: list[Renewed] = []
        events, notices = [], []
        for item, service, price in planned:
            old, new = service.expires_at, new_expiry[service.id]
            # The customer's balance after this one, in expiry order (as each notice would have said).
            spent[item.user_id] = spent.get(item.user_id, 0) + price
            balance = balances[item.user_id] + totals[item.user_id] - spent[item.user_id]
            events.append({"service_id": service.id, "actor": actor, "actor_id": None, "action": ServiceAction.RENEWAL,
                           "before": {"expires_at": old.isoformat(), "status": service.status},
                           "after": {"expires_at": new.isoformat(), "status": ServiceStatus.ACTIVE,
                                     "months": service.period_months, "price": price},
                           "created_at": now})
            notices.append({"user_id": item.user_id, "category": NotificationCategory.FINANCE,
                            "key": "notification-renewal-done", "push": notify_push,
                            "args": {"service": label_of(service),
                                     "product": localized_arg(products[service.product_code].names),
                                     "months": service.period_months, "price": self._money(price), "expires": new,
                                     "balance": self._money(balance)},
                            "dedupe_key": renewal_reference(service.id, old)})
            done.append(Renewed(service.id, item.user_id, price, old, new, balance))
        await self._session.execute(insert(table_of(ServiceEvent)), events)
        await self._notifications.notify_many(notices)
        for service in (service for _, service, _ in planned):  # the loaded objects no longer match the rows
            self._session.expire(service)
        return done, left

    async def set_auto_renew(self, user_id: int, service_id: int, on: bool) -> Service:
        service = await self._own(user_id, service_id)
        if service.auto_renew != on:
            self._session.add(ServiceEvent(
                service_id=service.id, actor=Actor.CUSTOMER, actor_id=user_id, action=ServiceAction.AUTO_RENEW,
                before={"auto_renew": service.auto_renew}, after={"auto_renew": on}, created_at=self._clock.now()))
            service.auto_renew = on
            await self._session.flush()
        return service

    # --- the sweeps ----------------------------------------------------------------------------------------

    async def remind(self) -> SweepStats:
        """Reminders for active services expiring within the largest threshold, one per threshold and period.
        None when auto-renewal is on and the balance covers it; within the auto-renewal window an auto-renewed
        service gets the renewal's own notices instead."""
        stats = SweepStats()
        thresholds = self.settings.reminder_days
        if not thresholds:
            return stats
        now = self._clock.now()
        today = start_of_day(now)
        horizon = today + DAY * (max(thresholds) + 1)
        renew_window = now + DAY * self.settings.renew_days_before
        rows = (await self._session.execute(
            select(Service.id, Service.user_id, Service.kind, Service.name, Service.domain, Service.ip_address,
                   Service.tariff_id, Service.product_code, Service.period_months, Service.auto_renew,
                   Service.expires_at, Balance.amount)
            .outerjoin(Balance, Balance.user_id == Service.user_id)
            .where(Service.status == ServiceStatus.ACTIVE, Service.expires_at >= today, Service.expires_at < horizon)
        )).all()
        stats.candidates = len(rows)
        if not rows:
            return stats
        tariffs, products = await self._prices()
        offers = await self._offers({row[1] for row in rows})
        prices: dict[tuple[int, int], int] = {}
        notices = []
        for (service_id, user_id, kind, name, domain, ip, tariff_id, product_code, months, auto_renew, expires_at,
             balance) in rows:
            days_left = (start_of_day(expires_at) - today).days
            days = threshold_for(days_left, thresholds)
            if days is None:
                continue
            price = prices.get((tariff_id, months))
            if user_id in offers:
                price = self._price(tariffs[tariff_id], products[product_code], months, offers[user_id])
            elif price is None:
                price = prices[(tariff_id, months)] = renewal_price(tariffs[tariff_id], products[product_code], months)
            balance = balance or 0
            if auto_renew and (balance >= price or expires_at <= renew_window):
                stats.skipped_auto_renew += 1
                continue
            period = period_key(expires_at)
            args = {"service": service_label(kind, name, domain, ip, service_id),
                    "product": localized_arg(products[product_code].names), "days": days_left,
                    "expires": expires_at, "price": self._money(price), "balance": self._money(balance)}
            buttons = [button("notification-button-renew", action="renew", service_id=service_id, period=period)]
            if balance >= price:
                key = "notification-expiry-reminder-covered"
            else:
                key = "notification-expiry-reminder-short"
                args["shortfall"] = self._money(price - balance)
                buttons.insert(0, button("notification-button-top-up", action="renewal-topup", service_id=service_id,
                                         amount=self._money(price - balance)))
            notices.append({"user_id": user_id, "category": NotificationCategory.SERVICES, "key": key, "args": args,
                            "buttons": buttons, "dedupe_key": f"expiry:{service_id}:{period}:{days}"})
        stats.notified = await self._notifications.notify_many(notices)
        return stats

    async def expire(self) -> SweepStats:
        """Suspend services expired longer than the grace period; delete those suspended long enough. Each with
        a history row and a notification."""
        stats = SweepStats()
        now = self._clock.now()
        suspend_after = DAY * self.settings.suspend_after_days
        delete_after = suspend_after + DAY * self.settings.delete_after_days
        # Deletion first: a service is suspended (and told so) in one sweep and deleted in a later one at earliest.
        deleted = await self._move(ServiceStatus.SUSPENDED, ServiceStatus.DELETED, now - delete_after)
        suspended = await self._move(ServiceStatus.ACTIVE, ServiceStatus.SUSPENDED, now - suspend_after)
        stats.deleted, stats.suspended = len(deleted), len(suspended)
        if not deleted and not suspended:
            return stats
        _, products = await self._prices()
        notices = []
        for status, rows, key in ((ServiceStatus.DELETED, deleted, "notification-service-deleted"),
                                  (ServiceStatus.SUSPENDED, suspended, "notification-service-suspended")):
            for service_id, user_id, kind, name, domain, ip, product_code, expires_at in rows:
                args: dict[str, Any] = {"service": service_label(kind, name, domain, ip, service_id),
                                        "product": localized_arg(products[product_code].names),
                                        "expired": expires_at}
                buttons = []
                if status == ServiceStatus.SUSPENDED:
                    args["delete_on"] = expires_at + delete_after
                    buttons.append(button("notification-button-renew", action="renew", service_id=service_id,
                                          period=period_key(expires_at)))
                notices.append({"user_id": user_id, "category": NotificationCategory.SERVICES, "key": key,
                                "args": args, "buttons": buttons,
                                "dedupe_key": f"{status}:{service_id}:{period_key(expires_at)}"})
        stats.notified = await self._notifications.notify_many(notices)
        return stats

    async def _move(self, old: ServiceStatus, new: ServiceStatus, expired_before: datetime) -> list[Any]:
        rows = (await self._session.execute(
            update(Service).where(Service.status == old, Service.expires_at <= expired_before)
            .values(status=new)
            .returning(Service.id, Service.user_id, Service.kind, Service.name, Service.domain, Service.ip_address,
                       Service.product_code, Service.expires_at)
            .execution_options(synchronize_session=False)
        )).all()
        if rows:
            now = self._clock.now()
            await self._session.execute(insert(table_of(ServiceEvent)), [
                {"service_id": row[0], "actor": Actor.SYSTEM, "actor_id": None, "action": ServiceAction(new),
                 "before": {"status": old}, "after": {"status": new}, "created_at": now}
                for row in rows
            ])
        return list(rows)

    async def plan_auto_renewals(self) -> tuple[list[DueRenewal], SweepStats]:
        """Services with auto-renewal on within RENEW_DAYS_BEFORE of expiry (or in their grace period).
        Returns those the balance covers (taken in expiry order per customer, so two services never count the
        same money); the others get a "renewal failed" notice with a one-tap top-up, once a day (unless the
        automatic-payments card already told why it did not pay: `renewal_notice_key`)."""
        stats = SweepStats()
        now = self._clock.now()
        rows = (await self._session.execute(
            select(Service.id, Service.user_id, Service.kind, Service.name, Service.domain, Service.ip_address,
                   Service.tariff_id, Service.product_code, Service.period_months, Service.expires_at,
                   Balance.amount)
            .outerjoin(Balance, Balance.user_id == Service.user_id)
            .where(Service.status == ServiceStatus.ACTIVE, Service.auto_renew.is_(True),
                   Service.expires_at <= now + DAY * self.settings.renew_days_before,
                   Service.expires_at > now - DAY * self.settings.suspend_after_days)
            .order_by(Service.user_id, Service.expires_at, Service.id)
        )).all()
        stats.candidates = len(rows)
        if not rows:
            return [], stats
        tariffs, products = await self._prices()
        offers = await self._offers({row[1] for row in rows})
        left: dict[int, int] = {}
        due, notices = [], []
        for (service_id, user_id, kind, name, domain, ip, tariff_id, product_code, months, expires_at,
             balance) in rows:
            price = self._price(tariffs[tariff_id], products[product_code], months, offers.get(user_id, []))
            budget = left.setdefault(user_id, balance or 0)
            if budget >= price:
                left[user_id] = budget - price
                due.append(DueRenewal(user_id, service_id, expires_at))
                continue
            period = period_key(expires_at)
            shortfall = price - budget
            notices.append({
                "user_id": user_id, "category": NotificationCategory.FINANCE, "key": "notification-renewal-failed",
                "args": {"service": service_label(kind, name, domain, ip, service_id),
                         "product": localized_arg(products[product_code].names), "price": self._money(price),
                         "balance": self._money(budget), "shortfall": self._money(shortfall),
                         "expires": expires_at},
                "buttons": [button("notification-button-top-up", action="renewal-topup", service_id=service_id,
                                   amount=self._money(shortfall)),
                            button("notification-button-renew", action="renew", service_id=service_id,
                                   period=period)],
                "dedupe_key": renewal_notice_key(service_id, expires_at, now),
            })
        stats.due_renewals, stats.short = len(due), len(notices)
        stats.notified = await self._notifications.notify_many(notices)
        return due, stats
