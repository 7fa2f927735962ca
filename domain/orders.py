"""The cart and its checkout: every item becomes a service and is charged, or nothing changes."""

from __future__ import annotations

import hashlib
import secrets
from calendar import monthrange
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.catalogue import Catalogue, Price, period_price
from domain.clock import Clock
from domain.crypto import Cipher
from domain.db import rowcount, upsert
from domain.discounts import Applied, Discounts, Offer
from domain.errors import DomainError, NotFound
from domain.ledger import InsufficientFunds, Ledger
from domain.models import (
    Actor,
    CartItem,
    NotificationCategory,
    Order,
    OrderItem,
    Product,
    Service,
    ServiceAction,
    ServiceEvent,
    ServiceKind,
    ServiceStatus,
    Tariff,
)
from domain.notifications import Notifications, button, localized_arg
from domain.validation import domain_name, public_ipv4, service_name

MAX_CART_ITEMS = 20


class EmptyCart(DomainError):
    message_id = "cart-empty"


class CartChanged(DomainError):
    """The cart differs from the one the customer was shown when pressing Pay."""

    message_id = "cart-changed"


class AlreadyPaid(DomainError):
    """The cart the customer was shown is bought already (a second tap, an old button): `order` and `paid`."""

    message_id = "cart-already-paid"


class CartFull(DomainError):
    message_id = "cart-full"


def add_months(moment: datetime, months: int) -> datetime:
    """The same day `months` later; the 31st becomes the month's last day where it has fewer."""
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    return moment.replace(year=year, month=month, day=min(moment.day, monthrange(year, month)[1]))


def new_activation_key() -> str:
    raw = secrets.token_hex(10).upper()
    return "-".join(raw[i : i + 5] for i in range(0, len(raw), 5))


@dataclass(frozen=True, slots=True)
class CustomerPrice:
    """A line's price for one customer: `price` with every discount in it, `applied` the customer's own."""

    price: Price
    applied: Applied | None = None


@dataclass(frozen=True, slots=True)
class CartLine:
    item: CartItem
    product: Product
    tariff: Tariff
    price: Price
    available: bool
    applied: Applied | None = None  # the customer discount in `price`, if any


@dataclass(frozen=True, slots=True)
class CartView:
    lines: list[CartLine]
    total: int
    discount: int
    revision: str

    @property
    def payable(self) -> bool:
        return bool(self.lines) and all(line.available for line in self.lines)


@dataclass(frozen=True, slots=True)
class CheckoutResult:
    order_id: int
    services: list[Service]
    total: int
    balance: int


class Orders:
    def __init__(self, session: AsyncSession, clock: Clock, catalogue: Catalogue, ledger: Ledger,
                 cipher: Cipher, discounts: Discounts | None = None,
                 notifications: Notifications | None = None) -> None:
        self._session = session
        self._notifications = notifications
        self._discounts = discounts
        self._clock = clock
        self._catalogue = catalogue
        self._ledger = ledger
        self._cipher = cipher

    # parameters -------------------------------------------------------------------------------------------
    async def licences_for_modules(self, user_id: int) -> list[Service]:
        return list(await self._session.scalars(
            select(Service).where(Service.user_id == user_id, Service.kind == ServiceKind.LICENCE,
                                  Service.status == ServiceStatus.ACTIVE).order_by(Service.id)
        ))

    async def licences_in_cart(self, user_id: int) -> int:
        """How many licences wait in the cart: a module can be ordered for one once the cart is paid."""
        return await self._session.scalar(
            select(func.count()).select_from(CartItem).join(Tariff, Tariff.id == CartItem.tariff_id)
            .join(Product, Product.code == Tariff.product_code)
            .where(CartItem.user_id == user_id, Product.kind == ServiceKind.LICENCE)) or 0

    async def _own_active_licence(self, user_id: int, licence_id: int) -> Service:
        licence = await self._session.get(Service, licence_id)
        if licence is None or licence.user_id != user_id or licence.kind != ServiceKind.LICENCE:
            raise NotFound()
        if licence.status != ServiceStatus.ACTIVE:
            raise DomainError("order-licence-not-active")
        return licence

    async def check_params(self, user_id: int, tariff: Tariff, params: dict[str, Any]) -> dict[str, Any]:
        """The parameters a product needs, validated (again: the cart may have waited a while)."""
        product = await self._catalogue.product(tariff.product_code)
        if product.kind == ServiceKind.LICENCE:
            clean: dict[str, Any] = {"ip": public_ipv4(str(params.get("ip", "")))}
            if params.get("name"):
                clean["name"] = service_name(str(params["name"]))
            return clean
        if product.kind == ServiceKind.MODULE:
            licence = await self._own_active_licence(user_id, int(params.get("licence_id", 0)))
            return {"licence_id": licence.id}
        return {"domain": domain_name(str(params.get("domain", "")), wildcard=tariff.wildcard)}

    # cart -------------------------------------------------------------------------------------------------
    async def add_to_cart(self, user_id: int, tariff_id: int, months: int, params: dict[str, Any]) -> CartItem:
        tariff = await self._catalogue.tariff(tariff_id)
        await self._catalogue.price(tariff, months)  # the period exists
        clean = await self.check_params(user_id, tariff, params)
        count = len(await self._items(user_id))
        if count >= MAX_CART_ITEMS:
            raise CartFull(max=MAX_CART_ITEMS)
        item = CartItem(user_id=user_id, tariff_id=tariff.id, months=months, params=clean,
                        created_at=self._clock.now())
        self._session.add(item)
        await self._session.flush()
        return item

    async def _items(self, user_id: int) -> list[CartItem]:
        return list(await self._session.scalars(
            select(CartItem).where(CartItem.user_id == user_id).order_by(CartItem.id)
        ))

    async def _own_item(self, user_id: int, item_id: int) -> CartItem:
        item = await self._session.get(CartItem, item_id)
        if item is None or item.user_id != user_id:
            raise NotFound()
        return item

    # prices -----------------------------------------------------------------------------------------------
    async def offers(self, user_id: int) -> list[Offer]:
        """The discounts that price this customer's lines now (a redeemed promo code is one of them)."""
        return await self._discounts.offers(user_id) if self._discounts is not None else []

    def line_price(self, product: Product, tariff: Tariff, months: int,
                   offers: Sequence[Offer]) -> CustomerPrice | None:
        """What the customer pays for `tariff` over `months`: the catalogue's period price, less the customer's
        best discount. The one rule the order wizard, the cart and the checkout share; None when the period is
        not sold (or the tariff withdrawn)."""
        discount = next((p["discount_bp"] for p in product.periods if p["months"] == months), None)
        if not (tariff.active and product.active) or discount is None:
            return None
        price = period_price(tariff.price, product.base_months, months, discount)
        applied = None
        if offers and self._discounts is not None:
            price, applied = self._discounts.price(price, product.code, tariff.code, months, offers)
        return CustomerPrice(price, applied)

    async def price(self, user_id: int, tariff_id: int, months: int) -> CustomerPrice:
        """`line_price` for one choice of the order wizard; a period not sold is refused."""
        tariff = await self._catalogue.tariff(tariff_id)
        product = await self._catalogue.product(tariff.product_code)
        await self._catalogue.price(tariff, months)  # the period exists
        priced = self.line_price(product, tariff, months, await self.offers(user_id))
        assert priced is not None
        return priced

    async def period_prices(self, user_id: int, product: Product, tariff: Tariff) -> list[tuple[int, CustomerPrice]]:
        """Each period the product is sold for with what this customer pays for it."""
        offers = await self.offers(user_id)
        priced = [(p["months"], self.line_price(product, tariff, p["months"], offers)) for p in product.periods]
        return [(months, price) for months, price in priced if price is not None]

    async def cart(self, user_id: int) -> CartView:
        rows = await self._session.execute(
            select(CartItem, Tariff, Product)
            .join(Tariff, Tariff.id == CartItem.tariff_id).join(Product, Product.code == Tariff.product_code)
            .where(CartItem.user_id == user_id).order_by(CartItem.id)
        )
        lines = []
        offers = await self.offers(user_id)
        for item, tariff, product in rows:
            priced = self.line_price(product, tariff, item.months, offers)
            if priced is None:
                lines.append(CartLine(item, product, tariff, Price(0, 0, 0), False))
            else:
                lines.append(CartLine(item, product, tariff, priced.price, True, priced.applied))
        digest = hashlib.sha256(repr([(li.item.id, li.item.tariff_id, li.item.months, li.price.total,
                                       li.applied.discount_id if li.applied else None)
                                      for li in lines]).encode()).hexdigest()[:12]
        return CartView(lines, sum(li.price.total for li in lines), sum(li.price.discount for li in lines), digest)

    async def remove(self, user_id: int, item_id: int) -> None:
        item = await self._own_item(user_id, item_id)
        await self._session.delete(item)
        await self._session.flush()

    async def change_period(self, user_id: int, item_id: int, months: int) -> CartItem:
        item = await self._own_item(user_id, item_id)
        tariff = await self._catalogue.tariff(item.tariff_id)
        await self._catalogue.price(tariff, months)
        item.months = months
        await self._session.flush()
        return item

    async def clear(self, user_id: int) -> int:
        return await rowcount(self._session, delete(CartItem).where(CartItem.user_id == user_id))

    async def periods_for_item(self, user_id: int, item_id: int) -> tuple[CartItem, Product, Tariff]:
        item = await self._own_item(user_id, item_id)
        tariff = await self._catalogue.tariff(item.tariff_id)
        product = await self._catalogue.product(tariff.product_code)
        return item, product, tariff

    # checkout ---------------------------------------------------------------------------------------------
    async def checkout(self, user_id: int, revision: str | None = None, *, push_keys: bool = True) -> CheckoutResult:
        """Pay the whole cart from the balance. `revision` is the cart the customer saw; None takes the cart
        as it is (the automatic checkout after a shortfall top-up). The order's idempotency key makes a
        double tap or a concurrent attempt produce one order. `push_keys`: the bought licences' key notices are
        pushed too (off when the purchase is answered in the chat by a receipt that offers the keys itself)."""
        view = await self.cart(user_id)
        if (revision is not None and revision != view.revision) or not view.lines:
            # An old Pay button: say what became of the cart it was shown for.
            paid = await self.paid_with_revision(user_id, revision) if revision is not None else None
            if paid is not None:
                raise AlreadyPaid(order=paid.id, paid=paid.created_at)
            raise CartChanged() if view.lines else EmptyCart()
        if not view.payable:
            raise DomainError("cart-item-unavailable")
        balance = await self._ledger.balance(user_id)
        if balance < view.total:
            raise InsufficientFunds(shortfall=view.total - balance, total=view.total, balance=balance,
                                    currency=self._ledger.currency)
        now = self._clock.now()
        order_id = await self._session.scalar(
            upsert(self._session, Order)
            .values(user_id=user_id, idempotency_key=f"checkout:{user_id}:{view.revision}", total=view.total,
                    currency=self._ledger.currency, created_at=now)
            .on_conflict_do_nothing(index_elements=["idempotency_key"])
            .returning(Order.id)
        )
        if order_id is None:
            paid = await self.paid_with_revision(user_id, view.revision)
            raise AlreadyPaid(order=paid.id if paid else 0, paid=paid.created_at if paid else now)
        single_use = {li.applied.discount_id for li in view.lines if li.applied and li.applied.single_use}
        if single_use and self._discounts is not None \
                and not await self._discounts.consume(user_id, single_use, order_id):
            raise CartChanged()  # a one-off discount went to another order meanwhile
        rows = []
        for line in view.lines:
            params = await self.check_params(user_id, line.tariff, line.item.params)
            key = self._cipher.encrypt(new_activation_key()) if line.product.kind == ServiceKind.LICENCE else None
            rows.append({
                "user_id": user_id, "kind": line.product.kind, "product_code": line.product.code,
                "tariff_id": line.tariff.id, "status": ServiceStatus.ACTIVE, "name": params.get("name"),
                "ip_address": params.get("ip"), "domain": params.get("domain"), "parent_id": params.get("licence_id"),
                "period_months": line.item.months, "auto_renew": False, "created_at": now,
                "expires_at": add_months(now, line.item.months),
                "activation_key": key,
            })
        # Multi-row statements: a 10-item cart costs about as many statements as a 1-item one.
        ids = list(await self._session.scalars(insert(Service).values(rows).returning(Service.id)))
        # Both SQLite and PostgreSQL number the rows of one multi-row INSERT in the order given.
        services = list(await self._session.scalars(select(Service).where(Service.id.in_(ids)).order_by(Service.id)))
        await self._session.execute(insert(OrderItem), [
            {"order_id": order_id, "tariff_id": line.tariff.id, "months": line.item.months, "params": line.item.params,
             "list_price": line.price.list_price, "discount": line.price.discount, "price": line.price.total,
             "service_id": service.id,
             "discount_id": line.applied.discount_id if line.applied else None,
             "customer_discount": line.applied.amount if line.applied else 0}
            for line, service in zip(view.lines, services, strict=True)
        ])
        await self._session.execute(insert(ServiceEvent), [
            {"service_id": service.id, "actor": Actor.CUSTOMER, "actor_id": user_id, "action": ServiceAction.ORDER,
             "before": None,
             "after": {"order_id": order_id, "tariff": line.tariff.code, "months": line.item.months,
                       "price": line.price.total, "expires_at": service.expires_at.isoformat()},
             "created_at": now}
            for line, service in zip(view.lines, services, strict=True)
        ])
        await self._ledger.charge_many(user_id, [
            (line.price.total, f"order:{order_id}:{number}", service.id)
            for number, (line, service) in enumerate(zip(view.lines, services, strict=True), 1)
        ])
        await self._session.execute(delete(CartItem).where(CartItem.id.in_([li.item.id for li in view.lines])))
        await self._deliver_keys(user_id, [(line, service) for line, service in zip(view.lines, services, strict=True)
                                           if service.kind == ServiceKind.LICENCE], push=push_keys)
        await self._session.flush()
        return CheckoutResult(order_id, services, view.total, balance - view.total)

    async def _deliver_keys(self, user_id: int, licences: list[tuple[CartLine, Service]], *, push: bool) -> None:
        """A bought licence comes with its activation key: a notice with the button that shows it (the key itself
        stays encrypted; the notice and the outbox keep no copy). Part of the purchase, so never muted."""
        if self._notifications is None or not licences:
            return
        await self._notifications.notify_many([
            {"user_id": user_id, "category": NotificationCategory.FINANCE, "key": "licence-notification-key",
             "args": {"service": f"#{service.id} {service.name}" if service.name else f"#{service.id}",
                      "product": localized_arg(line.product.names)},
             "buttons": [button("licence-button-show-key", action="licence-key", service_id=service.id)],
             "dedupe_key": f"licence-key:{service.id}", "push": push}
            for line, service in licences])

    async def paid_with_revision(self, user_id: int, revision: str) -> Order | None:
        """The order that bought the cart of `revision`, if it was bought."""
        return await self._session.scalar(
            select(Order).where(Order.idempotency_key == f"checkout:{user_id}:{revision}"))

    async def services(self, user_id: int) -> list[Service]:
        return list(await self._session.scalars(
            select(Service).where(Service.user_id == user_id, Service.status != ServiceStatus.DELETED)
            .order_by(Service.id)
        ))

    async def service_names(self, service_ids: set[int]) -> dict[int, tuple[Service, Tariff]]:
        if not service_ids:
            return {}
        rows = await self._session.execute(
            select(Service, Tariff).join(Tariff, Tariff.id == Service.tariff_id).where(Service.id.in_(service_ids))
        )
        return {service.id: (service, tariff) for service, tariff in rows}
