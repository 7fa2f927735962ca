"""Paying the cart: from the balance, and when it falls short and automatic payments are on, the shortfall
charged to the saved card first. One use case, so the handler only shows what came of it."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from domain.autopay import OFF, AutomaticPayments, Cover, CoverReason
from domain.errors import DomainError
from domain.ledger import InsufficientFunds
from domain.notifications import button, money_arg
from domain.orders import CheckoutResult, Orders
from domain.payers import Payers


@dataclass(frozen=True, slots=True)
class CartPayment:
    """`order` when the cart is paid; else `short` (what is missing now, to offer a top-up) or `refused` (the
    cart could not be bought after the card paid the shortfall: the money stays on the balance). `card` is the
    automatic payment made on the way, if one was tried."""

    order: CheckoutResult | None = None
    short: InsufficientFunds | None = None
    refused: DomainError | None = None
    card: Cover | None = None


class Checkout:
    def __init__(self, session: AsyncSession, orders: Orders, payers: Payers, autopay: AutomaticPayments) -> None:
        self._session = session
        self._orders = orders
        self._payers = payers
        self._autopay = autopay

    async def _buy(self, user_id: int, revision: str, payer_id: int | None) -> CheckoutResult:
        async with self._session.begin_nested():  # all or nothing; the caller's work stays
            order = await self._orders.checkout(user_id, revision)
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
