"""Paying from the balance: the cart, or one service's renewal. When the balance falls short and automatic
payments are on, the shortfall is charged to the saved card first. Each is one use case, so a handler only shows
what came of it."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from domain.autopay import OFF, AutomaticPayments, Cover, CoverReason
from domain.errors import DomainError
from domain.ledger import InsufficientFunds
from domain.models import Payment, PaymentMethod
from domain.notifications import button, money_arg
from domain.orders import CheckoutResult, Orders
from domain.payers import Payers
from domain.payments import Payments
from domain.renewals import Quote, RenewalCovered, Renewals, Renewed, label_of


@dataclass(frozen=True, slots=True)
class CartPayment:
    """`order` when the cart is paid; else `short` (what is missing now, to offer a top-up) or `refused` (the
    cart could not be bought after the card paid the shortfall: the money stays on the balance). `card` is the
    automatic payment made on the way, if one was tried."""

    order: CheckoutResult | None = None
    short: InsufficientFunds | None = None
    refused: DomainError | None = None
    card: Cover | None = None


@dataclass(frozen=True, slots=True)
class RenewalOffer:
    """What renewing a service costs now; `card` is the automatic-payments card that would pay a shortfall."""

    quote: Quote
    card: PaymentMethod | None = None


@dataclass(frozen=True, slots=True)
class RenewalPayment:
    """`renewed`, with the service's `quote` as it stands after it, when the renewal is paid; else `short`: what
    the balance lacked (and the card, if automatic payments are on, did not pay)."""

    renewed: Renewed | None = None
    quote: Quote | None = None
    short: InsufficientFunds | None = None


class Checkout:
    def __init__(self, session: AsyncSession, orders: Orders, payers: Payers, autopay: AutomaticPayments,
                 renewals: Renewals, payments: Payments) -> None:
        self._session = session
        self._orders = orders
        self._payers = payers
        self._autopay = autopay
        self._renewals = renewals
        self._payments = payments

    # --- the cart ------------------------------------------------------------------------------------------

    async def _buy(self, user_id: int, revision: str, payer_id: int | None) -> CheckoutResult:
        async with self._session.begin_nested():  # all or nothing; the caller's work stays
            order = await self._orders.checkout(user_id, revision, push_keys=False)  # the receipt shows them
            await self._payers.stamp_order(user_id, order.order_id, payer_id)
        return order

    async def pay_cart(self, user_id: int, revision: str, payer_id: int | None = None) -> CartPayment:
        """Buy the cart of `revision` (the one the customer was shown). A changed, empty or already paid cart
        raises (CartChanged, EmptyCart, AlreadyPaid) and changes nothing."""
        try:
            return CartPayment(order=await self._buy(user_id, revision, payer_id))
        except InsufficientFunds as short:
            shortfall = short
        currency = shortfall.currency
        card = await self._autopay.cover(
            user_id, shortfall.shortfall, f"checkout:{user_id}:{revision}", reason=CoverReason.CHECKOUT,
            buttons=[button("methods-autopay-button-topup", action="autopay-topup",
                            amount=money_arg(shortfall.shortfall, currency), rev=revision)])
        if card.status == OFF:
            return CartPayment(short=shortfall)
        if not card.charged:
            return CartPayment(short=shortfall, card=card)
        try:
            return CartPayment(order=await self._buy(user_id, revision, payer_id), card=card)
        except InsufficientFunds as still:
            return CartPayment(short=still, card=card)
        except DomainError as refused:
            return CartPayment(refused=refused, card=card)

    # --- a renewal -----------------------------------------------------------------------------------------

    async def renewal_offer(self, user_id: int, service_id: int) -> RenewalOffer:
        """The price, the balance and the new expiry date; with a shortfall, the card that could pay it."""
        quote = await self._renewals.quote(user_id, service_id)
        if not quote.shortfall:
            return RenewalOffer(quote)
        autopay = await self._autopay.view(user_id)
        return RenewalOffer(quote, autopay.method if autopay.enabled else None)

    async def _renew(self, user_id: int, service_id: int, period: str | None) -> Renewed:
        async with self._session.begin_nested():  # a charge without the new expiry date is undone
            return await self._renewals.renew(user_id, service_id, period)

    async def pay_renewal(self, user_id: int, service_id: int, period: str | None = None) -> RenewalPayment:
        """Renew the service from the balance for the period the customer was shown (`period`, its expiry date):
        once per period however often pressed. Short, with automatic payments on, the shortfall goes to the card
        (the payment's own notice tells the customer) and the renewal is tried again. Any other refusal (renewed
        since, not renewable) raises and changes nothing."""
        try:
            renewed = await self._renew(user_id, service_id, period)
        except InsufficientFunds as short:
            by_card = await self._renew_by_card(user_id, service_id, period, short.shortfall)
            if by_card is None:
                return RenewalPayment(short=short)
            renewed = by_card
        return RenewalPayment(renewed, await self._renewals.quote(user_id, renewed.service_id))

    async def _renew_by_card(self, user_id: int, service_id: int, period: str | None,
                             shortfall: int) -> Renewed | None:
        """None leaves the usual top-up offer: automatic payments off, the card declined or over its limit, or
        the renewal refused after the card paid (the money stays on the balance)."""
        try:
            quote = await self._renewals.quote(user_id, service_id)
            cover = await self._autopay.cover_renewal(user_id, quote.service.id, quote.service.expires_at,
                                                      shortfall, label_of(quote.service))
            if not cover.charged:
                return None
            return await self._renew(user_id, service_id, period)
        except DomainError:
            return None

    async def renewal_topup(self, user_id: int, service_id: int) -> Payment:
        """A top-up of exactly what renewing the service lacks now (the balance may have changed since the
        notice), committed before its invoice is sent; RenewalCovered when nothing is missing."""
        quote = await self._renewals.quote(user_id, service_id)
        if not quote.shortfall:
            raise RenewalCovered()
        return await self._payments.open_topup(user_id, quote.shortfall, exact=True, resume=f"renew.{service_id}")
