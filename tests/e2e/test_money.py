"""Money screens a customer can trust: an old button never repeats a payment, receipts stay, every screen shows
the price the cart charges, and a refund says what it did to the balance."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from domain.models import Balance, Invoice, LedgerEntry, Order, Payment, Service, ServiceEvent
from tests.e2e.conftest import make_settings
from tests.e2e.flows import (
    COMPANY,
    GROUP,
    buy,
    credit,
    current,
    deliver,
    eventually,
    one,
    open_licence,
    order_licence,
    order_ssl,
    rows,
    starting,
)


@pytest.fixture
def settings(sandbox, db_url, redis_url, tmp_path, request):
    return make_settings(sandbox, db_url, redis_url, tmp_path, **getattr(request, "param", {}))


async def money_state(running) -> tuple:
    """Everything a money action writes: compared before and after an old button is pressed again."""
    return (
        [(e.kind, e.amount, e.reference) for e in await rows(running, LedgerEntry)],
        [(p.id, p.status, p.amount) for p in await rows(running, Payment)],
        [(o.id, o.total) for o in await rows(running, Order)],
        [b.amount for b in await rows(running, Balance)],
    )


def data_of(message, label: str) -> str:
    return next(b.callback_data for row in message.buttons for b in row if b.text == label)


@pytest.mark.parametrize("settings", [{"staff_chat_id": GROUP}], indirect=True)
async def test_a_refund_tells_the_customer_only_what_it_did_to_the_balance(ann, sam, group, running,
                                                                           clock) -> None:
    await ann.send("/start")
    await credit(running, 1001, 500, "test:gift")
    await ann.send("/menu")
    await ann.press("💰 Billing")
    await ann.press("➕ Top up")
    await ann.press("€10.00")
    charge = (await ann.pay()).telegram_payment_charge_id
    await deliver(running, clock)
    before = len(ann.bot_messages)
    await sam.send(f"/refund {charge}", chat_id=GROUP)
    assert ann.bot_messages[before:] == []  # the command only asks staff to confirm
    await sam.press("↩️ Refund €10.00", message=group.bot_messages()[-1])
    await deliver(running, clock)
    after = [m.text for m in ann.bot_messages[before:]]
    assert after == ["↩️ Your payment of €10.00 has been refunded, so your balance went down by €10.00. "
                     "Balance now: €5.00."]
    assert [b.amount for b in await rows(running, Balance)] == [500]


async def test_an_old_pay_button_says_the_cart_was_paid_and_the_receipt_stays(ann, running) -> None:
    await ann.send("/start")
    await credit(running, 1001, 2_000, "test:gift")
    await order_licence(ann, tariff="Lite", months="1 month")
    await ann.press("🧺 Cart")
    cart = ann.screen
    pay = data_of(cart, "💳 Pay €5.90")
    await ann.press("💳 Pay €5.90")
    receipt = ann.screen
    assert receipt.text.startswith("✅ Paid — order #1, €5.90. Balance: €14.10.")
    # Navigating on from the receipt never edits it away.
    await ann.press("💰 Billing", message=receipt)
    await ann.press("Payments")
    assert current(ann, receipt).text == receipt.text
    assert ann.screen.message_id != receipt.message_id

    paid = await money_state(running)
    await ann.press(callback_data=pay, message=cart)
    assert ann.last_callback_answer.text == \
        "This cart was already paid on 26 Nov 2026, 09:00 (order #1): nothing was charged again."
    assert await money_state(running) == paid


async def test_an_old_cart_top_up_button_says_the_cart_was_paid(ann, running) -> None:
    await ann.send("/start")
    await order_licence(ann, tariff="Lite", months="1 month")
    await ann.press("🧺 Cart")
    await ann.press("💳 Pay €5.90")
    short = ann.screen
    topup = data_of(short, "Top up €5.90")
    await ann.press("Top up €5.90")
    await ann.pay()
    assert ann.bot_messages[-1].text.startswith("✅ Paid — order #1, €5.90.")

    paid = await money_state(running)
    await ann.press(callback_data=topup, message=short)
    assert ann.last_callback_answer.text == \
        "This cart was already paid on 26 Nov 2026, 09:00 (order #1): nothing was charged again."
    assert await money_state(running) == paid


async def test_a_discounted_customer_sees_one_price_from_the_order_to_the_charge(ann, running) -> None:
    await ann.send("/start promo_welcome10")
    await ann.press("✅ Apply the code")
    await ann.send("/menu")
    await ann.press("🛒 Order")
    await ann.press("SSL certificate")
    assert "Organisation validation (OV) · €116.10/year" in ann.screen.button_texts
    await ann.press(starting(ann, "Organisation validation (OV)"))
    periods = ann.screen.button_texts
    assert "12 months — €116.10" in periods  # €129.00 less the code's 10 %
    await ann.press(starting(ann, "12 months"))
    await ann.send("example.com")
    assert "Price: €129.00\nDiscount: −€12.90\n🎁 10 % (promo code WELCOME10): −€12.90\n<b>Total: €116.10</b>" \
        in ann.screen.html
    await ann.press("✅ To cart")
    await ann.press("🧺 Cart")
    assert "Total: €116.10" in ann.screen.text and "💳 Pay €116.10" in ann.screen.button_texts
    await ann.press("✏ Period 1")  # the change-period screen prices each period as the cart will
    assert ann.screen.button_texts[:2] == ["• 12 months — €116.10", "24 months — €208.98"]
    await ann.press("• 12 months — €116.10")
    await credit(running, 1001, 20_000, "test:gift")
    await ann.press("💳 Pay €116.10")
    assert [e.amount for e in await rows(running, LedgerEntry, LedgerEntry.kind == "charge")] == [-11610]


async def test_without_a_discount_the_summary_has_no_discount_line(ann, running) -> None:
    await order_licence(ann, tariff="Lite", months="1 month")
    await ann.press("🧺 Cart")
    await ann.send("/menu")
    await ann.press("🛒 Order")
    await ann.press("ispmanager licence")
    await ann.press(starting(ann, "Lite"))
    await ann.press(starting(ann, "1 month"))
    await ann.press("Skip")
    await ann.send("93.184.216.34")
    assert "Discount" not in ann.screen.text and "Price:" not in ann.screen.text
    assert ann.screen.text.endswith("Total: €5.90")


def pdf_text(message) -> str:
    reader = PdfReader(io.BytesIO(message.file_bytes()))
    return "\n".join(page.extract_text() for page in reader.pages).replace("\xa0", " ")


async def newest_document(customer):
    await eventually(lambda: customer.screen.document is not None)
    return customer.screen


@pytest.mark.parametrize("settings", [{"vendor_bank_details": "", "vat_rate_bp": 0}], indirect=True)
async def test_a_company_invoice_without_bank_details_or_vat_leaves_both_out(ann, running) -> None:
    await ann.send("/start")
    async with running.app.domain() as domain:
        await domain.payers.create(1001, "legal", COMPANY)
    await ann.send("/menu")
    await ann.press("💰 Billing")
    await ann.press("🧾 Invoices")
    await ann.press("➕ Invoice for a top-up")
    await ann.send("250")
    text = pdf_text(await newest_document(ann))
    assert "Total €250.00" in text and "VAT not applicable." in text
    assert "Subtotal" not in text and "payment reference" not in text
    assert not text.rstrip().endswith(":")


async def test_a_top_up_for_a_tariff_change_lands_on_its_confirmation_and_an_old_switch_changes_nothing(
        ann, running, clock) -> None:
    await ann.send("/start")
    licence = await buy(running, 1001, name="web-1")  # Pro, 12 months
    clock.move(days=65)
    await open_licence(ann, licence)
    await ann.press("📦 Change tariff")
    await ann.press("Host · pay €142.52")
    short = ann.screen
    assert "Your balance is short by €142.52" in short.text
    topup_label = next(b for b in short.button_texts if b.endswith("€142.52"))
    topup = data_of(short, topup_label)
    await ann.press(topup_label)
    await ann.pay()
    receipt, confirm = ann.bot_messages[-2:]
    assert receipt.text == "✅ Payment received: €142.52 added. Balance: €142.52."
    assert receipt.button_texts == ["💰 Billing", "☰ Main menu"]
    assert "Difference: pay €142.52" in confirm.text and "short" not in confirm.text
    switch = data_of(confirm, "✅ Switch to Host")
    await ann.press("✅ Switch to Host")
    assert "✅ Tariff changed to Host: pay €142.52. Balance: €0.00." in ann.screen.text

    switched = await money_state(running)
    await ann.press(callback_data=switch, message=confirm)
    assert ann.last_callback_answer.text == \
        "This licence's tariff was already changed on 30 Jan 2027, 09:00: nothing was charged again."
    assert await money_state(running) == switched
    await ann.press(callback_data=topup, message=short)  # its top-up button too: no new invoice
    assert ann.last_callback_answer.text == \
        "This licence's tariff was already changed on 30 Jan 2027, 09:00: nothing was charged again."
    assert await money_state(running) == switched
    assert [e.after["tariff"] for e in await rows(running, ServiceEvent, ServiceEvent.action == "tariff")] == ["host"]


async def open_invoices(customer) -> None:
    await customer.send("/menu")
    await customer.press("💰 Billing")
    await customer.press("🧾 Invoices")


async def test_a_private_person_pays_an_invoice_in_the_bot_once(ann, running) -> None:
    await open_invoices(ann)
    await ann.press("➕ Invoice for a top-up")
    await ann.send("20")
    await newest_document(ann)
    screen = ann.bot_messages[-2]
    assert "Invoice 2026-000001 — issued" in screen.text
    pay = data_of(screen, "💳 Pay €20.00")
    await ann.press("💳 Pay €20.00", message=screen)
    assert ann.screen.invoice["total_amount"] == 1000  # 50 stars a euro
    await ann.pay()
    receipt = ann.screen
    assert receipt.text == "✅ Payment received: €20.00 added. Balance: €20.00.\nInvoice 2026-000001 is paid."
    assert receipt.button_texts[0] == "🧾 Invoice 2026-000001"
    [invoice] = await rows(running, Invoice)
    assert invoice.status == "paid" and invoice.paid_at is not None

    paid = await money_state(running)
    await ann.press(callback_data=pay, message=screen)
    assert ann.last_callback_answer.text == \
        "Invoice 2026-000001 was already paid on 26 Nov 2026, 09:00: nothing was charged again."
    assert await money_state(running) == paid
    await ann.press("🧾 Invoice 2026-000001", message=receipt)
    assert "Invoice 2026-000001 — paid" in ann.screen.text and "💳 Pay €20.00" not in ann.screen.button_texts
    await ann.press("« Back")
    assert current(ann, receipt).text == receipt.text  # the receipt stays as it was


async def test_an_old_invoice_for_the_cart_button_issues_nothing_once_the_cart_is_paid(ann, running) -> None:
    await order_ssl(ann, domain="example.com")
    await open_invoices(ann)
    listing = ann.screen
    for_cart = data_of(listing, "➕ Invoice for the cart")
    await ann.press("➕ Invoice for the cart")
    await newest_document(ann)
    screen = ann.bot_messages[-2]
    await ann.press("💳 Pay €15.00", message=screen)
    await ann.pay()
    paid = ann.screen
    assert paid.text.startswith("✅ Paid — order #1, €15.00.")
    assert paid.button_texts[0] == "🔐 Set up the certificate for example.com"
    [invoice] = await rows(running, Invoice)
    [order] = await rows(running, Order)
    assert (invoice.status, invoice.order_id) == ("paid", order.id)

    state = await money_state(running)
    await ann.press(callback_data=for_cart, message=listing)
    assert ann.last_callback_answer.text == \
        "This cart was already paid on 26 Nov 2026, 09:00 (order #1): nothing was charged again."
    assert await money_state(running) == state and len(await rows(running, Invoice)) == 1
    await ann.press("🔐 Set up the certificate for example.com", message=paid)
    assert "Make an EC P-256 key (recommended)" in ann.screen.button_texts


async def test_a_russian_customer_pays_an_invoice_and_an_old_pay_says_when(ivan, running) -> None:
    await ivan.send("/menu")
    await ivan.press("💰 Финансы")
    await ivan.press("🧾 Счета")
    await ivan.press("➕ Счёт на пополнение")
    await ivan.send("20")
    assert "НДС не облагается." in pdf_text(await newest_document(ivan))
    screen = ivan.bot_messages[-2]
    pay = data_of(screen, "💳 Оплатить 20,00\xa0€")
    await ivan.press("💳 Оплатить 20,00\xa0€", message=screen)
    await ivan.pay()
    assert ivan.screen.text == "✅ Платёж получен: зачислено 20,00\xa0€. Баланс: 20,00\xa0€.\nСчёт 2026-000001 оплачен."
    paid = await money_state(running)
    await ivan.press(callback_data=pay, message=screen)
    assert ivan.last_callback_answer.text.startswith("Счёт 2026-000001 уже оплачен 26 ")
    assert ivan.last_callback_answer.text.endswith(": повторно ничего не списано.")
    assert await money_state(running) == paid


async def test_an_invoice_for_a_cart_that_changed_since_is_not_issued(ann, running) -> None:
    await order_licence(ann, tariff="Lite", months="1 month")
    await open_invoices(ann)
    listing = ann.screen
    for_cart = data_of(listing, "➕ Invoice for the cart")
    await order_licence(ann, tariff="Lite", months="1 month")
    await ann.press(callback_data=for_cart, message=listing)
    assert ann.screen.text.startswith("The cart changed since this list was shown.")
    assert await rows(running, Invoice) == []
    await ann.press("➕ Invoice for the cart")
    assert "ispmanager licence — Lite, 1 month web-1 €5.90" in pdf_text(await newest_document(ann))
    [invoice] = await rows(running, Invoice)
    assert invoice.total == 1180


async def test_an_old_cart_top_up_invoice_is_refused_once_the_cart_is_paid(ann, running) -> None:
    await ann.send("/start")
    await order_licence(ann, tariff="Lite", months="1 month")
    await ann.press("🧺 Cart")
    await ann.press("💳 Pay €5.90")
    await ann.press("Top up €5.90")
    invoice = ann.screen
    await credit(running, 1001, 1_000, "test:gift")  # meanwhile the balance pays the cart
    await ann.send("/menu")
    await ann.press("🧺 Cart")
    await ann.press("💳 Pay €5.90")
    assert ann.screen.text.startswith("✅ Paid — order #1, €5.90.")
    paid = await money_state(running)
    result = await ann.pay(invoice)
    assert result.status != "paid"
    assert result.error_message == "The cart this top-up was for is already paid (order #1): nothing was charged."
    assert await money_state(running) == paid


async def test_cancel_in_a_step_returns_to_its_section_and_changes_nothing(ann, running) -> None:
    """Cancel (the button or /cancel) from a licence's rename, a top-up's amount and a promo code leads back to
    the screen the step came from, not to the main menu, and the text typed after it is not taken."""
    await ann.send("/start")
    licence = await buy(running, 1001, name="web-1")
    await open_licence(ann, licence)
    await ann.press("✏ Rename")
    await ann.press("✖ Cancel")
    assert ann.screen.text.startswith(f"Cancelled. Nothing was changed.\n\nLicence #{licence} web-1")
    await ann.send("db-1")
    assert (await one(running, Service, Service.id == licence)).name == "web-1"

    await ann.send("/menu")
    await ann.press("💰 Billing")
    await ann.press("➕ Top up")
    await ann.press("Another amount")
    await ann.send("/cancel")
    assert ann.screen.text.startswith("Cancelled. Nothing was changed.\n\nBilling\n\nBalance: €0.00")
    await ann.send("25")
    assert await rows(running, Payment) == []

    await ann.send("/menu")
    await ann.press("👤 Client")
    await ann.press(next(b for b in ann.screen.button_texts if "Discounts" in b))
    await ann.press("🎟 Enter a promo code")
    await ann.press("✖ Cancel")
    assert ann.screen.text.startswith("Cancelled. Nothing was changed.\n\n")
    assert "🎟 Enter a promo code" in ann.screen.button_texts
