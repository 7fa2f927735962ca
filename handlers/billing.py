"""Billing: balance, top-up (presets or a typed amount), payments, expenses, a month's CSV export."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from decimal import Decimal
from html import escape

from aiogram import F, Router
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import BufferedInputFile, CallbackQuery, Message
from aiogram_i18n import I18nContext
from babel.numbers import get_currency_precision

from domain.accounts import Customer
from domain.errors import InvalidInput
from domain.ledger import EXPENSE_KINDS, PAYMENT_KINDS
from domain.models import LedgerEntry
from domain.unit import Domain
from domain.validation import display_domain
from handlers.common.errors import refuse
from handlers.common.format import money, parse_amount, text_of, when, zone
from handlers.common.ui import Callback, MenuCb, MenuSection, TopupCb, button, keyboard, nav_row, register_section, show
from handlers.invoices import INVOICES
from handlers.payers import pick_payer
from handlers.payments import start_topup

register_section(MenuSection(key="billing", text_key="menu-button-billing", order=300))
BILLING = MenuCb(section="billing")
EXPORT_MONTHS = 12


class BillCb(Callback, prefix="b"):
    """action: topup, custom, payments, expenses, export, csv; page; month as YYYY-MM."""

    action: str
    page: int = 0
    month: str = ""


class TopupAmount(StatesGroup):
    amount = State()


async def billing_pressed(callback: CallbackQuery, domain: Domain, i18n: I18nContext, user: Customer) -> None:
    """Balance and what can be done with it."""
    balance = await domain.ledger.balance(user.id)
    text = i18n.get("billing-text", balance=money(balance, domain.ledger.currency, i18n.locale))
    await show(callback, text, keyboard(
        [button(i18n.get("billing-topup"), BillCb(action="topup"))],
        [button(i18n.get("billing-payments"), BillCb(action="payments")),
         button(i18n.get("billing-expenses"), BillCb(action="expenses"))],
        [button(i18n.get("billing-export"), BillCb(action="export"))],
        [button(i18n.get("invoices-button"), INVOICES),
         button(i18n.get("methods-autopay-billing-button"), MenuCb(section="autopay"))],
        nav_row(i18n),
    ))


async def topup_pressed(callback: CallbackQuery, domain: Domain, i18n: I18nContext) -> None:
    settings = domain.payments.settings
    currency = domain.ledger.currency
    amounts = [button(money(a, currency, i18n.locale), TopupCb(amount=a)) for a in settings.presets]
    text = i18n.get("topup-choose", minimum=money(settings.topup_min, currency, i18n.locale),
                    maximum=money(settings.topup_max, currency, i18n.locale),
                    method=i18n.get(f"topup-method-{settings.method}"))
    await show(callback, text, keyboard(
        *(amounts[i : i + 2] for i in range(0, len(amounts), 2)),
        [button(i18n.get("topup-custom"), BillCb(action="custom"))],
        nav_row(i18n, BILLING),
    ))


async def custom_pressed(callback: CallbackQuery, domain: Domain, i18n: I18nContext, state: FSMContext) -> None:
    settings = domain.payments.settings
    currency = domain.ledger.currency
    await state.set_state(TopupAmount.amount)
    await show(callback, i18n.get("topup-ask-amount", minimum=money(settings.topup_min, currency, i18n.locale),
                                  maximum=money(settings.topup_max, currency, i18n.locale)),
               keyboard([button(i18n.get("button-cancel"), "cancel")]))


async def amount_entered(message: Message, domain: Domain, i18n: I18nContext, user: Customer, state: FSMContext,
                         payment_provider_token: str) -> None:
    currency = domain.ledger.currency
    try:
        amount = domain.payments.check_amount(parse_amount(message.text or "", currency))
    except InvalidInput as exc:
        await refuse(message, i18n, exc, user.time_zone, keyboard([button(i18n.get("button-cancel"), "cancel")]))
        return
    await state.clear()
    if await pick_payer(message, domain, i18n, user, lambda payer: TopupCb(amount=amount, payer=payer), BILLING):
        return
    await start_topup(message, domain, i18n, user, amount, payment_provider_token)


async def _service_labels(domain: Domain, i18n: I18nContext, entries: list[LedgerEntry]) -> dict[int, str]:
    services = await domain.orders.service_names({e.service_id for e in entries if e.service_id})
    labels = {}
    for service_id, (service, tariff) in services.items():
        what = service.name or display_domain(service.domain or "") or service.ip_address or ""
        labels[service_id] = f"#{service_id} {text_of(tariff.names, i18n.locale)} {what}".strip()
    return labels


def _entry_line(i18n: I18nContext, entry: LedgerEntry, user: Customer, label: str | None) -> str:
    amount = money(abs(entry.amount), entry.currency, i18n.locale)
    sign = "+" if entry.amount >= 0 else "−"
    what = escape(label) if label else i18n.get(f"ledger-kind-{entry.kind}")
    return f"{when(entry.created_at, user.time_zone, i18n.locale)}  <b>{sign}{amount}</b>  {what}"


async def _entries_screen(callback: CallbackQuery, domain: Domain, i18n: I18nContext, user: Customer,
                          action: str, page: int) -> None:
    kinds = PAYMENT_KINDS if action == "payments" else EXPENSE_KINDS
    result = await domain.ledger.entries(user.id, kinds, page)
    labels = await _service_labels(domain, i18n, result.entries)
    title = i18n.get(f"billing-{action}-title")
    if not result.entries:
        body = i18n.get(f"billing-{action}-none")
    else:
        body = "\n".join(_entry_line(i18n, e, user, labels.get(e.service_id or 0)) for e in result.entries)
    pager = []
    if result.page > 0:
        pager.append(button("‹", BillCb(action=action, page=result.page - 1)))
    if result.pages > 1:
        pager.append(button(f"{result.page + 1}/{result.pages}", BillCb(action=action, page=result.page)))
    if result.page < result.pages - 1:
        pager.append(button("›", BillCb(action=action, page=result.page + 1)))
    await show(callback, f"<b>{title}</b>\n\n{body}", keyboard(pager, nav_row(i18n, BILLING)))


async def entries_pressed(callback: CallbackQuery, callback_data: BillCb, domain: Domain, i18n: I18nContext,
                          user: Customer) -> None:
    """Payments (top-ups, refunds) or expenses (charges per service), newest first, paginated."""
    await _entries_screen(callback, domain, i18n, user, callback_data.action, callback_data.page)


def _month_bounds(month: str, time_zone: str) -> tuple[datetime, datetime]:
    year, number = (int(part) for part in month.split("-"))
    tz = zone(time_zone)
    start = datetime(year, number, 1, tzinfo=tz)
    end = datetime(year + number // 12, number % 12 + 1, 1, tzinfo=tz)
    return start.astimezone(UTC), end.astimezone(UTC)


async def export_pressed(callback: CallbackQuery, domain: Domain, i18n: I18nContext, user: Customer) -> None:
    """Offer the months (in the customer's zone) that have entries, newest first."""
    span = await domain.ledger.months_with_entries(user.id)
    if not span:
        await callback.answer(i18n.get("billing-export-none"), show_alert=True)
        return
    tz = zone(user.time_zone)
    first, last = (moment.astimezone(tz) for moment in span)
    months = []
    year, month = last.year, last.month
    while (year, month) >= (first.year, first.month) and len(months) < EXPORT_MONTHS:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    rows = [[button(m, BillCb(action="csv", month=m))] for m in months]
    await show(callback, i18n.get("billing-export-choose"), keyboard(*rows, nav_row(i18n, BILLING)))


async def csv_pressed(callback: CallbackQuery, callback_data: BillCb, domain: Domain, i18n: I18nContext,
                      user: Customer) -> None:
    """One month of the ledger as a CSV document, times in the customer's zone."""
    try:
        start, end = _month_bounds(callback_data.month, user.time_zone)
    except ValueError:
        await callback.answer(i18n.get("error-generic"))
        return
    entries = await domain.ledger.between(user.id, start, end)
    labels = await _service_labels(domain, i18n, entries)
    precision = get_currency_precision(domain.ledger.currency)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["date", "kind", "amount", "currency", "service", "reference"])
    tz = zone(user.time_zone)
    for entry in entries:
        writer.writerow([entry.created_at.astimezone(tz).isoformat(timespec="seconds"), entry.kind,
                         f"{Decimal(entry.amount).scaleb(-precision):.{precision}f}", entry.currency,
                         labels.get(entry.service_id or 0, ""), entry.reference])
    document = BufferedInputFile(buffer.getvalue().encode("utf-8-sig"), filename=f"ledger-{callback_data.month}.csv")
    await callback.answer()
    await callback.message.answer_document(  # type: ignore[union-attr]
        document, caption=i18n.get("billing-export-caption", month=callback_data.month, count=len(entries)))


def router() -> Router:
    """This section's handlers, in the order they are tried."""
    routes = Router(name=__name__)
    routes.callback_query.register(billing_pressed, MenuCb.filter(F.section == "billing"))
    routes.callback_query.register(topup_pressed, BillCb.filter(F.action == "topup"))
    routes.callback_query.register(custom_pressed, BillCb.filter(F.action == "custom"))
    routes.message.register(amount_entered, TopupAmount.amount, F.text)
    routes.callback_query.register(entries_pressed, BillCb.filter(F.action.in_({"payments", "expenses"})))
    routes.callback_query.register(export_pressed, BillCb.filter(F.action == "export"))
    routes.callback_query.register(csv_pressed, BillCb.filter(F.action == "csv"))
    return routes
