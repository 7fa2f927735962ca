"""Saved payment methods: cards saved at Stripe through its hosted setup page (the bot keeps only Stripe's ids,
encrypted), Telegram Payments (nothing saved: every payment asks), rename, default, remove; and the Stripe
webhook that tells us a card was saved."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.clock import Clock
from domain.crypto import Cipher
from domain.db import rowcount, upsert
from domain.errors import DomainError, InvalidInput, NotFound
from domain.models import Autopay, MethodKind, NotificationCategory, PaymentMethod, StripeCustomer, StripeEvent
from domain.notifications import Notifications, button
from domain.stripe_gateway import CardGateway

log = logging.getLogger(__name__)

CARD, TELEGRAM = MethodKind.CARD, MethodKind.TELEGRAM
MAX_METHODS = 10
MAX_NAME = 32
SETUP_EVENTS = ("checkout.session.completed", "setup_intent.succeeded")


@dataclass(frozen=True)
class MethodSettings:
    success_url: str | None = None  # where Stripe's hosted page returns; None: the handler's t.me link
    cancel_url: str | None = None
    autopay_max_failures: int = 3


class CardsUnavailable(DomainError):
    message_id = "methods-error-no-cards"


class TooManyMethods(DomainError):
    message_id = "methods-error-too-many"


@dataclass(frozen=True, slots=True)
class Removed:
    method: PaymentMethod
    autopay_stopped: bool


def digest(stripe_id: str) -> str:
    return hashlib.sha256(f"stripe-pm:{stripe_id}".encode()).hexdigest()


def clean_name(text: str) -> str:
    value = " ".join(text.split())
    if not value:
        raise InvalidInput("methods-error-name-empty")
    if len(value) > MAX_NAME or any(not ch.isprintable() for ch in value):
        raise InvalidInput("methods-error-name-long", max=MAX_NAME)
    return value


class PaymentMethods:
    def __init__(self, session: AsyncSession, clock: Clock, cipher: Cipher, gateway: CardGateway | None,
                 settings: MethodSettings, notifications: Notifications,
                 commit: Callable[[], Awaitable[None]]) -> None:
        self._session = session
        self._clock = clock
        self._cipher = cipher
        self.gateway = gateway
        self.settings = settings
        self._notifications = notifications
        self._commit = commit

    @property
    def cards_available(self) -> bool:
        return self.gateway is not None

    async def methods(self, user_id: int) -> list[PaymentMethod]:
        return list(await self._session.scalars(
            select(PaymentMethod).where(PaymentMethod.user_id == user_id)
            .order_by(PaymentMethod.is_default.desc(), PaymentMethod.id)
        ))

    async def get(self, user_id: int, method_id: int) -> PaymentMethod:
        method = await self._session.get(PaymentMethod, method_id)
        if method is None or method.user_id != user_id:
            raise NotFound()
        return method

    def seal(self, provider_id: str) -> bytes:
        """A provider's id (a PaymentIntent) as it is kept: encrypted, like every other one."""
        return self._cipher.encrypt(provider_id)

    def unseal(self, sealed: bytes) -> str:
        return self._cipher.decrypt_text(sealed)

    def stripe_id(self, method: PaymentMethod) -> str:
        assert method.stripe_id is not None
        return self._cipher.decrypt_text(method.stripe_id)

    async def stripe_customer(self, user_id: int) -> str | None:
        row = await self._session.get(StripeCustomer, user_id)
        return self._cipher.decrypt_text(row.customer_id) if row is not None else None

    # --- adding -------------------------------------------------------------------------------------------

    async def _room_for_one(self, user_id: int) -> None:
        if len(await self.methods(user_id)) >= MAX_METHODS:
            raise TooManyMethods(max=MAX_METHODS)

    async def start_card_setup(self, user_id: int, success_url: str, cancel_url: str) -> str:
        """The URL of Stripe's hosted page where the customer enters a card; the card arrives by webhook."""
        if self.gateway is None:
            raise CardsUnavailable()
        await self._room_for_one(user_id)
        customer = await self.stripe_customer(user_id)
        # No transaction stays open across the calls to Stripe.
        await self._commit()
        if customer is None:
            # The same idempotency key for every attempt: a double tap creates one Stripe customer.
            customer = await self.gateway.create_customer(user_id, f"customer:{user_id}")
            await self._session.execute(
                upsert(self._session, StripeCustomer)
                .values(user_id=user_id, customer_id=self._cipher.encrypt(customer), created_at=self._clock.now())
                .on_conflict_do_nothing(index_elements=["user_id"]))
            await self._commit()
        page = await self.gateway.setup_page(customer, user_id, self.settings.success_url or success_url,
                                             self.settings.cancel_url or cancel_url)
        return page.url

    async def add_telegram(self, user_id: int) -> PaymentMethod:
        """Telegram Payments as a method: nothing to save, each payment shows Telegram's own form."""
        methods = await self.methods(user_id)
        existing = next((m for m in methods if m.kind == TELEGRAM), None)
        if existing is not None:
            return existing
        await self._room_for_one(user_id)
        method = PaymentMethod(user_id=user_id, kind=TELEGRAM, is_default=not methods, created_at=self._clock.now())
        self._session.add(method)
        await self._session.flush()
        return method

    async def receive_event(self, event: dict[str, Any]) -> PaymentMethod | None:
        """A verified webhook event, once per event id. A completed setup saves the card for the customer whose
        Stripe customer it belongs to; anything else is acknowledged and ignored."""
        event_id, kind = str(event.get("id", "")), str(event.get("type", ""))
        if not event_id:
            return None
        if await self._session.get(StripeEvent, event_id) is not None:
            return None
        obj = (event.get("data") or {}).get("object") or {}
        setup_intent, user_id = None, None
        if kind == "checkout.session.completed" and obj.get("mode") == "setup":
            setup_intent = obj.get("setup_intent")
            user_id = obj.get("client_reference_id") or (obj.get("metadata") or {}).get("user_id")
        elif kind == "setup_intent.succeeded":
            setup_intent = obj.get("id")
            user_id = (obj.get("metadata") or {}).get("user_id")
        card = None
        if setup_intent and user_id and str(user_id).isdigit() and self.gateway is not None:
            await self._commit()
            card = await self.gateway.saved_card(str(setup_intent))  # StripeUnavailable: Stripe retries the event
        recorded = await self._session.scalar(
            upsert(self._session, StripeEvent)
            .values(id=event_id, type=kind[:64], received_at=self._clock.now())
            .on_conflict_do_nothing(index_elements=["id"]).returning(StripeEvent.id))
        if recorded is None or card is None or user_id is None:
            return None
        owner = int(str(user_id))
        if card.customer is None or card.customer != await self.stripe_customer(owner):
            log.warning("stripe event %s: the card's customer is not user %s's; ignored", event_id, owner)
            return None
        return await self._save_card(owner, card, event_id)

    async def _save_card(self, user_id: int, card: Any, event_id: str) -> PaymentMethod | None:
        has_any = bool(await self.methods(user_id))
        method_id = await self._session.scalar(
            upsert(self._session, PaymentMethod)
            .values(user_id=user_id, kind=CARD, is_default=not has_any, brand=card.brand[:24], last4=card.last4[:4],
                    exp_month=card.exp_month, exp_year=card.exp_year,
                    stripe_id=self._cipher.encrypt(card.payment_method), stripe_digest=digest(card.payment_method),
                    created_at=self._clock.now())
            .on_conflict_do_nothing(index_elements=["stripe_digest"]).returning(PaymentMethod.id))
        if method_id is None:  # the other event of the same setup came first
            return None
        method = await self.get(user_id, method_id)
        await self._notifications.notify(
            user_id, category=NotificationCategory.FINANCE, key="methods-card-saved-note",
            args={"brand": card.brand.title(), "last4": card.last4},
            buttons=[button("methods-autopay-billing-button", action="autopay")],
            dedupe_key=f"card-saved:{digest(card.payment_method)[:32]}")
        return method

    # --- changing -----------------------------------------------------------------------------------------

    async def rename(self, user_id: int, method_id: int, name: str) -> PaymentMethod:
        method = await self.get(user_id, method_id)
        method.name = clean_name(name)
        await self._session.flush()
        return method

    async def set_default(self, user_id: int, method_id: int) -> PaymentMethod:
        method = await self.get(user_id, method_id)
        await self._session.execute(
            update(PaymentMethod).where(PaymentMethod.user_id == user_id, PaymentMethod.id != method.id)
            .values(is_default=False).execution_options(synchronize_session=False))
        method.is_default = True
        await self._session.flush()
        return method

    async def remove(self, user_id: int, method_id: int) -> Removed:
        """Forget the method (and detach a card at Stripe, best effort); automatic payments with it stop."""
        method = await self.get(user_id, method_id)
        stopped = await rowcount(
            self._session,
            update(Autopay).where(Autopay.user_id == user_id, Autopay.method_id == method.id)
            .values(method_id=None, enabled=False, updated_at=self._clock.now())
            .execution_options(synchronize_session=False))
        stripe_id = self.stripe_id(method) if method.kind == CARD and method.stripe_id else None
        was_default = method.is_default
        await self._session.delete(method)
        await self._session.flush()
        if was_default:
            rest = await self.methods(user_id)
            if rest:
                rest[0].is_default = True
                await self._session.flush()
        if stripe_id and self.gateway is not None:
            await self._commit()  # forgotten here first: a Stripe failure must not keep the card in the bot
            try:
                await self.gateway.detach(stripe_id)
            except DomainError:
                log.warning("could not detach a removed card at Stripe (user %s)", user_id)
        return Removed(method, bool(stopped))
