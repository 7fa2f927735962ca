"""Catch-alls, included last: nothing the customer sends goes unanswered."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import StateFilter
from aiogram.types import CallbackQuery, Message
from aiogram_i18n import I18nContext

from domain.accounts import Customer
from domain.errors import NotFound
from handlers.menu import send_menu


async def unknown_text(message: Message, i18n: I18nContext, user: Customer) -> None:
    """Outside a dialog: a short hint and the menu."""
    await send_menu(message, i18n, user, lead=i18n.get("unknown-text"))


async def unexpected_dialog_input(message: Message, i18n: I18nContext) -> None:
    """Inside a dialog but not what the current step takes (e.g. a sticker where text is asked)."""
    await message.answer(i18n.get("dialog-unexpected-input"))


async def stale_button(callback: CallbackQuery) -> None:
    """A button nobody handles: from an old screen, or data no factory accepts (a forged or out-of-range id).
    It gets exactly what a foreign id gets, so a forged press learns nothing."""
    raise NotFound()


def router() -> Router:
    """This section's handlers, in the order they are tried."""
    routes = Router(name=__name__)
    routes.message.register(unknown_text, StateFilter(None))
    routes.message.register(unexpected_dialog_input)
    routes.callback_query.register(stale_button)
    return routes
