"""Support: the section's entry screen. Its entries (notifications, tickets, ...) register themselves."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, InlineKeyboardButton, Message
from aiogram_i18n import I18nContext

from domain.accounts import Customer
from domain.unit import Domain
from handlers.ui import HOME, MenuCb, MenuSection, keyboard, nav_row, register_section, show

router = Router(name=__name__)
router.message.filter(F.chat.type == "private")
router.callback_query.filter(F.message.chat.type == "private")

register_section(MenuSection(key="support", text_key="menu-button-support", order=900))

SUPPORT = MenuCb(section="support")

EntryButton = Callable[[I18nContext, Domain, Customer], Awaitable[InlineKeyboardButton | None]]


@dataclass(frozen=True, slots=True)
class SupportEntry:
    """A button on the Support screen; `button` may return None to hide it for this customer."""

    key: str
    order: int
    button: EntryButton


_ENTRIES: dict[str, SupportEntry] = {}


def register_entry(entry: SupportEntry) -> None:
    _ENTRIES[entry.key] = entry


async def show_support(event: Message | CallbackQuery, i18n: I18nContext, domain: Domain, user: Customer) -> None:
    rows = []
    for entry in sorted(_ENTRIES.values(), key=lambda e: e.order):
        entry_button = await entry.button(i18n, domain, user)
        if entry_button is not None:
            rows.append([entry_button])
    await show(event, i18n.get("support-text"), keyboard(*rows, nav_row(i18n, HOME)))


@router.callback_query(MenuCb.filter(F.section == "support"))
async def support_pressed(callback: CallbackQuery, i18n: I18nContext, domain: Domain, user: Customer) -> None:
    await show_support(callback, i18n, domain, user)


@router.message(Command("support"))
async def cmd_support(message: Message, i18n: I18nContext, domain: Domain, user: Customer) -> None:
    """Open the Support section."""
    await show_support(message, i18n, domain, user)
