"""Domain refusals in the reader's words. Every `DomainError` a handler shows goes through here: its arguments
are formatted for the reader (money, days, moments in their time zone) and strings, which may be what the
customer typed, are shortened and escaped for HTML. No handler formats an error's arguments itself (a test
keeps it so), so none can forget the escaping."""

from __future__ import annotations

from datetime import date, datetime
from html import escape
from typing import Any

from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram_i18n import I18nContext
from aiogram_i18n.cores import BaseCore

from domain.errors import DomainError
from domain.text import shorten
from domain.values import Day, Money
from handlers.common import format as fmt
from handlers.common.ui import show

ECHO_LIMIT = 120  # characters of an echoed value (an address, a name, a code) in a refusal
ALERT_LIMIT = 200  # Telegram's limit for the text of a callback answer


def format_value(value: Any, locale: str, time_zone: str | None, *, html: bool) -> Any:
    if isinstance(value, Money):
        return fmt.money(value.minor, value.currency, locale)
    if isinstance(value, Day):
        return fmt.day(value.moment, time_zone, locale)
    if isinstance(value, datetime):
        return fmt.when(value, time_zone, locale)
    if isinstance(value, date):
        return fmt.calendar_day(value, locale)
    if isinstance(value, bool) or value is None:
        return str(value).lower()
    if isinstance(value, str):
        value = shorten(value, ECHO_LIMIT)
        return escape(value) if html else value
    return value


def error_args(error: DomainError, locale: str, time_zone: str | None = None, *, html: bool = True) -> dict[str, Any]:
    return {name: format_value(value, locale, time_zone, html=html) for name, value in error.args_.items()}


def error_text(i18n: I18nContext, error: DomainError, time_zone: str | None = None, *, html: bool = True) -> str:
    """The refusal as a message (HTML) or, with `html=False`, as an alert's plain text."""
    return i18n.get(error.message_id, **error_args(error, i18n.locale, time_zone, html=html))


def core_error_text(core: BaseCore[Any], locale: str, error: DomainError, time_zone: str | None = None) -> str:
    """`error_text` where there is no update context (the error boundary, the staff group's language)."""
    return core.get(error.message_id, locale, **error_args(error, locale, time_zone))


def echo(text: str) -> str:
    """Something the customer or a staff member typed, for a message: shortened and escaped."""
    return escape(shorten(text, ECHO_LIMIT))


def alert_text(text: str) -> str:
    return shorten(text, ALERT_LIMIT)


async def refuse(event: Message | CallbackQuery, i18n: I18nContext, error: DomainError, time_zone: str | None = None,
                 markup: InlineKeyboardMarkup | None = None) -> None:
    """Say no: an alert over the pressed button, or, to a typed message, the refusal as the new screen (with
    `markup`, e.g. Cancel): the prompt it answers gives up its buttons, so one live prompt stays."""
    if isinstance(event, CallbackQuery):
        await event.answer(alert_text(error_text(i18n, error, time_zone, html=False)), show_alert=True)
    else:
        await show(event, error_text(i18n, error, time_zone), markup)
