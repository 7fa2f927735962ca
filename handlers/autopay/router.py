"""Automatic payments (Billing -> Automatic payments): on for a saved card with a monthly limit, change the limit
or the card, off. The checkout and renewals charge a shortfall to that card in the domain."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram_i18n import I18nContext

from domain.accounts import Customer
from domain.errors import InvalidInput
from domain.unit import Domain
from handlers.autopay.keyboards import (
    AUTOPAY,
    ApCb,
    AutopayAction,
    autopay_markup,
    cancel_markup,
    cards_markup,
    limit_markup,
)
from handlers.autopay.states import AutopayForm, AutopayFormData
from handlers.common.errors import refuse
from handlers.common.format import method_label, money, parse_amount
from handlers.common.ui import MenuCb, TopupCb, show
from handlers.menu import on_cancel
from handlers.notifications import register_action


async def show_autopay(event: Message | CallbackQuery, domain: Domain, i18n: I18nContext, user: Customer,
                       notice: str | None = None) -> None:
    view = await domain.autopay.view(user.id)
    currency, locale = domain.ledger.currency, i18n.locale
    cards = await domain.autopay.cards(user.id)
    if view.enabled and view.method is not None:
        text = i18n.get("methods-autopay-text-on", card=method_label(i18n, view.method),
                        limit=money(view.monthly_limit, currency, locale), used=money(view.used, currency, locale),
                        max=view.max_failures)
    else:
        text = i18n.get("methods-autopay-text-off")
        if not cards:
            text += "\n\n" + i18n.get("methods-autopay-need-card")
    markup = autopay_markup(i18n, view, bool(cards), domain.payment_methods.cards_available)
    await show(event, f"{notice}\n\n{text}" if notice else text, markup)


async def autopay_pressed(callback: CallbackQuery, domain: Domain, i18n: I18nContext, user: Customer) -> None:
    await show_autopay(callback, domain, i18n, user)


async def ask_limit(callback: CallbackQuery, i18n: I18nContext, state: FSMContext, card_id: int) -> None:
    await state.set_state(AutopayForm.limit)
    await AutopayFormData(card=card_id).save(state)
    await show(callback, i18n.get("methods-autopay-ask-limit"), limit_markup(i18n))


async def on_pressed(callback: CallbackQuery, domain: Domain, i18n: I18nContext, user: Customer,
                     state: FSMContext) -> None:
    """One card: straight to the limit; several: which one."""
    cards = await domain.autopay.cards(user.id)
    if not cards:
        await show_autopay(callback, domain, i18n, user)
        return
    if len(cards) == 1:
        await ask_limit(callback, i18n, state, cards[0].id)
        return
    await show(callback, i18n.get("methods-autopay-choose-card"), cards_markup(i18n, cards))


async def card_chosen(callback: CallbackQuery, callback_data: ApCb, domain: Domain, i18n: I18nContext,
                      user: Customer, state: FSMContext) -> None:
    card = await domain.payment_methods.get(user.id, callback_data.id)  # a forged id is NotFound
    await ask_limit(callback, i18n, state, card.id)


async def limit_pressed(callback: CallbackQuery, domain: Domain, i18n: I18nContext, user: Customer,
                        state: FSMContext) -> None:
    view = await domain.autopay.view(user.id)
    if view.method is None:
        await show_autopay(callback, domain, i18n, user)
        return
    await ask_limit(callback, i18n, state, view.method.id)


async def limit_entered(message: Message, domain: Domain, i18n: I18nContext, user: Customer,
                        state: FSMContext) -> None:
    card_id = (await AutopayFormData.load(state)).card
    try:
        await domain.autopay.enable(user.id, card_id, parse_amount(message.text or "", domain.ledger.currency))
    except InvalidInput as exc:
        await refuse(message, i18n, exc, user.time_zone, cancel_markup(i18n))
        return
    await state.clear()
    await show_autopay(message, domain, i18n, user, i18n.get("methods-autopay-enabled"))


async def off_pressed(callback: CallbackQuery, domain: Domain, i18n: I18nContext, user: Customer) -> None:
    await domain.autopay.disable(user.id)
    await show_autopay(callback, domain, i18n, user, i18n.get("methods-autopay-disabled"))


def router() -> Router:
    """This section's handlers, in the order they are tried."""
    routes = Router(name=__name__)
    routes.callback_query.register(autopay_pressed, ApCb.filter(F.action == AutopayAction.SHOW))
    routes.callback_query.register(autopay_pressed, MenuCb.filter(F.section == "autopay"))
    routes.callback_query.register(on_pressed, ApCb.filter(F.action == AutopayAction.ON))
    routes.callback_query.register(card_chosen, ApCb.filter(F.action == AutopayAction.CARD))
    routes.callback_query.register(limit_pressed, ApCb.filter(F.action == AutopayAction.LIMIT))
    routes.message.register(limit_entered, AutopayForm.limit, F.text)
    routes.callback_query.register(off_pressed, ApCb.filter(F.action == AutopayAction.OFF))
    return routes


# Buttons under notifications of automatic payments: top up a short cart by hand, or open these settings.
register_action("autopay-topup", lambda args: TopupCb(then=True, rev=str(args.get("rev", ""))))
register_action("autopay", lambda args: AUTOPAY)


@on_cancel(AutopayForm)
async def autopay_form_cancelled(event: Message | CallbackQuery, domain: Domain, i18n: I18nContext, user: Customer,
                                 state: FSMContext, note: str) -> None:
    """Cancel while the monthly limit is asked: back to automatic payments."""
    await state.clear()
    await show_autopay(event, domain, i18n, user, note)
