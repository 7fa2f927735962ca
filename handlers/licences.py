"""Licences and modules: the list with a status filter, details, and what can be done with one (rename, IP
address, new activation key, tariff, auto-renewal, delete, history). Ownership is the domain's business:
every call passes the acting customer, so a forged id is "not found"."""

from __future__ import annotations

from datetime import datetime
from html import escape
from typing import Any

from aiogram import F, Router
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram_i18n import I18nContext

from domain.accounts import Customer
from domain.errors import InvalidInput
from domain.ledger import InsufficientFunds
from domain.models import Service, ServiceEvent
from domain.services import FILTERS, Details, IpChangeLimited, KeyLimited, QuoteChanged, Row
from domain.unit import Domain
from handlers.cart import TopupCb
from handlers.common.errors import refuse
from handlers.common.format import day, money, when
from handlers.common.ui import Callback, MenuCb, MenuSection, button, keyboard, nav_row, register_section, show
from handlers.guard import GUARDED
from handlers.order import text_of
from handlers.tickets import question

register_section(MenuSection(key="licences", text_key="menu-button-licences", order=200))

SUPPORT = MenuCb(section="support")


class ListCb(Callback, prefix="sl"):
    """k: licence or module; f: status filter; p: page; pick: 1 shows the filter choices."""

    k: str = "licence"
    f: str = "all"
    p: int = 0
    pick: int = 0


class SvcCb(Callback, prefix="sv"):
    """a: d (details), rn, ip, key, key!, tf (tariffs), tc (confirm), tx (change), ar (auto-renewal),
    del, del!, h (history); v: a tariff id, on/off or a page; x: the amount the customer confirmed."""

    a: str
    id: int
    v: int = 0
    x: int = 0


class ServiceForm(StatesGroup):
    name = State()
    ip = State()


# text helpers ---------------------------------------------------------------------------------------------
def title(service: Service) -> str:
    """'#12 web-1' (escaped), or '#12' for an unnamed service."""
    return f"#{service.id} {escape(service.name)}" if service.name else f"#{service.id}"


def plain_title(service: Service) -> str:
    return f"#{service.id} {service.name}" if service.name else f"#{service.id}"


def status_text(i18n: I18nContext, status: str) -> str:
    return i18n.get("licence-status", status=status)


def list_line(i18n: I18nContext, row: Row, user: Customer) -> str:
    service = row.service
    parts = [service.ip_address] if service.ip_address else []
    if row.parent is not None:
        parts.append(i18n.get("licence-on-licence", licence=title(row.parent)))
    parts.append(status_text(i18n, service.status))
    parts.append(i18n.get("licence-until", date=day(service.expires_at, user.time_zone, i18n.locale)))
    return (f"<b>{title(service)}</b> — {escape(text_of(row.tariff.names, i18n.locale))}\n"
            + " · ".join(parts))


def pager(prev: CallbackData | None, next_: CallbackData | None, page: int, pages: int) -> list[InlineKeyboardButton]:
    if pages <= 1:
        return []
    row = []
    if prev is not None:
        row.append(button("«", prev))
    row.append(button(f"{page + 1}/{pages}", "noop"))
    if next_ is not None:
        row.append(button("»", next_))
    return row


# list -----------------------------------------------------------------------------------------------------
async def render_list(event: Message | CallbackQuery, domain: Domain, i18n: I18nContext, user: Customer,
                      cb: ListCb, notice: str | None = None) -> None:
    page = await domain.services.page(user.id, cb.k, cb.f, cb.p)
    head = i18n.get("licence-list-title" if cb.k == "licence" else "module-list-title",
                    filter=i18n.get("licence-filter", filter=cb.f), count=page.total)
    lines = [notice, ""] if notice else []
    lines.append(head)
    if not page.rows:
        lines.append("\n" + i18n.get("licence-list-empty" if cb.k == "licence" else "module-list-empty"))
    for row in page.rows:
        lines.append("\n" + list_line(i18n, row, user))
    rows = [[button(f"{plain_title(r.service)} · {text_of(r.tariff.names, i18n.locale)}",
                    SvcCb(a="d", id=r.service.id))] for r in page.rows]
    rows.append(pager(ListCb(k=cb.k, f=cb.f, p=page.page - 1) if page.page > 0 else None,
                      ListCb(k=cb.k, f=cb.f, p=page.page + 1) if page.page + 1 < page.pages else None,
                      page.page, page.pages))
    other = "module" if cb.k == "licence" else "licence"
    rows.append([button(i18n.get("licence-button-filter", filter=i18n.get("licence-filter", filter=cb.f)),
                        ListCb(k=cb.k, f=cb.f, pick=1)),
                 button(i18n.get(f"licence-button-{other}s"), ListCb(k=other))])
    if not page.rows and cb.f == "all":
        rows.append([button(i18n.get("menu-button-order"), MenuCb(section="order"))])
    await show(event, "\n".join(lines), keyboard(*rows, nav_row(i18n)))


async def licences_pressed(callback: CallbackQuery, domain: Domain, i18n: I18nContext, user: Customer) -> None:
    """The customer's licences, newest first."""
    await render_list(callback, domain, i18n, user, ListCb())


async def filter_pressed(callback: CallbackQuery, callback_data: ListCb, i18n: I18nContext) -> None:
    """Choose which statuses the list shows."""
    rows = [[button(("• " if f == callback_data.f else "") + i18n.get("licence-filter", filter=f),
                    ListCb(k=callback_data.k, f=f))] for f in FILTERS]
    await show(callback, i18n.get("licence-choose-filter"),
               keyboard(*rows, nav_row(i18n, ListCb(k=callback_data.k, f=callback_data.f))))


async def list_pressed(callback: CallbackQuery, callback_data: ListCb, domain: Domain, i18n: I18nContext,
                       user: Customer) -> None:
    await render_list(callback, domain, i18n, user, callback_data)


async def noop_pressed(callback: CallbackQuery) -> None:
    """The page counter between the arrows."""
    await callback.answer()


# details --------------------------------------------------------------------------------------------------
def details_text(i18n: I18nContext, details: Details, user: Customer) -> str:
    row, service, tz, locale = details.row, details.row.service, user.time_zone, i18n.locale
    lines = [i18n.get(f"licence-details-title-{service.kind}", title=title(service)),
             i18n.get("licence-field-product", value=escape(text_of(row.product.names, locale))),
             i18n.get("licence-field-tariff", value=escape(text_of(row.tariff.names, locale))),
             i18n.get("licence-field-name", value=escape(service.name) if service.name else "—")]
    if service.kind == "licence":
        lines.append(i18n.get("licence-field-ip", value=service.ip_address or "—"))
    if row.parent is not None:
        lines.append(i18n.get("licence-field-licence", value=title(row.parent)))
    lines += [
        i18n.get("licence-field-status", value=status_text(i18n, service.status)),
        i18n.get("licence-field-period", months=service.period_months),
        i18n.get("licence-field-ordered", value=day(service.created_at, tz, locale)),
        i18n.get("licence-field-expires", value=when(service.expires_at, tz, locale)),
        i18n.get("licence-field-auto-renew", on="yes" if service.auto_renew else "no"),
    ]
    if details.modules:
        lines.append("\n" + i18n.get("licence-modules", count=len(details.modules)))
        lines += [f"• {title(m.service)} — {escape(text_of(m.tariff.names, locale))}, "
                  f"{status_text(i18n, m.service.status)}" for m in details.modules]
    return "\n".join(lines)


def details_markup(i18n: I18nContext, details: Details) -> InlineKeyboardMarkup:
    service = details.row.service
    sid = service.id
    back = ListCb(k=service.kind, f="deleted" if service.status == "deleted" else "all")
    if service.status == "deleted":
        return keyboard([button(i18n.get("licence-button-history"), SvcCb(a="h", id=sid))], nav_row(i18n, back))
    rows = [[button(i18n.get("licence-button-rename"), SvcCb(a="rn", id=sid))]]
    if service.kind == "licence":
        rows[0].append(button(i18n.get("licence-button-ip"), SvcCb(a="ip", id=sid)))
        rows.append([button(i18n.get("licence-button-key"), SvcCb(a="key", id=sid))])
    if service.status == "active":
        rows.append([button(i18n.get("licence-button-tariff"), SvcCb(a="tf", id=sid))])
    rows.append([button(i18n.get("licence-button-auto-renew", on="yes" if service.auto_renew else "no"),
                        SvcCb(a="ar", id=sid, v=0 if service.auto_renew else 1))])
    rows.append([button(i18n.get("licence-button-history"), SvcCb(a="h", id=sid)),
                 button(i18n.get("licence-button-delete"), SvcCb(a="del", id=sid))])
    rows.append([button(i18n.get("tickets-button-question"), question(sid))])
    rows += [[button(f"🧩 {plain_title(m.service)} · {text_of(m.tariff.names, i18n.locale)}",
                     SvcCb(a="d", id=m.service.id))] for m in details.modules]
    if details.row.parent is not None:
        back = SvcCb(a="d", id=details.row.parent.id)  # type: ignore[assignment]
    return keyboard(*rows, nav_row(i18n, back))


async def render_details(event: Message | CallbackQuery, domain: Domain, i18n: I18nContext, user: Customer,
                         service_id: int, notice: str | None = None) -> None:
    details = await domain.services.details(user.id, service_id)
    text = details_text(i18n, details, user)
    await show(event, f"{notice}\n\n{text}" if notice else text, details_markup(i18n, details))


async def details_pressed(callback: CallbackQuery, callback_data: SvcCb, domain: Domain, i18n: I18nContext,
                          user: Customer, state: FSMContext, raw_state: str | None) -> None:
    """Every parameter of one service and what can be done with it."""
    if raw_state in ServiceForm:
        await state.clear()
    await render_details(callback, domain, i18n, user, callback_data.id)


def back_to(service_id: int, i18n: I18nContext) -> InlineKeyboardMarkup:
    return keyboard(nav_row(i18n, SvcCb(a="d", id=service_id)))


def refusal_markup(i18n: I18nContext, service_id: int) -> InlineKeyboardMarkup:
    """A refusal (new key, IP change too soon) offers a ticket about this service."""
    return keyboard([button(i18n.get("licence-button-support"), question(service_id))],
                    nav_row(i18n, SvcCb(a="d", id=service_id)))


def form_markup(i18n: I18nContext, service_id: int) -> InlineKeyboardMarkup:
    return keyboard([button(i18n.get("button-back"), SvcCb(a="d", id=service_id)),
                     button(i18n.get("button-cancel"), "cancel")])


# rename ---------------------------------------------------------------------------------------------------
async def rename_pressed(callback: CallbackQuery, callback_data: SvcCb, domain: Domain, i18n: I18nContext,
                         user: Customer, state: FSMContext) -> None:
    details = await domain.services.details(user.id, callback_data.id)
    service = details.row.service
    if service.status == "deleted":
        await render_details(callback, domain, i18n, user, service.id)
        return
    await state.set_state(ServiceForm.name)
    await state.set_data({"service": service.id})
    await show(callback, i18n.get("licence-ask-name", title=title(service),
                                  current=escape(service.name) if service.name else "—"),
               form_markup(i18n, service.id))


async def name_entered(message: Message, domain: Domain, i18n: I18nContext, user: Customer,
                       state: FSMContext) -> None:
    service_id = int((await state.get_data())["service"])
    try:
        service = await domain.services.rename(user.id, service_id, message.text or "")
    except InvalidInput as exc:
        await refuse(message, i18n, exc, user.time_zone, form_markup(i18n, service_id))
        return
    await state.clear()
    await render_details(message, domain, i18n, user, service.id, i18n.get("licence-renamed"))


# IP address -----------------------------------------------------------------------------------------------
def ip_limited_text(i18n: I18nContext, user: Customer, exc: IpChangeLimited) -> str:
    return i18n.get("licence-ip-limited", date=day(exc.available, user.time_zone, i18n.locale))


async def ip_pressed(callback: CallbackQuery, callback_data: SvcCb, domain: Domain, i18n: I18nContext,
                     user: Customer, state: FSMContext) -> None:
    """Ask for the new address, or say from when a change is possible again."""
    available = await domain.services.ip_change_available(user.id, callback_data.id)
    if available is not None:
        await show(callback, ip_limited_text(i18n, user, IpChangeLimited(available)),
                   refusal_markup(i18n, callback_data.id))
        return
    details = await domain.services.details(user.id, callback_data.id)
    await state.set_state(ServiceForm.ip)
    await state.set_data({"service": callback_data.id})
    await show(callback, i18n.get("licence-ask-ip", title=title(details.row.service),
                                  current=details.row.service.ip_address or "—"),
               form_markup(i18n, callback_data.id))


async def ip_entered(message: Message, domain: Domain, i18n: I18nContext, user: Customer, state: FSMContext) -> None:
    service_id = int((await state.get_data())["service"])
    try:
        service = await domain.services.change_ip(user.id, service_id, message.text or "")
    except InvalidInput as exc:
        await refuse(message, i18n, exc, user.time_zone, form_markup(i18n, service_id))
        return
    except IpChangeLimited as exc:
        await state.clear()
        await message.answer(ip_limited_text(i18n, user, exc), reply_markup=refusal_markup(i18n, service_id))
        return
    await state.clear()
    await render_details(message, domain, i18n, user, service.id,
                         i18n.get("licence-ip-changed", ip=service.ip_address or ""))


# activation key -------------------------------------------------------------------------------------------
def key_limited_text(i18n: I18nContext, user: Customer, exc: KeyLimited) -> str:
    return i18n.get("licence-key-limited", date=when(exc.available, user.time_zone, i18n.locale))


async def key_pressed(callback: CallbackQuery, callback_data: SvcCb, domain: Domain, i18n: I18nContext,
                      user: Customer) -> None:
    """A new key replaces the old one: say so and ask first (or say when a new one is possible)."""
    available = await domain.services.key_available(user.id, callback_data.id)
    if available is not None:
        await show(callback, key_limited_text(i18n, user, KeyLimited(available)),
                   refusal_markup(i18n, callback_data.id))
        return
    details = await domain.services.details(user.id, callback_data.id)
    await show(callback, i18n.get("licence-key-confirm", title=title(details.row.service)), keyboard(
        [button(i18n.get("licence-button-key-confirm"), SvcCb(a="key!", id=callback_data.id))],
        nav_row(i18n, SvcCb(a="d", id=callback_data.id))))


async def key_confirmed(callback: CallbackQuery, callback_data: SvcCb, domain: Domain, i18n: I18nContext,
                        user: Customer) -> None:
    """Generate the key and show it once; only its ciphertext is kept."""
    try:
        key = await domain.services.new_key(user.id, callback_data.id)
    except KeyLimited as exc:
        await show(callback, key_limited_text(i18n, user, exc), refusal_markup(i18n, callback_data.id))
        return
    details = await domain.services.details(user.id, callback_data.id)
    await show(callback, i18n.get("licence-key-new", title=title(details.row.service), key=key),
               back_to(callback_data.id, i18n))


# tariff ---------------------------------------------------------------------------------------------------
def signed(i18n: I18nContext, amount: int, currency: str) -> str:
    if amount > 0:
        return i18n.get("licence-tariff-pay", amount=money(amount, currency, i18n.locale))
    if amount < 0:
        return i18n.get("licence-tariff-credit", amount=money(-amount, currency, i18n.locale))
    return i18n.get("licence-tariff-free")


async def tariffs_pressed(callback: CallbackQuery, callback_data: SvcCb, domain: Domain, i18n: I18nContext,
                          user: Customer) -> None:
    """The other tariffs with what switching costs for the rest of the period."""
    row, quotes = await domain.services.tariff_quotes(user.id, callback_data.id)
    currency, locale = domain.ledger.currency, i18n.locale
    days = quotes[0].days if quotes else 0
    lines = [i18n.get("licence-tariff-choose", title=title(row.service),
                      tariff=escape(text_of(row.tariff.names, locale)), days=days,
                      expires=day(row.service.expires_at, user.time_zone, locale))]
    rows = []
    for quote in quotes:
        name = text_of(quote.tariff.names, locale)
        lines.append(f"• <b>{escape(name)}</b> — {signed(i18n, quote.amount, currency)}")
        rows.append([button(f"{name} · {signed(i18n, quote.amount, currency)}",
                            SvcCb(a="tc", id=row.service.id, v=quote.tariff.id))])
    if not quotes:
        lines.append(i18n.get("licence-tariff-none"))
    await show(callback, "\n".join(lines), keyboard(*rows, nav_row(i18n, SvcCb(a="d", id=row.service.id))))


def shortfall_button(i18n: I18nContext, domain: Domain, shortfall: int) -> InlineKeyboardButton:
    # A top-up below the shop's minimum would be refused; top up at least that much.
    amount = max(shortfall, domain.payments.settings.topup_min)
    return button(i18n.get("checkout-topup-shortfall", amount=money(amount, domain.ledger.currency, i18n.locale)),
                  TopupCb(amount=amount))


async def render_tariff_confirm(callback: CallbackQuery, domain: Domain, i18n: I18nContext, user: Customer,
                                service_id: int, tariff_id: int, notice: str | None = None) -> None:
    row, quote = await domain.services.quote(user.id, service_id, tariff_id)
    currency, locale = domain.ledger.currency, i18n.locale
    balance = await domain.ledger.balance(user.id)
    args: dict[str, Any] = {
        "title": title(row.service), "old": escape(text_of(row.tariff.names, locale)),
        "new": escape(text_of(quote.tariff.names, locale)), "days": quote.days,
        "expires": day(row.service.expires_at, user.time_zone, locale),
        "unused": money(quote.unused, currency, locale), "cost": money(quote.new_cost, currency, locale),
        "total": signed(i18n, quote.amount, currency), "balance": money(balance, currency, locale),
    }
    lines = [notice, ""] if notice else []
    lines.append(i18n.get("licence-tariff-confirm", **args))
    rows = []
    if quote.amount > balance:
        lines.append(i18n.get("licence-tariff-short", shortfall=money(quote.amount - balance, currency, locale)))
        rows.append([shortfall_button(i18n, domain, quote.amount - balance)])
    else:
        rows.append([button(i18n.get("licence-button-tariff-confirm", tariff=text_of(quote.tariff.names, locale)),
                            SvcCb(a="tx", id=row.service.id, v=quote.tariff.id, x=quote.amount))])
    await show(callback, "\n".join(lines), keyboard(*rows, nav_row(i18n, SvcCb(a="tf", id=row.service.id))))


async def tariff_chosen(callback: CallbackQuery, callback_data: SvcCb, domain: Domain, i18n: I18nContext,
                        user: Customer) -> None:
    await render_tariff_confirm(callback, domain, i18n, user, callback_data.id, callback_data.v)


async def tariff_confirmed(callback: CallbackQuery, callback_data: SvcCb, domain: Domain, i18n: I18nContext,
                           user: Customer) -> None:
    """Switch, with one ledger entry for the difference (a charge, or a credit when cheaper)."""
    currency = domain.ledger.currency
    try:
        changed = await domain.services.change_tariff(user.id, callback_data.id, callback_data.v, callback_data.x)
    except InsufficientFunds as exc:
        await domain.rollback()
        text = i18n.get("licence-tariff-short", shortfall=money(exc.shortfall, currency, i18n.locale))
        await show(callback, text, keyboard([shortfall_button(i18n, domain, exc.shortfall)],
                                            nav_row(i18n, SvcCb(a="tf", id=callback_data.id))))
        return
    except QuoteChanged as exc:
        await domain.rollback()
        await render_tariff_confirm(callback, domain, i18n, user, callback_data.id, callback_data.v,
                                    i18n.get(exc.message_id))
        return
    notice = i18n.get("licence-tariff-changed", tariff=escape(text_of(changed.new.names, i18n.locale)),
                      total=signed(i18n, changed.amount, currency),
                      balance=money(changed.balance, currency, i18n.locale))
    await render_details(callback, domain, i18n, user, changed.service.id, notice)


# auto-renewal ---------------------------------------------------------------------------------------------
async def auto_renew_pressed(callback: CallbackQuery, callback_data: SvcCb, domain: Domain, i18n: I18nContext,
                             user: Customer) -> None:
    service = await domain.services.set_auto_renew(user.id, callback_data.id, bool(callback_data.v))
    await render_details(callback, domain, i18n, user, service.id,
                         i18n.get("licence-auto-renew-set", on="yes" if service.auto_renew else "no"))


# delete ---------------------------------------------------------------------------------------------------
async def delete_pressed(callback: CallbackQuery, callback_data: SvcCb, domain: Domain, i18n: I18nContext,
                         user: Customer) -> None:
    """Ask first, naming the service, its modules and the refund (if any)."""
    details = await domain.services.details(user.id, callback_data.id)
    service = details.row.service
    if service.status == "deleted":
        await render_details(callback, domain, i18n, user, service.id)
        return
    lines = [i18n.get(f"licence-delete-confirm-{service.kind}", title=title(service),
                      tariff=escape(text_of(details.row.tariff.names, i18n.locale)))]
    if details.modules:
        lines.append(i18n.get("licence-delete-modules", count=len(details.modules)))
    lines.append(i18n.get("licence-delete-refund", amount=money(details.refund, domain.ledger.currency, i18n.locale))
                 if details.refund else i18n.get("licence-delete-no-refund"))
    await show(callback, "\n".join(lines), keyboard(
        [button(i18n.get("licence-button-delete-confirm", title=plain_title(service)),
                SvcCb(a="del!", id=service.id))],
        [button(i18n.get("licence-button-delete-keep"), SvcCb(a="d", id=service.id))]))


async def delete_confirmed(callback: CallbackQuery, callback_data: SvcCb, domain: Domain, i18n: I18nContext,
                           user: Customer) -> None:
    deleted = await domain.services.delete(user.id, callback_data.id)
    lines = [i18n.get("licence-deleted", title=title(deleted.service))]
    if deleted.refund:
        lines.append(i18n.get("licence-deleted-refund",
                              amount=money(deleted.refund, domain.ledger.currency, i18n.locale)))
    await render_list(callback, domain, i18n, user, ListCb(k=deleted.service.kind), "\n".join(lines))


# history --------------------------------------------------------------------------------------------------
def event_detail(i18n: I18nContext, event: ServiceEvent, domain: Domain, user: Customer) -> str:
    before, after = event.before or {}, event.after or {}
    currency, locale = domain.ledger.currency, i18n.locale
    if event.action == "rename":
        return f"{escape(before.get('name') or '—')} → {escape(after.get('name') or '—')}"
    if event.action == "ip":
        return f"{before.get('ip') or '—'} → {after.get('ip') or '—'}"
    if event.action == "tariff":
        return f"{escape(str(before.get('tariff')))} → {escape(str(after.get('tariff')))}, " \
               + signed(i18n, int(after.get("amount", 0)), currency)
    if event.action == "auto_renew":
        return i18n.get("licence-auto-renew-state", on="yes" if after.get("auto_renew") else "no")
    if event.action == "order" and "price" in after:
        return i18n.get("licence-history-order", months=int(after.get("months", 0)),
                        price=money(int(after["price"]), currency, locale))
    if event.action == "renewal" and "expires_at" in after:
        return i18n.get("licence-history-until",
                        date=day(datetime.fromisoformat(after["expires_at"]), user.time_zone, locale))
    if event.action == "delete" and after.get("refund"):
        return i18n.get("licence-deleted-refund", amount=money(int(after["refund"]), currency, locale))
    return ""


async def history_pressed(callback: CallbackQuery, callback_data: SvcCb, domain: Domain, i18n: I18nContext,
                          user: Customer) -> None:
    """Every action on the service, newest first, with who did it and when."""
    page = await domain.services.history(user.id, callback_data.id, callback_data.v)
    lines = [i18n.get("licence-history-title", title=title(page.service), count=page.total)]
    for event in page.events:
        head = i18n.get("licence-history-line", time=when(event.created_at, user.time_zone, i18n.locale),
                        actor=event.actor, action=event.action)
        detail = event_detail(i18n, event, domain, user)
        lines.append(f"\n{head}\n{detail}" if detail else f"\n{head}")
    sid = page.service.id
    markup = keyboard(
        pager(SvcCb(a="h", id=sid, v=page.page - 1) if page.page > 0 else None,
              SvcCb(a="h", id=sid, v=page.page + 1) if page.page + 1 < page.pages else None, page.page, page.pages),
        nav_row(i18n, SvcCb(a="d", id=sid)))
    await show(callback, "\n".join(lines), markup)


def router() -> Router:
    """This section's handlers, in the order they are tried."""
    routes = Router(name=__name__)
    routes.callback_query.register(licences_pressed, MenuCb.filter(F.section == "licences"))
    routes.callback_query.register(filter_pressed, ListCb.filter(F.pick == 1))
    routes.callback_query.register(list_pressed, ListCb.filter(F.pick == 0))
    routes.callback_query.register(noop_pressed, F.data == "noop")
    routes.callback_query.register(details_pressed, SvcCb.filter(F.a == "d"))
    routes.callback_query.register(rename_pressed, SvcCb.filter(F.a == "rn"))
    routes.message.register(name_entered, ServiceForm.name, F.text)
    routes.callback_query.register(ip_pressed, SvcCb.filter(F.a == "ip"))
    routes.message.register(ip_entered, ServiceForm.ip, F.text)
    routes.callback_query.register(key_pressed, SvcCb.filter(F.a == "key"))
    routes.callback_query.register(key_confirmed, SvcCb.filter(F.a == "key!"), flags=GUARDED)
    routes.callback_query.register(tariffs_pressed, SvcCb.filter(F.a == "tf"))
    routes.callback_query.register(tariff_chosen, SvcCb.filter(F.a == "tc"))
    routes.callback_query.register(tariff_confirmed, SvcCb.filter(F.a == "tx"))
    routes.callback_query.register(auto_renew_pressed, SvcCb.filter(F.a == "ar"))
    routes.callback_query.register(delete_pressed, SvcCb.filter(F.a == "del"))
    routes.callback_query.register(delete_confirmed, SvcCb.filter(F.a == "del!"), flags=GUARDED)
    routes.callback_query.register(history_pressed, SvcCb.filter(F.a == "h"))
    return routes
