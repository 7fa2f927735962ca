"""Billing's use cases without Telegram: a top-up on disk before its invoice is sent, a payment's note and
balance, a Stars refund that Telegram refuses changing nothing, a bank transfer whose credit stands whatever its
cart does, and a renewal on request paid from the balance or refused as it stands."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from domain.errors import DomainError
from domain.models import LedgerEntry, Notification, Payment, ServiceEvent
from domain.orders import CartChanged
from domain.payments import APPLIED, RefundRefused
from domain.renewals import RenewalCovered, RenewalOutdated, period_key
from tests.unit.conftest import COMPANY, domain_with_customers

CATALOGUE = (Path(__file__).resolve().parents[2] / "catalogue" / "catalogue.toml").read_text(encoding="utf-8")


@pytest.fixture
async def domain(sessions, clock):
    async with sessions() as session:
        yield await domain_with_customers(session, clock, (1, 2), CATALOGUE)


async def notes(domain, user_id: int = 1) -> list[str]:
    return list(await domain.session.scalars(
        select(Notification.key).where(Notification.user_id == user_id).order_by(Notification.id)))


async def on_disk(sessions, model, *where) -> int:
    async with sessions() as other:
        return await other.scalar(select(func.count()).select_from(model).where(*where)) or 0


async def tariff_id(domain, code: str = "pro") -> int:
    return next(t for t in await domain.catalogue.tariffs("ispmanager") if t.code == code).id


async def licence(domain, user_id: int = 1) -> int:
    """A monthly Pro licence (€12.90), bought with money given for it."""
    await domain.ledger.post(user_id, "adjustment", 1290, f"test:licence:{user_id}")
    await domain.orders.add_to_cart(user_id, await tariff_id(domain), 1, {"ip": "93.184.216.34"})
    return (await domain.orders.checkout(user_id)).services[0].id


# top-ups and payments ------------------------------------------------------------------------------------
async def test_a_top_up_is_on_disk_before_its_invoice_is_sent(domain, sessions) -> None:
    payment = await domain.payments.open_topup(1, 2500)
    assert await on_disk(sessions, Payment, Payment.id == payment.id) == 1
    await domain.orders.add_to_cart(1, await tariff_id(domain), 1, {"ip": "8.8.8.8"})
    cart = await domain.orders.cart(1)
    for_cart = await domain.payments.open_topup(1, 1, cart_revision=cart.revision)  # the amount is the domain's
    assert (for_cart.amount, for_cart.then_checkout) == (cart.total, True)
    assert await on_disk(sessions, Payment) == 2


async def test_a_payment_notes_the_credit_and_says_the_balance(domain) -> None:
    payment = await domain.payments.open_topup(1, 1000)
    receipt = await domain.payments.receive(1, payment.payload, payment.invoice_currency, payment.invoice_amount,
                                            "c1", None)
    assert (receipt.outcome, receipt.credited, receipt.balance) == (APPLIED, 1000, 1000)
    again = await domain.payments.receive(1, payment.payload, payment.invoice_currency, payment.invoice_amount,
                                          "c1", None)
    assert again.duplicate
    assert await notes(domain) == ["topup-credited-note"]


async def test_a_refund_telegram_refuses_changes_nothing(domain) -> None:
    payment = await domain.payments.open_topup(1, 1000)
    await domain.payments.receive(1, payment.payload, "XTR", payment.invoice_amount, "c1", None)
    asked: list[tuple[int, str]] = []

    async def refuses(user_id: int, charge: str) -> None:
        asked.append((user_id, charge))
        raise RefundRefused(reason="CHARGE_ALREADY_REFUNDED")

    with pytest.raises(RefundRefused):
        await domain.payments.refund("c1", refuses)
    assert asked == [(1, "c1")] and await domain.ledger.balance(1) == 1000

    async def gives_back(user_id: int, charge: str) -> None:
        asked.append((user_id, charge))

    refund = await domain.payments.refund("c1", gives_back)
    assert (refund.user_id, refund.amount) == (1, 1000) and await domain.ledger.balance(1) == 0
    assert "refund-customer" in await notes(domain)
    with pytest.raises(DomainError, match="refund-already"):
        await domain.payments.refund("c1", gives_back)
    assert len(asked) == 2  # an already refunded charge is not sent to Telegram again


# bank transfers ------------------------------------------------------------------------------------------
async def test_a_transfer_pays_the_cart_of_its_invoice(domain) -> None:
    await domain.payers.create(1, "legal", COMPANY)
    await domain.orders.add_to_cart(1, await tariff_id(domain), 1, {"ip": "8.8.8.8"})
    invoice = await domain.invoices.issue_for_cart(1, None)
    recorded = await domain.invoices.record_transfer(invoice.number, staff_id=99)
    assert recorded.credited and recorded.order is not None and recorded.cart_refused is None
    assert (recorded.number, recorded.user_id, recorded.amount) == (invoice.number, 1, invoice.net)
    assert await notes(domain) == ["invoices-paid-note", "licence-notification-key", "invoices-order-note"]
    again = await domain.invoices.record_transfer(invoice.number, staff_id=99)
    assert not again.credited and await domain.ledger.balance(1) == 0


async def test_a_transfer_for_a_changed_cart_keeps_the_money(domain, sessions) -> None:
    await domain.payers.create(1, "legal", COMPANY)
    await domain.orders.add_to_cart(1, await tariff_id(domain), 1, {"ip": "8.8.8.8"})
    invoice = await domain.invoices.issue_for_cart(1, None)
    await domain.orders.add_to_cart(1, await tariff_id(domain, "lite"), 1, {"ip": "8.8.4.4"})
    recorded = await domain.invoices.record_transfer(invoice.number, staff_id=99)
    assert recorded.credited and recorded.order is None and isinstance(recorded.cart_refused, CartChanged)
    assert await domain.ledger.balance(1) == invoice.net
    assert await on_disk(sessions, LedgerEntry, LedgerEntry.reference == f"invoice:{invoice.id}") == 1
    assert await notes(domain) == ["invoices-paid-note", "invoices-cart-not-paid-note"]


# a renewal on request ------------------------------------------------------------------------------------
async def test_a_renewal_is_paid_from_the_balance_once_per_period(domain) -> None:
    service_id = await licence(domain)
    offer = await domain.checkout.renewal_offer(1, service_id)
    period = period_key(offer.quote.service.expires_at)
    assert (offer.quote.price, offer.quote.shortfall, offer.card) == (1290, 1290, None)
    short = await domain.checkout.pay_renewal(1, service_id, period)
    assert short.renewed is None and short.short is not None and short.short.shortfall == 1290
    await domain.ledger.post(1, "adjustment", 1290, "test:renewal")
    paid = await domain.checkout.pay_renewal(1, service_id, period)
    assert paid.renewed is not None and paid.quote is not None
    assert paid.quote.service.expires_at == paid.renewed.expires_at and paid.renewed.balance == 0
    with pytest.raises(RenewalOutdated):  # the same button again
        await domain.checkout.pay_renewal(1, service_id, period)
    events = await domain.session.scalars(select(ServiceEvent.action).where(ServiceEvent.service_id == service_id))
    assert list(events).count("renewal") == 1


async def test_a_renewal_top_up_is_what_it_lacks_now(domain, sessions) -> None:
    service_id = await licence(domain)
    await domain.ledger.post(1, "adjustment", 290, "test:part")
    payment = await domain.checkout.renewal_topup(1, service_id)
    assert payment.amount == 1000 and await on_disk(sessions, Payment, Payment.id == payment.id) == 1
    await domain.ledger.post(1, "adjustment", 1000, "test:rest")
    with pytest.raises(RenewalCovered):
        await domain.checkout.renewal_topup(1, service_id)
