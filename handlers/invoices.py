"""Billing -> Invoices: the list, an invoice for a top-up amount or for the cart issued to a payer (a PDF
document), cancel an unpaid one; and the staff command `/paid <number>` for bank transfers."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from html import escape
from typing import Any

from aiogram import Bot, F, Router
from aiogram.filters import Command, CommandObject
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import BufferedInputFile, CallbackQuery, Message
from aiogram_i18n import I18nContext

from domain.accounts import Customer
from domain.errors import DomainError, InvalidInput, NotFound
from domain.invoice_pdf import InvoiceDocument, render_pdf
from domain.invoices import OPEN, VendorDetails
from domain.models import Invoice
from domain.notifications import button as note_button
from domain.notifications import money_arg
from domain.payers import FIELDS, country_name
from domain.unit import Domain
from domain.validation import display_domain
from handlers.common.errors import refuse
from handlers.common.format import day, money, parse_amount
from handlers.common.ui import Callback, MenuCb, button, keyboard, nav_row, show
from handlers.payers import field_key, pick_payer
from handlers.support_group import staff_may

log = logging.getLogger(__name__)

BILLING = MenuCb(section="billing")


class InvoiceCb(Callback, prefix="iv"):
    """action: list, topup (ask the amount), cart, view, pdf, cancel, cancel-yes; payer: the one picked."""

    action: str
    id: int = 0
    payer: int = 0
    page: int = 0


INVOICES = InvoiceCb(action="list")


class InvoiceForm(StatesGroup):
    amount = State()


Translate = Callable[..., str]


# --- texts ------------------------------------------------------------------------------------------------

def _names(texts: dict[str, str], locale: str) -> str:
    return texts.get(locale) or texts.get("en") or next(iter(texts.values()), "")


def line_text(t: Translate, line: dict[str, Any], locale: str) -> str:
    if line.get("kind") == "topup":
        return t("invoices-line-topup")
    params = line.get("params") or {}
    what = params.get("name") or display_domain(params.get("domain") or "") or params.get("ip") or ""
    text = t("invoices-line-item", product=_names(line["product"], locale), tariff=_names(line["tariff"], locale),
             months=line["months"])
    return f"{text} {what}".strip() if what else text


def payer_lines(t: Translate, details: dict[str, Any], locale: str) -> list[str]:
    """The buyer as issued; an implied payer is the customer as a private person."""
    if details.get("implied"):
        return [details.get("name") or "", t("invoices-implied-payer")]
    kind = details["kind"]
    lines = [f"{details['name']} ({t(f'payers-kind-{kind}')})"]
    for field in FIELDS[kind][1:]:
        value = details.get(field)
        if value:
            shown = country_name(value, locale) if field == "country" else value
            lines.append(f"{t(field_key('payers-field', field), kind=kind)}: {shown}")
    return lines


def vat_label(t: Translate, invoice: Invoice) -> str:
    percent = f"{invoice.vat_rate_bp / 100:g}"
    return t("invoices-vat", rate=percent)


def document_of(t: Translate, invoice: Invoice, vendor: VendorDetails, locale: str, time_zone: str) -> InvoiceDocument:
    cur = invoice.currency
    totals = [(t("invoices-subtotal"), money(invoice.net, cur, locale))]
    if invoice.vat_rate_bp:
        totals.append((vat_label(t, invoice), money(invoice.vat, cur, locale)))
    totals.append((t("invoices-total"), money(invoice.total, cur, locale)))
    seller = [vendor.name, *vendor.address.splitlines()]
    if vendor.tax_id:
        seller.append(t("invoices-vendor-tax-id", value=vendor.tax_id))
    if invoice.bank_transfer:
        notes = [t("invoices-pay-by-transfer", number=invoice.number), *vendor.bank_details.splitlines()]
    else:
        notes = [t("invoices-pay-in-bot")]
    return InvoiceDocument(
        title=t("invoices-pdf-title", number=invoice.number),
        meta=[t("invoices-issued", date=day(invoice.issued_at, time_zone, locale)),
              t("invoices-due", date=day(invoice.due_at, time_zone, locale)),
              t("invoices-status-line", status=t(f"invoices-status-{invoice.status}"))],
        seller_heading=t("invoices-seller"), seller=seller,
        buyer_heading=t("invoices-buyer"), buyer=payer_lines(t, invoice.payer, locale),
        columns=(t("invoices-column-description"), t("invoices-column-amount")),
        lines=[(line_text(t, line, locale), money(line["amount"], cur, locale)) for line in invoice.lines],
        totals=totals, notes=notes, author=vendor.name, created=invoice.issued_at,
    )


def invoice_text(i18n: I18nContext, invoice: Invoice, time_zone: str) -> str:
    t, locale, cur = i18n.get, i18n.locale, invoice.currency
    lines = [i18n.get("invoices-head", number=invoice.number,
                      status=i18n.get(f"invoices-status-{invoice.status}")),
             i18n.get("invoices-issued", date=day(invoice.issued_at, time_zone, locale)) + " · " +
             i18n.get("invoices-due", date=day(invoice.due_at, time_zone, locale)),
             "",
             i18n.get("invoices-buyer") + ": " + escape(", ".join(payer_lines(t, invoice.payer, locale)[:2])),
             ""]
    lines += [f"• {escape(line_text(t, line, locale))} — {money(line['amount'], cur, locale)}"
              for line in invoice.lines]
    if invoice.vat_rate_bp:
        lines.append(f"{vat_label(t, invoice)}: {money(invoice.vat, cur, locale)}")
    lines.append(i18n.get("invoices-total-line", total=money(invoice.total, cur, locale)))
    if invoice.status == "awaiting":
        lines += ["", i18n.get("invoices-awaiting-hint", number=invoice.number)]
    elif invoice.status == "issued":
        lines += ["", i18n.get("invoices-issued-hint")]
    return "\n".join(lines)


# --- screens ----------------------------------------------------------------------------------------------

async def show_invoices(event: Message | CallbackQuery, domain: Domain, i18n: I18nContext, user: Customer,
                        page: int = 0, notice: str | None = None) -> None:
    result = await domain.invoices.page(user.id, page)
    text = (notice + "\n\n" if notice else "") + i18n.get("invoices-title") + "\n" + (
        i18n.get("invoices-none") if not result.invoices else i18n.get("invoices-intro"))
    rows = [[button(i18n.get("invoices-list-item", number=inv.number, total=money(inv.total, inv.currency,
                                                                                 i18n.locale),
                             status=i18n.get(f"invoices-status-{inv.status}")), InvoiceCb(action="view", id=inv.id))]
            for inv in result.invoices]
    pager = []
    if result.page > 0:
        pager.append(button("‹", InvoiceCb(action="list", page=result.page - 1)))
    if result.page < result.pages - 1:
        pager.append(button("›", InvoiceCb(action="list", page=result.page + 1)))
    rows.append(pager)
    rows.append([button(i18n.get("invoices-new-topup"), InvoiceCb(action="topup"))])
    rows.append([button(i18n.get("invoices-new-cart"), InvoiceCb(action="cart"))])
    await show(event, text, keyboard(*rows, nav_row(i18n, BILLING)))


async def list_pressed(callback: CallbackQuery, callback_data: InvoiceCb, domain: Domain, i18n: I18nContext,
                       user: Customer, state: FSMContext, raw_state: str | None) -> None:
    """The customer's invoices, newest first."""
    if raw_state is not None:
        await state.clear()
    await show_invoices(callback, domain, i18n, user, callback_data.page)


async def show_invoice(event: Message | CallbackQuery, domain: Domain, i18n: I18nContext, user: Customer,
                       invoice: Invoice) -> None:
    rows = [[button(i18n.get("invoices-pdf"), InvoiceCb(action="pdf", id=invoice.id))]]
    if invoice.status in OPEN:
        rows.append([button(i18n.get("invoices-cancel"), InvoiceCb(action="cancel", id=invoice.id))])
    await show(event, invoice_text(i18n, invoice, user.time_zone), keyboard(*rows, nav_row(i18n, INVOICES)))


async def render(domain: Domain, i18n: I18nContext, user: Customer, invoice: Invoice) -> bytes:
    """The PDF in the customer's language; about half a second of CPU (font subsetting), so off the event loop."""
    document = document_of(i18n.get, invoice, domain.invoices.vendor, i18n.locale, user.time_zone)
    return await asyncio.to_thread(render_pdf, document)


async def send_pdf(message: Message, i18n: I18nContext, invoice: Invoice, data: bytes) -> None:
    await message.answer_document(BufferedInputFile(data, filename=f"invoice-{invoice.number}.pdf"),
                                  caption=i18n.get("invoices-pdf-caption", number=invoice.number))


async def view_pressed(callback: CallbackQuery, callback_data: InvoiceCb, domain: Domain, i18n: I18nContext,
                       user: Customer) -> None:
    await show_invoice(callback, domain, i18n, user, await domain.invoices.get(user.id, callback_data.id))


async def pdf_pressed(callback: CallbackQuery, callback_data: InvoiceCb, domain: Domain, i18n: I18nContext,
                      user: Customer) -> None:
    """The invoice as a PDF document, in the customer's language."""
    invoice = await domain.invoices.get(user.id, callback_data.id)
    data = await render(domain, i18n, user, invoice)
    await callback.answer()
    await send_pdf(callback.message, i18n, invoice, data)  # type: ignore[arg-type]


async def cancel_pressed(callback: CallbackQuery, callback_data: InvoiceCb, domain: Domain, i18n: I18nContext,
                         user: Customer) -> None:
    invoice = await domain.invoices.get(user.id, callback_data.id)
    await show(callback, i18n.get("invoices-cancel-confirm", number=invoice.number), keyboard(
        [button(i18n.get("invoices-cancel-yes"), InvoiceCb(action="cancel-yes", id=invoice.id)),
         button(i18n.get("invoices-cancel-no"), InvoiceCb(action="view", id=invoice.id))]))


async def cancel_confirmed(callback: CallbackQuery, callback_data: InvoiceCb, domain: Domain, i18n: I18nContext,
                           user: Customer) -> None:
    try:
        await domain.invoices.cancel(user.id, callback_data.id)
    except DomainError as exc:
        if isinstance(exc, NotFound):
            raise
        await domain.rollback()
        await callback.answer(i18n.get(exc.message_id), show_alert=True)
    await show_invoices(callback, domain, i18n, user, notice=None)


# --- issuing ----------------------------------------------------------------------------------------------

async def topup_pressed(callback: CallbackQuery, callback_data: InvoiceCb, domain: Domain, i18n: I18nContext,
                        user: Customer, state: FSMContext) -> None:
    """Pick the payer (when there are several), then ask the amount."""
    if not callback_data.payer and await pick_payer(
            callback, domain, i18n, user, lambda payer: InvoiceCb(action="topup", payer=payer), INVOICES):
        return
    payer_id = await domain.payers.resolve(user.id, callback_data.payer or None)
    settings = domain.payments.settings
    currency = domain.ledger.currency
    await state.set_state(InvoiceForm.amount)
    await state.set_data({"payer": payer_id})
    await show(callback, i18n.get("invoices-ask-amount", minimum=money(settings.topup_min, currency, i18n.locale),
                                  maximum=money(settings.topup_max, currency, i18n.locale)),
               keyboard([button(i18n.get("button-back"), INVOICES), button(i18n.get("button-cancel"), "cancel")]))


async def amount_entered(message: Message, domain: Domain, i18n: I18nContext, user: Customer,
                         state: FSMContext) -> None:
    currency = domain.ledger.currency
    data = await state.get_data()
    try:
        invoice = await domain.invoices.issue_topup(user.id, data.get("payer"),
                                                    parse_amount(message.text or "", currency))
    except InvalidInput as exc:
        await domain.rollback()
        await refuse(message, i18n, exc, user.time_zone, keyboard([button(i18n.get("button-cancel"), "cancel")]))
        return
    await state.clear()
    # Committed before rendering: the year's number counter stays locked only as long as the insert takes.
    await domain.commit()
    data = await render(domain, i18n, user, invoice)
    await show_invoice(message, domain, i18n, user, invoice)
    await send_pdf(message, i18n, invoice, data)


async def cart_pressed(callback: CallbackQuery, callback_data: InvoiceCb, domain: Domain, i18n: I18nContext,
                       user: Customer) -> None:
    """An invoice for the cart as it is now."""
    if not callback_data.payer and await pick_payer(
            callback, domain, i18n, user, lambda payer: InvoiceCb(action="cart", payer=payer), INVOICES):
        return
    try:
        invoice = await domain.invoices.issue_for_cart(user.id, callback_data.payer or None)
    except DomainError as exc:
        if isinstance(exc, NotFound):
            raise
        await domain.rollback()
        await refuse(callback, i18n, exc, user.time_zone)
        return
    await domain.commit()
    data = await render(domain, i18n, user, invoice)
    await show_invoice(callback, domain, i18n, user, invoice)
    await send_pdf(callback.message, i18n, invoice, data)  # type: ignore[arg-type]


# --- staff ------------------------------------------------------------------------------------------------

async def staff_paid(message: Message, command: CommandObject, bot: Bot, domain: Domain, i18n: I18nContext,
                     staff_chat_id: int | None) -> None:
    """`/paid <invoice number>` in the staff group: the bank transfer arrived; credit it once."""
    if message.from_user is None or not await staff_may(message, bot, i18n, staff_chat_id, admin=True):
        return
    number = (command.args or "").strip()
    if not number:
        await message.reply(i18n.get("invoices-staff-usage"))
        return
    try:
        paid = await domain.invoices.mark_paid(number, message.from_user.id)
    except NotFound:
        await message.reply(i18n.get("invoices-staff-unknown", number=escape(number[:32])))
        return
    except DomainError as exc:
        await message.reply(i18n.get(exc.message_id))
        return
    invoice = paid.invoice
    if not paid.credited:
        await message.reply(i18n.get("invoices-staff-already-paid", number=invoice.number))
        return
    # Plain values: a rollback below expires the loaded invoice.
    invoice_id, number, customer_id = invoice.id, invoice.number, invoice.user_id
    amount = money(invoice.net, invoice.currency, i18n.locale)
    await domain.notifications.notify(
        customer_id, category="finance", key="invoices-paid-note",
        args={"number": number, "amount": money_arg(invoice.net, invoice.currency)},
        buttons=[note_button("menu-button-billing", callback=MenuCb(section="billing").pack())],
        dedupe_key=f"invoice-paid:{invoice_id}")
    # The credit stands on its own, whatever happens to the cart below.
    await domain.commit()
    reply = i18n.get("invoices-staff-paid", number=number, amount=amount, user=str(customer_id))
    if invoice.purpose == "cart":
        try:
            result = await domain.invoices.checkout_cart(invoice)
        except DomainError as exc:
            await domain.rollback()
            log.info("cart of invoice %s not paid automatically: %s", number, exc.message_id)
            await domain.notifications.notify(
                customer_id, category="finance", key="invoices-cart-not-paid-note", args={"number": number},
                buttons=[note_button("menu-button-cart", callback=MenuCb(section="cart").pack())],
                dedupe_key=f"invoice-cart:{invoice_id}")
            reply += "\n" + i18n.get("invoices-staff-cart-not-paid")
        else:
            await domain.notifications.notify(
                customer_id, category="finance", key="invoices-order-note",
                args={"number": number, "order": str(result.order_id), "count": len(result.services)},
                buttons=[note_button("menu-button-licences", callback=MenuCb(section="licences").pack())],
                dedupe_key=f"invoice-cart:{invoice_id}")
            reply += "\n" + i18n.get("invoices-staff-order", order=str(result.order_id))
    await message.reply(reply)


def router() -> Router:
    """This section's handlers, in the order they are tried."""
    routes = Router(name=__name__)
    routes.callback_query.register(list_pressed, InvoiceCb.filter(F.action == "list"), F.message.chat.type == "private")
    routes.callback_query.register(view_pressed, InvoiceCb.filter(F.action == "view"), F.message.chat.type == "private")
    routes.callback_query.register(pdf_pressed, InvoiceCb.filter(F.action == "pdf"), F.message.chat.type == "private")
    routes.callback_query.register(
        cancel_pressed, InvoiceCb.filter(F.action == "cancel"), F.message.chat.type == "private")
    routes.callback_query.register(
        cancel_confirmed, InvoiceCb.filter(F.action == "cancel-yes"), F.message.chat.type == "private")
    routes.callback_query.register(
        topup_pressed, InvoiceCb.filter(F.action == "topup"), F.message.chat.type == "private")
    routes.message.register(amount_entered, InvoiceForm.amount, F.text)
    routes.callback_query.register(cart_pressed, InvoiceCb.filter(F.action == "cart"), F.message.chat.type == "private")
    routes.message.register(staff_paid, Command("paid"), F.chat.type.in_({"group", "supergroup"}))
    return routes
