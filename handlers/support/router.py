"""Support: the section's entry screen and /support."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message
from aiogram_i18n import I18nContext

from domain.accounts import Customer
from domain.unit import Domain
from handlers.common.ui import Entry, EntryScreen, MenuCb, MenuSection, register_section

register_section(MenuSection(key="support", text_key="menu-button-support", order=900))

SUPPORT = MenuCb(section="support")
# The entries (Tickets, Notifications, ...) register themselves with `register_entry(SupportEntry(...))`.
SupportEntry = Entry
SCREEN = EntryScreen("support-text")
register_entry = SCREEN.register


async def show_support(event: Message | CallbackQuery, i18n: I18nContext, domain: Domain, user: Customer) -> None:
    await SCREEN.show(event, i18n, domain, user)


async def support_pressed(callback: CallbackQuery, i18n: I18nContext, domain: Domain, user: Customer) -> None:
    await show_support(callback, i18n, domain, user)


async def cmd_support(message: Message, i18n: I18nContext, domain: Domain, user: Customer) -> None:
    """Open the Support section."""
    await show_support(message, i18n, domain, user)


def router() -> Router:
    """This section's handlers, in the order they are tried."""
    routes = Router(name=__name__)
    routes.callback_query.register(support_pressed, MenuCb.filter(F.section == "support"))
    routes.message.register(cmd_support, Command("support"))
    return routes
