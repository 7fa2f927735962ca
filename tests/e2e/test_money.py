"""Money screens a customer can trust: an old button never repeats a payment, receipts stay, every screen shows
the price the cart charges, and a refund says what it did to the balance."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from domain.models import Balance, LedgerEntry, Order, Payment
from tests.e2e.conftest import make_settings
from tests.e2e.flows import (
    COMPANY,
    GROUP,
    credit,
    current,
    deliver,
    eventually,
    order_licence,
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
