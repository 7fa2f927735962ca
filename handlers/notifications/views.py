"""Notifications: how a stored notification becomes text and buttons in the recipient's language and time zone
(the inbox, and pushes: bot/delivery.py renders with `render_push`)."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime, time
from html import escape, unescape
from typing import Any

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram_i18n import I18nContext

from domain.notifications import InboxPage, NotificationView
from handlers.common import format as fmt
from handlers.common.ui import button, keyboard
from handlers.notifications.keyboards import action_callback, category_name

log = logging.getLogger(__name__)

TITLE_LENGTH = 48
_TAGS = re.compile(r"<[^>]+>")

Translate = Callable[..., str]  # (message_id, **args) -> text in one locale


def render_args(args: Mapping[str, Any], locale: str, time_zone: str | None) -> dict[str, Any]:
    """JSON arguments -> Fluent arguments: money and moments formatted for the reader, strings escaped."""
    rendered: dict[str, Any] = {}
    for name, value in args.items():
        if isinstance(value, Mapping) and "$type" in value:
            kind = value["$type"]
            if kind == "money":
                rendered[name] = fmt.money(int(value["minor"]), str(value["currency"]), locale)
            elif kind == "datetime":
                rendered[name] = fmt.when(datetime.fromisoformat(value["value"]), time_zone, locale)
            elif kind == "text":
                texts = value.get("values") or {}
                text = texts.get(locale) or texts.get("en") or next(iter(texts.values()), "")
                rendered[name] = escape(str(text))
            elif kind == "date":
                noon = datetime.combine(date.fromisoformat(value["value"]), time(12), UTC)
                rendered[name] = fmt.day(noon, "UTC", locale)
            else:
                rendered[name] = escape(str(value.get("value", "")))
        elif isinstance(value, str):
            rendered[name] = escape(value)
        elif isinstance(value, bool) or value is None:
            rendered[name] = str(value).lower()
        else:
            rendered[name] = value
    return rendered


def render_buttons(t: Translate, view: NotificationView, locale: str,
                   time_zone: str | None) -> list[list[InlineKeyboardButton]]:
    rows = []
    for spec in view.buttons:
        args = dict(spec.get("args") or {})
        text = t(spec["text_key"], **render_args(args, locale, time_zone))
        if spec.get("url"):
            rows.append([InlineKeyboardButton(text=text, url=spec["url"])])
        elif spec.get("callback"):
            rows.append([button(text, spec["callback"])])
        elif (callback := action_callback(spec.get("action"), args)) is not None:
            rows.append([button(text, callback)])
        else:
            log.warning("notification %s: button action %r is not registered", view.id, spec.get("action"))
    return rows


def render_text(t: Translate, view: NotificationView, locale: str, time_zone: str | None) -> str:
    return t(view.key, **render_args(view.args, locale, time_zone))


def readable_text(t: Translate, view: NotificationView, locale: str, time_zone: str | None) -> str:
    """`render_text` for a list or a detail screen: a notification that cannot be rendered (arguments that do
    not fit its message, a message since removed) shows as such, and the screen shows the rest."""
    try:
        return render_text(t, view, locale, time_zone)
    except Exception:
        log.warning("notification %s (%s) cannot be rendered", view.id, view.key, exc_info=True)
        return t("notifications-unreadable")


def render_push(t: Translate, view: NotificationView, locale: str,
                time_zone: str | None) -> tuple[str, InlineKeyboardMarkup | None]:
    """The push message: the notification's text with its action buttons."""
    rows = render_buttons(t, view, locale, time_zone)
    return render_text(t, view, locale, time_zone), (keyboard(*rows) if rows else None)


def title_of(text: str) -> str:
    """First line of a rendered notification as plain text, short enough for a button."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    plain = unescape(_TAGS.sub("", first)).strip()
    return plain if len(plain) <= TITLE_LENGTH else plain[: TITLE_LENGTH - 1].rstrip() + "…"


def translate(i18n: I18nContext) -> Translate:
    return lambda key, **args: i18n.get(key, **args)


def inbox_text(i18n: I18nContext, inbox: InboxPage) -> str:
    filter_name = category_name(i18n, inbox.category)
    if inbox.total == 0:
        return i18n.get("notifications-empty", filter=filter_name)
    return i18n.get("notifications-list", filter=filter_name, unread=inbox.unread, total=inbox.total,
                    page=inbox.page + 1, pages=inbox.pages)


def item_label(i18n: I18nContext, item: NotificationView, time_zone: str) -> str:
    """A notification in the inbox list: read or not, its day and the first line of its text."""
    return i18n.get("notifications-item-unread" if not item.read else "notifications-item",
                    date=fmt.day(item.created_at, time_zone, i18n.locale),
                    title=title_of(readable_text(translate(i18n), item, i18n.locale, time_zone)))


def detail_text(i18n: I18nContext, item: NotificationView, time_zone: str) -> str:
    return i18n.get("notifications-detail", category=i18n.get(f"notifications-category-{item.category}"),
                    date=fmt.when(item.created_at, time_zone, i18n.locale),
                    text=readable_text(translate(i18n), item, i18n.locale, time_zone))
