"""What a customer does with the licences and modules they own: list, details, rename, change the IP address,
a new activation key, change tariff, auto-renewal, delete, history.

Every method takes the acting customer and looks the service up by owner: callback data can be forged, and a
foreign or missing id is the same NotFound. Every change writes a ServiceEvent (who, what, before, after).
The limits (one IP change per calendar month, one new key per 30 days) are read from that history.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from domain.catalogue import Catalogue, period_price
from domain.clock import Clock
from domain.crypto import Cipher
from domain.db import rowcount
from domain.errors import DomainError, InvalidInput, NotFound
from domain.ledger import InsufficientFunds, Ledger
from domain.models import (
    Actor,
    EntryKind,
    Product,
    Service,
    ServiceAction,
    ServiceEvent,
    ServiceKind,
    ServiceStatus,
    Tariff,
)
from domain.orders import add_months, new_activation_key
from domain.validation import public_ipv4, service_name


class RefundPolicy(StrEnum):
    """What deleting a service gives back (REFUND_ON_DELETE)."""

    NONE = "none"
    PRORATED = "prorated"  # the unused days of an active service, to the balance


KINDS = (ServiceKind.LICENCE, ServiceKind.MODULE)  # SSL certificates are domain/certificates.py's
ALL = "all"  # the list filter for every service not deleted
FILTERS = (ALL, *ServiceStatus)
REFUND_POLICIES = tuple(RefundPolicy)
KEY_INTERVAL = timedelta(days=30)
DAY = timedelta(days=1)
PER_PAGE = 5
HISTORY_PER_PAGE = 8


class IpChangeLimited(DomainError):
    """The licence's IP address was already changed this calendar month; `available` is the next month's start."""

    message_id = "licence-ip-limited"

    def __init__(self, available: datetime) -> None:
        super().__init__(available=available)
        self.available = available


class KeyLimited(DomainError):
    """A new activation key was made less than 30 days ago; `available` is when the next one can be."""

    message_id = "licence-key-limited"

    def __init__(self, available: datetime) -> None:
        super().__init__(available=available)
        self.available = available


class TariffAlreadyChanged(DomainError):
    """The tariff a change was confirmed from is not the service's any more (an old button): `changed` when."""

    message_id = "licence-tariff-already-changed"


class TariffCovered(DomainError):
    """The balance already pays for the tariff change: no top-up is needed."""

    message_id = "licence-tariff-covered"


class QuoteChanged(DomainError):
    """The tariff change costs something else than the customer was shown (a day passed, prices changed)."""

    message_id = "licence-tariff-quote-changed"


class NotChangeable(DomainError):
    """Only an active service can be changed this way."""

    message_id = "licence-not-active"


# What can be done with a licence or module in each status: screens offer these, and the use cases refuse the
# rest (a forced button gets the reason). A suspended service keeps its name, renewal and deletion; its IP,
# key and tariff wait until it is active again.
ACTIONS_BY_STATUS: dict[str, frozenset[str]] = {
    ServiceStatus.ACTIVE: frozenset({"rename", "ip", "key", "show_key", "tariff", "auto_renew", "renew", "delete",
                                     "history", "question"}),
    ServiceStatus.SUSPENDED: frozenset({"rename", "show_key", "auto_renew", "renew", "delete", "history",
                                        "question"}),
    ServiceStatus.DELETED: frozenset({"history"}),
}


def allowed_actions(service: Service) -> frozenset[str]:
    return ACTIONS_BY_STATUS.get(service.status, frozenset({"history"}))


def require(service: Service, action: str) -> None:
    if action not in allowed_actions(service):
        raise NotChangeable()


# proration --------------------------------------------------------------------------------------------------
def days_left(now: datetime, expires_at: datetime) -> int:
    """Whole days of the paid period still ahead (a started day is used)."""
    return max(0, (expires_at - now) // DAY)


def period_days(expires_at: datetime, months: int) -> int:
    """Days in the period that ends at `expires_at`."""
    return max(1, (expires_at - add_months(expires_at, -months)) // DAY)


def prorate(amount: int, days: int, of_days: int) -> int:
    """`amount` * days / of_days, rounded half up to a minor unit."""
    return (amount * days * 2 + of_days) // (2 * of_days)


@dataclass(frozen=True, slots=True)
class TariffQuote:
    """Switching a service to `tariff` now: the unused value of the current tariff is credited and the new one
    charged for the days left. `amount` > 0 is charged, < 0 credited."""

    tariff: Tariff
    days: int
    of_days: int
    unused: int
    new_cost: int

    @property
    def amount(self) -> int:
        return self.new_cost - self.unused


def tariff_quote(current_price: int, new_price: int, tariff: Tariff, now: datetime, expires_at: datetime,
                 months: int) -> TariffQuote:
    days, of_days = days_left(now, expires_at), period_days(expires_at, months)
    return TariffQuote(tariff, days, of_days, prorate(current_price, days, of_days),
                       prorate(new_price, days, of_days))


def next_month(moment: datetime) -> datetime:
    """The first moment of the calendar month after `moment` (UTC)."""
    moment = moment.astimezone(UTC)
    year, month = (moment.year + 1, 1) if moment.month == 12 else (moment.year, moment.month + 1)
    return datetime(year, month, 1, tzinfo=UTC)


# views ------------------------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Row:
    service: Service
    tariff: Tariff
    product: Product
    parent: Service | None


@dataclass(frozen=True, slots=True)
class Page:
    rows: list[Row]
    total: int
    page: int
    pages: int


@dataclass(frozen=True, slots=True)
class Details:
    row: Row
    modules: list[Row]
    refund: int  # what deleting it now would credit (0 unless REFUND_ON_DELETE=prorated)

    @property
    def actions(self) -> frozenset[str]:
        return allowed_actions(self.row.service)


@dataclass(frozen=True, slots=True)
class EventPage:
    service: Service
    events: list[ServiceEvent]
    total: int
    page: int
    pages: int


@dataclass(frozen=True, slots=True)
class TariffChanged:
    service: Service
    old: Tariff
    new: Tariff
    amount: int
    balance: int


@dataclass(frozen=True, slots=True)
class Deleted:
    service: Service
    modules: int
    refund: int


def _status_filter(status: str) -> Any:
    if status == ALL:
        return Service.status != ServiceStatus.DELETED
    return Service.status == status


def _fingerprint(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()[:12]


class Services:
    def __init__(self, session: AsyncSession, clock: Clock, catalogue: Catalogue, ledger: Ledger, cipher: Cipher,
                 refund_on_delete: str = RefundPolicy.NONE) -> None:
        if refund_on_delete not in REFUND_POLICIES:
            raise ValueError(f"refund_on_delete must be one of {REFUND_POLICIES}")
        self._session = session
        self._clock = clock
        self._catalogue = catalogue
        self._ledger = ledger
        self._cipher = cipher
        self._refund_on_delete = refund_on_delete

    # reading ----------------------------------------------------------------------------------------------
    async def page(self, user_id: int, kind: str, status: str = ALL, page: int = 0,
                   per_page: int = PER_PAGE) -> Page:
        """One page of the customer's services of a kind. One statement: the total rides along as a window
        count (a second one only when the page asked for is past the end)."""
        if kind not in KINDS or status not in FILTERS:
            raise NotFound()
        page = max(page, 0)
        parent = aliased(Service)
        query = (
            select(Service, Tariff, Product, parent, func.count().over())
            .join(Tariff, Tariff.id == Service.tariff_id)
            .join(Product, Product.code == Service.product_code)
            .outerjoin(parent, parent.id == Service.parent_id)
            .where(Service.user_id == user_id, Service.kind == kind, _status_filter(status))
            .order_by(Service.id.desc())
        )
        result = list(await self._session.execute(query.offset(page * per_page).limit(per_page)))
        if not result and page > 0:
            return await self.page(user_id, kind, status, 0, per_page)
        total = result[0][4] if result else 0
        rows = [Row(service, tariff, product, parent_) for service, tariff, product, parent_, _ in result]
        return Page(rows, total, page, max(1, -(-total // per_page)))

    async def _row(self, user_id: int, service_id: int, *, deleted: bool = False) -> Row:
        parent = aliased(Service)
        found = (await self._session.execute(
            select(Service, Tariff, Product, parent)
            .join(Tariff, Tariff.id == Service.tariff_id)
            .join(Product, Product.code == Service.product_code)
            .outerjoin(parent, parent.id == Service.parent_id)
            .where(Service.id == service_id, Service.user_id == user_id, Service.kind.in_(KINDS))
        )).first()
        if found is None or (found[0].status == ServiceStatus.DELETED and not deleted):
            raise NotFound()
        return Row(*found)

    async def _own(self, user_id: int, service_id: int, kind: str | None = None) -> Service:
        service = await self._session.get(Service, service_id)
        if service is None or service.user_id != user_id or service.kind not in KINDS \
                or service.status == ServiceStatus.DELETED \
                or (kind is not None and service.kind != kind):
            raise NotFound()
        return service

    async def details(self, user_id: int, service_id: int) -> Details:
        row = await self._row(user_id, service_id, deleted=True)
        modules: list[Row] = []
        if row.service.kind == ServiceKind.LICENCE:
            modules = [Row(s, t, p, row.service) for s, t, p in await self._session.execute(
                select(Service, Tariff, Product)
                .join(Tariff, Tariff.id == Service.tariff_id).join(Product, Product.code == Service.product_code)
                .where(Service.parent_id == row.service.id, Service.user_id == user_id,
                       Service.status != ServiceStatus.DELETED).order_by(Service.id)
            )]
        refund = 0
        if row.service.status != ServiceStatus.DELETED:
            refund = self._refund(row) + sum(self._refund(m) for m in modules)
        return Details(row, modules, refund)

    async def history(self, user_id: int, service_id: int, page: int = 0,
                      per_page: int = HISTORY_PER_PAGE) -> EventPage:
        """Every action on the service, newest first; deleted services keep theirs."""
        service = (await self._row(user_id, service_id, deleted=True)).service
        where = ServiceEvent.service_id == service.id
        total = await self._session.scalar(select(func.count()).select_from(ServiceEvent).where(where)) or 0
        pages = max(1, -(-total // per_page))
        page = min(max(page, 0), pages - 1)
        events = list(await self._session.scalars(
            select(ServiceEvent).where(where).order_by(ServiceEvent.created_at.desc(), ServiceEvent.id.desc())
            .offset(page * per_page).limit(per_page)
        ))
        return EventPage(service, events, total, page, pages)

    async def _last_event(self, service_id: int, action: ServiceAction) -> ServiceEvent | None:
        return await self._session.scalar(
            select(ServiceEvent).where(ServiceEvent.service_id == service_id, ServiceEvent.action == action)
            .order_by(ServiceEvent.created_at.desc(), ServiceEvent.id.desc()).limit(1)
        )

    def _event(self, service: Service, user_id: int, action: ServiceAction, before: dict[str, Any] | None,
               after: dict[str, Any] | None) -> None:
        self._session.add(ServiceEvent(service_id=service.id, actor=Actor.CUSTOMER, actor_id=user_id, action=action,
                                       before=before, after=after, created_at=self._clock.now()))

    # changes ----------------------------------------------------------------------------------------------
    async def rename(self, user_id: int, service_id: int, text: str) -> Service:
        service = await self._own(user_id, service_id)
        name = service_name(text)
        if name != service.name:
            self._event(service, user_id, ServiceAction.RENAME, {"name": service.name}, {"name": name})
            service.name = name
            await self._session.flush()
        return service

    async def ip_change_available(self, user_id: int, service_id: int) -> datetime | None:
        """None when the IP address can be changed now, otherwise the moment from which it can."""
        service = await self._own(user_id, service_id, ServiceKind.LICENCE)
        require(service, "ip")
        last = await self._last_event(service.id, ServiceAction.IP)
        if last is None:
            return None
        available = next_month(last.created_at)
        return available if self._clock.now() < available else None

    async def change_ip(self, user_id: int, service_id: int, text: str) -> Service:
        """A new public IPv4 address, at most once per calendar month (UTC) per licence."""
        service = await self._own(user_id, service_id, ServiceKind.LICENCE)
        available = await self.ip_change_available(user_id, service_id)
        if available is not None:
            raise IpChangeLimited(available)
        ip = public_ipv4(text)
        if ip == service.ip_address:
            raise InvalidInput("licence-ip-same", value=ip)
        self._event(service, user_id, ServiceAction.IP, {"ip": service.ip_address}, {"ip": ip})
        service.ip_address = ip
        await self._session.flush()
        return service

    async def key_available(self, user_id: int, service_id: int) -> datetime | None:
        service = await self._own(user_id, service_id, ServiceKind.LICENCE)
        require(service, "key")
        last = await self._last_event(service.id, ServiceAction.KEY)
        if last is None:
            return None
        available = last.created_at + KEY_INTERVAL
        return available if self._clock.now() < available else None

    async def new_key(self, user_id: int, service_id: int) -> str:
        """A fresh activation key replacing the old one (stored encrypted, returned once to be shown)."""
        service = await self._own(user_id, service_id, ServiceKind.LICENCE)
        available = await self.key_available(user_id, service_id)
        if available is not None:
            raise KeyLimited(available)
        old = self._cipher.decrypt_text(service.activation_key) if service.activation_key else None
        key = new_activation_key()
        # The history keeps fingerprints only: a key in the history would be a key in every backup.
        self._event(service, user_id, ServiceAction.KEY, {"fingerprint": _fingerprint(old) if old else None},
                    {"fingerprint": _fingerprint(key)})
        service.activation_key = self._cipher.encrypt(key)
        await self._session.flush()
        return key

    async def activation_key(self, user_id: int, service_id: int) -> str:
        """The licence's current activation key, decrypted to be shown again. A licence bought before keys came
        with the purchase gets its first one now (recorded like any new key)."""
        service = await self._own(user_id, service_id, ServiceKind.LICENCE)
        require(service, "show_key")
        if service.activation_key is not None:
            return self._cipher.decrypt_text(service.activation_key)
        key = new_activation_key()
        self._event(service, user_id, ServiceAction.KEY, {"fingerprint": None}, {"fingerprint": _fingerprint(key)})
        service.activation_key = self._cipher.encrypt(key)
        await self._session.flush()
        return key

    async def tariff_names(self, product_code: str) -> dict[str, dict[str, str]]:
        """The names of a product's tariffs by code, on sale or not: the history names tariffs long gone."""
        return {t.code: dict(t.names) for t in await self._session.scalars(
            select(Tariff).where(Tariff.product_code == product_code))}

    async def tariff_quotes(self, user_id: int, service_id: int) -> tuple[Row, list[TariffQuote]]:
        """The other tariffs of the service's product on sale, each with what switching costs now."""
        row = await self._row(user_id, service_id)
        require(row.service, "tariff")
        current = self._period_price(row.tariff, row.product, row.service.period_months)
        quotes = []
        for tariff in await self._catalogue.tariffs(row.product.code):
            if tariff.id == row.tariff.id:
                continue
            new = self._period_price(tariff, row.product, row.service.period_months)
            quotes.append(tariff_quote(current, new, tariff, self._clock.now(), row.service.expires_at,
                                       row.service.period_months))
        return row, quotes

    async def quote(self, user_id: int, service_id: int, tariff_id: int) -> tuple[Row, TariffQuote]:
        row, quotes = await self.tariff_quotes(user_id, service_id)
        for quote in quotes:
            if quote.tariff.id == tariff_id:
                return row, quote
        raise NotFound()

    async def tariff_shortfall(self, user_id: int, service_id: int, tariff_id: int) -> int:
        """What the balance lacks now for switching to `tariff_id` (a top-up's amount, computed here, never taken
        from a button). Switched already: TariffAlreadyChanged; nothing lacking: TariffCovered."""
        current = await self._own(user_id, service_id)
        if current.tariff_id == tariff_id:
            last = await self._last_event(current.id, ServiceAction.TARIFF)
            raise TariffAlreadyChanged(changed=last.created_at if last else self._clock.now())
        _, quote = await self.quote(user_id, service_id, tariff_id)
        shortfall = quote.amount - await self._ledger.balance(user_id)
        if shortfall <= 0:
            raise TariffCovered()
        return shortfall

    async def change_tariff(self, user_id: int, service_id: int, tariff_id: int, expected: int,
                            from_tariff: int | None = None) -> TariffChanged:
        """Switch to another tariff of the same product for the rest of the period. `expected` is the amount the
        customer confirmed; anything else is QuoteChanged. `from_tariff` is the tariff the confirmation was shown
        for: changed since (an old button), TariffAlreadyChanged says when and nothing is charged. A short
        balance raises InsufficientFunds."""
        if from_tariff:
            current = await self._own(user_id, service_id)
            if current.tariff_id != from_tariff:
                last = await self._last_event(current.id, ServiceAction.TARIFF)
                raise TariffAlreadyChanged(changed=last.created_at if last else self._clock.now())
        row, quote = await self.quote(user_id, service_id, tariff_id)
        if quote.amount != expected:
            raise QuoteChanged()
        service = row.service
        balance = await self._ledger.balance(user_id)
        if quote.amount > balance:
            raise InsufficientFunds(shortfall=quote.amount - balance, total=quote.amount, balance=balance,
                                    currency=self._ledger.currency)
        now = self._clock.now()
        # The optimistic update makes a double tap (or a race) switch, and charge, once.
        changed = await rowcount(
            self._session,
            update(Service).where(Service.id == service.id, Service.tariff_id == row.tariff.id)
            .values(tariff_id=quote.tariff.id).execution_options(synchronize_session=False)
        )
        if changed != 1:
            raise QuoteChanged()
        reference = f"tariff:{service.id}:{row.tariff.id}-{quote.tariff.id}:{now.strftime('%Y%m%dT%H%M%S%f')}"
        if quote.amount > 0:
            await self._ledger.post(user_id, EntryKind.CHARGE, -quote.amount, reference, service_id=service.id)
        elif quote.amount < 0:
            await self._ledger.post(user_id, EntryKind.ADJUSTMENT, -quote.amount, reference, service_id=service.id)
        self._event(service, user_id, ServiceAction.TARIFF, {"tariff": row.tariff.code},
                    {"tariff": quote.tariff.code, "amount": quote.amount, "days": quote.days})
        await self._session.refresh(service)
        await self._session.flush()
        return TariffChanged(service, row.tariff, quote.tariff, quote.amount, balance - quote.amount)

    async def set_auto_renew(self, user_id: int, service_id: int, on: bool) -> Service:
        service = await self._own(user_id, service_id)
        if service.auto_renew != on:
            self._event(service, user_id, ServiceAction.AUTO_RENEW, {"auto_renew": service.auto_renew},
                        {"auto_renew": on})
            service.auto_renew = on
            await self._session.flush()
        return service

    async def delete(self, user_id: int, service_id: int) -> Deleted:
        """Soft delete: status "deleted", kept with its history. A licence takes its modules with it. No refund
        unless REFUND_ON_DELETE=prorated (then the unused days of each active one come back to the balance)."""
        details = await self.details(user_id, service_id)
        if details.row.service.status == ServiceStatus.DELETED:
            raise NotFound()
        refund = 0
        for row in [details.row, *details.modules]:
            amount = self._refund(row)
            if amount:
                await self._ledger.post(user_id, EntryKind.ADJUSTMENT, amount, f"delete:{row.service.id}",
                                        service_id=row.service.id)
                refund += amount
            self._event(row.service, user_id, ServiceAction.DELETE, {"status": row.service.status},
                        {"status": ServiceStatus.DELETED, "refund": amount})
            row.service.status = ServiceStatus.DELETED
        await self._session.flush()
        return Deleted(details.row.service, len(details.modules), refund)

    def _refund(self, row: Row) -> int:
        if self._refund_on_delete != RefundPolicy.PRORATED or row.service.status != ServiceStatus.ACTIVE:
            return 0
        price = period_price(row.tariff.price, row.product.base_months, row.service.period_months,
                             _discount(row.product, row.service.period_months)).total
        days = days_left(self._clock.now(), row.service.expires_at)
        return prorate(price, days, period_days(row.service.expires_at, row.service.period_months))

    @staticmethod
    def _period_price(tariff: Tariff, product: Product, months: int) -> int:
        return period_price(tariff.price, product.base_months, months, _discount(product, months)).total


def _discount(product: Product, months: int) -> int:
    """The period discount; a period no longer offered is priced without one."""
    return next((p["discount_bp"] for p in product.periods if p["months"] == months), 0)

