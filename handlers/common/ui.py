"""Screens (the rules are in handlers/common/screens.py), navigation rows, callback data, the menu registry."""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import Enum
from typing import Any, Self

from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram_i18n import I18nContext
from pydantic import field_validator
from pydantic_core import PydanticUndefined

from handlers.common.screens import Screen, ScreenBook, current_book, sending_screen

# Callback data comes from the client and can be forged: every whole number in it must fit the database's
# integer columns (PostgreSQL's INTEGER, 32 bits), so a huge id fails at the edge like any unknown button (the
# catch-all answers "not found") instead of reaching a query that the database refuses.
INT_MIN, INT_MAX = -(2**31), 2**31 - 1


class Callback(CallbackData, prefix="_"):
    """The base of every callback data factory of the bot.

    A factory may gain fields at its end, with defaults: a button sent before has fewer parts, and decodes with
    the new fields at their defaults (buttons already in customers' chats keep working)."""

    @classmethod
    def unpack(cls, value: str) -> Self:
        parts = value.split(cls.__separator__)
        fields = list(cls.model_fields.values())
        missing = fields[len(parts) - 1:]
        if 0 < len(missing) < len(fields) and all(f.default is not PydanticUndefined for f in missing):
            value = cls.__separator__.join([*parts, *(_packed(f.default) for f in missing)])
        return super().unpack(value)

    @field_validator("*", mode="after")
    @classmethod
    def _within_columns(cls, value: Any) -> Any:
        if isinstance(value, int) and not isinstance(value, bool) and not INT_MIN <= value <= INT_MAX:
            raise ValueError("number out of range")
        return value


def _packed(default: Any) -> str:
    """A field's default as aiogram packs it."""
    if isinstance(default, Enum):
        return str(default.value)
    if isinstance(default, bool):
        return str(int(default))
    return "" if default is None else str(default)


class MenuCb(Callback, prefix="m"):
    """Top-level navigation: `home` is the main menu, anything else a section's entry screen."""

    section: str


HOME = MenuCb(section="home")


class TopupCb(Callback, prefix="t"):
    """A top-up, offered by several sections (billing, the cart, licences, automatic payments, notifications) and
    sent as an invoice by billing: `amount` in minor units of a preset; `then` tops up what the cart of revision
    `rev` lacks (computed by the domain, never taken from the button) and buys that cart once it is paid;
    `resume` names the flow the top-up is for (`tariff.<service>.<tariff>`), shown again once it is paid."""

    amount: int = 0
    then: bool = False
    payer: int = 0
    rev: str = ""
    resume: str = ""


@dataclass(frozen=True, slots=True)
class MenuSection:
    """A main-menu button. Section modules register themselves; only working sections appear."""

    key: str
    text_key: str
    order: int
    visible: Callable[[], bool] = lambda: True


_SECTIONS: dict[str, MenuSection] = {}


def register_section(section: MenuSection) -> None:
    _SECTIONS[section.key] = section


def sections() -> list[MenuSection]:
    return sorted((s for s in _SECTIONS.values() if s.visible()), key=lambda s: s.order)


# What a section offers to do next with a service just bought (a certificate's setup): the cart's receipt asks each
# kind's section without importing it.
NextStep = Callable[[I18nContext, Any], InlineKeyboardButton | None]
_NEXT_STEPS: dict[str, NextStep] = {}


def register_next_step(kind: str, step: NextStep) -> None:
    _NEXT_STEPS[kind] = step


def next_steps(i18n: I18nContext, services: Any) -> list[list[InlineKeyboardButton]]:
    """One row per bought service whose section has a next step for it."""
    rows = []
    for service in services:
        step = _NEXT_STEPS.get(str(service.kind))
        made = step(i18n, service) if step is not None else None
        if made is not None:
            rows.append([made])
    return rows


def button(text: str, callback: CallbackData | str) -> InlineKeyboardButton:
    data = callback.pack() if isinstance(callback, CallbackData) else callback
    return InlineKeyboardButton(text=text, callback_data=data)


def nav_row(i18n: I18nContext, back: CallbackData | None = None) -> list[InlineKeyboardButton]:
    """Back (when it leads somewhere other than the menu) and Main menu: the foot of every screen."""
    row = []
    if back is not None and back != HOME:
        row.append(button(i18n.get("button-back"), back))
    row.append(button(i18n.get("button-main-menu"), HOME))
    return row


def keyboard(*rows: list[InlineKeyboardButton]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[list(r) for r in rows if r])


def main_menu_keyboard(i18n: I18nContext) -> InlineKeyboardMarkup:
    """The menu is the most shown screen and the same for every customer of a language: built once per
    language and set of visible sections (building buttons is pydantic validation, costly per update)."""
    visible = tuple(sections())
    key = (i18n.locale, visible)
    markup = _MENU_KEYBOARDS.get(key)
    if markup is None:
        entries = [button(i18n.get(s.text_key), MenuCb(section=s.key)) for s in visible]
        markup = _MENU_KEYBOARDS[key] = keyboard(*(entries[i : i + 2] for i in range(0, len(entries), 2)))
    return markup


_MENU_KEYBOARDS: dict[tuple[str, tuple[MenuSection, ...]], InlineKeyboardMarkup] = {}


EntryButton = Callable[[I18nContext, Any, Any], Awaitable[InlineKeyboardButton | None]]


@dataclass(frozen=True, slots=True)
class Entry:
    """A button on a section screen that other sections fill (Support, Client); `button(i18n, domain, user)`
    may return None to hide it for this customer."""

    key: str
    order: int
    button: EntryButton


class EntryScreen:
    """A section screen whose entries register themselves, so a new section plugs in without editing it."""

    def __init__(self, text_key: str) -> None:
        self.text_key = text_key
        self._entries: dict[str, Entry] = {}

    def register(self, entry: Entry) -> None:
        self._entries[entry.key] = entry

    async def show(self, event: Message | CallbackQuery, i18n: I18nContext, domain: Any, user: Any) -> None:
        rows = []
        for entry in sorted(self._entries.values(), key=lambda e: e.order):
            entry_button = await entry.button(i18n, domain, user)
            if entry_button is not None:
                rows.append([entry_button])
        await show(event, i18n.get(self.text_key), keyboard(*rows, nav_row(i18n, HOME)))


def pager(prev: CallbackData | None, next_: CallbackData | None, page: int, pages: int) -> list[InlineKeyboardButton]:
    """« page/pages » under a paginated list; nothing when it fits on one page."""
    if pages <= 1:
        return []
    row = []
    if prev is not None:
        row.append(button("«", prev))
    row.append(button(f"{page + 1}/{pages}", "noop"))
    if next_ is not None:
        row.append(button("»", next_))
    return row


def chat_id_of(event: Message | CallbackQuery) -> int:
    """The chat a message was written in, or whose message's button was pressed."""
    message = event if isinstance(event, Message) else event.message
    if message is None:  # a button under an inline-mode message: the bot offers none
        raise ValueError("the press has no message")
    return message.chat.id


def bot_of(event: Message | CallbackQuery) -> Bot:
    """The bot an update came to (aiogram binds every event it parses to its bot)."""
    if event.bot is None:
        raise RuntimeError("the event is not bound to a bot")
    return event.bot


async def show(event: Message | CallbackQuery, text: str, markup: InlineKeyboardMarkup | None = None, *,
               keep: bool = False) -> None:
    """Render a screen. A press edits the current screen in place when nothing was sent below it since; else
    (and for a typed command) the screen is a new message and the one it supersedes loses its buttons.

    `keep`: what the customer must keep (a one-time secret, a receipt): always a message of its own that
    navigation never edits; the screen above it loses its buttons."""
    bot = bot_of(event)
    book = current_book.get()
    if isinstance(event, CallbackQuery):
        message = event.message if isinstance(event.message, Message) else None
        screen = await _current_screen(book, bot.id, message) if message is not None and not keep else None
        if message is not None and screen is not None:
            if unchanged(message, text, markup):  # pressed again: nothing to redraw, nothing to refuse
                await event.answer()
                return
            try:
                await message.edit_text(text, reply_markup=markup)
                buttons = bool(markup and markup.inline_keyboard)
                if book is not None and screen.buttons != buttons:
                    await book.shown(bot.id, message.chat.id, message.message_id, buttons=buttons)
                await event.answer()
                return
            except TelegramBadRequest as exc:
                if "message is not modified" in exc.message:
                    await event.answer()
                    return
                # A photo screen (e.g. settings with an avatar) cannot become text: send the screen anew.
                if not any(reason in exc.message for reason in (
                        "message can't be edited", "message to edit not found", "no text in the message to edit")):
                    raise
        if event.message is not None:
            await send_screen(bot, event.message.chat.id, text, markup, keep=keep)
        await event.answer()
        return
    await send_screen(bot, event.chat.id, text, markup, keep=keep)


async def _current_screen(book: ScreenBook | None, bot_id: int, message: Message) -> Screen | None:
    """The pressed message as the chat's current screen, or None when it is not (an older one, a kept one, or
    one with messages below it)."""
    if book is None:  # outside an update (tools): edit what was pressed, as always
        return Screen(message.message_id, True, bool(message.reply_markup))
    screen = await book.current(bot_id, message.chat.id)
    return screen if screen is not None and screen.fresh and screen.message_id == message.message_id else None


async def send_screen(bot: Bot, chat_id: int, text: str, markup: InlineKeyboardMarkup | None = None, *,
                      keep: bool = False, photo: Any = None) -> Message:
    """Send a screen as a new message (a photo screen with `photo`) and take the buttons off the screen it
    supersedes; a `keep` message does not become the current screen (navigation will not edit it)."""
    book = current_book.get()
    previous = await book.current(bot.id, chat_id) if book is not None else None
    token = sending_screen.set(not keep)
    try:
        if photo is not None:
            sent = await bot.send_photo(chat_id, photo, caption=text, reply_markup=markup)
        else:
            sent = await bot.send_message(chat_id, text, reply_markup=markup)
    finally:
        sending_screen.reset(token)
    if book is not None:
        if keep:
            await book.superseded(bot.id, chat_id)
        else:
            await book.shown(bot.id, chat_id, sent.message_id, buttons=bool(markup and markup.inline_keyboard))
        if previous is not None and previous.buttons and previous.message_id != sent.message_id:
            with contextlib.suppress(TelegramBadRequest):
                await bot.edit_message_reply_markup(chat_id=chat_id, message_id=previous.message_id,
                                                    reply_markup=None)
    return sent


def unchanged(message: Message, text: str, markup: InlineKeyboardMarkup | None) -> bool:
    """Whether the message already shows exactly this screen (Telegram would answer "message is not
    modified")."""
    if message.text is None or message.html_text != text:
        return False
    current = message.reply_markup
    return (current.model_dump() if current else None) == (markup.model_dump() if markup else None)


async def leave_dialog(state: FSMContext, raw_state: str | None) -> bool:
    """Leave the current dialog, if any. Plain navigation outside a dialog writes nothing to the database.

    Dialogs always have a state, so "no state" means there is nothing to clear. Returns whether one was left.
    """
    if raw_state is None:
        return False
    await state.clear()
    return True
