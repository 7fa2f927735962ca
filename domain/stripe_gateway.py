"""Cards through Stripe, behind a small port: the domain asks for a customer, a hosted setup page, a saved card,
an off-session charge; `StripeGateway` answers with the official library on its own `StripeClient` (no global
`stripe.api_key`), so tests point it at a local fake by its API base."""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

import stripe

from domain.errors import DomainError

if TYPE_CHECKING:
    from stripe.params.checkout import SessionCreateParams

log = logging.getLogger(__name__)

STRIPE_API = "https://api.stripe.com"
T = TypeVar("T")


class StripeUnavailable(DomainError):
    """Stripe could not be reached or refused the request for a reason that is not the customer's card."""

    message_id = "methods-error-stripe"


class BadSignature(Exception):
    """A webhook request whose signature does not match the webhook secret."""


@dataclass(frozen=True, slots=True)
class SetupPage:
    session_id: str
    url: str


@dataclass(frozen=True, slots=True)
class SavedCard:
    payment_method: str
    customer: str | None
    brand: str
    last4: str
    exp_month: int
    exp_year: int


@dataclass(frozen=True, slots=True)
class ChargeOutcome:
    """`ok` with the PaymentIntent's id, or the decline code (card_declined, authentication_required, ...)."""

    ok: bool
    payment_intent: str | None
    error: str | None = None


class CardGateway(Protocol):
    async def create_customer(self, user_id: int, idempotency_key: str) -> str: ...

    async def setup_page(self, customer: str, user_id: int, success_url: str, cancel_url: str) -> SetupPage: ...

    async def saved_card(self, setup_intent: str) -> SavedCard: ...

    async def charge(self, customer: str, payment_method: str, amount: int, currency: str, idempotency_key: str,
                     description: str) -> ChargeOutcome: ...

    async def detach(self, payment_method: str) -> None: ...

    def event(self, payload: bytes, signature: str) -> dict[str, Any]: ...

    async def close(self) -> None: ...


class StripeGateway:
    def __init__(self, secret_key: str, webhook_secret: str | None, api_base: str = STRIPE_API) -> None:
        self._http = stripe.AIOHTTPClient()
        self._client = stripe.StripeClient(secret_key, base_addresses={"api": api_base}, http_client=self._http,
                                           max_network_retries=2)
        self._webhook_secret = webhook_secret

    async def create_customer(self, user_id: int, idempotency_key: str) -> str:
        customer = await self._call(self._client.v1.customers.create_async(
            params={"metadata": {"user_id": str(user_id)}}, options={"idempotency_key": idempotency_key}))
        return customer.id

    async def setup_page(self, customer: str, user_id: int, success_url: str, cancel_url: str) -> SetupPage:
        params: SessionCreateParams = {
            "mode": "setup", "customer": customer,
            "payment_method_types": ["card"],  # type: ignore[typeddict-unknown-key]  # stripe 16's types only know allowed_payment_method_types
            "client_reference_id": str(user_id), "metadata": {"user_id": str(user_id)},
            "setup_intent_data": {"metadata": {"user_id": str(user_id)}},
            "success_url": success_url, "cancel_url": cancel_url,
        }
        session = await self._call(self._client.v1.checkout.sessions.create_async(params=params))
        assert session.url is not None  # a hosted page has one
        return SetupPage(session.id, session.url)

    async def saved_card(self, setup_intent: str) -> SavedCard:
        intent = await self._call(self._client.v1.setup_intents.retrieve_async(
            setup_intent, params={"expand": ["payment_method"]}))
        method = intent.payment_method
        if isinstance(method, str):
            method = await self._call(self._client.v1.payment_methods.retrieve_async(method))
        # A setup that succeeded saved a card; Stripe's types allow for every other kind of setup.
        assert method is not None and method.card is not None
        card = method.card
        customer = intent.customer if isinstance(intent.customer, str) or intent.customer is None \
            else intent.customer.id
        return SavedCard(method.id, customer, str(card.brand), str(card.last4), int(card.exp_month),
                         int(card.exp_year))

    async def charge(self, customer: str, payment_method: str, amount: int, currency: str, idempotency_key: str,
                     description: str) -> ChargeOutcome:
        try:
            intent = await self._client.v1.payment_intents.create_async(params={
                "amount": amount, "currency": currency.lower(), "customer": customer,
                "payment_method": payment_method, "off_session": True, "confirm": True,
                "description": description,
            }, options={"idempotency_key": idempotency_key})
        except stripe.CardError as exc:
            error = (exc.json_body or {}).get("error", {}) if isinstance(exc.json_body, dict) else {}
            intent_id = (error.get("payment_intent") or {}).get("id")
            return ChargeOutcome(False, intent_id, str(exc.code or "card_declined"))
        except stripe.InvalidRequestError as exc:
            # Stripe understood and refused (amount too small, card detached): asking again will not help.
            log.warning("stripe refused a charge: %s %s", type(exc).__name__, exc.code)
            return ChargeOutcome(False, None, str(exc.code or "invalid_request"))
        except stripe.StripeError as exc:
            log.warning("stripe charge failed: %s", type(exc).__name__)
            raise StripeUnavailable() from None
        if intent.status == "succeeded":
            return ChargeOutcome(True, intent.id)
        if intent.status == "requires_action":
            return ChargeOutcome(False, intent.id, "authentication_required")
        # processing: neither money nor a refusal yet; the attempt stays pending and is asked again later.
        raise StripeUnavailable()

    async def detach(self, payment_method: str) -> None:
        await self._call(self._client.v1.payment_methods.detach_async(payment_method))

    def event(self, payload: bytes, signature: str) -> dict[str, Any]:
        if not self._webhook_secret:
            raise BadSignature("no webhook secret configured")
        try:
            stripe.Webhook.construct_event(payload, signature, self._webhook_secret)
        except (stripe.SignatureVerificationError, ValueError) as exc:
            raise BadSignature(str(exc)) from None
        event: dict[str, Any] = json.loads(payload)
        return event

    async def close(self) -> None:
        await self._http.close_async()  # type: ignore[no-untyped-call]  # stripe's HTTP clients have no annotations

    @staticmethod
    async def _call(request: Awaitable[T]) -> T:
        try:
            return await request
        except stripe.StripeError as exc:
            log.warning("stripe request failed: %s %s", type(exc).__name__, getattr(exc, "code", None))
            raise StripeUnavailable() from None
