"""Client -> Payment methods: the saved ones, Add (a card through Stripe's hosted page, Telegram Payments, bank
transfer for companies), and rename, make default, remove (each behind the 2FA guard when two-step
authentication is on)."""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardButton, Message
from aiogram_i18n import I18nContext

from domain.accounts import Customer
from domain.errors import DomainError, InvalidInput
from domain.payment_methods import MAX_NAME
from domain.unit import Domain
from handlers.client import CLIENT, ClientEntry, register_entry
from handlers.common.errors import refuse
from handlers.common.format import method_label as label
from handlers.common.guard import GUARDED
from handlers.common.ui import button, keyboard, show
from handlers.menu import on_cancel
from handlers.methods.keyboards import (
    METHODS,
    MethodAction,
    PmCb,
    add_markup,
    bank_markup,
    card_page_markup,
    details_markup,
    list_markup,
    remove_markup,
    rename_markup,
)
from handlers.methods.states import RenameMethod, RenameMethodData
from handlers.methods.views import list_text, method_text


async def show_payment_methods(event: Message | CallbackQuery, domain: Domain, i18n: I18nContext, user: Customer,
                               notice: str | None = None, back: CallbackData = CLIENT) -> None:
    """The list of saved methods with Add (payment methods live in the Client section, as in the web client
    area)."""
    methods = await domain.payment_methods.methods(user.id)
    await show(event, list_text(i18n, methods, notice), list_markup(i18n, methods, back))


async def _client_button(i18n: I18nContext, domain: Domain, user: Customer) -> InlineKeyboardButton:
    return button(i18n.get("methods-button"), METHODS)


register_entry(ClientEntry(key="methods", order=200, button=_client_button))


async def methods_pressed(callback: CallbackQuery, domain: Domain, i18n: I18nContext, user: Customer) -> None:
    await show_payment_methods(callback, domain, i18n, user)


async def add_pressed(callback: CallbackQuery, domain: Domain, i18n: I18nContext) -> None:
    """What the vendor offers: a card only when Stripe is configured."""
    await show(callback, i18n.get("methods-add-title"), add_markup(i18n, domain.payment_methods.cards_available))


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
    await show(callback, i18n.get("methods-card-open-text"), card_page_markup(i18n, page))


async def telegram_pressed(callback: CallbackQuery, domain: Domain, i18n: I18nContext, user: Customer) -> None:
    try:
        await domain.payment_methods.add_telegram(user.id)
    except DomainError as exc:
        await refuse(callback, i18n, exc, user.time_zone)
        return
    await show_payment_methods(callback, domain, i18n, user, i18n.get("methods-telegram-added"))


async def bank_pressed(callback: CallbackQuery, i18n: I18nContext, domain: Domain, user: Customer) -> None:
    """Bank transfer is paying an invoice as a company or sole trader; nothing is saved here."""
    transfer = await domain.payers.can_pay_by_transfer(user.id)
    await show(callback, i18n.get("methods-bank-text" if transfer else "methods-bank-needs-payer"),
               bank_markup(i18n, transfer))


@on_cancel(RenameMethod)
async def rename_cancelled(event: Message | CallbackQuery, domain: Domain, i18n: I18nContext, user: Customer,
                           state: FSMContext, note: str) -> None:
    """Cancel while renaming a payment method: back to that method."""
    method_id = (await RenameMethodData.load(state)).method
    await state.clear()
    await render_method(event, domain, i18n, user, method_id, note)


async def render_method(event: Message | CallbackQuery, domain: Domain, i18n: I18nContext, user: Customer,
                        method_id: int, notice: str | None = None) -> None:
    method = await domain.payment_methods.get(user.id, method_id)
    await show(event, method_text(i18n, method, notice), details_markup(i18n, method))


async def method_pressed(callback: CallbackQuery, callback_data: PmCb, domain: Domain, i18n: I18nContext,
                         user: Customer) -> None:
    await render_method(callback, domain, i18n, user, callback_data.id)


async def rename_pressed(callback: CallbackQuery, callback_data: PmCb, domain: Domain, i18n: I18nContext,
                         user: Customer, state: FSMContext) -> None:
    method = await domain.payment_methods.get(user.id, callback_data.id)
    await state.set_state(RenameMethod.name)
    await RenameMethodData(method=method.id).save(state)
    await show(callback, i18n.get("methods-rename-ask", label=label(i18n, method), max=MAX_NAME),
               rename_markup(i18n, method))


async def name_entered(message: Message, domain: Domain, i18n: I18nContext, user: Customer,
                       state: FSMContext) -> None:
    method_id = (await RenameMethodData.load(state)).method
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
    await show(callback, i18n.get("methods-remove-confirm", label=label(i18n, method)), remove_markup(i18n, method))


async def remove_confirmed(callback: CallbackQuery, callback_data: PmCb, domain: Domain, i18n: I18nContext,
                           user: Customer) -> None:
    removed = await domain.payment_methods.remove(user.id, callback_data.id)
    key = "methods-removed-autopay-off" if removed.autopay_stopped else "methods-removed"
    await show_payment_methods(callback, domain, i18n, user, i18n.get(key, label=label(i18n, removed.method)))


def router() -> Router:
    """This section's handlers, in the order they are tried."""
    routes = Router(name=__name__)
    routes.callback_query.register(methods_pressed, PmCb.filter(F.action == MethodAction.LIST))
    routes.callback_query.register(add_pressed, PmCb.filter(F.action == MethodAction.ADD))
    routes.callback_query.register(card_pressed, PmCb.filter(F.action == MethodAction.CARD))
    routes.callback_query.register(telegram_pressed, PmCb.filter(F.action == MethodAction.TELEGRAM))
    routes.callback_query.register(bank_pressed, PmCb.filter(F.action == MethodAction.BANK))
    routes.callback_query.register(method_pressed, PmCb.filter(F.action == MethodAction.SHOW))
    routes.callback_query.register(rename_pressed, PmCb.filter(F.action == MethodAction.RENAME), flags=GUARDED)
    routes.message.register(name_entered, RenameMethod.name, F.text)
    routes.callback_query.register(default_pressed, PmCb.filter(F.action == MethodAction.DEFAULT), flags=GUARDED)
    routes.callback_query.register(remove_pressed, PmCb.filter(F.action == MethodAction.REMOVE))
    routes.callback_query.register(remove_confirmed, PmCb.filter(F.action == MethodAction.REMOVE_CONFIRM),
                                   flags=GUARDED)
    return routes
