"""Ordering, the cart, checkout and top-ups through Telegram Payments, as a customer does them."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from domain.models import Balance, CartItem, LedgerEntry, Order, Payment, Service, ServiceEvent, Tariff
from handlers.billing.staff import MoneyAction, StaffMoneyCb
from handlers.cart import CartCb
from sandbox import SandboxConfig
from tests.e2e.conftest import make_settings
from tests.e2e.flows import PUBLIC_IP, credit, order_licence, order_ssl, rows


async def test_order_two_products_top_up_the_shortfall_with_stars_and_pay(ann, running, clock) -> None:
    await order_licence(ann)
    assert "Added to the cart. The cart has 1 item for €131.58." in ann.screen.text
    await order_ssl(ann)
    assert "The cart has 2 items for €146.58." in ann.screen.text

    await ann.press("🧺 Cart")
    cart = ann.screen.text
    assert "1. ispmanager licence — Pro, 12 months" in cart and f"web-1, {PUBLIC_IP}" in cart
    assert "2. SSL certificate — Domain validation (DV), 12 months" in cart and "пример.рф" in cart
    assert "Discount: −€23.22" in cart and "Total: €146.58" in cart

    await ann.press("💳 Pay €146.58")
    assert "Missing: €146.58" in ann.screen.text
    await ann.press("Top up €146.58")
    invoice = ann.screen
    assert invoice.invoice["currency"] == "XTR" and invoice.invoice["total_amount"] == 7329  # 50 stars per EUR

    result = await ann.pay()
    assert result.status == "paid"
    texts = [m.text for m in ann.bot_messages[-2:]]
    assert texts[0] == "✅ Payment received: €146.58 added. Balance: €146.58."
    assert texts[1].startswith("✅ Paid — order #1, €146.58. Balance: €0.00.")
    assert "Licence web-1 — until 26 Nov 2027" in texts[1] and "SSL certificate пример.рф" in texts[1]

    services = await rows(running, Service, Service.user_id == 1001)
    assert [(s.kind, s.status, s.period_months) for s in services] == [("licence", "active", 12), ("ssl", "active", 12)]
    assert all(s.expires_at == clock.now().replace(year=2027) for s in services)
    assert services[1].domain == "xn--e1afmkfd.xn--p1ai" and services[0].ip_address == PUBLIC_IP
    key = running.app.context.cipher.decrypt_text(services[0].activation_key)  # stored encrypted
    assert len(key) == 23 and key.count("-") == 3 and key.encode() not in services[0].activation_key
    entries = await rows(running, LedgerEntry, LedgerEntry.user_id == 1001)
    assert sorted((e.kind, e.amount) for e in entries) == [("charge", -13158), ("charge", -1500), ("topup", 14658)]
    assert len(await rows(running, ServiceEvent)) == 2
    assert await rows(running, CartItem) == []
    assert [b.amount for b in await rows(running, Balance)] == [0]

    await ann.send("/menu")
    await ann.press("💰 Billing")
    assert "Balance: €0.00" in ann.screen.text
    await ann.press("Expenses")
    expenses = ann.screen.text
    assert "−€131.58" in expenses and "−€15.00" in expenses and "#1 Pro web-1" in expenses
    assert "26 Nov 2026, 09:00" in expenses
    await ann.press("« Back")
    await ann.press("Payments")
    assert "+€146.58" in ann.screen.text


@pytest.fixture
def settings(sandbox, db_url, redis_url, tmp_path, request):
    extra = getattr(request, "param", {})
    return make_settings(sandbox, db_url, redis_url, tmp_path, **extra)


PROVIDER = {"payments_provider": "telegram-provider", "payment_provider_token": "284685063:TEST:sandbox"}


@pytest.mark.parametrize("settings", [PROVIDER], indirect=True)
async def test_provider_invoice_tops_up_and_pays(ivan, running) -> None:
    await ivan.send("/start")
    await order_licence_ru(ivan)
    await ivan.press("🧺 Корзина")
    assert "Скидка: −7,74\xa0€" in ivan.screen.text and "Итого: 69,66\xa0€" in ivan.screen.text
    await ivan.press("💳 Оплатить 69,66\xa0€")
    assert "Не хватает: 69,66\xa0€" in ivan.screen.text
    await ivan.press("Пополнить на 69,66\xa0€")
    assert ivan.screen.invoice["currency"] == "EUR" and ivan.screen.invoice["total_amount"] == 6966
    assert (await ivan.pay()).status == "paid"
    assert ivan.bot_messages[-1].text.startswith("✅ Оплачено — заказ #1, 69,66\xa0€.")
    payments = await rows(running, Payment)
    assert [(p.method, p.status, p.amount, p.invoice_currency) for p in payments] == [
        ("telegram-provider", "paid", 6966, "EUR")]


async def order_licence_ru(customer) -> None:
    await customer.send("/menu")
    await customer.press("🛒 Заказать")
    await customer.press("Лицензия ispmanager")
    await customer.press(next(b for b in customer.screen.button_texts if b.startswith("Pro")))
    await customer.press(next(b for b in customer.screen.button_texts if b.startswith("6 месяцев")))
    await customer.press("Пропустить")
    await customer.send("1.1.1.1")
    await customer.press("✅ В корзину")


async def test_a_double_pay_charges_once(ann, running, sandbox) -> None:
    await ann.send("/start")
    await credit(running, 1001, 100_000, "test:gift")
    await order_licence(ann, months="1 month")
    await order_ssl(ann)
    await ann.press("🧺 Cart")
    cart = ann.screen
    first = await ann.press("💳 Pay €27.90", message=cart, wait=False)
    second = await ann.press("💳 Pay €27.90", message=cart, wait=False)
    await sandbox.wait(first)
    await sandbox.wait(second)
    assert len(await rows(running, Order)) == 1
    charges = await rows(running, LedgerEntry, LedgerEntry.kind == "charge")
    assert sorted(e.amount for e in charges) == [-1500, -1290]
    assert [b.amount for b in await rows(running, Balance)] == [100_000 - 2790]
    assert ann.screen.text.startswith("✅ Paid — order #1, €27.90.")  # the receipt, nothing pushed over it
    assert ann.last_callback_answer.text == \
        "This cart was already paid on 26 Nov 2026, 09:00 (order #1): nothing was charged again."


async def test_a_forged_callback_for_another_customers_item_changes_nothing(ann, running, sandbox) -> None:
    bob = await sandbox.user(id=1005, first_name="Bob", language_code="en")
    await order_licence(bob)
    bobs_item = (await rows(running, CartItem, CartItem.user_id == 1005))[0]
    await order_ssl(ann)
    await ann.press("🧺 Cart")
    forged = CartCb(action="rm", item=bobs_item.id).pack()
    await ann.press(callback_data=forged, message=ann.screen)
    assert "Not found" in ann.bot_messages[-1].text
    assert [i.id for i in await rows(running, CartItem, CartItem.user_id == 1005)] == [bobs_item.id]
    assert len(await rows(running, CartItem, CartItem.user_id == 1001)) == 1
    forged_period = CartCb(action="setper", item=bobs_item.id, months=1).pack()
    await ann.press(callback_data=forged_period, message=ann.screen)
    assert (await rows(running, CartItem, CartItem.user_id == 1005))[0].months == 12


@pytest.fixture
async def sandbox(request):
    """The sandbox; `indirect` parametrization sets how long the bot has to answer a pre-checkout query."""
    from sandbox import Sandbox

    config = SandboxConfig(pre_checkout_timeout=getattr(request, "param", 10.0))
    async with Sandbox(host="127.0.0.1", port=0, bot_username="client_area_bot", config=config) as sb:
        yield sb


@pytest.mark.parametrize("sandbox", [0.5], indirect=True)
async def test_a_late_pre_checkout_answer_credits_nothing(ann, running, sandbox) -> None:
    await ann.send("/menu")
    await ann.press("💰 Billing")
    await ann.press("➕ Top up")
    await ann.press("€10.00")
    sandbox.faults.add(method="answerPreCheckoutQuery", latency=1.0, count=1)
    result = await ann.pay()
    assert result.status == "timeout"
    await sandbox.settle()
    assert await rows(running, LedgerEntry) == []
    assert [p.status for p in await rows(running, Payment)] == ["pending"]
    # The same invoice can still be paid properly afterwards.
    assert (await ann.pay()).status == "paid"
    assert [e.amount for e in await rows(running, LedgerEntry)] == [1000]


async def test_a_duplicated_successful_payment_credits_once(ann, running, sandbox) -> None:
    await ann.send("/menu")
    await ann.press("💰 Billing")
    await ann.press("➕ Top up")
    await ann.press("€25.00")
    result = await ann.pay()
    assert result.status == "paid"
    await sandbox.redeliver(result.update_id)
    entries = await rows(running, LedgerEntry)
    assert [(e.kind, e.amount) for e in entries] == [("topup", 2500)]
    assert [b.amount for b in await rows(running, Balance)] == [2500]
    credited = [m for m in ann.bot_messages if (m.text or "").startswith("✅ Payment received")]
    assert len(credited) == 1


async def test_a_custom_amount_is_checked(ann, running) -> None:
    await ann.send("/menu")
    await ann.press("💰 Billing")
    await ann.press("➕ Top up")
    await ann.press("Another amount")
    await ann.send("lots")
    assert ann.screen.text == "“lots” is not an amount. Send a number, e.g. 25 or 12.50."
    await ann.send("2")
    assert ann.screen.text == "The smallest top-up is €5.00."
    await ann.send("12,345")
    assert ann.screen.text.startswith("“12,345” is not an amount")
    await ann.send("12,50")
    assert ann.screen.invoice["total_amount"] == 625
    assert await rows(running, LedgerEntry) == []


async def test_wizard_refuses_bad_addresses_keeps_what_was_entered_and_goes_back(ann, running) -> None:
    await ann.send("/menu")
    await ann.press("🛒 Order")
    await ann.press("ispmanager licence")
    await ann.press(next(b for b in ann.screen.button_texts if b.startswith("Lite")))
    await ann.press(next(b for b in ann.screen.button_texts if b.startswith("3 months")))
    await ann.send("db <b>1</b>")
    # Each refusal is two messages; four stay within a private chat's burst (every rule has a unit test).
    for bad, reason in [("10.0.0.5", "is a private address"), ("127.0.0.1", "loopback"),
                        ("300.1.1.1", "is not an IPv4 address"), ("2001:db8::1", "IPv6")]:
        await ann.send(bad)
        assert reason in ann.bot_messages[-2].text, bad
        assert ann.screen.text.startswith("Send the public IPv4 address")
    await ann.press("« Back")
    assert "Current name: db &lt;b&gt;1&lt;/b&gt;" in ann.screen.html
    await ann.press("Skip")
    await ann.send("8.8.8.8")
    summary = ann.screen.text
    assert "Period: 3 months" in summary and "IP address: 8.8.8.8" in summary
    assert "Discount: −€0.89" in summary and "Total: €16.81" in summary  # 5 % of €17.70, rounded half up
    await ann.press("« Back")
    await ann.press("« Back")
    await ann.press("« Back")
    assert ann.screen.text.startswith("ispmanager licence Lite — choose the period")
    await ann.send("/cancel")
    assert ann.messages[-1].text.startswith("Cancelled. Nothing was changed.\n\n")
    await ann.press("🛒 Order")
    await ann.press("SSL certificate")
    await ann.press(next(b for b in ann.screen.button_texts if b.startswith("Domain validation")))
    await ann.press(next(b for b in ann.screen.button_texts if b.startswith("12 months")))
    await ann.press("✖ Cancel")
    assert ann.screen.text.startswith("Cancelled. Nothing was changed.\n\nClient area")
    await ann.send("example.com")  # the dialog is over: this is just text now
    assert ann.bot_messages[-1].text.startswith("I did not understand that")
    assert await rows(running, CartItem) == []


async def test_ssl_wildcard_rules(ann, running) -> None:
    await ann.send("/menu")
    await ann.press("🛒 Order")
    await ann.press("SSL certificate")
    await ann.press(next(b for b in ann.screen.button_texts if b.startswith("Domain validation")))
    await ann.press(next(b for b in ann.screen.button_texts if b.startswith("12 months")))
    await ann.send("*.example.com")
    assert "choose the Wildcard tariff" in ann.bot_messages[-2].text
    await ann.send("https://example.com/path")
    assert "without http://" in ann.bot_messages[-2].text
    await ann.send("exa_mple.com")
    assert "not a valid domain name" in ann.bot_messages[-2].text
    await ann.send("Example.COM")
    assert "Domain: example.com" in ann.screen.text
    await ann.press("« Back")  # to the domain
    await ann.press("« Back")  # to the period
    await ann.press("« Back")  # to the tariff
    await ann.press(next(b for b in ann.screen.button_texts if b.startswith("Wildcard")))
    await ann.press(next(b for b in ann.screen.button_texts if b.startswith("12 months")))
    await ann.send("example.com")
    assert "needs a name starting with *." in ann.bot_messages[-2].text
    await ann.send("a.*.example.com")
    assert "needs a name starting with *." in ann.bot_messages[-2].text
    await ann.send("*.sub.example.com")
    assert "Domain: *.sub.example.com" in ann.screen.text and "Total: €99.00" in ann.screen.text


async def test_module_needs_an_own_licence(ann, running, clock) -> None:
    await ann.send("/menu")
    await ann.press("🛒 Order")
    await ann.press("Module for a licence")
    await ann.press(next(b for b in ann.screen.button_texts if b.startswith("Softaculous")))
    await ann.press(next(b for b in ann.screen.button_texts if b.startswith("1 month")))
    assert ann.screen.text.startswith("A module is installed on one of your ispmanager licences")
    await credit(running, 1001, 50_000, "test:gift")
    await order_licence(ann, tariff="Lite", months="1 month")
    # The licence waits in the cart: the module screen says to pay the cart first, and leads there.
    await ann.send("/menu")
    await ann.press("🛒 Order")
    await ann.press("Module for a licence")
    await ann.press(next(b for b in ann.screen.button_texts if b.startswith("Softaculous")))
    await ann.press(next(b for b in ann.screen.button_texts if b.startswith("1 month")))
    assert "Your licence is still in the cart: pay the cart" in ann.screen.text
    assert await rows(running, Service) == []
    await ann.press("🧺 Cart")
    await ann.press("💳 Pay €5.90")
    licence = (await rows(running, Service))[0]
    await ann.send("/menu")
    await ann.press("🛒 Order")
    await ann.press("Module for a licence")
    await ann.press(next(b for b in ann.screen.button_texts if b.startswith("Softaculous")))
    await ann.press(next(b for b in ann.screen.button_texts if b.startswith("1 month")))
    await ann.press(f"#{licence.id} web-1 {PUBLIC_IP}")
    assert f"For licence #{licence.id}" in ann.screen.text
    await ann.press("✅ To cart")
    await ann.press("🧺 Cart")
    await ann.press("💳 Pay €2.90")
    module = (await rows(running, Service, Service.kind == "module"))[0]
    assert module.parent_id == licence.id
    assert module.expires_at - clock.now() == timedelta(days=30)


async def test_cart_survives_a_restart_and_items_can_be_changed(ann, running) -> None:
    await order_licence(ann)
    await order_ssl(ann)
    await running.restart()
    await ann.send("/menu")
    await ann.press("🧺 Cart")
    assert "Total: €146.58" in ann.screen.text
    await ann.press("✏ Period 1")
    await ann.press(next(b for b in ann.screen.button_texts if b.startswith("1 month")))
    assert "Total: €27.90" in ann.screen.text
    await ann.press("✖ 2")
    assert "Removed from the cart." in ann.screen.text and "Total: €5.90" not in ann.screen.text
    assert "Total: €12.90" in ann.screen.text
    await ann.press("🗑 Clear the cart")
    await ann.press("No, keep it")
    assert "Total: €12.90" in ann.screen.text
    await ann.press("🗑 Clear the cart")
    await ann.press("Yes, clear it")
    assert "Your cart is empty." in ann.screen.text
    async with running.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(CartItem)) == 0


STAFF_CHAT = -1001000000009


@pytest.mark.parametrize("settings", [{"staff_chat_id": STAFF_CHAT}], indirect=True)
async def test_staff_refund_a_stars_payment(ann, running, sandbox) -> None:
    from domain.models import Notification

    sam = await sandbox.user(id=2001, first_name="Sam", username="sam")
    staff = await sandbox.group(id=STAFF_CHAT, title="Support", forum=True, members=[sam], admins=[sam],
                                bot_rights={"can_manage_topics": True})
    await ann.send("/menu")
    await ann.press("💰 Billing")
    await ann.press("➕ Top up")
    await ann.press("€10.00")
    paid = await ann.pay()
    charge = paid.telegram_payment_charge_id

    await ann.send(f"/refund {charge}")  # customers cannot refund themselves
    await sam.send("/refund", chat_id=STAFF_CHAT)
    assert staff.bot_messages()[-1].text == "Usage: /refund <telegram_payment_charge_id>"
    await sam.send(f"/refund {charge}", chat_id=STAFF_CHAT)
    # First what it will do, and nothing moved yet.
    confirm = staff.bot_messages()[-1]
    assert confirm.text == (f"↩️ Refund 500 ⭐ to customer 1001? €10.00 is taken off their balance and Telegram "
                            f"gives the Stars back. Charge id: {charge}")
    assert confirm.button_texts == ["↩️ Refund €10.00", "✖ Do nothing"]
    assert sandbox.calls("refundStarPayment") == [] and len(await rows(running, LedgerEntry)) == 1
    await sam.press("↩️ Refund €10.00", message=confirm)
    assert confirm.text == "Refunded €10.00 to customer 1001; the ledger entry is written."
    assert confirm.button_texts == []
    assert [c.params["telegram_payment_charge_id"] for c in sandbox.calls("refundStarPayment")] == [charge]
    entries = await rows(running, LedgerEntry)
    assert sorted((e.kind, e.amount) for e in entries) == [("refund", -1000), ("topup", 1000)]
    assert [p.status for p in await rows(running, Payment)] == ["refunded"]
    assert [b.amount for b in await rows(running, Balance)] == [0]
    notes = await rows(running, Notification, Notification.user_id == 1001)
    assert "refund-customer" in [n.key for n in notes]

    await sam.send(f"/refund {charge}", chat_id=STAFF_CHAT)
    assert staff.bot_messages()[-1].text == "This payment has already been refunded."
    # The confirm button pressed again later (an old client still shows it): nothing moves twice.
    refund_data = StaffMoneyCb(action=MoneyAction.REFUND, id=1).pack()
    await sam.press(message=confirm, callback_data=refund_data)
    assert sam.last_callback_answer.text == "This payment has already been refunded."
    assert len(await rows(running, LedgerEntry)) == 2 and len(sandbox.calls("refundStarPayment")) == 1
    assert [b.amount for b in await rows(running, Balance)] == [0]


@pytest.mark.parametrize("settings", [{"staff_chat_id": STAFF_CHAT}], indirect=True)
async def test_staff_refund_pressed_twice_at_once_or_dropped_moves_money_once(ann, running, sandbox) -> None:
    sam = await sandbox.user(id=2001, first_name="Sam", username="sam")
    staff = await sandbox.group(id=STAFF_CHAT, title="Support", forum=True, members=[sam], admins=[sam],
                                bot_rights={"can_manage_topics": True})
    await ann.send("/menu")
    await ann.press("💰 Billing")
    await ann.press("➕ Top up")
    await ann.press("€10.00")
    charge = (await ann.pay()).telegram_payment_charge_id
    await sam.send(f"/refund {charge}", chat_id=STAFF_CHAT)
    dropped = staff.bot_messages()[-1]
    await sam.press("✖ Do nothing", message=dropped)
    assert dropped.text == "Nothing was done." and dropped.button_texts == []
    assert sandbox.calls("refundStarPayment") == [] and len(await rows(running, LedgerEntry)) == 1
    await sam.send(f"/refund {charge}", chat_id=STAFF_CHAT)
    confirm = staff.bot_messages()[-1]
    data = StaffMoneyCb(action=MoneyAction.REFUND, id=1).pack()
    await asyncio.gather(sam.press(message=confirm, callback_data=data),
                         sam.press(message=confirm, callback_data=data))
    # An old confirmation of the same charge, pressed after: refused too.
    await sam.press(message=dropped, callback_data=data)
    assert sam.last_callback_answer.text == "This payment has already been refunded."
    assert len(sandbox.calls("refundStarPayment")) == 1
    assert sorted(e.amount for e in await rows(running, LedgerEntry)) == [-1000, 1000]


async def test_billing_lists_and_exports_a_month(ann, running, clock) -> None:
    await ann.send("/start")
    await credit(running, 1001, 5_000, "test:welcome")
    await order_licence(ann, tariff="Lite", months="1 month")
    await ann.press("🧺 Cart")
    await ann.press("💳 Pay €5.90")
    # The receipt offers the licence's key; its notice waits in the inbox, not pushed over the receipt.
    assert ann.screen.text.startswith("✅ Paid — order #1")
    assert ann.screen.button_texts[0] == "🔑 Key of licence #1 web-1"
    clock.move(days=3)
    await ann.send("/menu")
    await ann.press("💰 Billing")
    await ann.press("➕ Top up")
    await ann.press("€10.00")
    paid = await ann.pay()
    await ann.send("/menu")
    await ann.press("💰 Billing")
    assert "Balance: €54.10" in ann.screen.text
    await ann.press("Payments")
    assert "29 Nov 2026, 09:00  +€10.00  Top-up" in ann.screen.text
    # The charge id support refunds by, for the customer to quote.
    assert f"↳ Telegram charge id: {paid.telegram_payment_charge_id}" in ann.screen.text
    assert "Adjustment" not in ann.screen.text  # payments are top-ups and refunds
    await ann.press("« Back")
    await ann.press("📄 Export a month (CSV)")
    assert "November 2026" in ann.screen.button_texts and "2026-11" not in ann.screen.button_texts
    await ann.press("November 2026")
    document = ann.screen
    assert document.document["file_name"] == "ledger-2026-11.csv"
    assert document.caption == "Ledger for November 2026: 3 entries."
    lines = document.file_bytes().decode("utf-8-sig").splitlines()
    assert lines[0] == "date,kind,amount,currency,service,reference"
    assert lines[1].startswith("2026-11-26T09:00:00+00:00,adjustment,50.00,EUR,,test:welcome")
    assert lines[2].startswith("2026-11-26T09:00:00+00:00,charge,-5.90,EUR,#1 Lite web-1,order:1:1")
    assert lines[3] == f"2026-11-29T09:00:00+00:00,topup,10.00,EUR,,tg:{paid.telegram_payment_charge_id}"


async def test_the_same_cart_bought_twice_is_two_orders(ann, running) -> None:
    await ann.send("/start")
    await credit(running, 1001, 10_000, "test:gift")
    for number in (1, 2):
        await order_licence(ann, tariff="Lite", months="1 month")
        await ann.press("🧺 Cart")
        await ann.press("💳 Pay €5.90")
        assert ann.screen.text.startswith(f"✅ Paid — order #{number}, €5.90.")  # the receipt, nothing pushed over it
    assert len(await rows(running, Service)) == 2


async def test_export_months_are_named_in_russian(ivan, running) -> None:
    await ivan.send("/start")
    await credit(running, 1002, 5_000, "test:welcome")
    await ivan.send("/menu")
    await ivan.press("💰 Финансы")
    await ivan.press("📄 Выгрузить месяц (CSV)")
    assert ivan.screen.button_texts[0] == "Ноябрь 2026"
    await ivan.press("Ноябрь 2026")
    assert ivan.screen.caption.startswith("Операции за ноябрь 2026: 1 ")


async def test_expenses_keep_the_name_and_tariff_of_the_purchase(ann, running) -> None:
    await ann.send("/start")
    await credit(running, 1001, 5_000, "test:welcome")
    await order_licence(ann, tariff="Lite", months="1 month")
    await ann.press("🧺 Cart")
    await ann.press("💳 Pay €5.90")
    [entry] = await rows(running, LedgerEntry, LedgerEntry.kind == "charge")
    assert entry.label == "web-1" and entry.tariff_id is not None
    # The service is renamed and moved to another tariff afterwards: the expense still reads as bought.
    async with running.sessions() as session, session.begin():
        service = await session.get(Service, entry.service_id)
        service.name = "renamed-later"
        other = await session.scalar(select(Tariff).where(Tariff.id != entry.tariff_id,
                                                          Tariff.product_code == service.product_code))
        service.tariff_id = other.id
    await ann.send("/menu")
    await ann.press("💰 Billing")
    await ann.press("Expenses")
    assert "#1 Lite web-1" in ann.screen.text and "renamed-later" not in ann.screen.text
