"""Payment methods: the saved ones, Add (a card through Stripe's hosted page, Telegram Payments, bank transfer
for companies), and rename, make default, remove (each behind the 2FA guard when two-step authentication is on).

Reached from Billing for now and from the Client section (`show_payment_methods`)."""

from __future__ import annotations

from html import escape

from aiogram import Bot, F, Router
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram_i18n import I18nContext

from domain.accounts import Customer
from domain.errors import DomainError, InvalidInput
from domain.models import PaymentMethod
from domain.payment_methods import CARD, MAX_NAME
from domain.unit import Domain
from handlers.billing import INVOICES
from handlers.client import CLIENT, ClientEntry, register_entry
from handlers.common.errors import refuse
from handlers.common.format import method_label
from handlers.common.ui import Callback, button, keyboard, nav_row, show
from handlers.guard import GUARDED
from handlers.payers import PAYERS

# Payment methods live in the Client section, as in the web client area.
PARENT = CLIENT


class PmCb(Callback, prefix="pm"):
    """a: list, add, card, tg, bank, show, ren, def, rm, rm!; id: the payment method."""

    a: str
    id: int = 0


METHODS = PmCb(a="list")


class RenameMethod(StatesGroup):
    name = State()


label = method_label


def expires(method: PaymentMethod) -> str:
    return f"{method.exp_month or 0:02d}/{method.exp_year or 0}"


def line(i18n: I18nContext, method: PaymentMethod) -> str:
    text = (i18n.get("methods-line-card", label=label(i18n, method), expires=expires(method))
            if method.kind == CARD else i18n.get("methods-line-telegram", label=label(i18n, method)))
    return f"{text}  {i18n.get('methods-default-mark')}" if method.is_default else text


async def show_payment_methods(event: Message | CallbackQuery, domain: Domain, i18n: I18nContext, user: Customer,
                               notice: str | None = None, back: CallbackData = PARENT) -> None:
    """The list of saved methods with Add; the entry point for Billing and Client."""
    methods = await domain.payment_methods.methods(user.id)
    lines = [notice, ""] if notice else []
    lines.append(i18n.get("methods-title"))
    lines.append("")
    if methods:
        lines.extend(line(i18n, m) for m in methods)
    else:
        lines.append(i18n.get("methods-none"))
    rows: list[list[InlineKeyboardButton]] = [[button(("⭐ " if m.is_default else "") + label(i18n, m),
                                                      PmCb(a="show", id=m.id))] for m in methods]
    rows.append([button(i18n.get("methods-add"), PmCb(a="add"))])
    await show(event, "\n".join(lines), keyboard(*rows, nav_row(i18n, back)))


async def _client_button(i18n: I18nContext, domain: Domain, user: Customer) -> InlineKeyboardButton:
    return button(i18n.get("methods-button"), METHODS)


register_entry(ClientEntry(key="methods", order=200, button=_client_button))


async def methods_pressed(callback: CallbackQuery, domain: Domain, i18n: I18nContext, user: Customer) -> None:
    await show_payment_methods(callback, domain, i18n, user)


async def add_pressed(callback: CallbackQuery, domain: Domain, i18n: I18nContext) -> None:
    """What the vendor offers: a card only when Stripe is configured."""
    rows = []
    if domain.payment_methods.cards_available:
        rows.append([button(i18n.get("methods-add-card"), PmCb(a="card"))])
    rows.append([button(i18n.get("methods-add-telegram"), PmCb(a="tg"))])
    rows.append([button(i18n.get("methods-add-bank"), PmCb(a="bank"))])
    await show(callback, i18n.get("methods-add-title"), keyboard(*rows, nav_row(i18n, METHODS)))


async def return_url(bot: Bot) -> str:
    """Where Stripe's page sends the customer back: the bot's chat."""
    me = await bot.me()
    return f"https://t.me/{me.username}"


async def card_pressed(callback: CallbackQuery, bot: Bot, domain: Domain, i18n: I18nContext,
                       user: Customer) -> None:
    """A Stripe setup page for this customer; the card arrives later through Stripe's webhook."""
    url = await return_url(bot)
    try:
        page = await domain.payment_methods.start_card_setup(user.id, url, url)
    except DomainError as exc:
        await refuse(callback, i18n, exc, user.time_zone)
        return
    await show(callback, i18n.get("methods-card-open-text"), keyboard(
        [InlineKeyboardButton(text=i18n.get("methods-card-open-button"), url=page)],
        nav_row(i18n, METHODS)))


async def telegram_pressed(callback: CallbackQuery, domain: Domain, i18n: I18nContext, user: Customer) -> None:
    try:
        await domain.payment_methods.add_telegram(user.id)
    except DomainError as exc:
        await refuse(callback, i18n, exc, user.time_zone)
        return
    await show_payment_methods(callback, domain, i18n, user, i18n.get("methods-telegram-added"))


async def bank_pressed(callback: CallbackQuery, i18n: I18nContext, domain: Domain, user: Customer) -> None:
    """Bank transfer is paying an invoice as a company or sole trader; nothing is saved here."""
    if await domain.payers.can_pay_by_transfer(user.id):
        await show(callback, i18n.get("methods-bank-text"),
                   keyboard([button(i18n.get("methods-bank-invoices"), INVOICES)], nav_row(i18n, PmCb(a="add"))))
        return
    await show(callback, i18n.get("methods-bank-needs-payer"),
               keyboard([button(i18n.get("methods-bank-add-payer"), PAYERS)], nav_row(i18n, PmCb(a="add"))))


def details_markup(i18n: I18nContext, method: PaymentMethod) -> InlineKeyboardMarkup:
    rows = [[button(i18n.get("methods-rename"), PmCb(a="ren", id=method.id))]]
    if not method.is_default:
        rows.append([button(i18n.get("methods-make-default"), PmCb(a="def", id=method.id))])
    rows.append([button(i18n.get("methods-remove"), PmCb(a="rm", id=method.id))])
    return keyboard(*rows, nav_row(i18n, METHODS))


async def render_method(event: Message | CallbackQuery, domain: Domain, i18n: I18nContext, user: Customer,
                        method_id: int, notice: str | None = None) -> None:
    method = await domain.payment_methods.get(user.id, method_id)
    details = (i18n.get("methods-detail-card", brand=escape((method.brand or "").title()),
                        last4=escape(method.last4 or ""), expires=expires(method))
               if method.kind == CARD else i18n.get("methods-detail-telegram"))
    text = i18n.get("methods-detail", label=label(i18n, method), default="yes" if method.is_default else "no",
                    details=details)
    await show(event, f"{notice}\n\n{text}" if notice else text, details_markup(i18n, method))


async def method_pressed(callback: CallbackQuery, callback_data: PmCb, domain: Domain, i18n: I18nContext,
                         user: Customer) -> None:
    await render_method(callback, domain, i18n, user, callback_data.id)


async def rename_pressed(callback: CallbackQuery, callback_data: PmCb, domain: Domain, i18n: I18nContext,
                         user: Customer, state: FSMContext) -> None:
    method = await domain.payment_methods.get(user.id, callback_data.id)
    await state.set_state(RenameMethod.name)
    await state.set_data({"method": method.id})
    await show(callback, i18n.get("methods-rename-ask", label=label(i18n, method), max=MAX_NAME),
               keyboard([button(i18n.get("button-back"), PmCb(a="show", id=method.id)),
                         button(i18n.get("button-cancel"), "cancel")]))


async def name_entered(message: Message, domain: Domain, i18n: I18nContext, user: Customer,
                       state: FSMContext) -> None:
    method_id = int((await state.get_data())["method"])
    try:
        method = await domain.payment_methods.rename(user.id, method_id, message.text or "")
    except InvalidInput as exc:
        await refuse(message, i18n, exc, user.time_zone, keyboard([button(i18n.get("button-cancel"), "cancel")]))
        return
    await state.clear()
    await render_method(message, domain, i18n, user, method.id, i18n.get("methods-renamed"))


async def default_pressed(callback: CallbackQuery, callback_data: PmCb, domain: Domain, i18n: I18nContext,
                          user: Customer) -> None:
    method = await domain.payment_methods.set_default(user.id, callback_data.id)
    await render_method(callback, domain, i18n, user, method.id,
                        i18n.get("methods-default-set", label=label(i18n, method)))


async def remove_pressed(callback: CallbackQuery, callback_data: PmCb, domain: Domain, i18n: I18nContext,
                         user: Customer) -> None:
    """Removing asks first."""
    method = await domain.payment_methods.get(user.id, callback_data.id)
    await show(callback, i18n.get("methods-remove-confirm", label=label(i18n, method)), keyboard(
        [button(i18n.get("methods-remove-yes"), PmCb(a="rm!", id=method.id)),
         button(i18n.get("methods-remove-no"), PmCb(a="show", id=method.id))]))


async def remove_confirmed(callback: CallbackQuery, callback_data: PmCb, domain: Domain, i18n: I18nContext,
                           user: Customer) -> None:
    removed = await domain.payment_methods.remove(user.id, callback_data.id)
    key = "methods-removed-autopay-off" if removed.autopay_stopped else "methods-removed"
    await show_payment_methods(callback, domain, i18n, user, i18n.get(key, label=label(i18n, removed.method)))


def router() -> Router:
    """This section's handlers, in the order they are tried."""
    routes = Router(name=__name__)
    routes.callback_query.register(methods_pressed, PmCb.filter(F.a == "list"))
    routes.callback_query.register(add_pressed, PmCb.filter(F.a == "add"))
    routes.callback_query.register(card_pressed, PmCb.filter(F.a == "card"))
    routes.callback_query.register(telegram_pressed, PmCb.filter(F.a == "tg"))
    routes.callback_query.register(bank_pressed, PmCb.filter(F.a == "bank"))
    routes.callback_query.register(method_pressed, PmCb.filter(F.a == "show"))
    routes.callback_query.register(rename_pressed, PmCb.filter(F.a == "ren"), flags=GUARDED)
    routes.message.register(name_entered, RenameMethod.name, F.text)
    routes.callback_query.register(default_pressed, PmCb.filter(F.a == "def"), flags=GUARDED)
    routes.callback_query.register(remove_pressed, PmCb.filter(F.a == "rm"))
    routes.callback_query.register(remove_confirmed, PmCb.filter(F.a == "rm!"), flags=GUARDED)
    return routes
