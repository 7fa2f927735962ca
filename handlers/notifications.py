"""Support -> Notifications: the inbox (paginated, filter by category, mark all read), and how a stored
notification becomes text and buttons in the recipient's language and time zone (also used for pushes)."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime, time
from html import escape, unescape
from typing import Any

from aiogram import F, Router
from aiogram.filters.callback_data import CallbackData
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup
from aiogram_i18n import I18nContext

from domain.accounts import Customer
from domain.errors import DomainError
from domain.notifications import CATEGORIES, MANDATORY, NotificationView
from domain.unit import Domain
from handlers.common import format as fmt
from handlers.common.errors import refuse
from handlers.common.ui import Callback, button, keyboard, nav_row, show
from handlers.support import SUPPORT, SupportEntry, register_entry

log = logging.getLogger(__name__)


PER_PAGE = 5
TITLE_LENGTH = 48

Translate = Callable[..., str]  # (message_id, **args) -> text in one locale


# --- rendering -------------------------------------------------------------------------------------------

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


# Buttons may name an action instead of callback data; the section that handles it maps it to its callback.
ActionCallback = Callable[[Mapping[str, Any]], CallbackData | str]
_ACTIONS: dict[str, ActionCallback] = {}


def register_action(name: str, callback: ActionCallback) -> None:
    """Let notifications carry `button(..., action=name, **args)` for a section's own CallbackData."""
    _ACTIONS[name] = callback


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
        elif spec.get("action") in _ACTIONS:
            rows.append([button(text, _ACTIONS[spec["action"]](args))])
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


_TAGS = re.compile(r"<[^>]+>")


def title_of(text: str) -> str:
    """First line of a rendered notification as plain text, short enough for a button."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    plain = unescape(_TAGS.sub("", first)).strip()
    return plain if len(plain) <= TITLE_LENGTH else plain[: TITLE_LENGTH - 1].rstrip() + "…"


# --- the inbox -------------------------------------------------------------------------------------------

class InboxCb(Callback, prefix="nt"):
    """a: l(ist), o(pen), f(ilter screen), r(ead all), m(ute preferences), x (toggle mute of c);
    c: category filter ('' = all)."""

    a: str
    p: int = 0
    c: str = ""
    id: int = 0


def _translate(i18n: I18nContext) -> Translate:
    return lambda key, **args: i18n.get(key, **args)


def _category(value: str) -> str | None:
    return value if value in CATEGORIES else None


async def _unread_button(i18n: I18nContext, domain: Domain, user: Customer) -> InlineKeyboardButton:
    unread = await domain.notifications.unread_count(user.id)
    return button(i18n.get("support-button-notifications", unread=unread), InboxCb(a="l"))


register_entry(SupportEntry(key="notifications", order=100, button=_unread_button))


async def show_inbox(callback: CallbackQuery, i18n: I18nContext, domain: Domain, user: Customer,
                     page: int, category: str | None) -> None:
    inbox = await domain.notifications.inbox(user.id, page=page, per_page=PER_PAGE, category=category)
    locale = i18n.locale
    t = _translate(i18n)
    filter_name = i18n.get(f"notifications-category-{category}" if category else "notifications-category-all")
    if inbox.total == 0:
        text = i18n.get("notifications-empty", filter=filter_name)
    else:
        text = i18n.get("notifications-list", filter=filter_name, unread=inbox.unread, total=inbox.total,
                        page=inbox.page + 1, pages=inbox.pages)
    c = category or ""
    rows = []
    for item in inbox.items:
        label = i18n.get(
            "notifications-item-unread" if not item.read else "notifications-item",
            date=fmt.day(item.created_at, user.time_zone, locale),
            title=title_of(readable_text(t, item, locale, user.time_zone)),
        )
        rows.append([button(label, InboxCb(a="o", id=item.id, p=inbox.page, c=c))])
    pager = []
    if inbox.page > 0:
        pager.append(button(i18n.get("notifications-button-newer"), InboxCb(a="l", p=inbox.page - 1, c=c)))
    if inbox.page + 1 < inbox.pages:
        pager.append(button(i18n.get("notifications-button-older"), InboxCb(a="l", p=inbox.page + 1, c=c)))
    rows.append(pager)
    tools = [button(i18n.get("notifications-button-filter"), InboxCb(a="f", p=inbox.page, c=c))]
    if inbox.unread:
        tools.append(button(i18n.get("notifications-button-read-all"), InboxCb(a="r", p=inbox.page, c=c)))
    rows.append(tools)
    rows.append([button(i18n.get("notifications-button-preferences"), InboxCb(a="m"))])
    await show(callback, text, keyboard(*rows, nav_row(i18n, SUPPORT)))


async def inbox_pressed(callback: CallbackQuery, callback_data: InboxCb, i18n: I18nContext, domain: Domain,
                        user: Customer) -> None:
    await show_inbox(callback, i18n, domain, user, callback_data.p, _category(callback_data.c))


async def filter_pressed(callback: CallbackQuery, callback_data: InboxCb, i18n: I18nContext) -> None:
    """Choose which category the inbox shows."""
    current = _category(callback_data.c)
    rows = []
    for category in (None, *CATEGORIES):
        name = i18n.get(f"notifications-category-{category}" if category else "notifications-category-all")
        label = i18n.get("notifications-filter-chosen", name=name) if category == current else name
        rows.append([button(label, InboxCb(a="l", c=category or ""))])
    back = InboxCb(a="l", p=callback_data.p, c=callback_data.c)
    await show(callback, i18n.get("notifications-filter-text"), keyboard(*rows, nav_row(i18n, back)))


async def read_all_pressed(callback: CallbackQuery, callback_data: InboxCb, i18n: I18nContext, domain: Domain,
                           user: Customer) -> None:
    """Mark every notification in the current filter as read."""
    category = _category(callback_data.c)
    await domain.notifications.mark_all_read(user.id, category)
    await show_inbox(callback, i18n, domain, user, callback_data.p, category)


async def notification_pressed(callback: CallbackQuery, callback_data: InboxCb, i18n: I18nContext,
                               domain: Domain, user: Customer) -> None:
    """Open one notification; opening marks it read."""
    try:
        item = await domain.notifications.open(user.id, callback_data.id)
    except DomainError as exc:
        await refuse(callback, i18n, exc, user.time_zone)
        return
    locale = i18n.locale
    t = _translate(i18n)
    text = i18n.get(
        "notifications-detail",
        category=i18n.get(f"notifications-category-{item.category}"),
        date=fmt.when(item.created_at, user.time_zone, locale),
        text=readable_text(t, item, locale, user.time_zone),
    )
    back = InboxCb(a="l", p=callback_data.p, c=callback_data.c)
    try:
        rows = render_buttons(t, item, locale, user.time_zone)
    except Exception:
        log.warning("notification %s: buttons cannot be rendered", item.id, exc_info=True)
        rows = []
    await show(callback, text, keyboard(*rows, nav_row(i18n, back)))


# --- preferences -----------------------------------------------------------------------------------------

async def show_preferences(callback: CallbackQuery, i18n: I18nContext, muted: set[str]) -> None:
    """Which categories are pushed; finance and security are required notices and always are."""
    rows = []
    for category in CATEGORIES:
        name = i18n.get(f"notifications-category-{category}")
        if category in MANDATORY:
            label = i18n.get("notifications-pref-required", name=name)
            target = InboxCb(a="m")
        else:
            label = i18n.get("notifications-pref-muted" if category in muted else "notifications-pref-on", name=name)
            target = InboxCb(a="x", c=category)
        rows.append([button(label, target)])
    await show(callback, i18n.get("notifications-preferences-text"), keyboard(*rows, nav_row(i18n, InboxCb(a="l"))))


async def preferences_pressed(callback: CallbackQuery, i18n: I18nContext, domain: Domain, user: Customer) -> None:
    await show_preferences(callback, i18n, await domain.notifications.muted(user.id))


async def mute_toggled(callback: CallbackQuery, callback_data: InboxCb, i18n: I18nContext, domain: Domain,
                       user: Customer) -> None:
    """Mute a category (kept in the inbox, not pushed) or have it pushed again."""
    muted = await domain.notifications.muted(user.id)
    try:
        muted = await domain.notifications.set_muted(user.id, callback_data.c, callback_data.c not in muted)
    except DomainError as exc:
        await refuse(callback, i18n, exc, user.time_zone)
        return
    await show_preferences(callback, i18n, muted)


def router() -> Router:
    """This section's handlers, in the order they are tried."""
    routes = Router(name=__name__)
    routes.callback_query.register(inbox_pressed, InboxCb.filter(F.a == "l"))
    routes.callback_query.register(filter_pressed, InboxCb.filter(F.a == "f"))
    routes.callback_query.register(read_all_pressed, InboxCb.filter(F.a == "r"))
    routes.callback_query.register(notification_pressed, InboxCb.filter(F.a == "o"))
    routes.callback_query.register(preferences_pressed, InboxCb.filter(F.a == "m"))
    routes.callback_query.register(mute_toggled, InboxCb.filter(F.a == "x"))
    return routes
