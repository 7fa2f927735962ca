"""Billing: the balance, top-ups (presets or a typed amount, sent as a Telegram invoice), the payments and
expenses histories and a month's CSV export; Billing -> Invoices: the list, an invoice for a top-up amount or
for the cart issued to a payer (a PDF document), cancel an unpaid one."""

from __future__ import annotations

import asyncio

from aiogram import Bot, F, Router
from aiogram.fsm.context import FSMContext
from aiogram.types import BufferedInputFile, CallbackQuery, LabeledPrice, Message
from aiogram_i18n import I18nContext

from domain.accounts import Customer
from domain.errors import DomainError, InvalidInput, NotFound
from domain.invoice_pdf import render_pdf
from domain.ledger import EXPENSE_KINDS, PAYMENT_KINDS
from domain.models import Invoice, LedgerEntry, Payment
from domain.orders import CartChanged
from domain.payments import STARS
from domain.unit import Domain
from handlers.billing.keyboards import (
    BILLING,
    HISTORIES,
    INVOICES,
    BillAction,
    BillCb,
    InvoiceAction,
    InvoiceCb,
    billing_markup,
    cancel_confirm_markup,
    cancel_markup,
    history_markup,
    invoice_amount_markup,
    invoice_markup,
    invoices_markup,
    months_markup,
    topup_markup,
)
from handlers.billing.resume import topup_amount
from handlers.billing.states import InvoiceForm, InvoiceFormData, TopupAmount
from handlers.billing.views import (
    billing_text,
    document_of,
    entry_labels,
    export_months,
    history_text,
    invoice_text,
    invoices_text,
    ledger_csv,
    month_bounds,
    topup_text,
)
from handlers.common.errors import refuse
from handlers.common.format import money, month_name, parse_amount
from handlers.common.ui import MenuCb, MenuSection, TopupCb, bot_of, chat_id_of, register_section, show
from handlers.menu import on_cancel
from handlers.payers import pick_payer


# the balance ---------------------------------------------------------------------------------------------
async def billing_pressed(callback: CallbackQuery, domain: Domain, i18n: I18nContext, user: Customer) -> None:
    """Balance and what can be done with it."""
    balance = await domain.ledger.balance(user.id)
    await show(callback, billing_text(i18n, balance, domain.ledger.currency), billing_markup(i18n))


# top-ups -------------------------------------------------------------------------------------------------
async def send_invoice(bot: Bot, chat_id: int, payment: Payment, i18n: I18nContext, provider_token: str,
                       invoice: Invoice | None = None) -> None:
    """The Telegram invoice of a top-up (its payment row is on disk already: the domain committed it); with
    `invoice`, the payment of that invoice (its total, VAT included)."""
    amount = money(payment.amount, payment.currency, i18n.locale)
    if invoice is not None:
        total = money(invoice.total, invoice.currency, i18n.locale)
        title = i18n.get("invoices-pdf-title", number=invoice.number)
        description = i18n.get("invoice-description-invoice", number=invoice.number, total=total, amount=amount)
        label = title
    else:
        title = i18n.get("invoice-title")
        description = i18n.get("invoice-description-checkout" if payment.then_checkout else "invoice-description",
                               amount=amount)
        label = i18n.get("invoice-label", amount=amount)
    await bot.send_invoice(
        chat_id=chat_id,
        title=title,
        description=description,
        payload=payment.payload,
        currency=payment.invoice_currency,
        prices=[LabeledPrice(label=label, amount=payment.invoice_amount)],
        provider_token="" if payment.method == STARS else provider_token,
    )


async def topup_pressed(callback: CallbackQuery, domain: Domain, i18n: I18nContext) -> None:
    """The preset amounts, and one of the customer's own."""
    settings, currency = domain.payments.settings, domain.ledger.currency
    await show(callback, topup_text(i18n, settings, currency), topup_markup(i18n, settings, currency))


async def custom_pressed(callback: CallbackQuery, domain: Domain, i18n: I18nContext, state: FSMContext) -> None:
    settings = domain.payments.settings
    currency = domain.ledger.currency
    await state.set_state(TopupAmount.amount)
    await show(callback, i18n.get("topup-ask-amount", minimum=money(settings.topup_min, currency, i18n.locale),
                                  maximum=money(settings.topup_max, currency, i18n.locale)),
               cancel_markup(i18n))


async def amount_entered(message: Message, bot: Bot, domain: Domain, i18n: I18nContext, user: Customer,
                         state: FSMContext, payment_provider_token: str) -> None:
    """A typed amount within the limits: which payer (when there are several), then the invoice."""
    try:
        amount = domain.payments.check_amount(parse_amount(message.text or "", domain.ledger.currency))
    except InvalidInput as exc:
        await refuse(message, i18n, exc, user.time_zone, cancel_markup(i18n))
        return
    await state.clear()
    if await pick_payer(message, domain, i18n, user, lambda payer: TopupCb(amount=amount, payer=payer), BILLING):
        return
    payment = await domain.payments.open_topup(user.id, amount)
    await send_invoice(bot, user.id, payment, i18n, payment_provider_token)


async def topup_chosen(callback: CallbackQuery, callback_data: TopupCb, bot: Bot, domain: Domain,
                       i18n: I18nContext, user: Customer, payment_provider_token: str) -> None:
    """A preset amount, or what the cart shown lacks (the domain computes it): send the invoice."""
    cart = callback_data.then
    if not callback_data.payer and await pick_payer(
            callback, domain, i18n, user,
            lambda payer: callback_data.model_copy(update={"payer": payer}),
            MenuCb(section="cart" if cart else "billing")):
        return
    try:
        amount = callback_data.amount
        if callback_data.resume:
            amount = await topup_amount(domain, user, callback_data.resume, amount)
        payment = await domain.payments.open_topup(user.id, amount,
                                                   cart_revision=callback_data.rev if cart else None,
                                                   payer_id=callback_data.payer or None,
                                                   resume=callback_data.resume or None)
    except DomainError as exc:
        if isinstance(exc, NotFound):
            raise
        await refuse(callback, i18n, exc, user.time_zone)
        return
    await send_invoice(bot, user.id, payment, i18n, payment_provider_token)


# payments and expenses -----------------------------------------------------------------------------------
async def labels_of(domain: Domain, i18n: I18nContext, entries: list[LedgerEntry]) -> dict[int, str]:
    services = await domain.orders.service_names({e.service_id for e in entries if e.service_id and not e.tariff_id})
    tariffs = await domain.ledger.tariffs({e.tariff_id for e in entries if e.tariff_id})
    return entry_labels(i18n, entries, services, tariffs)


async def history_pressed(callback: CallbackQuery, callback_data: BillCb, domain: Domain, i18n: I18nContext,
                          user: Customer) -> None:
    """Payments (top-ups, refunds) or expenses (charges per service), newest first, paginated."""
    action = callback_data.action
    kinds = PAYMENT_KINDS if action == BillAction.PAYMENTS else EXPENSE_KINDS
    result = await domain.ledger.entries(user.id, kinds, callback_data.page)
    labels = await labels_of(domain, i18n, result.entries)
    await show(callback, history_text(i18n, action, result.entries, user, labels),
               history_markup(i18n, action, result.page, result.pages))


async def export_pressed(callback: CallbackQuery, domain: Domain, i18n: I18nContext, user: Customer) -> None:
    """Offer the months (in the customer's zone) that have entries, newest first."""
    span = await domain.ledger.months_with_entries(user.id)
    if not span:
        await callback.answer(i18n.get("billing-export-none"), show_alert=True)
        return
    await show(callback, i18n.get("billing-export-choose"), months_markup(i18n, export_months(span, user.time_zone)))


async def csv_pressed(callback: CallbackQuery, callback_data: BillCb, domain: Domain, i18n: I18nContext,
                      user: Customer) -> None:
    """One month of the ledger as a CSV document, times in the customer's zone."""
    try:
        start, end = month_bounds(callback_data.month, user.time_zone)
    except ValueError:
        await callback.answer(i18n.get("error-generic"))
        return
    entries = await domain.ledger.between(user.id, start, end)
    data = ledger_csv(entries, await labels_of(domain, i18n, entries), domain.ledger.currency, user.time_zone)
    document = BufferedInputFile(data, filename=f"ledger-{callback_data.month}.csv")
    await callback.answer()
    caption = i18n.get("billing-export-caption", month=month_name(callback_data.month, i18n.locale, start=False),
                       count=len(entries))
    await bot_of(callback).send_document(chat_id_of(callback), document, caption=caption)


# invoices ------------------------------------------------------------------------------------------------
async def show_invoices(event: Message | CallbackQuery, domain: Domain, i18n: I18nContext, user: Customer,
                        page: int = 0, notice: str | None = None) -> None:
    """The list; its "Invoice for the cart" is bound to the cart as it is now."""
    result = await domain.invoices.page(user.id, page)
    cart = await domain.orders.cart(user.id)
    await show(event, invoices_text(i18n, result.invoices, notice),
               invoices_markup(i18n, result.invoices, result.page, result.pages, cart.revision if cart.lines else ""))


async def invoices_pressed(callback: CallbackQuery, callback_data: InvoiceCb, domain: Domain, i18n: I18nContext,
                           user: Customer, state: FSMContext, raw_state: str | None) -> None:
    """The customer's invoices, newest first."""
    if raw_state is not None:
        await state.clear()
    await show_invoices(callback, domain, i18n, user, callback_data.page)


async def show_invoice(event: Message | CallbackQuery, i18n: I18nContext, user: Customer, invoice: Invoice) -> None:
    await show(event, invoice_text(i18n, invoice, user.time_zone), invoice_markup(i18n, invoice))


async def render(domain: Domain, i18n: I18nContext, user: Customer, invoice: Invoice) -> bytes:
    """The PDF in the customer's language; about half a second of CPU (font subsetting), so off the event loop."""
    document = document_of(i18n.get, invoice, domain.invoices.vendor, i18n.locale, user.time_zone)
    return await asyncio.to_thread(render_pdf, document)


async def send_pdf(event: Message | CallbackQuery, i18n: I18nContext, invoice: Invoice, data: bytes) -> None:
    """The invoice's PDF as a message of its own in the customer's chat."""
    document = BufferedInputFile(data, filename=f"invoice-{invoice.number}.pdf")
    await bot_of(event).send_document(chat_id_of(event), document,
                                      caption=i18n.get("invoices-pdf-caption", number=invoice.number))


async def issued(event: Message | CallbackQuery, domain: Domain, i18n: I18nContext, user: Customer,
                 invoice: Invoice) -> None:
    """A new invoice: its screen, then its PDF as a message of its own."""
    data = await render(domain, i18n, user, invoice)
    await show_invoice(event, i18n, user, invoice)
    await send_pdf(event, i18n, invoice, data)


async def invoice_pressed(callback: CallbackQuery, callback_data: InvoiceCb, domain: Domain, i18n: I18nContext,
                          user: Customer) -> None:
    await show_invoice(callback, i18n, user, await domain.invoices.get(user.id, callback_data.id))


async def invoice_pdf_pressed(callback: CallbackQuery, callback_data: InvoiceCb, domain: Domain, i18n: I18nContext,
                              user: Customer) -> None:
    """The invoice as a PDF document, in the customer's language."""
    invoice = await domain.invoices.get(user.id, callback_data.id)
    data = await render(domain, i18n, user, invoice)
    await callback.answer()
    await send_pdf(callback, i18n, invoice, data)


async def invoice_pay_pressed(callback: CallbackQuery, callback_data: InvoiceCb, bot: Bot, domain: Domain,
                              i18n: I18nContext, user: Customer, payment_provider_token: str) -> None:
    """Pay a private person's invoice in the bot; one paid already says when, and nothing is charged again."""
    try:
        payment = await domain.invoices.pay(user.id, callback_data.id)
    except DomainError as exc:
        if isinstance(exc, NotFound):
            raise
        await refuse(callback, i18n, exc, user.time_zone)
        return
    invoice = await domain.invoices.get(user.id, callback_data.id)
    await callback.answer()
    await send_invoice(bot, user.id, payment, i18n, payment_provider_token, invoice)


async def invoice_cancel_pressed(callback: CallbackQuery, callback_data: InvoiceCb, domain: Domain,
                                 i18n: I18nContext, user: Customer) -> None:
    invoice = await domain.invoices.get(user.id, callback_data.id)
    await show(callback, i18n.get("invoices-cancel-confirm", number=invoice.number),
               cancel_confirm_markup(i18n, invoice))


async def invoice_cancel_confirmed(callback: CallbackQuery, callback_data: InvoiceCb, domain: Domain,
                                   i18n: I18nContext, user: Customer) -> None:
    """Cancel an open invoice; one paid or cancelled meanwhile is refused, and the list shows how it stands."""
    try:
        await domain.invoices.cancel(user.id, callback_data.id)
    except DomainError as exc:
        if isinstance(exc, NotFound):
            raise
        await refuse(callback, i18n, exc, user.time_zone)
    await show_invoices(callback, domain, i18n, user)


async def invoice_topup_pressed(callback: CallbackQuery, callback_data: InvoiceCb, domain: Domain,
                                i18n: I18nContext, user: Customer, state: FSMContext) -> None:
    """Pick the payer (when there are several), then ask the amount."""
    if not callback_data.payer and await pick_payer(
            callback, domain, i18n, user, lambda payer: InvoiceCb(action=InvoiceAction.TOPUP, payer=payer),
            INVOICES):
        return
    payer_id = await domain.payers.resolve(user.id, callback_data.payer or None)
    settings = domain.payments.settings
    currency = domain.ledger.currency
    await state.set_state(InvoiceForm.amount)
    await InvoiceFormData(payer=payer_id).save(state)
    await show(callback, i18n.get("invoices-ask-amount", minimum=money(settings.topup_min, currency, i18n.locale),
                                  maximum=money(settings.topup_max, currency, i18n.locale)),
               invoice_amount_markup(i18n))


async def invoice_amount_entered(message: Message, domain: Domain, i18n: I18nContext, user: Customer,
                                 state: FSMContext) -> None:
    data = await InvoiceFormData.load(state)
    try:
        invoice = await domain.invoices.issue_topup(user.id, data.payer,
                                                    parse_amount(message.text or "", domain.ledger.currency))
    except InvalidInput as exc:
        await refuse(message, i18n, exc, user.time_zone, cancel_markup(i18n))
        return
    await state.clear()
    await issued(message, domain, i18n, user, invoice)


async def invoice_cart_pressed(callback: CallbackQuery, callback_data: InvoiceCb, domain: Domain, i18n: I18nContext,
                               user: Customer) -> None:
    """An invoice for the cart the list was shown with; one paid or changed since is said so, and nothing is
    issued."""
    if not callback_data.payer and await pick_payer(
            callback, domain, i18n, user,
            lambda payer: InvoiceCb(action=InvoiceAction.CART, payer=payer, rev=callback_data.rev), INVOICES):
        return
    try:
        invoice = await domain.invoices.issue_for_cart(user.id, callback_data.payer or None,
                                                       callback_data.rev or None)
    except CartChanged:
        await show_invoices(callback, domain, i18n, user, notice=i18n.get("invoices-cart-changed"))
        return
    except DomainError as exc:
        if isinstance(exc, NotFound):
            raise
        await refuse(callback, i18n, exc, user.time_zone)
        return
    await issued(callback, domain, i18n, user, invoice)


def router() -> Router:
    """The customer's side of billing, in the order its handlers are tried."""
    routes = Router(name=__name__)
    routes.callback_query.register(billing_pressed, MenuCb.filter(F.section == "billing"))
    routes.callback_query.register(topup_pressed, BillCb.filter(F.action == BillAction.TOPUP))
    routes.callback_query.register(custom_pressed, BillCb.filter(F.action == BillAction.CUSTOM))
    routes.message.register(amount_entered, TopupAmount.amount, F.text)
    routes.callback_query.register(topup_chosen, TopupCb.filter())
    routes.callback_query.register(history_pressed, BillCb.filter(F.action.in_(HISTORIES)))
    routes.callback_query.register(export_pressed, BillCb.filter(F.action == BillAction.EXPORT))
    routes.callback_query.register(csv_pressed, BillCb.filter(F.action == BillAction.CSV))
    routes.callback_query.register(invoices_pressed, InvoiceCb.filter(F.action == InvoiceAction.LIST))
    routes.callback_query.register(invoice_pressed, InvoiceCb.filter(F.action == InvoiceAction.VIEW))
    routes.callback_query.register(invoice_pdf_pressed, InvoiceCb.filter(F.action == InvoiceAction.PDF))
    routes.callback_query.register(invoice_pay_pressed, InvoiceCb.filter(F.action == InvoiceAction.PAY))
    routes.callback_query.register(invoice_cancel_pressed, InvoiceCb.filter(F.action == InvoiceAction.CANCEL))
    routes.callback_query.register(invoice_cancel_confirmed,
                                   InvoiceCb.filter(F.action == InvoiceAction.CANCEL_CONFIRM))
    routes.callback_query.register(invoice_topup_pressed, InvoiceCb.filter(F.action == InvoiceAction.TOPUP))
    routes.message.register(invoice_amount_entered, InvoiceForm.amount, F.text)
    routes.callback_query.register(invoice_cart_pressed, InvoiceCb.filter(F.action == InvoiceAction.CART))
    return routes


register_section(MenuSection(key="billing", text_key="menu-button-billing", order=300))


@on_cancel(TopupAmount)
@on_cancel(InvoiceForm)
async def billing_form_cancelled(event: Message | CallbackQuery, domain: Domain, i18n: I18nContext, user: Customer,
                                 state: FSMContext, note: str) -> None:
    """Cancel while a top-up or an invoice's amount is asked: back to billing."""
    await state.clear()
    balance = await domain.ledger.balance(user.id)
    await show(event, f"{note}\n\n{billing_text(i18n, balance, domain.ledger.currency)}", billing_markup(i18n))
