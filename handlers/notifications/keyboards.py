"""Notifications: callback data, the registry of actions a notification's buttons may name, and keyboards."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from enum import StrEnum
from typing import Any, Literal

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardMarkup
from aiogram_i18n import I18nContext

from domain.models.notifications import NotificationCategory
from domain.notifications import CATEGORIES, MANDATORY, InboxPage
from handlers.common.ui import Callback, button, keyboard, nav_row
from handlers.support import SUPPORT

# A category filter of the inbox ('' = all): the domain's categories.
Category = NotificationCategory | Literal[""]


class InboxAction(StrEnum):
    """What a button of the inbox does; the values are what buttons already sent carry."""

    LIST = "l"
    OPEN = "o"
    FILTER = "f"
    READ_ALL = "r"
    PREFERENCES = "m"
    MUTE = "x"  # toggle whether category `c` is pushed


class InboxCb(Callback, prefix="nt"):
    """The inbox: `p` its page, `c` its category filter ('' = all; for MUTE the category), `id` a notification."""

    action: InboxAction
    p: int = 0
    c: Category = ""
    id: int = 0


INBOX = InboxCb(action=InboxAction.LIST)
PREFERENCES = InboxCb(action=InboxAction.PREFERENCES)

# Buttons may name an action instead of callback data; the section that handles it maps it to its callback.
ActionCallback = Callable[[Mapping[str, Any]], CallbackData | str]
_ACTIONS: dict[str, ActionCallback] = {}


def register_action(name: str, callback: ActionCallback) -> None:
    """Let notifications carry `button(..., action=name, **args)` for a section's own CallbackData."""
    _ACTIONS[name] = callback


def action_callback(name: str | None, args: Mapping[str, Any]) -> CallbackData | str | None:
    """The callback a registered action makes of a button's arguments; None for an action nobody registered."""
    make = _ACTIONS.get(name or "")
    return make(args) if make is not None else None


def category_name(i18n: I18nContext, category: str | None) -> str:
    return i18n.get(f"notifications-category-{category}" if category else "notifications-category-all")


def inbox_markup(i18n: I18nContext, inbox: InboxPage, labels: list[str]) -> InlineKeyboardMarkup:
    """One button per notification (`labels`, in the page's order), paging, the filter, read all, preferences."""
    c: Category = NotificationCategory(inbox.category) if inbox.category else ""
    rows = [[button(label, InboxCb(action=InboxAction.OPEN, id=item.id, p=inbox.page, c=c))]
            for item, label in zip(inbox.items, labels, strict=True)]
    pager = []
    if inbox.page > 0:
        pager.append(button(i18n.get("notifications-button-newer"),
                            InboxCb(action=InboxAction.LIST, p=inbox.page - 1, c=c)))
    if inbox.page + 1 < inbox.pages:
        pager.append(button(i18n.get("notifications-button-older"),
                            InboxCb(action=InboxAction.LIST, p=inbox.page + 1, c=c)))
    rows.append(pager)
    tools = [button(i18n.get("notifications-button-filter"), InboxCb(action=InboxAction.FILTER, p=inbox.page, c=c))]
    if inbox.unread:
        tools.append(button(i18n.get("notifications-button-read-all"),
                            InboxCb(action=InboxAction.READ_ALL, p=inbox.page, c=c)))
    rows.append(tools)
    rows.append([button(i18n.get("notifications-button-preferences"), PREFERENCES)])
    return keyboard(*rows, nav_row(i18n, SUPPORT))


def filter_markup(i18n: I18nContext, current: str | None, back: InboxCb) -> InlineKeyboardMarkup:
    rows = []
    for category in (None, *CATEGORIES):
        name = category_name(i18n, category)
        label = i18n.get("notifications-filter-chosen", name=name) if category == current else name
        rows.append([button(label, InboxCb(action=InboxAction.LIST, c=category or ""))])
    return keyboard(*rows, nav_row(i18n, back))


def preferences_markup(i18n: I18nContext, muted: set[str]) -> InlineKeyboardMarkup:
    """Which categories are pushed; finance and security are required notices and always are."""
    rows = []
    for category in CATEGORIES:
        name = i18n.get(f"notifications-category-{category}")
        if category in MANDATORY:
            label = i18n.get("notifications-pref-required", name=name)
            target = PREFERENCES
        else:
            label = i18n.get("notifications-pref-muted" if category in muted else "notifications-pref-on", name=name)
            target = InboxCb(action=InboxAction.MUTE, c=category)
        rows.append([button(label, target)])
    return keyboard(*rows, nav_row(i18n, INBOX))
