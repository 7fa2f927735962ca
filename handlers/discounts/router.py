"""Client -> Discounts: the customer's discounts, and entering a promo code (also by a
t.me/<bot>?start=promo_<CODE> link, which asks before applying)."""

from __future__ import annotations

from html import escape

from aiogram import F, Router
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardButton, Message
from aiogram_i18n import I18nContext

from domain.accounts import Customer
from domain.promos import CODE_RE, PromoRefused, normalize
from domain.unit import Domain
from handlers.client import ClientEntry, register_entry
from handlers.common.errors import error_text
from handlers.common.ui import MenuCb, button, keyboard, leave_dialog, nav_row, show
from handlers.discounts.keyboards import (
    DISCOUNTS,
    DiscountAction,
    DiscountCb,
    cancel_markup,
    code_markup,
    discounts_markup,
    promo_link_markup,
)
from handlers.discounts.states import PromoForm
from handlers.discounts.views import discounts_text, redeemed_text
from handlers.menu import deep_link, on_cancel
from handlers.notifications import register_action


async def _client_button(i18n: I18nContext, domain: Domain, user: Customer) -> InlineKeyboardButton:
    return button(i18n.get("menu-button-discounts"), DISCOUNTS)


# Client -> Discounts, as in the web client area.
register_entry(ClientEntry(key="discounts", order=300, button=_client_button))
register_action("discounts", lambda args: DISCOUNTS)


async def show_discounts(event: Message | CallbackQuery, domain: Domain, i18n: I18nContext, user: Customer,
                         notice: str | None = None) -> None:
    """The discounts usable now and the way to enter a promo code."""
    discounts = await domain.discounts.active(user.id)
    names = await domain.discounts.names()
    await show(event, discounts_text(i18n, discounts, domain.ledger.currency, names, notice),
               discounts_markup(i18n, bool(discounts)))


async def discounts_pressed(callback: CallbackQuery, domain: Domain, i18n: I18nContext, user: Customer,
                            state: FSMContext, raw_state: str | None) -> None:
    await leave_dialog(state, raw_state)
    await show_discounts(callback, domain, i18n, user)


# --- promo codes ----------------------------------------------------------------------------------------

async def redeem(event: Message | CallbackQuery, domain: Domain, i18n: I18nContext, user: Customer,
                 code: str) -> bool:
    """Apply a code and show the discounts; a refusal says why and changes nothing (the domain's savepoint)."""
    try:
        result = await domain.promos.redeem(user.id, code)
    except PromoRefused as exc:
        text = error_text(i18n, exc)
        if isinstance(event, Message):
            await event.answer(text, reply_markup=cancel_markup(i18n))
        else:
            await show_discounts(event, domain, i18n, user, text)
        return False
    await show_discounts(event, domain, i18n, user, redeemed_text(i18n, result, domain.ledger.currency))
    return True


async def code_pressed(callback: CallbackQuery, i18n: I18nContext, state: FSMContext) -> None:
    """Ask for the code."""
    await state.set_state(PromoForm.code)
    await show(callback, i18n.get("promo-ask"), code_markup(i18n))


async def code_typed(message: Message, domain: Domain, i18n: I18nContext, user: Customer,
                     state: FSMContext) -> None:
    if await redeem(message, domain, i18n, user, message.text or ""):
        await state.clear()


async def code_not_text(message: Message, i18n: I18nContext) -> None:
    await message.answer(i18n.get("promo-ask"), reply_markup=cancel_markup(i18n))


async def redeem_pressed(callback: CallbackQuery, callback_data: DiscountCb, domain: Domain, i18n: I18nContext,
                         user: Customer) -> None:
    """The confirmation under a promo link."""
    await redeem(callback, domain, i18n, user, callback_data.code)


@deep_link("promo")
async def promo_link(message: Message, i18n: I18nContext, user: Customer, state: FSMContext) -> None:
    """`/start promo_<CODE>`: ask before applying, so opening a link alone uses nothing."""
    payload = (message.text or "").partition(" ")[2].strip()
    code = normalize(payload.partition("_")[2])
    if not CODE_RE.match(code):
        await message.answer(i18n.get("promo-error-unknown", code=escape(code[:40])),
                             reply_markup=keyboard(nav_row(i18n)))
        return
    await message.answer(i18n.get("promo-link-confirm", code=code), reply_markup=promo_link_markup(i18n, code))


def router() -> Router:
    """This section's handlers, in the order they are tried."""
    routes = Router(name=__name__)
    routes.callback_query.register(discounts_pressed, MenuCb.filter(F.section == "discounts"))
    routes.callback_query.register(code_pressed, DiscountCb.filter(F.action == DiscountAction.CODE))
    routes.message.register(code_typed, PromoForm.code, F.text)
    routes.message.register(code_not_text, PromoForm.code)
    routes.callback_query.register(redeem_pressed, DiscountCb.filter(F.action == DiscountAction.REDEEM))
    return routes


@on_cancel(PromoForm)
async def promo_form_cancelled(event: Message | CallbackQuery, domain: Domain, i18n: I18nContext, user: Customer,
                               state: FSMContext, note: str) -> None:
    """Cancel while a promo code is asked: back to the discounts."""
    await state.clear()
    await show_discounts(event, domain, i18n, user, note)
