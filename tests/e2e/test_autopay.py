"""Automatic payments end to end against the local fake of Stripe: a renewal shortfall charged off-session to the
saved card and the service renewed, a short cart paid the same way, a declined card notifying with a manual top-up
and turning automatic payments off after N declines, and the monthly limit."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from domain.models import AutopayCharge, LedgerEntry, Order, Service
from tests.e2e.conftest import make_settings
from tests.e2e.flows import COMPANY, PRO_MONTH, buy, current, deliver, jobs, order_licence, pushes, rows
from tests.fakes.stripe_e2e import add_card, stripe_settings

DECLINED = "4000000000000002"


@pytest.fixture
def settings(sandbox, db_url, redis_url, tmp_path, fake):
    return make_settings(sandbox, db_url, redis_url, tmp_path, **stripe_settings(fake, autopay_max_failures=2))


async def turn_on(customer, limit: str) -> None:
    await customer.send("/menu")
    await customer.press("💰 Billing")
    await customer.press("🔁 Automatic payments")
    assert customer.screen.text.startswith("🔁 Automatic payments: off")
    await customer.press("✅ Turn on")
    await customer.send(limit)


async def test_a_renewal_shortfall_is_charged_to_the_card_and_the_service_renewed(ann, running, clock,
                                                                                   webhook) -> None:
    fake = webhook
    await ann.send("/start")
    await add_card(ann, fake, running, clock)
    await turn_on(ann, "abc")
    assert ann.bot_messages[-1].text.startswith("“abc” is not an amount.")
    await ann.send("50")
    assert ann.screen.text.startswith("✅ Automatic payments are on.")
    assert "Card: Visa •••• 4242\nMonthly limit: €50.00 (used this month: €0.00)" in ann.screen.text

    sid = await buy(running, 1001, months=1, name="web-1", auto_renew=True)  # the balance is empty afterwards
    clock.move(days=28)  # 2 days before expiry: inside the auto-renewal window
    run = await jobs(running).auto_renewal()
    assert (run.renewed, run.autopay["charged"]) == (1, 1)
    assert len(fake.charges) == 1
    intent = fake.charges[0]
    assert (intent["amount"], intent["currency"], intent["off_session"], intent["status"]) == (
        PRO_MONTH, "eur", True, "succeeded")
    assert intent["idempotency_key"] == f"autopay:renewal:{sid}:20261226:20261224"
    entries = await rows(running, LedgerEntry, LedgerEntry.user_id == 1001, LedgerEntry.kind != "adjustment")
    assert [(e.kind, e.amount, e.reference) for e in entries] == [
        ("charge", -PRO_MONTH, "order:1:1"), ("topup", PRO_MONTH, "autopay:1"),
        ("charge", -PRO_MONTH, f"renewal:{sid}:20261226")]
    async with running.sessions() as session:
        assert (await session.get(Service, sid)).expires_at == clock.now().replace(month=1, year=2027, day=26)

    # The sweep again (another hour, another instance): nothing more is charged.
    again = await jobs(running).auto_renewal()
    assert (again.renewed, again.autopay.get("charged")) == (0, 0)
    assert len(fake.charges) == 1
    await deliver(running, clock)
    texts = [m.text for m in ann.bot_messages]
    assert "💳 €12.90 charged to Visa •••• 4242 for the renewal of web-1." in texts
    await ann.send("/menu")
    await ann.press("💰 Billing")
    await ann.press("🔁 Automatic payments")
    assert "(used this month: €12.90)" in ann.screen.text


async def test_a_short_cart_is_paid_with_the_card(ann, running, clock, webhook) -> None:
    fake = webhook
    await ann.send("/start")
    await add_card(ann, fake, running, clock)
    await turn_on(ann, "200")
    async with running.app.domain() as domain:
        await domain.ledger.post(1001, "adjustment", 3158, "test:gift")
        payer = await domain.payers.create(1001, "legal", COMPANY)
    await order_licence(ann)
    await ann.press("🧺 Cart")
    pay = ann.screen
    pay_data = next(b.callback_data for row in pay.buttons for b in row if b.text == "💳 Pay €131.58")
    await ann.press("💳 Pay €131.58")
    assert ann.screen.text.startswith("💳 €100.00 charged to Visa •••• 4242.\n\n✅ Paid — order #1, €131.58.")
    assert [c["amount"] for c in fake.charges] == [10000]
    # The old Pay button again: already paid, nothing charged.
    await ann.press(callback_data=pay_data, message=pay)
    assert ann.last_callback_answer.text == \
        "This cart was already paid on 26 Nov 2026, 09:00 (order #1): nothing was charged again."
    assert len(fake.charges) == 1
    entries = await rows(running, LedgerEntry, LedgerEntry.kind == "topup")
    assert [(e.amount, e.reference) for e in entries] == [(10000, "autopay:1")]
    async with running.app.domain() as domain:
        assert await domain.ledger.balance(1001) == 0
    [order] = await rows(running, Order)
    assert order.payer_id == payer.id  # the customer's (default) payer is on the order the card paid for


async def test_a_declined_card_notifies_and_turns_automatic_payments_off(ann, running, clock, webhook) -> None:
    fake = webhook
    await ann.send("/start")
    await add_card(ann, fake, running, clock, DECLINED)
    await turn_on(ann, "50")
    sid = await buy(running, 1001, months=1, name="web-1", auto_renew=True)
    clock.move(days=28)
    for _ in range(2):  # the same day twice: one attempt
        run = await jobs(running).auto_renewal()
    assert run.renewed == 0 and len(fake.charges) == 1
    await deliver(running, clock)
    failed = next(m for m in ann.bot_messages if (m.text or "").startswith("⚠️ Automatic payment of €12.90"))
    assert "for the renewal of web-1 failed: Visa •••• 0002 was declined." in failed.text
    assert failed.button_texts == ["💳 Top up €12.90"]
    # One notice for the failed renewal: the decline says it all, no second "could not be renewed".
    assert not [m for m in ann.bot_messages if "could not be renewed" in (m.text or "")]
    await ann.press("💳 Top up €12.90", message=failed)
    assert ann.screen.invoice["total_amount"] == 645  # the manual top-up: €12.90 in stars

    clock.move(days=1)
    await jobs(running).auto_renewal()
    assert len(fake.charges) == 2
    await deliver(running, clock)
    assert any((m.text or "").startswith("⏸ Automatic payments are now off after 2 declined charges to Visa •••• 0002.")
               for m in ann.bot_messages)
    clock.move(days=1)
    await jobs(running).auto_renewal()
    assert len(fake.charges) == 2  # off: no more attempts
    await deliver(running, clock)  # with the card off, the sweep's own notice is the one that tells
    renewal_failed = [m for m in ann.bot_messages if "could not be renewed" in (m.text or "")]
    assert len(renewal_failed) == 1
    assert renewal_failed[0].button_texts == ["💳 Top up €12.90", "🔄 Renew now"]
    charges = await rows(running, AutopayCharge)
    assert [(c.status, c.error) for c in charges] == [("failed", "card_declined")] * 2
    async with running.sessions() as session:
        service = await session.get(Service, sid)
        assert service.expires_at < clock.now() + timedelta(days=1)  # not renewed
    await ann.send("/menu")
    await ann.press("💰 Billing")
    await ann.press("🔁 Automatic payments")
    assert "Automatic payments: off" in ann.screen.text


async def test_the_monthly_limit_stops_a_charge(ann, running, clock, webhook) -> None:
    fake = webhook
    await ann.send("/start")
    await add_card(ann, fake, running, clock)
    await turn_on(ann, "10")
    await buy(running, 1001, months=1, name="web-1", auto_renew=True)
    clock.move(days=28)
    run = await jobs(running).auto_renewal()
    assert (run.renewed, run.autopay["limit"]) == (0, 1)
    assert fake.charges == []
    await deliver(running, clock)
    assert any((m.text or "").startswith("⚠️ An automatic payment of €12.90 would pass your monthly limit of €10.00")
               for m in ann.bot_messages)
    assert not [m for m in ann.bot_messages if "could not be renewed" in (m.text or "")]  # one notice a day
    clock.move(days=1)
    await jobs(running).auto_renewal()
    await deliver(running, clock)
    assert len([m for m in ann.bot_messages if "would pass your monthly limit" in (m.text or "")]) == 2
    assert not [m for m in ann.bot_messages if "could not be renewed" in (m.text or "")]


async def test_a_declined_card_at_checkout_leaves_the_usual_top_up(ann, running, clock, webhook) -> None:
    await ann.send("/start")
    await add_card(ann, webhook, running, clock, DECLINED)
    await turn_on(ann, "500")
    await order_licence(ann)
    await ann.press("🧺 Cart")
    await ann.press("💳 Pay €131.58")
    assert ann.screen.text.startswith("⚠️ The automatic payment to Visa •••• 0002 did not go through.")
    assert "Missing: €131.58" in ann.screen.text
    assert ann.screen.button_texts[0] == "Top up €131.58"
    assert len(webhook.charges) == 1 and webhook.charges[0]["status"] == "requires_payment_method"
    async with running.sessions() as session:
        assert list(await session.scalars(select(LedgerEntry))) == []


async def test_renew_now_with_a_short_balance_charges_the_card_once(ann, running, clock, webhook) -> None:
    fake = webhook
    await ann.send("/start")
    await add_card(ann, fake, running, clock)
    await turn_on(ann, "50")
    # No auto-renewal: the customer renews by hand; the balance is empty.
    sid = await buy(running, 1001, months=1, name="web-1")
    clock.move(days=16)
    await jobs(running).expiry()
    await deliver(running, clock)
    reminder = pushes(ann, "expires in 14 days")[-1]
    await ann.press("🔄 Renew now", message=reminder)
    offer = ann.screen
    assert "Automatic payments are on: €12.90 can be charged to Visa •••• 4242 now." in offer.text
    assert offer.button_texts[:2] == ["💳 Renew for €12.90 (card pays the rest)", "💳 Top up €12.90"]
    renew_data = offer.buttons[0][0].callback_data
    await ann.press("💳 Renew for €12.90 (card pays the rest)", message=offer)
    assert any(m.text.startswith("✅ web-1 renewed until 26 Jan 2027.") for m in ann.bot_messages)  # the receipt
    assert not current(ann, offer).buttons  # the offer it answers is spent
    assert [c["amount"] for c in fake.charges] == [PRO_MONTH]
    # The old button again, and the sweep for the same period: nothing more is charged.
    await ann.press(callback_data=renew_data, message=offer)
    assert "already been renewed" in ann.last_callback_answer.text
    clock.move(days=12)
    assert (await jobs(running).auto_renewal()).renewed == 0
    assert len(fake.charges) == 1
    entries = await rows(running, LedgerEntry, LedgerEntry.user_id == 1001, LedgerEntry.kind != "adjustment")
    assert [(e.kind, e.amount) for e in entries] == [
        ("charge", -PRO_MONTH), ("topup", PRO_MONTH), ("charge", -PRO_MONTH)]
    assert entries[-1].reference == f"renewal:{sid}:20261226"
