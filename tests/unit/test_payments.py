"""Telegram payments without Telegram: every charge recorded before it is applied, a second charge for a paid
invoice credited and refundable by its id, one that matches nothing kept for staff, an invoice held while it
is being paid, and cart top-ups sized by the domain from the cart the customer was shown."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from domain.models import LedgerEntry, Payment, PaymentCharge
from domain.orders import AlreadyPaid, CartChanged, EmptyCart
from domain.payments import APPLIED, EXTRA, UNMATCHED, CartCovered, PaymentRejected
from tests.unit.conftest import domain_with_customers

CATALOGUE = (Path(__file__).resolve().parents[2] / "catalogue" / "catalogue.toml").read_text(encoding="utf-8")


@pytest.fixture
async def domain(sessions, clock):
    async with sessions() as session:
        yield await domain_with_customers(session, clock, (1, 2), CATALOGUE)


async def charges(domain) -> list[PaymentCharge]:
    return list(await domain.session.scalars(select(PaymentCharge).order_by(PaymentCharge.id)))


async def pay(domain, payment: Payment, charge: str, user_id: int = 1):
    return await domain.payments.receive(user_id, payment.payload, payment.invoice_currency, payment.invoice_amount,
                                         charge, f"prv-{charge}")


async def test_a_charge_is_recorded_and_credited_once(domain) -> None:
    payment = await domain.payments.create_topup(1, 1000)
    receipt = await pay(domain, payment, "c1")
    assert (receipt.outcome, receipt.credited, receipt.duplicate) == (APPLIED, 1000, False)
    again = await pay(domain, payment, "c1")  # Telegram delivers the same update again
    assert again.duplicate and again.credited == 0
    assert await domain.ledger.balance(1) == 1000
    [charge] = await charges(domain)
    assert (charge.telegram_charge_id, charge.payment_id, charge.credited, charge.outcome) == (
        "c1", payment.id, 1000, APPLIED)


async def test_a_second_charge_for_a_paid_invoice_is_money_all_the_same(domain) -> None:
    payment = await domain.payments.create_topup(1, 1000)
    await pay(domain, payment, "c1")
    second = await pay(domain, payment, "c2")
    assert (second.outcome, second.credited) == (EXTRA, 1000)
    assert await domain.ledger.balance(1) == 2000
    # Staff can give the second one back by its id.
    charge = await domain.payments.refundable("c2")
    assert await domain.payments.record_refund(charge)
    assert await domain.ledger.balance(1) == 1000
    await domain.session.refresh(payment)
    assert (payment.status, payment.telegram_charge_id) == ("paid", "c1")  # the invoice stays paid by the first
    with pytest.raises(Exception, match="refund-already"):
        await domain.payments.refundable("c2")


async def test_a_charge_that_matches_no_invoice_is_kept_for_staff(domain) -> None:
    receipt = await domain.payments.receive(1, "topup:nothing", "XTR", 50, "c9", None)
    assert (receipt.outcome, receipt.credited, receipt.payment) == (UNMATCHED, 0, None)
    assert await domain.ledger.balance(1) == 0
    [charge] = await charges(domain)
    assert (charge.payload, charge.total_amount, charge.outcome) == ("topup:nothing", 50, UNMATCHED)
    await domain.payments.record_refund(await domain.payments.refundable("c9"))
    assert list(await domain.session.scalars(select(LedgerEntry))) == []


async def test_another_customers_invoice_is_not_theirs_to_pay(domain) -> None:
    payment = await domain.payments.create_topup(1, 1000)
    receipt = await pay(domain, payment, "c1", user_id=2)
    assert receipt.outcome == UNMATCHED and await domain.ledger.balance(2) == 0
    with pytest.raises(PaymentRejected, match="payment-rejected-unknown"):
        await domain.payments.validate(2, payment.payload, payment.invoice_currency, payment.invoice_amount)


async def test_an_invoice_being_paid_refuses_a_second_pre_checkout(domain, clock) -> None:
    payment = await domain.payments.create_topup(1, 1000)
    terms = (1, payment.payload, payment.invoice_currency, payment.invoice_amount)
    await domain.payments.validate(*terms)
    with pytest.raises(PaymentRejected, match="payment-rejected-in-progress"):
        await domain.payments.validate(*terms)
    clock.move(minutes=2)  # the first payment never came: the invoice can be paid again
    await domain.payments.validate(*terms)
    await pay(domain, payment, "c1")
    with pytest.raises(PaymentRejected, match="payment-rejected-paid"):
        await domain.payments.validate(*terms)


async def cart_of(domain, user_id: int = 1):
    tariff = next(t for t in await domain.catalogue.tariffs("ispmanager") if t.code == "pro")
    await domain.orders.add_to_cart(user_id, tariff.id, 12, {"ip": "8.8.8.8"})
    return await domain.orders.cart(user_id)


async def test_a_cart_top_up_is_what_the_cart_shown_lacks(domain) -> None:
    view = await cart_of(domain)
    await domain.ledger.post(1, "adjustment", 1000, "test:gift")
    payment = await domain.payments.topup_for_cart(1, view.revision)
    assert (payment.amount, payment.then_checkout, payment.cart_revision) == (view.total - 1000, True, view.revision)
    with pytest.raises(CartChanged):
        await domain.payments.topup_for_cart(1, "not-the-cart")
    receipt = await pay(domain, payment, "c1")
    assert receipt.order is not None and receipt.order.total == view.total
    assert await domain.ledger.balance(1) == 0
    # The same button again: the cart was bought, nothing is invoiced.
    with pytest.raises(AlreadyPaid) as paid:
        await domain.payments.topup_for_cart(1, view.revision)
    assert paid.value.args_["order"] == receipt.order.order_id
    with pytest.raises(EmptyCart):
        await domain.payments.topup_for_cart(1, "")


async def test_a_covered_cart_needs_no_top_up(domain) -> None:
    view = await cart_of(domain)
    await domain.ledger.post(1, "adjustment", view.total, "test:gift")
    with pytest.raises(CartCovered):
        await domain.payments.topup_for_cart(1, view.revision)


async def test_a_cart_changed_before_the_payment_keeps_the_money_on_the_balance(domain) -> None:
    view = await cart_of(domain)
    payment = await domain.payments.topup_for_cart(1, view.revision)
    await cart_of(domain)  # another item: the cart is not the one the top-up was for
    receipt = await pay(domain, payment, "c1")
    assert receipt.order is None and isinstance(receipt.checkout_refused, CartChanged)
    assert await domain.ledger.balance(1) == payment.amount
    assert [c.outcome for c in await charges(domain)] == [APPLIED]


async def test_the_charge_is_on_disk_before_it_is_applied(sessions, clock) -> None:
    async with sessions() as session:
        domain = await domain_with_customers(session, clock, (1,), CATALOGUE)
        payment = await domain.payments.create_topup(1, 1000)
        await domain.commit()
        payload = payment.payload
    async with sessions() as session:
        domain = await domain_with_customers(session, clock, (), None)

        async def broken_post(*args, **kwargs):
            raise RuntimeError("the database went away")

        domain.ledger.post = broken_post
        with pytest.raises(RuntimeError):
            await domain.payments.receive(1, payload, "XTR", payment.invoice_amount, "c1", None)
        await domain.rollback()
    async with sessions() as session:
        [charge] = list(await session.scalars(select(PaymentCharge)))
        assert (charge.telegram_charge_id, charge.outcome) == ("c1", "received")
    async with sessions() as session:  # reported again, it is applied then
        domain = await domain_with_customers(session, clock, (), None)
        receipt = await domain.payments.receive(1, payload, "XTR", payment.invoice_amount, "c1", None)
        assert (receipt.outcome, receipt.credited) == (APPLIED, 1000)
