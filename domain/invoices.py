"""Invoices for a top-up amount or for the cart, issued to a payer, numbered per year (2026-000123).

Amounts on an invoice are net (what the balance is credited with) plus VAT when VAT_RATE_BP is set, rounded
half up in integer minor units. A sole trader's or legal entity's invoice is paid by bank transfer: it waits
("awaiting") until staff mark it paid with /paid in the staff group, which credits the ledger once (reference
`invoice:<id>`, UNIQUE) and, for a cart invoice, pays the cart it was issued for. Other payers get the invoice
as a document (status "issued") and pay in the bot as usual."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.clock import Clock
from domain.db import rowcount, upsert
from domain.errors import DomainError, NotFound
from domain.ledger import Ledger
from domain.models import (
    EntryKind,
    Invoice,
    InvoiceCounter,
    InvoiceLineKind,
    InvoicePurpose,
    InvoiceStatus,
    Order,
    Payer,
    PayerKind,
    Payment,
    PaymentStatus,
    User,
)
from domain.models.notifications import NotificationCategory
from domain.notifications import Notifications, money_arg
from domain.notifications import button as note_button
from domain.orders import AlreadyPaid, CartChanged, CheckoutResult, EmptyCart, Orders
from domain.payers import BANK_TRANSFER_KINDS, Payers
from domain.payments import Payments

OPEN = (InvoiceStatus.AWAITING, InvoiceStatus.ISSUED)
PER_PAGE = 6


@dataclass(frozen=True)
class VendorDetails:
    """The seller printed on invoices (VENDOR_* settings), VAT in basis points (0: no VAT line)."""

    name: str = "Client Area Vendor"
    address: str = ""
    tax_id: str = ""
    bank_details: str = ""
    vat_rate_bp: int = 0
    due_days: int = 14


def vat_of(net: int, rate_bp: int) -> int:
    """VAT on a net amount in minor units, rounded half up: 1000 at 2000 bp -> 200; 5 at 1000 bp -> 1 (0.5 up)."""
    return (net * rate_bp + 5_000) // 10_000


def format_number(year: int, seq: int) -> str:
    return f"{year}-{seq:06d}"


class InvoiceAlreadyPaid(DomainError):
    """An invoice paid before (an old Pay button): `number` and when it was `paid`."""

    message_id = "invoices-error-already-paid"


@dataclass(frozen=True, slots=True)
class InvoicePage:
    invoices: list[Invoice]
    page: int
    pages: int


@dataclass(frozen=True, slots=True)
class PaidInvoice:
    invoice: Invoice
    credited: bool  # False: it had been paid before, nothing changed


@dataclass(frozen=True, slots=True)
class TransferRecorded:
    """What staff marking an invoice paid came to. `credited` False: it had been paid before and nothing changed.
    For a cart invoice, the order that paid its cart, or why the cart could not be bought (the money stays on
    the balance)."""

    number: str
    user_id: int
    amount: int  # the net amount credited, in minor units of `currency`
    currency: str
    credited: bool
    order: CheckoutResult | None = None
    cart_refused: DomainError | None = None


class Invoices:
    def __init__(self, session: AsyncSession, clock: Clock, ledger: Ledger, orders: Orders, payers: Payers,
                 payments: Payments, vendor: VendorDetails, notifications: Notifications | None = None,
                 commit: Callable[[], Awaitable[None]] | None = None) -> None:
        self._session = session
        self._clock = clock
        self._ledger = ledger
        self._orders = orders
        self._payers = payers
        self._payments = payments
        self.vendor = vendor
        self._notifications = notifications
        self._commit = commit

    # issuing ----------------------------------------------------------------------------------------------
    async def _next_number(self, year: int) -> int:
        """Bump the year's counter in this transaction: the row lock makes concurrent issuers wait, so
        numbers are sequential without gaps from races (invoices.(year, seq) is UNIQUE as a backstop)."""
        stmt = upsert(self._session, InvoiceCounter).values(year=year, last=1)
        last = await self._session.scalar(
            stmt.on_conflict_do_update(index_elements=["year"], set_={"last": InvoiceCounter.last + 1})
            .returning(InvoiceCounter.last)
        )
        assert last is not None  # the statement returns the row it wrote
        return int(last)

    async def _payer_details(self, user_id: int, payer_id: int | None) -> tuple[Payer | None, dict[str, Any]]:
        resolved = await self._payers.resolve(user_id, payer_id)
        if resolved is None:
            user = await self._session.get(User, user_id)
            if user is None:
                raise NotFound()
            name = " ".join(part for part in (user.first_name, user.last_name) if part)
            return None, {"kind": PayerKind.INDIVIDUAL, "implied": True, "name": name, "email": user.email}
        payer = await self._payers.get(user_id, resolved)
        details = {field: getattr(payer, field) for field in (
            "kind", "name", "country", "address", "tax_number", "reg_number", "contact", "email")}
        return payer, details

    async def _issue(self, user_id: int, payer_id: int | None, purpose: InvoicePurpose, lines: list[dict[str, Any]],
                     net: int, cart_revision: str | None = None) -> Invoice:
        payer, details = await self._payer_details(user_id, payer_id)
        now = self._clock.now()
        seq = await self._next_number(now.year)
        bank_transfer = payer is not None and payer.kind in BANK_TRANSFER_KINDS
        vat = vat_of(net, self.vendor.vat_rate_bp)
        invoice = Invoice(
            user_id=user_id, payer_id=payer.id if payer else None, number=format_number(now.year, seq),
            year=now.year, seq=seq, purpose=purpose,
            status=InvoiceStatus.AWAITING if bank_transfer else InvoiceStatus.ISSUED,
            bank_transfer=bank_transfer, net=net, vat_rate_bp=self.vendor.vat_rate_bp, vat=vat, total=net + vat,
            currency=self._ledger.currency, lines=lines, payer=details, cart_revision=cart_revision,
            issued_at=now, due_at=now + timedelta(days=self.vendor.due_days),
        )
        self._session.add(invoice)
        await self._session.flush()
        if self._commit is not None:
            await self._commit()  # the year's counter row stays locked only as long as the insert takes
        return invoice

    async def issue_topup(self, user_id: int, payer_id: int | None, amount: int) -> Invoice:
        """An invoice for topping the balance up by `amount` (within the top-up limits)."""
        self._payments.check_amount(amount)
        return await self._issue(user_id, payer_id, InvoicePurpose.TOPUP,
                                 [{"kind": InvoiceLineKind.TOPUP, "amount": amount}], amount)

    async def issue_for_cart(self, user_id: int, payer_id: int | None, revision: str | None = None) -> Invoice:
        """An invoice for the cart as it is now (the one of `revision`, the cart the customer was shown, when
        given); paying it pays exactly this cart. A cart paid since raises AlreadyPaid, one changed since
        CartChanged: nothing is issued."""
        view = await self._orders.cart(user_id)
        if revision is not None and revision != view.revision:
            paid = await self._orders.paid_with_revision(user_id, revision)
            if paid is not None:
                raise AlreadyPaid(order=paid.id, paid=paid.created_at)
            raise CartChanged()
        if not view.lines:
            raise EmptyCart()
        if not view.payable:
            raise DomainError("cart-item-unavailable")
        # A second tap (or a second request) for the same cart and payer gets the invoice already issued.
        payer_id = await self._payers.resolve(user_id, payer_id)
        existing = await self._session.scalar(select(Invoice).where(
            Invoice.user_id == user_id, Invoice.purpose == InvoicePurpose.CART, Invoice.cart_revision == view.revision,
            Invoice.payer_id.is_(None) if payer_id is None else Invoice.payer_id == payer_id,
            Invoice.status.in_(OPEN)))
        if existing is not None:
            return existing
        lines = [{"kind": InvoiceLineKind.ITEM, "product": line.product.names, "tariff": line.tariff.names,
                  "months": line.item.months, "params": line.item.params, "amount": line.price.total}
                 for line in view.lines]
        return await self._issue(user_id, payer_id, InvoicePurpose.CART, lines, view.total, view.revision)

    # reading ----------------------------------------------------------------------------------------------
    async def page(self, user_id: int, page: int) -> InvoicePage:
        where = Invoice.user_id == user_id
        total = await self._session.scalar(select(func.count()).select_from(Invoice).where(where)) or 0
        pages = max(1, -(-total // PER_PAGE))
        page = min(max(page, 0), pages - 1)
        invoices = list(await self._session.scalars(
            select(Invoice).where(where).order_by(Invoice.id.desc()).offset(page * PER_PAGE).limit(PER_PAGE)))
        return InvoicePage(invoices, page, pages)

    async def get(self, user_id: int, invoice_id: int) -> Invoice:
        invoice = await self._session.get(Invoice, invoice_id)
        if invoice is None or invoice.user_id != user_id:
            raise NotFound()
        return invoice

    async def cancel(self, user_id: int, invoice_id: int) -> Invoice:
        invoice = await self.get(user_id, invoice_id)
        changed = await rowcount(
            self._session,
            update(Invoice).where(Invoice.id == invoice.id, Invoice.status.in_(OPEN))
            .values(status=InvoiceStatus.CANCELLED, cancelled_at=self._clock.now()))
        if changed != 1:
            raise DomainError("invoices-error-not-open")
        await self._session.refresh(invoice)
        return invoice

    async def pay(self, user_id: int, invoice_id: int) -> Payment:
        """The top-up that pays a private person's invoice in the bot: its total asked, its net credited, the
        invoice marked paid (and a cart invoice's cart bought) when the payment arrives. Pressed again before
        paying, the same payment is sent again (so the invoice is paid once); pressed after, InvoiceAlreadyPaid
        says when, and nothing changes."""
        invoice = await self.get(user_id, invoice_id)
        if invoice.status == InvoiceStatus.PAID:
            raise InvoiceAlreadyPaid(number=invoice.number, paid=invoice.paid_at or invoice.issued_at)
        if invoice.status not in OPEN:
            raise DomainError("invoices-error-not-open")
        if invoice.bank_transfer:
            raise DomainError("invoices-error-bank-transfer")
        pending = await self._session.scalar(select(Payment).where(
            Payment.invoice_id == invoice.id, Payment.status == PaymentStatus.PENDING).order_by(Payment.id.desc()))
        if pending is not None:
            return pending
        cart = invoice.purpose == InvoicePurpose.CART
        payment = await self._payments.create_topup(
            user_id, invoice.net, exact=True, price=invoice.total, payer_id=invoice.payer_id, invoice_id=invoice.id,
            then_checkout=cart, cart_revision=invoice.cart_revision if cart else None)
        await self._payments.commit()
        return payment

    # staff ------------------------------------------------------------------------------------------------
    async def for_transfer(self, number: str | None = None, invoice_id: int | None = None) -> Invoice:
        """The invoice staff are about to mark paid (`/paid`), by number or id, refused as `mark_paid` would
        refuse it; a paid one is returned as it is (marking it again credits nothing)."""
        where = Invoice.id == invoice_id if invoice_id is not None else Invoice.number == (number or "").strip()
        invoice = await self._session.scalar(select(Invoice).where(where))
        if invoice is None:
            raise NotFound()
        if invoice.status == InvoiceStatus.PAID:
            return invoice
        if not invoice.bank_transfer:
            raise DomainError("invoices-error-not-bank-transfer")
        if invoice.status != InvoiceStatus.AWAITING:
            raise DomainError("invoices-error-not-open")
        return invoice

    async def mark_paid(self, number: str, staff_id: int) -> PaidInvoice:
        """A bank transfer arrived: credit the net amount once and mark the invoice paid."""
        invoice = await self._session.scalar(select(Invoice).where(Invoice.number == number.strip()))
        if invoice is None:
            raise NotFound()
        if invoice.status == InvoiceStatus.PAID:
            return PaidInvoice(invoice, False)
        if not invoice.bank_transfer:
            raise DomainError("invoices-error-not-bank-transfer")
        if invoice.status != InvoiceStatus.AWAITING:
            raise DomainError("invoices-error-not-open")
        credited = await self._ledger.post(invoice.user_id, EntryKind.TOPUP, invoice.net, f"invoice:{invoice.id}")
        if not credited:
            return PaidInvoice(invoice, False)
        await self._session.execute(
            update(Invoice).where(Invoice.id == invoice.id)
            .values(status=InvoiceStatus.PAID, paid_at=self._clock.now(), paid_by=staff_id))
        await self._session.refresh(invoice)
        return PaidInvoice(invoice, True)

    async def record_transfer(self, number: str, staff_id: int) -> TransferRecorded:
        """Staff saw the bank transfer arrive (`/paid`): credit the invoice once and tell the customer. The credit
        is committed on its own; a cart invoice then pays its cart inside a savepoint, so a cart that cannot be
        bought any more leaves the money on the balance, and the customer is told either way."""
        paid = await self.mark_paid(number, staff_id)
        invoice = paid.invoice
        recorded = TransferRecorded(invoice.number, invoice.user_id, invoice.net, invoice.currency, paid.credited)
        if not paid.credited:
            return recorded
        await self._notify(invoice.user_id, "invoices-paid-note", f"invoice-paid:{invoice.id}",
                           note_button("menu-button-billing", callback="m:billing"),
                           number=invoice.number, amount=money_arg(invoice.net, invoice.currency))
        if self._commit is not None:
            await self._commit()  # the credit stands whatever happens to the cart below
        if invoice.purpose != InvoicePurpose.CART:
            return recorded
        invoice_id = invoice.id
        try:
            async with self._session.begin_nested():
                order = await self.checkout_cart(invoice)
        except DomainError as refused:
            await self._notify(recorded.user_id, "invoices-cart-not-paid-note", f"invoice-cart:{invoice_id}",
                               note_button("menu-button-cart", callback="m:cart"), number=recorded.number)
            return replace(recorded, cart_refused=refused)
        await self._notify(recorded.user_id, "invoices-order-note", f"invoice-cart:{invoice_id}",
                           note_button("menu-button-licences", callback="m:licences"), number=recorded.number,
                           order=str(order.order_id), count=len(order.services))
        return replace(recorded, order=order)

    async def _notify(self, user_id: int, key: str, dedupe_key: str, button: dict[str, Any], **args: Any) -> None:
        if self._notifications is not None:
            await self._notifications.notify(user_id, category=NotificationCategory.FINANCE, key=key, args=args,
                                             buttons=[button], dedupe_key=dedupe_key)

    async def checkout_cart(self, invoice: Invoice) -> CheckoutResult:
        """After a cart invoice is paid: pay the cart it was issued for (CartChanged when it differs now)."""
        result = await self._orders.checkout(invoice.user_id, invoice.cart_revision)
        await self._session.execute(update(Order).where(Order.id == result.order_id).values(payer_id=invoice.payer_id))
        await self._session.execute(update(Invoice).where(Invoice.id == invoice.id).values(order_id=result.order_id))
        return result
