"""Billing -> Invoices as a customer and staff use them: a PDF read back, bank transfer marked paid once."""

from __future__ import annotations

import asyncio
import io

import pytest
from pypdf import PdfReader

from domain.models import Balance, Invoice, LedgerEntry, Notification, Order, Service
from handlers.billing.staff import MoneyAction, StaffMoneyCb
from tests.e2e.conftest import make_settings
from tests.e2e.flows import add_legal_ru, open_payers, order_licence, rows

STAFF_CHAT = -1001000000077
VENDOR = {
    "staff_chat_id": STAFF_CHAT, "vendor_name": "Vendor Software GmbH",
    "vendor_address": "Hauptstraße 1\\n10115 Berlin", "vendor_tax_id": "DE136695976",
    "vendor_bank_details": "IBAN DE89 3704 0044 0532 0130 00\\nBIC COBADEFFXXX", "vat_rate_bp": 2000,
    "invoice_due_days": 10,
}


@pytest.fixture
def settings(sandbox, db_url, redis_url, tmp_path):
    return make_settings(sandbox, db_url, redis_url, tmp_path, **VENDOR)


async def arrives(customer, found, what: str):
    """What the bot sends on its own time (a rendered PDF, a pushed notification): wait as a person would."""
    for _ in range(200):
        message = next((m for m in reversed(customer.bot_messages) if found(m)), None)
        if message is not None:
            return message
        await asyncio.sleep(0.05)
    raise AssertionError(f"no {what} arrived; the last message is {customer.screen.text!r}")


async def document_of(customer):
    return await arrives(customer, lambda m: m == customer.screen and m.document is not None, "document")


def pdf_text(message) -> str:
    reader = PdfReader(io.BytesIO(message.file_bytes()))
    # No-break spaces (Russian money: "250,00 €") come back as plain ones from the table cells.
    return "\n".join(page.extract_text() for page in reader.pages).replace("\xa0", " ")


async def staff(sandbox):
    """Sam administers the staff group; Pat (2002) is a plain member of it."""
    sam = await sandbox.user(id=2001, first_name="Sam", username="sam")
    pat = await sandbox.user(id=2002, first_name="Pat", username="pat")
    group = await sandbox.group(id=STAFF_CHAT, title="Support", forum=True, members=[sam, pat], admins=[sam],
                                bot_rights={"can_manage_topics": True})
    return sam, group


async def paid(sam, group, args: str = "", *, confirm: bool = True) -> str:
    """Staff send /paid and read the bot's reply (it may come a moment after the command is taken); a
    confirmation is pressed (`confirm`) and what it became is returned."""
    before = len(group.bot_messages())
    await sam.send(f"/paid {args}".strip(), chat_id=STAFF_CHAT)
    for _ in range(200):
        if len(group.bot_messages()) > before:
            reply = group.bot_messages()[-1]
            label = next((b for b in reply.button_texts if b.startswith("✅ Paid")), None)
            if label is not None and confirm:
                await sam.press(label, message=reply)
            return reply.text
        await asyncio.sleep(0.05)
    raise AssertionError("the bot did not answer /paid")


async def open_invoices(customer, billing: str = "💰 Billing", invoices: str = "🧾 Invoices") -> None:
    await customer.send("/menu")
    await customer.press(billing)
    await customer.press(invoices)


async def test_top_up_invoice_for_a_legal_entity_paid_by_bank_transfer(ivan, running, sandbox) -> None:
    sam, group = await staff(sandbox)
    await add_legal_ru(ivan)
    await open_invoices(ivan, "💰 Финансы", "🧾 Счета")
    assert "Счетов пока нет." in ivan.screen.text
    await ivan.press("➕ Счёт на пополнение")
    await ivan.send("сто")
    assert ivan.screen.text.startswith("«сто» — не сумма.")
    await ivan.send("1")
    assert ivan.screen.text.startswith("Минимальное пополнение — 5,00\xa0€.")
    await ivan.send("250")

    document = await document_of(ivan)
    assert document.document["file_name"] == "invoice-2026-000001.pdf"
    assert document.caption == "Счёт 2026-000001"
    text = pdf_text(document)
    assert "Счёт 2026-000001" in text and "Оплатить до: 6 дек. 2026" in text
    assert "Vendor Software GmbH" in text and "Hauptstraße 1" in text and "10115 Berlin" in text
    assert "ООО «Ромашка» (Юридическое лицо)" in text and "ИНН / номер НДС: 7707083893/773601001" in text
    assert "Страна: Российская Федерация" in text
    assert "Пополнение баланса личного кабинета 250,00 €" in text
    assert "Сумма без НДС 250,00 €" in text and "НДС 20% 50,00 €" in text and "Итого 300,00 €" in text
    assert "IBAN DE89 3704 0044 0532 0130 00" in text and "номер счёта 2026-000001" in text
    screen = ivan.bot_messages[-2].text
    assert "Счёт 2026-000001</b>" not in screen and "Счёт 2026-000001 — ожидает оплаты" in screen
    assert "Итого: 300,00\xa0€" in screen

    [invoice] = await rows(running, Invoice)
    assert (invoice.status, invoice.bank_transfer, invoice.net, invoice.vat, invoice.total) == (
        "awaiting", True, 25_000, 5_000, 30_000)
    assert invoice.payer["name"] == "ООО «Ромашка»" and invoice.payer_id is not None

    await ivan.send("/paid 2026-000001")  # not from the customer's chat
    assert (await paid(sam, group)).startswith("Usage: /paid <invoice number>")
    assert (await paid(sam, group, "2026-999999")) == "No invoice with the number 2026-999999."
    pat = sandbox.user_driver(2002)  # staff, but no administrator: money is not theirs to move
    assert await paid(pat, group, "2026-000001") == \
        "Only the group's administrators can do this: it moves money or prices."
    assert await rows(running, LedgerEntry) == []
    # First what it will do, and nothing credited until the button is pressed.
    assert await paid(sam, group, "2026-000001", confirm=False) == \
        "Mark invoice 2026-000001 paid? €250.00 goes to the balance of customer 1002."
    confirm = group.bot_messages()[-1]
    assert confirm.button_texts == ["✅ Paid: credit €250.00", "✖ Do nothing"]
    assert await rows(running, LedgerEntry) == []
    await pat.press("✅ Paid: credit €250.00", message=confirm)  # the button is no member's either
    assert pat.last_callback_answer.text == "Only the group's administrators can do this: it moves money or prices."
    assert await rows(running, LedgerEntry) == []
    assert confirm.button_texts == ["✅ Paid: credit €250.00", "✖ Do nothing"]
    assert await paid(sam, group, "2026-000001") == \
        "Invoice 2026-000001 marked paid: €250.00 credited to customer 1002."
    # The first confirmation, pressed late: nothing is credited twice.
    await sam.press(message=confirm, callback_data=StaffMoneyCb(action=MoneyAction.PAID, id=invoice.id).pack())
    assert sam.last_callback_answer.text == "Invoice 2026-000001 is already paid; nothing was credited again."
    assert await paid(sam, group, "2026-000001") == \
        "Invoice 2026-000001 is already paid; nothing was credited again."

    entries = await rows(running, LedgerEntry)
    assert [(e.kind, e.amount, e.reference) for e in entries] == [("topup", 25_000, f"invoice:{invoice.id}")]
    assert [b.amount for b in await rows(running, Balance)] == [25_000]
    [invoice] = await rows(running, Invoice)
    assert (invoice.status, invoice.paid_by) == ("paid", 2001)
    notes = await rows(running, Notification, Notification.user_id == 1002)
    assert [n.key for n in notes] == ["invoices-paid-note"]

    note = await arrives(ivan, lambda m: "Перевод по счёту 2026-000001 поступил" in (m.text or ""), "notification")
    assert note.text == "✅ Перевод по счёту 2026-000001 поступил: 250,00\xa0€ зачислено на баланс."
    await open_invoices(ivan, "💰 Финансы", "🧾 Счета")
    assert ivan.screen.button_texts[0] == "2026-000001 · 300,00\xa0€ · оплачен"


async def test_cart_invoice_paid_by_transfer_pays_the_cart(ann, running, sandbox) -> None:
    sam, group = await staff(sandbox)
    await open_payers(ann)
    await ann.press("➕ Add a payer")
    await ann.press("Sole trader")
    for answer in ("Hans Müller", "DE", "DE136695976", "Unter den Linden 1, 10117 Berlin"):
        await ann.send(answer)
    await ann.press("✅ Save")
    await order_licence(ann, tariff="Lite", months="1 month")
    await open_invoices(ann)
    await ann.press("➕ Invoice for the cart")
    text = pdf_text(await document_of(ann))
    assert "Invoice 2026-000001" in text and "Hans Müller (Sole trader)" in text
    assert "ispmanager licence — Lite, 1 month web-1 €5.90" in text
    assert "VAT 20% €1.18" in text and "Total €7.08" in text

    assert (await paid(sam, group, "2026-000001")).endswith("The cart was paid: order #1.")
    [order] = await rows(running, Order)
    [invoice] = await rows(running, Invoice)
    assert invoice.order_id == order.id and order.payer_id == invoice.payer_id
    assert len(await rows(running, Service)) == 1
    assert [b.amount for b in await rows(running, Balance)] == [0]
    notes = await rows(running, Notification, Notification.user_id == 1001)
    # The licence bought comes with its activation key's notice.
    assert [n.key for n in notes] == ["invoices-paid-note", "licence-notification-key", "invoices-order-note"]


async def test_a_changed_cart_keeps_the_money_on_the_balance(ann, running, sandbox) -> None:
    sam, group = await staff(sandbox)
    await ann.send("/start")
    await open_payers(ann)
    await ann.press("➕ Add a payer")
    await ann.press("Legal entity")
    for answer in ("ACME GmbH", "DE", "HRB 12345", "DE136695976", "Hauptstr. 5, Berlin", "Eve", "eve@acme.example"):
        await ann.send(answer)
    await ann.press("✅ Save")
    await order_licence(ann, tariff="Lite", months="1 month")
    await open_invoices(ann)
    await ann.press("➕ Invoice for the cart")
    await document_of(ann)
    await open_invoices(ann)
    await ann.press("➕ Invoice for the cart")  # the same cart again: the same invoice
    assert (await document_of(ann)).caption == "Invoice 2026-000001"
    assert len(await rows(running, Invoice)) == 1
    await order_licence(ann, tariff="Lite", months="1 month")  # the cart changes after the invoice
    assert (await paid(sam, group, "2026-000001")).endswith("the money stays on the customer's balance.")
    assert await rows(running, Order) == []
    assert [b.amount for b in await rows(running, Balance)] == [590]


async def test_private_person_invoice_and_cancel(ann, running, sandbox) -> None:
    sam, group = await staff(sandbox)
    await open_invoices(ann)
    await ann.press("➕ Invoice for the cart")
    assert ann.last_callback_answer.text == "Your cart is empty."
    await ann.press("➕ Invoice for a top-up")
    await ann.send("20")
    text = pdf_text(await document_of(ann))
    assert "Ann Lee" in text and "private person" in text and "Payable in the client area bot." in text
    assert "IBAN" not in text
    screen = ann.bot_messages[-2]
    assert "Invoice 2026-000001 — issued" in screen.text
    assert (await paid(sam, group, "2026-000001")).startswith("This invoice is not paid by bank transfer")
    await ann.press("✖ Cancel the invoice", message=screen)
    await ann.press("Yes, cancel it")
    [invoice] = await rows(running, Invoice)
    assert invoice.status == "cancelled" and invoice.payer_id is None
    listing = ann.screen  # the invoice screen had the PDF below it: the answer is a new screen under both
    assert "2026-000001 · €24.00 · cancelled" in listing.button_texts
    await ann.press("2026-000001 · €24.00 · cancelled")
    assert "✖ Cancel the invoice" not in ann.bot_messages[-2].button_texts
    await ann.press("📄 PDF")
    assert (await document_of(ann)).document["file_name"] == "invoice-2026-000001.pdf"
    assert await rows(running, LedgerEntry) == []


async def test_invoice_numbers_run_on_within_the_year(ann, running, clock) -> None:
    await ann.send("/start")
    for _ in range(2):
        await open_invoices(ann)
        await ann.press("➕ Invoice for a top-up")
        await ann.send("10")
    clock.move(days=40)  # 2027
    await open_invoices(ann)
    await ann.press("➕ Invoice for a top-up")
    await ann.send("10")
    assert [i.number for i in await rows(running, Invoice)] == ["2026-000001", "2026-000002", "2027-000001"]


async def test_foreign_invoice_is_not_found(ann, ivan, running) -> None:
    await open_invoices(ivan, "💰 Финансы", "🧾 Счета")
    await ivan.press("➕ Счёт на пополнение")
    await ivan.send("10")
    [invoice] = await rows(running, Invoice)
    await open_invoices(ann)
    await ann.press(callback_data=f"iv:cancel-yes:{invoice.id}:0:0", message=ann.screen)
    await ann.press(callback_data=f"iv:pdf:{invoice.id}:0:0", message=ann.screen)
    assert (await rows(running, Invoice))[0].status == "issued"
    assert all(m.document is None for m in ann.messages)
