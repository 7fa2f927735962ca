"""Top-ups through Telegram Payments: an invoice per payment, validated before checkout, credited once.

Every `successful_payment` is first recorded as a `PaymentCharge` (committed on its own), whatever happens
next: money that arrived is never only a log line, and staff can refund any charge by its id. A second charge
for an invoice that is already paid (two payments at the same moment) is credited to the balance and reported
to staff; a pre-checkout query for an invoice that another one is paying at that moment is refused.
"""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.clock import Clock
from domain.db import rowcount, upsert
from domain.errors import DomainError, InvalidInput, NotFound
from domain.ledger import Ledger
from domain.models import (
    EntryKind,
    Invoice,
    InvoiceStatus,
    Payment,
    PaymentCharge,
    PaymentChargeOutcome,
    PaymentStatus,
    TopupMethod,
)
from domain.models.notifications import NotificationCategory
from domain.notifications import Notifications, money_arg
from domain.orders import AlreadyPaid, CartChanged, CheckoutResult, EmptyCart, Orders
from domain.payers import Payers
from domain.values import Money

STARS, PROVIDER = TopupMethod.STARS, TopupMethod.PROVIDER
METHODS = tuple(TopupMethod)
# How long a pre-checkout that was let through holds its invoice: Telegram reports the payment within seconds.
CHECKOUT_LEASE = timedelta(minutes=2)

OPEN_INVOICE = (InvoiceStatus.AWAITING, InvoiceStatus.ISSUED)
APPLIED, EXTRA, UNMATCHED = PaymentChargeOutcome.APPLIED, PaymentChargeOutcome.EXTRA, PaymentChargeOutcome.UNMATCHED


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


class RefundRefused(DomainError):
    """Telegram would not give the Stars back; `reason` is what it said."""

    message_id = "refund-telegram-refused"


# Gives a Stars payment back through Telegram: (customer's user id, telegram_payment_charge_id). Raises
# RefundRefused with Telegram's reason when it will not.
StarRefund = Callable[[int, str], Awaitable[None]]


class CartCovered(DomainError):
    """The balance already pays for the cart: no top-up is needed."""

    message_id = "topup-cart-covered"


@dataclass(frozen=True, slots=True)
class Completion:
    payment: Payment
    credited: bool  # False for a duplicate successful_payment


@dataclass(frozen=True, slots=True)
class Receipt:
    """What became of one `successful_payment`."""

    charge: PaymentCharge
    payment: Payment | None
    duplicate: bool  # the same charge reported again: nothing was done
    # After a cart top-up: the order it paid for, or the reason the cart could not be bought (the money stays
    # on the balance either way).
    order: CheckoutResult | None = None
    checkout_refused: DomainError | None = None
    balance: int = 0  # the customer's balance once all this was done

    @property
    def outcome(self) -> str:
        return self.charge.outcome

    @property
    def credited(self) -> int:
        return 0 if self.duplicate else self.charge.credited


@dataclass(frozen=True, slots=True)
class Refund:
    """A Stars payment given back: to whom, and what the balance gave back (minor units of the shop currency)."""

    user_id: int
    amount: int


class Payments:
    def __init__(self, session: AsyncSession, clock: Clock, ledger: Ledger, settings: PaymentSettings,
                 orders: Orders | None = None, payers: Payers | None = None,
                 commit: Callable[[], Awaitable[None]] | None = None,
                 notifications: Notifications | None = None) -> None:
        self._session = session
        self._clock = clock
        self._ledger = ledger
        self.settings = settings
        self._orders = orders
        self._payers = payers
        self._commit = commit
        self._notifications = notifications

    def stars_for(self, amount: int) -> int:
        """Stars for `amount` minor units, rounded up: the shop never receives less than it credits."""
        scale: int = 10**self.settings.precision  # an int for a precision >= 0
        return max(1, -(-amount * self.settings.stars_per_unit // scale))

    def check_amount(self, amount: int) -> int:
        currency = self._ledger.currency
        if amount < self.settings.topup_min:
            raise InvalidInput("topup-error-too-small", minimum=Money(self.settings.topup_min, currency))
        if amount > self.settings.topup_max:
            raise InvalidInput("topup-error-too-large", maximum=Money(self.settings.topup_max, currency))
        return amount

    async def create_topup(self, user_id: int, amount: int, *, exact: bool = False, then_checkout: bool = False,
                           cart_revision: str | None = None, payer_id: int | None = None, price: int | None = None,
                           invoice_id: int | None = None, resume: str | None = None) -> Payment:
        """A pending payment and its invoice terms. `exact` is for an amount the domain computed itself (a
        renewal's or a cart's shortfall, an invoice's), which may be below the minimum; an amount a customer chose
        is checked against the minimum and the maximum. `price` is what the customer pays when it is not what
        the balance gets (an invoice's total with its VAT); `resume` the flow to go on with once it is paid."""
        if not exact:
            self.check_amount(amount)
        elif amount <= 0 or amount > self.settings.topup_max:
            raise InvalidInput("topup-error-too-large", maximum=Money(self.settings.topup_max, self._ledger.currency))
        method = self.settings.method
        stars = method == STARS
        asked = amount if price is None else price
        payment = Payment(
            user_id=user_id, payload=f"topup:{secrets.token_urlsafe(18)}", method=method, amount=amount,
            currency=self._ledger.currency, invoice_amount=self.stars_for(asked) if stars else asked,
            invoice_currency="XTR" if stars else self._ledger.currency, status=PaymentStatus.PENDING,
            then_checkout=then_checkout, cart_revision=cart_revision, created_at=self._clock.now(),
            invoice_id=invoice_id, resume=resume[:64] if resume else None,
        )
        if self._payers is not None:
            payment.payer_id = await self._payers.resolve(user_id, payer_id)
        self._session.add(payment)
        await self._session.flush()
        return payment

    async def topup_for_cart(self, user_id: int, revision: str, payer_id: int | None = None) -> Payment:
        """A top-up of exactly what the cart the customer was shown lacks now, computed here: a button carries
        no amount that is trusted. The cart paid (or changed) since is refused with what happened."""
        assert self._orders is not None
        view = await self._orders.cart(user_id)
        if not view.lines or view.revision != revision:
            paid = await self._orders.paid_with_revision(user_id, revision)
            if paid is not None:
                raise AlreadyPaid(order=paid.id, paid=paid.created_at)
            raise EmptyCart() if not view.lines else CartChanged()
        shortfall = view.total - await self._ledger.balance(user_id)
        if shortfall <= 0:
            raise CartCovered()
        return await self.create_topup(user_id, shortfall, exact=True, then_checkout=True, cart_revision=revision,
                                       payer_id=payer_id)

    async def open_topup(self, user_id: int, amount: int = 0, *, cart_revision: str | None = None,
                         payer_id: int | None = None, exact: bool = False, resume: str | None = None) -> Payment:
        """A top-up the customer is about to pay: of `amount`, or with `cart_revision` of what that cart lacks now
        (`topup_for_cart`); `resume` names the flow it is for. Committed before it is returned: Telegram may
        report the invoice paid as soon as it is sent, and the payment must be on disk by then."""
        if cart_revision is not None:
            payment = await self.topup_for_cart(user_id, cart_revision, payer_id)
        else:
            payment = await self.create_topup(user_id, amount, exact=exact, payer_id=payer_id, resume=resume)
        await self.commit()
        return payment

    async def commit(self) -> None:
        if self._commit is not None:
            await self._commit()

    async def _by_payload(self, payload: str) -> Payment | None:
        return await self._session.scalar(select(Payment).where(Payment.payload == payload))

    async def validate(self, user_id: int, payload: str, currency: str, total_amount: int) -> Payment:
        """Everything a pre_checkout_query must satisfy; raises PaymentRejected with the reason. Letting one
        through holds the invoice for CHECKOUT_LEASE: a second payment of it meanwhile is refused."""
        payment = await self._by_payload(payload)
        if payment is None or payment.user_id != user_id:
            raise PaymentRejected("payment-rejected-unknown")
        if payment.status != PaymentStatus.PENDING:
            raise PaymentRejected("payment-rejected-paid")
        if currency != payment.invoice_currency or total_amount != payment.invoice_amount:
            raise PaymentRejected("payment-rejected-amount")
        if payment.then_checkout and payment.invoice_id is None and payment.cart_revision and self._orders is not None:
            # A cart top-up's invoice paid later (an old Pay): the cart it was for is bought already.
            order = await self._orders.paid_with_revision(user_id, payment.cart_revision)
            if order is not None:
                raise PaymentRejected("payment-rejected-cart-paid", order=order.id)
        if payment.invoice_id is not None:
            invoice = await self._session.get(Invoice, payment.invoice_id)
            if invoice is None or invoice.status not in OPEN_INVOICE:
                raise PaymentRejected("payment-rejected-paid")  # cancelled (or paid otherwise) since
        now = self._clock.now()
        held = await rowcount(
            self._session,
            update(Payment).where(
                Payment.id == payment.id, Payment.status == PaymentStatus.PENDING,
                or_(Payment.checkout_started_at.is_(None), Payment.checkout_started_at <= now - CHECKOUT_LEASE))
            .values(checkout_started_at=now).execution_options(synchronize_session=False))
        if held != 1:
            raise PaymentRejected("payment-rejected-in-progress")
        return payment

    async def receive(self, user_id: int, payload: str, currency: str, total_amount: int, telegram_charge_id: str,
                      provider_charge_id: str | None) -> Receipt:
        """A `successful_payment`: recorded first (and committed), then applied once per charge id, and the
        customer's finance history notes the credit. A cart top-up then buys the cart it was made for, inside a
        savepoint: a cart that cannot be bought any more leaves the money on the balance and says why."""
        now = self._clock.now()
        charge_id = await self._session.scalar(
            upsert(self._session, PaymentCharge)
            .values(telegram_charge_id=telegram_charge_id, provider_charge_id=provider_charge_id, user_id=user_id,
                    payload=payload[:128], currency=currency, total_amount=total_amount, credited=0,
                    outcome=PaymentChargeOutcome.RECEIVED, received_at=now)
            .on_conflict_do_nothing(index_elements=["telegram_charge_id"])
            .returning(PaymentCharge.id))
        if charge_id is None:
            charge = await self._charge(telegram_charge_id)
            payment = await self._session.get(Payment, charge.payment_id) if charge.payment_id else None
            if charge.outcome != PaymentChargeOutcome.RECEIVED:
                return Receipt(charge, payment, duplicate=True)
        else:
            if self._commit is not None:
                await self._commit()  # on disk before anything else can fail
            charge = await self._charge(telegram_charge_id)
        receipt = await self._apply(charge, user_id, payload, currency, total_amount, now)
        payment = receipt.payment
        if receipt.outcome == UNMATCHED or payment is None:
            return receipt
        if receipt.outcome == APPLIED and payment.invoice_id is not None:
            await self._session.execute(
                update(Invoice).where(Invoice.id == payment.invoice_id, Invoice.status.in_(OPEN_INVOICE))
                .values(status=InvoiceStatus.PAID, paid_at=now).execution_options(synchronize_session=False))
        if receipt.outcome == APPLIED and payment.then_checkout and self._orders is not None:
            receipt = await self._checkout(receipt, payment)
            if receipt.order is not None and payment.invoice_id is not None:
                await self._session.execute(
                    update(Invoice).where(Invoice.id == payment.invoice_id)
                    .values(order_id=receipt.order.order_id).execution_options(synchronize_session=False))
        if self._notifications is not None:
            await self._notifications.notify(
                user_id, category=NotificationCategory.FINANCE, key="topup-credited-note", push=False,
                args={"amount": money_arg(receipt.credited, payment.currency)},
                dedupe_key=f"topup:{telegram_charge_id}")
        return replace(receipt, balance=await self._ledger.balance(user_id))

    async def _checkout(self, receipt: Receipt, payment: Payment) -> Receipt:
        assert self._orders is not None
        try:
            async with self._session.begin_nested():
                # Answered in the chat by the receipt, which offers the bought licences' keys.
                order = await self._orders.checkout(payment.user_id, payment.cart_revision, push_keys=False)
                if self._payers is not None:
                    await self._payers.stamp_order(payment.user_id, order.order_id, payment.payer_id)
        except DomainError as refused:
            return replace(receipt, checkout_refused=refused)
        return replace(receipt, order=order)

    async def _charge(self, telegram_charge_id: str) -> PaymentCharge:
        charge = await self._session.scalar(
            select(PaymentCharge).where(PaymentCharge.telegram_charge_id == telegram_charge_id)
            .execution_options(populate_existing=True))
        assert charge is not None
        return charge

    async def _apply(self, charge: PaymentCharge, user_id: int, payload: str, currency: str, total_amount: int,
                     now: datetime) -> Receipt:
        payment = await self._by_payload(payload)
        if (payment is None or payment.user_id != user_id or currency != payment.invoice_currency
                or total_amount != payment.invoice_amount):
            charge.outcome = UNMATCHED  # nothing of ours to credit it to: staff decide (a refund by its id)
            await self._session.flush()
            return Receipt(charge, payment if payment is not None and payment.user_id == user_id else None, False)
        charge.payment_id = payment.id
        # Guarded on status: the first charge pays the invoice; a second one is money all the same.
        first = await rowcount(
            self._session,
            update(Payment).where(Payment.id == payment.id, Payment.status == PaymentStatus.PENDING)
            .values(status=PaymentStatus.PAID, telegram_charge_id=charge.telegram_charge_id,
                    provider_charge_id=charge.provider_charge_id, paid_at=now)
            .execution_options(synchronize_session=False))
        await self._ledger.post(user_id, EntryKind.TOPUP, payment.amount, f"tg:{charge.telegram_charge_id}",
                                payment_id=payment.id)
        charge.credited = payment.amount
        charge.outcome = APPLIED if first == 1 else EXTRA
        await self._session.flush()
        await self._session.refresh(payment)
        return Receipt(charge, payment, False)

    async def complete(self, user_id: int, payload: str, currency: str, total_amount: int, telegram_charge_id: str,
                       provider_charge_id: str | None) -> Completion:
        """`receive` without the cart step, for callers that only credit (tests, tools)."""
        receipt = await self.receive(user_id, payload, currency, total_amount, telegram_charge_id,
                                     provider_charge_id)
        if receipt.payment is None or receipt.outcome == UNMATCHED:
            raise NotFound()
        return Completion(receipt.payment, not receipt.duplicate)

    async def refundable(self, telegram_charge_id: str) -> PaymentCharge:
        """A recorded charge staff may give back: Stars only (Telegram refunds those), once, and only while the
        balance still holds what it credited."""
        charge = await self._session.scalar(
            select(PaymentCharge).where(PaymentCharge.telegram_charge_id == telegram_charge_id))
        if charge is None:
            raise NotFound()
        if charge.currency != "XTR":
            raise DomainError("refund-not-stars")
        if charge.refunded_at is not None:
            raise DomainError("refund-already")
        balance = await self._ledger.balance(charge.user_id)
        if balance < charge.credited:
            raise DomainError("refund-balance-spent", balance=Money(balance, self._ledger.currency),
                              amount=Money(charge.credited, self._ledger.currency))
        return charge

    async def record_refund(self, charge: PaymentCharge) -> bool:
        """After Telegram refunded: the ledger entry (once), the charge and its payment marked refunded."""
        posted = True
        if charge.credited:
            posted = await self._ledger.post(charge.user_id, EntryKind.REFUND, -charge.credited,
                                             f"refund:{charge.telegram_charge_id}", payment_id=charge.payment_id)
        now = self._clock.now()
        charge.refunded_at = now
        await self._session.execute(
            update(Payment).where(Payment.telegram_charge_id == charge.telegram_charge_id)
            .values(status=PaymentStatus.REFUNDED, refunded_at=now).execution_options(synchronize_session=False))
        await self._session.flush()
        return posted

    async def charge(self, charge_id: int) -> PaymentCharge:
        """A recorded charge by its id (what a staff confirmation button carries: the charge id is too long)."""
        charge = await self._session.get(PaymentCharge, charge_id)
        if charge is None:
            raise NotFound()
        return charge

    async def refund(self, telegram_charge_id: str, give_back: StarRefund) -> Refund:
        """Staff give a Stars payment back (`/refund`): `refundable` first, then Telegram refunds it, then the
        ledger entry and the customer is told through the outbox (in their own language, and not lost if they
        cannot be reached now)."""
        charge = await self.refundable(telegram_charge_id)
        await give_back(charge.user_id, telegram_charge_id)
        await self.record_refund(charge)
        if self._notifications is not None:
            # The refund takes the credit back off the balance: the notice says by how much and what is left.
            balance = await self._ledger.balance(charge.user_id)
            await self._notifications.notify(
                charge.user_id, category=NotificationCategory.FINANCE, key="refund-customer",
                args={"amount": money_arg(charge.credited, self._ledger.currency),
                      "balance": money_arg(balance, self._ledger.currency)},
                dedupe_key=f"refund:{telegram_charge_id}")
        return Refund(charge.user_id, charge.credited)

    async def charges(self, user_id: int, limit: int = 10) -> list[PaymentCharge]:
        """The customer's latest charges (newest first), for staff and for payment support."""
        return list(await self._session.scalars(
            select(PaymentCharge).where(PaymentCharge.user_id == user_id)
            .order_by(PaymentCharge.id.desc()).limit(limit)))

    async def by_ids(self, ids: set[int]) -> dict[int, Payment]:
        if not ids:
            return {}
        return {p.id: p for p in await self._session.scalars(select(Payment).where(Payment.id.in_(ids)))}

