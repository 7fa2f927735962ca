"""Billing: callback data and keyboards."""

from __future__ import annotations

from enum import StrEnum

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram_i18n import I18nContext

from domain.invoices import OPEN
from domain.models import Invoice
from domain.payments import PaymentSettings
from handlers.common.format import money, month_name
from handlers.common.ui import Callback, MenuCb, TopupCb, button, keyboard, nav_row

BILLING = MenuCb(section="billing")


class BillAction(StrEnum):
    """What a button of the billing screens does; the values are what buttons already sent carry."""

    TOPUP = "topup"  # the preset amounts
    CUSTOM = "custom"  # ask for an amount
    PAYMENTS = "payments"
    EXPENSES = "expenses"
    EXPORT = "export"  # choose a month
    CSV = "csv"  # that month as a CSV document


HISTORIES = (BillAction.PAYMENTS, BillAction.EXPENSES)


class BillCb(Callback, prefix="b"):
    """A billing screen: `page` of a history, `month` (YYYY-MM) of an export."""

    action: BillAction
    page: int = 0
    month: str = ""


class InvoiceAction(StrEnum):
    """What a button of Billing -> Invoices does; the values are what buttons already sent carry."""

    LIST = "list"
    TOPUP = "topup"  # an invoice for a top-up: ask the amount
    CART = "cart"  # an invoice for the cart as it is now
    VIEW = "view"
    PAY = "pay"  # a private person's invoice, paid in the bot
    PDF = "pdf"
    CANCEL = "cancel"
    CANCEL_CONFIRM = "cancel-yes"


class InvoiceCb(Callback, prefix="iv"):
    """An invoice screen or action: `id` the invoice, `payer` the one picked, `page` of the list, `rev` the cart
    revision an invoice for the cart is asked for (the cart shown when the list was)."""

    action: InvoiceAction
    id: int = 0
    payer: int = 0
    page: int = 0
    rev: str = ""


INVOICES = InvoiceCb(action=InvoiceAction.LIST)


def cancel_markup(i18n: I18nContext) -> InlineKeyboardMarkup:
    return keyboard([button(i18n.get("button-cancel"), "cancel")])


def billing_markup(i18n: I18nContext) -> InlineKeyboardMarkup:
    return keyboard(
        [button(i18n.get("billing-topup"), BillCb(action=BillAction.TOPUP))],
        [button(i18n.get("billing-payments"), BillCb(action=BillAction.PAYMENTS)),
         button(i18n.get("billing-expenses"), BillCb(action=BillAction.EXPENSES))],
        [button(i18n.get("billing-export"), BillCb(action=BillAction.EXPORT))],
        [button(i18n.get("invoices-button"), INVOICES),
         button(i18n.get("methods-autopay-billing-button"), MenuCb(section="autopay"))],
        nav_row(i18n),
    )


def topup_markup(i18n: I18nContext, settings: PaymentSettings, currency: str) -> InlineKeyboardMarkup:
    amounts = [button(money(a, currency, i18n.locale), TopupCb(amount=a)) for a in settings.presets]
    return keyboard(
        *(amounts[i : i + 2] for i in range(0, len(amounts), 2)),
        [button(i18n.get("topup-custom"), BillCb(action=BillAction.CUSTOM))],
        nav_row(i18n, BILLING),
    )


def history_markup(i18n: I18nContext, action: BillAction, page: int, pages: int) -> InlineKeyboardMarkup:
    pager = []
    if page > 0:
        pager.append(button("‹", BillCb(action=action, page=page - 1)))
    if pages > 1:
        pager.append(button(f"{page + 1}/{pages}", BillCb(action=action, page=page)))
    if page < pages - 1:
        pager.append(button("›", BillCb(action=action, page=page + 1)))
    return keyboard(pager, nav_row(i18n, BILLING))


def months_markup(i18n: I18nContext, months: list[str]) -> InlineKeyboardMarkup:
    rows = [[button(month_name(m, i18n.locale), BillCb(action=BillAction.CSV, month=m))] for m in months]
    return keyboard(*rows, nav_row(i18n, BILLING))


def invoices_markup(i18n: I18nContext, invoices: list[Invoice], page: int, pages: int,
                    cart_revision: str = "") -> InlineKeyboardMarkup:
    rows: list[list[InlineKeyboardButton]] = [
        [button(i18n.get("invoices-list-item", number=inv.number, total=money(inv.total, inv.currency, i18n.locale),
                         status=i18n.get(f"invoices-status-{inv.status}")),
                InvoiceCb(action=InvoiceAction.VIEW, id=inv.id))]
        for inv in invoices]
    pager = []
    if page > 0:
        pager.append(button("‹", InvoiceCb(action=InvoiceAction.LIST, page=page - 1)))
    if page < pages - 1:
        pager.append(button("›", InvoiceCb(action=InvoiceAction.LIST, page=page + 1)))
    rows.append(pager)
    rows.append([button(i18n.get("invoices-new-topup"), InvoiceCb(action=InvoiceAction.TOPUP))])
    rows.append([button(i18n.get("invoices-new-cart"), InvoiceCb(action=InvoiceAction.CART, rev=cart_revision))])
    return keyboard(*rows, nav_row(i18n, BILLING))


def invoice_markup(i18n: I18nContext, invoice: Invoice) -> InlineKeyboardMarkup:
    """Pay while a private person's invoice is open (a bank transfer is paid outside the bot); the PDF always;
    Cancel only while the invoice is open."""
    rows = []
    if invoice.status in OPEN and not invoice.bank_transfer:
        rows.append([button(i18n.get("invoices-pay", total=money(invoice.total, invoice.currency, i18n.locale)),
                            InvoiceCb(action=InvoiceAction.PAY, id=invoice.id))])
    rows.append([button(i18n.get("invoices-pdf"), InvoiceCb(action=InvoiceAction.PDF, id=invoice.id))])
    if invoice.status in OPEN:
        rows.append([button(i18n.get("invoices-cancel"), InvoiceCb(action=InvoiceAction.CANCEL, id=invoice.id))])
    return keyboard(*rows, nav_row(i18n, INVOICES))


def cancel_confirm_markup(i18n: I18nContext, invoice: Invoice) -> InlineKeyboardMarkup:
    return keyboard(
        [button(i18n.get("invoices-cancel-yes"), InvoiceCb(action=InvoiceAction.CANCEL_CONFIRM, id=invoice.id)),
         button(i18n.get("invoices-cancel-no"), InvoiceCb(action=InvoiceAction.VIEW, id=invoice.id))])


def invoice_amount_markup(i18n: I18nContext) -> InlineKeyboardMarkup:
    return keyboard([button(i18n.get("button-back"), INVOICES), button(i18n.get("button-cancel"), "cancel")])
