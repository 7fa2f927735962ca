"""Top-ups through Telegram Payments: an invoice per payment, validated before checkout, credited once."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.clock import Clock
from domain.errors import DomainError, InvalidInput, NotFound
from domain.ledger import Ledger
from domain.models import Payment

STARS = "telegram-stars"
PROVIDER = "telegram-provider"
METHODS = (STARS, PROVIDER)


@dataclass(frozen=True)
class PaymentSettings:
    method: str = STARS
    stars_per_unit: int = 50  # Telegram Stars for one unit (e.g. 1 EUR) of the shop currency
    topup_min: int = 500
    topup_max: int = 100_000
    presets: tuple[int, ...] = field(default=(1000, 2500, 5000, 10000))
    precision: int = 2  # digits after the point of the shop currency


class PaymentRejected(DomainError):
    """A pre-checkout query that must be declined; message_id is the reason shown by Telegram."""

    message_id = "payment-rejected"


@dataclass(frozen=True, slots=True)
class Completion:
    payment: Payment
    credited: bool  # False for a duplicate successful_payment


class Payments:
    def __init__(self, session: AsyncSession, clock: Clock, ledger: Ledger, settings: PaymentSettings) -> None:
        self._session = session
        self._clock = clock
        self._ledger = ledger
        self.settings = settings

    def stars_for(self, amount: int) -> int:
        """Stars for `amount` minor units, rounded up: the shop never receives less than it credits."""
        scale = 10 ** self.settings.precision
        return max(1, -(-amount * self.settings.stars_per_unit // scale))

    def check_amount(self, amount: int) -> int:
        if amount < self.settings.topup_min:
            raise InvalidInput("topup-error-too-small", minimum=self.settings.topup_min)
        if amount > self.settings.topup_max:
            raise InvalidInput("topup-error-too-large", maximum=self.settings.topup_max)
        return amount

    async def create_topup(self, user_id: int, amount: int, *, then_checkout: bool = False,
                           exact: bool = False) -> Payment:
        """A pending payment and its invoice terms. `exact` (a cart's shortfall) skips the minimum."""
        if not exact:
            self.check_amount(amount)
        elif amount <= 0 or amount > self.settings.topup_max:
            raise InvalidInput("topup-error-too-large", maximum=self.settings.topup_max)
        method = self.settings.method
        stars = method == STARS
        payment = Payment(
            user_id=user_id, payload=f"topup:{secrets.token_urlsafe(18)}", method=method, amount=amount,
            currency=self._ledger.currency, invoice_amount=self.stars_for(amount) if stars else amount,
            invoice_currency="XTR" if stars else self._ledger.currency, status="pending",
            then_checkout=then_checkout, created_at=self._clock.now(),
        )
        self._session.add(payment)
        await self._session.flush()
        return payment

    async def _by_payload(self, payload: str) -> Payment | None:
        return await self._session.scalar(select(Payment).where(Payment.payload == payload))

    async def validate(self, user_id: int, payload: str, currency: str, total_amount: int) -> Payment:
        """Everything a pre_checkout_query must satisfy; raises PaymentRejected with the reason."""
        payment = await self._by_payload(payload)
        if payment is None or payment.user_id != user_id:
            raise PaymentRejected("payment-rejected-unknown")
        if payment.status != "pending":
            raise PaymentRejected("payment-rejected-paid")
        if currency != payment.invoice_currency or total_amount != payment.invoice_amount:
            raise PaymentRejected("payment-rejected-amount")
        return payment

    async def complete(self, user_id: int, payload: str, currency: str, total_amount: int, telegram_charge_id: str,
                       provider_charge_id: str | None) -> Completion:
        """Credit a successful payment exactly once per Telegram charge id."""
        payment = await self._by_payload(payload)
        if payment is None or payment.user_id != user_id:
            raise NotFound()
        if currency != payment.invoice_currency or total_amount != payment.invoice_amount:
            raise PaymentRejected("payment-rejected-amount")
        credited = await self._ledger.post(user_id, "topup", payment.amount, f"tg:{telegram_charge_id}",
                                           payment_id=payment.id)
        if credited:
            # Guarded on status: a second, different charge for the same invoice is not silently merged.
            result = await self._session.execute(
                update(Payment).where(Payment.id == payment.id, Payment.status == "pending")
                .values(status="paid", telegram_charge_id=telegram_charge_id,
                        provider_charge_id=provider_charge_id, paid_at=self._clock.now())
            )
            if result.rowcount != 1:  # type: ignore[attr-defined]
                raise DomainError("payment-duplicate-charge")
            await self._session.refresh(payment)
        return Completion(payment, credited)

    async def refundable(self, telegram_charge_id: str) -> Payment:
        payment = await self._session.scalar(select(Payment).where(Payment.telegram_charge_id == telegram_charge_id))
        if payment is None:
            raise NotFound()
        if payment.method != STARS:
            raise DomainError("refund-not-stars")
        if payment.status == "refunded":
            raise DomainError("refund-already")
        balance = await self._ledger.balance(payment.user_id)
        if balance < payment.amount:
            raise DomainError("refund-balance-spent", balance=balance, amount=payment.amount)
        return payment

    async def record_refund(self, payment: Payment) -> bool:
        """After Telegram refunded: the ledger entry (once) and the payment's status."""
        posted = await self._ledger.post(payment.user_id, "refund", -payment.amount,
                                         f"refund:{payment.telegram_charge_id}", payment_id=payment.id)
        payment.status = "refunded"
        payment.refunded_at = self._clock.now()
        await self._session.flush()
        return posted

    async def by_ids(self, ids: set[int]) -> dict[int, Payment]:
        if not ids:
            return {}
        return {p.id: p for p in await self._session.scalars(select(Payment).where(Payment.id.in_(ids)))}
