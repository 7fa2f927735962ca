"""Client: the section's entry screen."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.types import CallbackQuery, Message
from aiogram_i18n import I18nContext

from domain.accounts import Customer
from domain.unit import Domain
from handlers.common.ui import Entry, EntryScreen, MenuCb, MenuSection, register_section

register_section(MenuSection(key="client", text_key="menu-button-client", order=250))

CLIENT = MenuCb(section="client")
# The entries (Payers, Payment methods, ...) register themselves with `register_entry(ClientEntry(...))`.
ClientEntry = Entry
SCREEN = EntryScreen("client-text")
register_entry = SCREEN.register


async def show_client(event: Message | CallbackQuery, i18n: I18nContext, domain: Domain, user: Customer) -> None:
    await SCREEN.show(event, i18n, domain, user)


async def client_pressed(callback: CallbackQuery, i18n: I18nContext, domain: Domain, user: Customer) -> None:
    """Open the Client section."""
    await show_client(callback, i18n, domain, user)


def router() -> Router:
    """This section's handlers, in the order they are tried."""
    routes = Router(name=__name__)
    routes.callback_query.register(client_pressed, MenuCb.filter(F.section == "client"))
    return routes
