"""Client: the section for who the customer is to the vendor (payers, payment methods, discounts).
Its entries register themselves, as on the Support screen."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from aiogram import F, Router
from aiogram.types import CallbackQuery, InlineKeyboardButton, Message
from aiogram_i18n import I18nContext

from domain.accounts import Customer
from domain.unit import Domain
from handlers.ui import HOME, MenuCb, MenuSection, keyboard, nav_row, register_section, show

router = Router(name=__name__)
router.callback_query.filter(F.message.chat.type == "private")

register_section(MenuSection(key="client", text_key="menu-button-client", order=250))

CLIENT = MenuCb(section="client")

EntryButton = Callable[[I18nContext, Domain, Customer], Awaitable[InlineKeyboardButton | None]]


@dataclass(frozen=True, slots=True)
class ClientEntry:
    """A button on the Client screen (Payers, Payment methods, Discounts); `button` may return None to hide it."""

    key: str
    order: int
    button: EntryButton


_ENTRIES: dict[str, ClientEntry] = {}


def register_entry(entry: ClientEntry) -> None:
    _ENTRIES[entry.key] = entry


async def show_client(event: Message | CallbackQuery, i18n: I18nContext, domain: Domain, user: Customer) -> None:
    rows = []
    for entry in sorted(_ENTRIES.values(), key=lambda e: e.order):
        entry_button = await entry.button(i18n, domain, user)
        if entry_button is not None:
            rows.append([entry_button])
    await show(event, i18n.get("client-text"), keyboard(*rows, nav_row(i18n, HOME)))


@router.callback_query(MenuCb.filter(F.section == "client"))
async def client_pressed(callback: CallbackQuery, i18n: I18nContext, domain: Domain, user: Customer) -> None:
    """Open the Client section."""
    await show_client(callback, i18n, domain, user)
