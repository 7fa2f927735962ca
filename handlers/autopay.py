"""Automatic payments (Billing -> Automatic payments): on for a saved card with a monthly limit, change the limit
or the card, off; and the checkout's hook that charges a short cart's shortfall to that card."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from aiogram_i18n import I18nContext

from domain.accounts import Customer
from domain.errors import InvalidInput
from domain.unit import Domain
from handlers.common.errors import refuse
from handlers.common.format import money, parse_amount
from handlers.common.ui import Callback, MenuCb, TopupCb, button, keyboard, nav_row, show
from handlers.notifications import register_action
from handlers.payment_methods import PmCb, label

BILLING = MenuCb(section="billing")


class ApCb(Callback, prefix="ap"):
    """a: show, on (choose a card), card (card chosen: ask the limit), limit, off; id: the card."""

    a: str
    id: int = 0


AUTOPAY = ApCb(a="show")

register_action("autopay-topup", lambda args: TopupCb(then=1, rev=str(args.get("rev", ""))))
register_action("autopay", lambda args: AUTOPAY)


class AutopayForm(StatesGroup):
    limit = State()


async def show_autopay(event: Message | CallbackQuery, domain: Domain, i18n: I18nContext, user: Customer,
                       notice: str | None = None) -> None:
    view = await domain.autopay.view(user.id)
    currency, locale = domain.ledger.currency, i18n.locale
    cards = await domain.autopay.cards(user.id)
    rows = []
    if view.enabled and view.method is not None:
        text = i18n.get("methods-autopay-text-on", card=label(i18n, view.method),
                        limit=money(view.monthly_limit, currency, locale), used=money(view.used, currency, locale),
                        max=view.max_failures)
        rows.append([button(i18n.get("methods-autopay-button-limit"), ApCb(a="limit")),
                     button(i18n.get("methods-autopay-button-card"), ApCb(a="on"))])
        rows.append([button(i18n.get("methods-autopay-button-off"), ApCb(a="off"))])
    else:
        text = i18n.get("methods-autopay-text-off")
        if cards:
            rows.append([button(i18n.get("methods-autopay-button-on"), ApCb(a="on"))])
        else:
            text += "\n\n" + i18n.get("methods-autopay-need-card")
            if domain.payment_methods.cards_available:
                rows.append([button(i18n.get("methods-autopay-button-add-card"), PmCb(a="card"))])
    await show(event, f"{notice}\n\n{text}" if notice else text, keyboard(*rows, nav_row(i18n, BILLING)))


async def autopay_pressed(callback: CallbackQuery, domain: Domain, i18n: I18nContext, user: Customer) -> None:
    await show_autopay(callback, domain, i18n, user)


async def ask_limit(callback: CallbackQuery, i18n: I18nContext, state: FSMContext, card_id: int) -> None:
    await state.set_state(AutopayForm.limit)
    await state.set_data({"card": card_id})
    await show(callback, i18n.get("methods-autopay-ask-limit"),
               keyboard([button(i18n.get("button-back"), AUTOPAY), button(i18n.get("button-cancel"), "cancel")]))


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
    rows = [[button(label(i18n, card), ApCb(a="card", id=card.id))] for card in cards]
    await show(callback, i18n.get("methods-autopay-choose-card"), keyboard(*rows, nav_row(i18n, AUTOPAY)))


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
    card_id = int((await state.get_data())["card"])
    try:
        limit = domain.autopay.check_limit(parse_amount(message.text or "", domain.ledger.currency))
        await domain.autopay.enable(user.id, card_id, limit)
    except InvalidInput as exc:
        await refuse(message, i18n, exc, user.time_zone, keyboard([button(i18n.get("button-cancel"), "cancel")]))
        return
    await state.clear()
    await show_autopay(message, domain, i18n, user, i18n.get("methods-autopay-enabled"))


async def off_pressed(callback: CallbackQuery, domain: Domain, i18n: I18nContext, user: Customer) -> None:
    await domain.autopay.disable(user.id)
    await show_autopay(callback, domain, i18n, user, i18n.get("methods-autopay-disabled"))


def router() -> Router:
    """This section's handlers, in the order they are tried."""
    routes = Router(name=__name__)
    routes.callback_query.register(autopay_pressed, ApCb.filter(F.a == "show"))
    routes.callback_query.register(autopay_pressed, MenuCb.filter(F.section == "autopay"))
    routes.callback_query.register(on_pressed, ApCb.filter(F.a == "on"))
    routes.callback_query.register(card_chosen, ApCb.filter(F.a == "card"))
    routes.callback_query.register(limit_pressed, ApCb.filter(F.a == "limit"))
    routes.message.register(limit_entered, AutopayForm.limit, F.text)
    routes.callback_query.register(off_pressed, ApCb.filter(F.a == "off"))
    return routes
