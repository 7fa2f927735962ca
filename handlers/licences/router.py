"""Licences and modules: the list with a status filter, details, and what can be done with one (rename, IP
address, new activation key, tariff, auto-renewal, delete, history). Ownership is the domain's business:
every call passes the acting customer, so a forged id is "not found"."""

from __future__ import annotations

from html import escape
from typing import Any

from aiogram import F, Router
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram_i18n import I18nContext

from domain.accounts import Customer
from domain.errors import DomainError, InvalidInput, NotFound
from domain.ledger import InsufficientFunds
from domain.services import FILTERS, IpChangeLimited, KeyLimited, QuoteChanged, TariffAlreadyChanged
from domain.unit import Domain
from handlers.billing import register_resume, resume_key
from handlers.common.errors import refuse
from handlers.common.format import day, money, text_of, when
from handlers.common.guard import GUARDED
from handlers.common.ui import (
    MenuCb,
    MenuSection,
    bot_of,
    button,
    chat_id_of,
    keyboard,
    nav_row,
    pager,
    register_next_step,
    register_section,
    send_screen,
    show,
)
from handlers.licences.keyboards import (
    ListCb,
    ListKind,
    ServiceAction,
    SvcCb,
    details_markup,
    form_markup,
    refusal_markup,
    shortfall_button,
)
from handlers.licences.states import ServiceForm, ServiceFormData
from handlers.licences.views import (
    details_text,
    event_detail,
    ip_limited_text,
    key_limited_text,
    list_line,
    plain_title,
    signed,
    title,
)
from handlers.menu import on_cancel
from handlers.notifications import register_action
from handlers.renewals import card_renew_button, register_card

SUPPORT = MenuCb(section="support")


# list -----------------------------------------------------------------------------------------------------
async def render_list(event: Message | CallbackQuery, domain: Domain, i18n: I18nContext, user: Customer,
                      cb: ListCb, notice: str | None = None) -> None:
    page = await domain.services.page(user.id, cb.kind, cb.status, cb.page)
    head = i18n.get("licence-list-title" if cb.kind == "licence" else "module-list-title",
                    filter=i18n.get("licence-filter", filter=cb.status), count=page.total)
    lines = [notice, ""] if notice else []
    lines.append(head)
    if not page.rows:
        lines.append("\n" + i18n.get("licence-list-empty" if cb.kind == "licence" else "module-list-empty"))
    for row in page.rows:
        lines.append("\n" + list_line(i18n, row, user))
    rows = [[button(f"{plain_title(r.service)} · {text_of(r.tariff.names, i18n.locale)}",
                    SvcCb(action=ServiceAction.DETAILS, id=r.service.id))] for r in page.rows]
    rows.append(pager(ListCb(kind=cb.kind, status=cb.status, page=page.page - 1) if page.page > 0 else None,
                      ListCb(kind=cb.kind, status=cb.status, page=page.page + 1)
                      if page.page + 1 < page.pages else None, page.page, page.pages))
    other = ListKind.MODULE if cb.kind == ListKind.LICENCE else ListKind.LICENCE
    rows.append([button(i18n.get("licence-button-filter", filter=i18n.get("licence-filter", filter=cb.status)),
                        ListCb(kind=cb.kind, status=cb.status, pick=1)),
                 button(i18n.get(f"licence-button-{other}s"), ListCb(kind=other))])
    if not page.rows and cb.status == "all":
        rows.append([button(i18n.get("menu-button-order"), MenuCb(section="order"))])
    await show(event, "\n".join(lines), keyboard(*rows, nav_row(i18n)))


async def licences_pressed(callback: CallbackQuery, domain: Domain, i18n: I18nContext, user: Customer) -> None:
    """The customer's licences, newest first."""
    await render_list(callback, domain, i18n, user, ListCb())


async def filter_pressed(callback: CallbackQuery, callback_data: ListCb, i18n: I18nContext) -> None:
    """Choose which statuses the list shows."""
    rows = [[button(("• " if f == callback_data.status else "") + i18n.get("licence-filter", filter=f),
                    ListCb(kind=callback_data.kind, status=f))] for f in FILTERS]
    await show(callback, i18n.get("licence-choose-filter"),
               keyboard(*rows, nav_row(i18n, ListCb(kind=callback_data.kind, status=callback_data.status))))


async def list_pressed(callback: CallbackQuery, callback_data: ListCb, domain: Domain, i18n: I18nContext,
                       user: Customer) -> None:
    await render_list(callback, domain, i18n, user, callback_data)


async def noop_pressed(callback: CallbackQuery) -> None:
    """The page counter between the arrows."""
    await callback.answer()


async def card(domain: Domain, i18n: I18nContext, user: Customer, service_id: int,
               notice: str | None = None) -> tuple[str, InlineKeyboardMarkup]:
    details = await domain.services.details(user.id, service_id)
    text = details_text(i18n, details, user)
    renew = await card_renew_button(i18n, domain, user, service_id) if "renew" in details.actions else None
    return f"{notice}\n\n{text}" if notice else text, details_markup(i18n, details, renew)


async def render_details(event: Message | CallbackQuery, domain: Domain, i18n: I18nContext, user: Customer,
                         service_id: int, notice: str | None = None) -> None:
    await show(event, *await card(domain, i18n, user, service_id, notice))


async def show_kept(callback: CallbackQuery, domain: Domain, i18n: I18nContext, user: Customer, service_id: int,
                    text: str) -> None:
    """A secret the customer must keep, as its own message that navigation never edits, and the card below it
    as the screen."""
    await show(callback, text, keep=True)
    await send_screen(bot_of(callback), chat_id_of(callback), *await card(domain, i18n, user, service_id))


async def details_pressed(callback: CallbackQuery, callback_data: SvcCb, domain: Domain, i18n: I18nContext,
                          user: Customer, state: FSMContext, raw_state: str | None) -> None:
    """Every parameter of one service and what can be done with it."""
    if raw_state in ServiceForm:
        await state.clear()
    await render_details(callback, domain, i18n, user, callback_data.id)


# rename ---------------------------------------------------------------------------------------------------
async def rename_pressed(callback: CallbackQuery, callback_data: SvcCb, domain: Domain, i18n: I18nContext,
                         user: Customer, state: FSMContext) -> None:
    details = await domain.services.details(user.id, callback_data.id)
    service = details.row.service
    if service.status == "deleted":
        await render_details(callback, domain, i18n, user, service.id)
        return
    await state.set_state(ServiceForm.name)
    await ServiceFormData(service=service.id).save(state)
    await show(callback, i18n.get("licence-ask-name", title=title(service),
                                  current=escape(service.name) if service.name else "—"),
               form_markup(i18n, service.id))


async def name_entered(message: Message, domain: Domain, i18n: I18nContext, user: Customer,
                       state: FSMContext) -> None:
    service_id = (await ServiceFormData.load(state)).service
    try:
        service = await domain.services.rename(user.id, service_id, message.text or "")
    except InvalidInput as exc:
        await refuse(message, i18n, exc, user.time_zone, form_markup(i18n, service_id))
        return
    await state.clear()
    await render_details(message, domain, i18n, user, service.id, i18n.get("licence-renamed"))


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
    await ServiceFormData(service=callback_data.id).save(state)
    await show(callback, i18n.get("licence-ask-ip", title=title(details.row.service),
                                  current=details.row.service.ip_address or "—"),
               form_markup(i18n, callback_data.id))


async def ip_entered(message: Message, domain: Domain, i18n: I18nContext, user: Customer, state: FSMContext) -> None:
    service_id = (await ServiceFormData.load(state)).service
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
        [button(i18n.get("licence-button-key-confirm"), SvcCb(action=ServiceAction.KEY_CONFIRM, id=callback_data.id))],
        nav_row(i18n, SvcCb(action=ServiceAction.DETAILS, id=callback_data.id))))


async def key_confirmed(callback: CallbackQuery, callback_data: SvcCb, domain: Domain, i18n: I18nContext,
                        user: Customer) -> None:
    """Generate the key and show it once; only its ciphertext is kept."""
    try:
        key = await domain.services.new_key(user.id, callback_data.id)
    except KeyLimited as exc:
        await show(callback, key_limited_text(i18n, user, exc), refusal_markup(i18n, callback_data.id))
        return
    details = await domain.services.details(user.id, callback_data.id)
    await show_kept(callback, domain, i18n, user, callback_data.id,
                    i18n.get("licence-key-new", title=title(details.row.service), key=key))


async def show_key_pressed(callback: CallbackQuery, callback_data: SvcCb, domain: Domain, i18n: I18nContext,
                           user: Customer) -> None:
    """The current activation key again (behind the second factor when it is on)."""
    try:
        key = await domain.services.activation_key(user.id, callback_data.id)
    except DomainError as exc:
        await refuse(callback, i18n, exc, user.time_zone)
        return
    details = await domain.services.details(user.id, callback_data.id)
    await show_kept(callback, domain, i18n, user, callback_data.id,
                    i18n.get("licence-key-current", title=title(details.row.service), key=key))


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
                            SvcCb(action=ServiceAction.TARIFF, id=row.service.id, v=quote.tariff.id))])
    if not quotes:
        lines.append(i18n.get("licence-tariff-none"))
    back = SvcCb(action=ServiceAction.DETAILS, id=row.service.id)
    await show(callback, "\n".join(lines), keyboard(*rows, nav_row(i18n, back)))


async def render_tariff_confirm(callback: CallbackQuery | Message, domain: Domain, i18n: I18nContext,
                                user: Customer, service_id: int, tariff_id: int, notice: str | None = None) -> None:
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
        rows.append([shortfall_button(i18n, domain, quote.amount - balance,
                                      resume_key("tariff", row.service.id, quote.tariff.id))])
    else:
        # Bound to the amount and to the tariff it switches from: an old button cannot switch (and charge) twice.
        rows.append([button(i18n.get("licence-button-tariff-confirm", tariff=text_of(quote.tariff.names, locale)),
                            SvcCb(action=ServiceAction.TARIFF_CONFIRM, id=row.service.id, v=quote.tariff.id,
                                  x=quote.amount, f=row.tariff.id))])
    back = SvcCb(action=ServiceAction.TARIFFS, id=row.service.id)
    await show(callback, "\n".join(lines), keyboard(*rows, nav_row(i18n, back)))


async def tariff_resumed(message: Message, domain: Domain, i18n: I18nContext, user: Customer,
                         numbers: list[int]) -> None:
    """After a top-up made for a tariff change: its confirmation again, now that the balance covers it."""
    if len(numbers) == 2:
        await render_tariff_confirm(message, domain, i18n, user, numbers[0], numbers[1])


async def tariff_topup_amount(domain: Domain, user: Customer, numbers: list[int]) -> int:
    """A tariff change's top-up: what the switch lacks at the press (switched already or covered: refused)."""
    if len(numbers) != 2:
        raise NotFound()
    return await domain.services.tariff_shortfall(user.id, numbers[0], numbers[1])


register_resume("tariff", tariff_resumed, tariff_topup_amount)


async def tariff_chosen(callback: CallbackQuery, callback_data: SvcCb, domain: Domain, i18n: I18nContext,
                        user: Customer) -> None:
    await render_tariff_confirm(callback, domain, i18n, user, callback_data.id, callback_data.v)


async def tariff_confirmed(callback: CallbackQuery, callback_data: SvcCb, domain: Domain, i18n: I18nContext,
                           user: Customer) -> None:
    """Switch, with one ledger entry for the difference (a charge, or a credit when cheaper)."""
    currency = domain.ledger.currency
    try:
        changed = await domain.services.change_tariff(user.id, callback_data.id, callback_data.v, callback_data.x,
                                                      callback_data.f or None)
    except TariffAlreadyChanged as exc:
        await refuse(callback, i18n, exc, user.time_zone)
        return
    except InsufficientFunds as exc:
        text = i18n.get("licence-tariff-short", shortfall=money(exc.shortfall, currency, i18n.locale))
        resume = resume_key("tariff", callback_data.id, callback_data.v)
        await show(callback, text, keyboard([shortfall_button(i18n, domain, exc.shortfall, resume)],
                                            nav_row(i18n, SvcCb(action=ServiceAction.TARIFFS, id=callback_data.id))))
        return
    except QuoteChanged as exc:
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
                SvcCb(action=ServiceAction.DELETE_CONFIRM, id=service.id))],
        [button(i18n.get("licence-button-delete-keep"), SvcCb(action=ServiceAction.DETAILS, id=service.id))]))


async def delete_confirmed(callback: CallbackQuery, callback_data: SvcCb, domain: Domain, i18n: I18nContext,
                           user: Customer) -> None:
    deleted = await domain.services.delete(user.id, callback_data.id)
    lines = [i18n.get("licence-deleted", title=title(deleted.service))]
    if deleted.refund:
        lines.append(i18n.get("licence-deleted-refund",
                              amount=money(deleted.refund, domain.ledger.currency, i18n.locale)))
    await render_list(callback, domain, i18n, user, ListCb(kind=ListKind(deleted.service.kind)), "\n".join(lines))


async def history_pressed(callback: CallbackQuery, callback_data: SvcCb, domain: Domain, i18n: I18nContext,
                          user: Customer) -> None:
    """Every action on the service, newest first, with who did it and when."""
    page = await domain.services.history(user.id, callback_data.id, callback_data.v)
    tariffs = await domain.services.tariff_names(page.service.product_code)
    lines = [i18n.get("licence-history-title", title=title(page.service), count=page.total)]
    for event in page.events:
        head = i18n.get("licence-history-line", time=when(event.created_at, user.time_zone, i18n.locale),
                        actor=event.actor, action=event.action)
        detail = event_detail(i18n, event, domain, user, tariffs)
        lines.append(f"\n{head}\n{detail}" if detail else f"\n{head}")
    sid = page.service.id
    markup = keyboard(
        pager(SvcCb(action=ServiceAction.HISTORY, id=sid, v=page.page - 1) if page.page > 0 else None,
              SvcCb(action=ServiceAction.HISTORY, id=sid, v=page.page + 1) if page.page + 1 < page.pages else None,
              page.page, page.pages),
        nav_row(i18n, SvcCb(action=ServiceAction.DETAILS, id=sid)))
    await show(callback, "\n".join(lines), markup)


def router() -> Router:
    """This section's handlers, in the order they are tried."""
    routes = Router(name=__name__)
    routes.callback_query.register(licences_pressed, MenuCb.filter(F.section == "licences"))
    routes.callback_query.register(filter_pressed, ListCb.filter(F.pick == 1))
    routes.callback_query.register(list_pressed, ListCb.filter(F.pick == 0))
    routes.callback_query.register(noop_pressed, F.data == "noop")
    routes.callback_query.register(details_pressed, SvcCb.filter(F.action == ServiceAction.DETAILS))
    routes.callback_query.register(rename_pressed, SvcCb.filter(F.action == ServiceAction.RENAME))
    routes.message.register(name_entered, ServiceForm.name, F.text)
    routes.callback_query.register(ip_pressed, SvcCb.filter(F.action == ServiceAction.IP))
    routes.message.register(ip_entered, ServiceForm.ip, F.text)
    routes.callback_query.register(key_pressed, SvcCb.filter(F.action == ServiceAction.KEY))
    routes.callback_query.register(key_confirmed, SvcCb.filter(F.action == ServiceAction.KEY_CONFIRM), flags=GUARDED)
    routes.callback_query.register(tariffs_pressed, SvcCb.filter(F.action == ServiceAction.TARIFFS))
    routes.callback_query.register(tariff_chosen, SvcCb.filter(F.action == ServiceAction.TARIFF))
    routes.callback_query.register(tariff_confirmed, SvcCb.filter(F.action == ServiceAction.TARIFF_CONFIRM))
    routes.callback_query.register(auto_renew_pressed, SvcCb.filter(F.action == ServiceAction.AUTO_RENEW))
    routes.callback_query.register(delete_pressed, SvcCb.filter(F.action == ServiceAction.DELETE))
    routes.callback_query.register(delete_confirmed, SvcCb.filter(F.action == ServiceAction.DELETE_CONFIRM),
                                   flags=GUARDED)
    routes.callback_query.register(history_pressed, SvcCb.filter(F.action == ServiceAction.HISTORY))
    routes.callback_query.register(show_key_pressed, SvcCb.filter(F.action == ServiceAction.SHOW_KEY),
                                   flags=GUARDED)
    return routes


register_section(MenuSection(key="licences", text_key="menu-button-licences", order=200))
# The key that comes with a purchase (domain/orders.py names the button by this action).
register_action("licence-key", lambda args: SvcCb(action=ServiceAction.SHOW_KEY, id=int(args["service_id"])))
register_next_step("licence", lambda i18n, service: button(
    i18n.get("licence-button-show-key-of", service=f"#{service.id} {service.name or ''}".strip()),
    SvcCb(action=ServiceAction.SHOW_KEY, id=service.id)))
for _kind in ListKind:
    register_card(_kind, lambda service_id: SvcCb(action=ServiceAction.DETAILS, id=service_id))


@on_cancel(ServiceForm)
async def service_form_cancelled(event: Message | CallbackQuery, domain: Domain, i18n: I18nContext, user: Customer,
                                 state: FSMContext, note: str) -> None:
    """Cancel while renaming a service or changing its IP address: back to its card."""
    service_id = (await state.get_data()).get("service")
    await state.clear()
    if isinstance(service_id, int):
        await render_details(event, domain, i18n, user, service_id, note)
    else:
        await render_list(event, domain, i18n, user, ListCb(), note)
