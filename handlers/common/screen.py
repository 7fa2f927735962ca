"""Screens that may replace a photo: a caption-less text screen cannot be edited into a photo message (or back),
so such a switch deletes the old message and sends the new one."""

from __future__ import annotations

import contextlib

from aiogram.exceptions import TelegramBadRequest
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from handlers.common.ui import send_screen, show


def is_photo(event: Message | CallbackQuery) -> bool:
    return isinstance(event, CallbackQuery) and isinstance(event.message, Message) and bool(event.message.photo)


async def drop_pressed(callback: CallbackQuery) -> None:
    """Delete the message whose button was pressed (a photo screen being left)."""
    if isinstance(callback.message, Message):
        with contextlib.suppress(TelegramBadRequest):
            await callback.message.delete()


async def screen(event: Message | CallbackQuery, text: str, markup: InlineKeyboardMarkup | None = None) -> None:
    """`ui.show`, also from a photo screen (which is replaced by a text one)."""
    if isinstance(event, CallbackQuery) and is_photo(event):
        await event.answer()
        await drop_pressed(event)
        if event.message is not None and event.bot is not None:
            await send_screen(event.bot, event.message.chat.id, text, markup)
        return
    await show(event, text, markup)
