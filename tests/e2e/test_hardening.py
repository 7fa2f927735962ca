"""What an attacker or a careless customer tries, and what the bot does: long and marked-up text reaches staff
whole, an invoice paid twice at once charges once, forged and out-of-range buttons learn nothing, every press
is answered once, a top-up cannot be made smaller than the rules, commands leave a code prompt, and an
unreadable notification does not break the inbox."""

from __future__ import annotations

import asyncio
from collections import Counter

import pytest

from domain.models import Notification, Payment, PaymentCharge, TicketMessage
from domain.security import MAX_FAILURES
from domain.tickets import BODY_MAX
from handlers.billing import InvoiceCb
from handlers.cart import CartCb
from handlers.common.ui import TopupCb
from handlers.settings import SettingsCb
from sandbox import FloodLimits, Sandbox
from sandbox.models import Payment as SandboxPayment
from tests.e2e.conftest import make_settings
from tests.e2e.flows import GROUP, buy, count, enable, eventually, file_ticket, press, rows, topic_texts

NOT_FOUND = "Not found. It may have been removed, or it is not yours."


@pytest.fixture
async def sandbox():
    async with Sandbox(host="127.0.0.1", port=0, bot_username="client_area_bot", bot_first_name="Client Area",
                       flood_limits=FloodLimits.off()) as sb:
        yield sb


@pytest.fixture
def settings(sandbox, db_url, redis_url, tmp_path):
    return make_settings(sandbox, db_url, redis_url, tmp_path, staff_chat_id=GROUP, scheduler_enabled=False)


@pytest.mark.parametrize("body", ["&" * BODY_MAX, "<b>" * 700 + "x" * 1000, "é" * 2600])
async def test_a_ticket_at_its_length_limit_reaches_staff_whole(ann, group, running, sandbox, body) -> None:
    await ann.send("/start")
    await file_ticket(ann, "Long one", body)
    assert "Ticket #1 is filed." in ann.screen.text
    topic = group.topic("❗ #1 Long one")
    await eventually(lambda: len(topic_texts(group, topic)) >= 2)
    relayed = topic_texts(group, topic)[1]
    assert relayed.endswith(body), "the customer's text reaches staff in full"
    [message] = [m for m in await rows(running, TicketMessage) if m.author == "customer"]
    assert message.text == body and message.relayed_at is not None
    sandbox.assert_no_bot_errors()


async def test_one_past_the_limit_is_refused_with_the_limit_and_nothing_is_filed(ann, group, running) -> None:
    await ann.send("/support")
    await ann.press("✍️ New ticket")
    await ann.press("Billing")
    await ann.send("Too long")
    await ann.send("x" * (BODY_MAX + 1))
    assert "3500" in ann.screen.text
    await ann.send("x" * BODY_MAX)
    assert await count(running, TicketMessage) == 0  # not filed before Send
    await ann.press("📨 Send ticket")
    assert await count(running, TicketMessage) == 1


async def test_staff_news_longer_than_fluent_takes_is_previewed(ann, sam, group, running, sandbox) -> None:
    await ann.send("/start")
    text = "Maintenance tonight & tomorrow. " * 90  # ~2,900 characters
    await sam.send(f"/news {text}", chat_id=GROUP)
    preview = group.bot_messages()[-1]
    assert text.strip()[:200] in preview.text
    sandbox.assert_no_bot_errors()


async def test_an_invoice_paid_twice_at_once_is_charged_once(ann, running) -> None:
    await ann.send("/start")
    for round_ in range(3):
        await ann.send("/menu")
        await ann.press("💰 Billing")
        await ann.press("➕ Top up")
        await ann.press(next(b for b in ann.screen.button_texts if "10" in b))
        invoice = ann.screen
        first, second = await asyncio.gather(ann.pay(invoice), ann.pay(invoice))
        assert sorted([first.status, second.status]) == ["declined", "paid"], round_
        declined = first if first.status == "declined" else second
        assert "being paid right now" in declined.error_message
    assert await count(running, PaymentCharge) == 3
    async with running.app.domain() as domain:
        assert await domain.ledger.balance(1001) == 3 * 1000


async def test_a_second_charge_is_credited_and_staff_can_refund_it(ann, sam, group, running, sandbox) -> None:
    """Telegram reporting a second successful payment for a paid invoice: the money is not lost, staff are
    told with the charge id, and /refund with it gives it back."""
    await ann.send("/start")
    await ann.send("/menu")
    await ann.press("💰 Billing")
    await ann.press("➕ Top up")
    await ann.press(next(b for b in ann.screen.button_texts if "10" in b))
    paid = await ann.pay()
    assert paid.status == "paid"
    # The first charge again but under another id: what a double payment looks like to the bot.
    update = sandbox.world.updates.history[paid.update_id]
    payload = update["message"]["successful_payment"]
    sandbox.world.payments["stxt-second"] = SandboxPayment(
        "stxt-second", "prv-second", 1001, 1001, payload["currency"], payload["total_amount"],
        payload["invoice_payload"])
    sandbox.world.push_update("message", {**update["message"], "successful_payment": {
        **payload, "telegram_payment_charge_id": "stxt-second"}})
    await eventually(lambda: any("second payment" in (m.text or "") for m in group.bot_messages()))
    assert "stxt-second" in group.bot_messages()[-1].text
    async with running.app.domain() as domain:
        assert await domain.ledger.balance(1001) == 2000
    assert "already been paid" in ann.bot_messages[-1].text or "already paid" in ann.bot_messages[-1].text
    await sam.send("/refund stxt-second", chat_id=GROUP)
    await sam.press("↩️ Refund €10.00", message=group.bot_messages()[-1])
    async with running.app.domain() as domain:
        assert await domain.ledger.balance(1001) == 1000
    [first, second] = await rows(running, PaymentCharge)
    assert (first.outcome, second.outcome, second.refunded_at is not None) == ("applied", "extra", True)


@pytest.mark.parametrize("data", [
    "sv:d:2147483648:0:0", "sv:d:9223372036854775808:0:0", "sv:d:-99999999999:0:0", "c:pay:0:0:x:4294967296",
    "t:99999999999:1:0:", "iv:view:18446744073709551616:0:0"])
async def test_out_of_range_ids_in_buttons_are_not_found(ann, running, sandbox, data) -> None:
    await ann.send("/start")
    await buy(running, 1001)
    await press(ann, data)
    assert ann.bot_messages[-1].text == NOT_FOUND
    sandbox.assert_no_bot_errors()


def answers_per_press(sandbox) -> Counter:
    return Counter(c.params.get("callback_query_id") for c in sandbox.calls("answerCallbackQuery"))


async def test_every_refusal_answers_the_press_exactly_once(ann, ivan, running, sandbox) -> None:
    await ann.send("/start")
    await ivan.send("/start")
    async with running.app.domain() as domain:
        invoice = await domain.invoices.issue_topup(1001, None, 5000)
        foreign = await domain.payers.create(1002, "individual", {"name": "Иван Петров", "country": "RU"})
    await press(ann, InvoiceCb(action="cancel-yes", id=invoice.id))
    await press(ann, InvoiceCb(action="cancel-yes", id=invoice.id))  # cancelled already
    await ann.send("/start")
    await buy(running, 1001)  # something in the balance's history, and a cart to pay
    async with running.app.domain() as domain:
        tariff = next(t for t in await domain.catalogue.tariffs("ispmanager") if t.code == "lite")
        await domain.orders.add_to_cart(1001, tariff.id, 1, {"ip": "8.8.8.8"})
        revision = (await domain.orders.cart(1001)).revision
    await press(ann, CartCb(action="pay", rev=revision, payer=foreign.id))  # another customer's payer
    assert set(answers_per_press(sandbox).values()) == {1}
    sandbox.assert_no_bot_errors()


async def test_a_top_up_cannot_be_sized_by_the_button(ann, running, sandbox) -> None:
    await ann.send("/start")
    await press(ann, TopupCb(amount=1, then=1))  # "exact shortfall" of an empty cart
    assert await count(running, Payment) == 0
    async with running.app.domain() as domain:
        tariff = next(t for t in await domain.catalogue.tariffs("ispmanager") if t.code == "lite")
        await domain.orders.add_to_cart(1001, tariff.id, 1, {"ip": "8.8.8.8"})
        view = await domain.orders.cart(1001)
    await press(ann, TopupCb(amount=1, then=1, rev=view.revision))
    [payment] = await rows(running, Payment)
    assert payment.amount == view.total  # what the cart lacks, not what the button said
    await press(ann, TopupCb(amount=1))  # a preset below the minimum
    assert ann.last_callback_answer.text == "The smallest top-up is €5.00."
    assert await count(running, Payment) == 1
    sandbox.assert_no_bot_errors()


async def test_commands_leave_a_code_prompt_without_counting(ann, running, clock) -> None:
    await ann.send("/start")
    await enable(ann, clock)
    await press(ann, SettingsCb(action="email"))  # guarded: asks for a code
    assert "code" in ann.screen.text
    await ann.send("/settings")
    assert "🔐 Two-step authentication" in ann.screen.text or "Settings" in ann.screen.text
    await press(ann, SettingsCb(action="email"))
    await ann.send("hello")
    assert ann.screen.text.startswith("Send the 6-digit code")
    async with running.app.domain() as domain:
        assert (await domain.security.status(1001)).locked_until is None
    # the slips did not count: five wrong codes still to go before a lock
    await ann.send("000000" if True else "")
    assert f"{MAX_FAILURES - 1}" in ann.screen.text


async def test_an_unreadable_notification_does_not_hide_the_others(ann, running) -> None:
    await ann.send("/start")
    async with running.app.domain() as domain:
        await domain.notifications.notify(1001, category="news", key="topup-credited-note", push=False,
                                          args={"amount": {"$type": "money", "minor": 100, "currency": "EUR"}})
        await domain.notifications.notify(1001, category="news", key="topup-credited-note", push=False,
                                          args={"nothing": 1})  # its message needs an amount
    await ann.send("/support")
    await ann.press(next(b for b in ann.screen.button_texts if b.startswith("🔔")))
    buttons = ann.screen.button_texts
    assert any("Payment received: €1.00" in b for b in buttons)
    assert any("cannot be shown" in b for b in buttons)
    assert await count(running, Notification) == 2
