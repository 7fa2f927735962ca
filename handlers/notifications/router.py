"""Support -> Notifications: the inbox (paginated, filter by category, mark all read), one notification with
its buttons, and which categories are pushed."""

from __future__ import annotations

import logging

from aiogram import F, Router
from aiogram.types import CallbackQuery, InlineKeyboardButton
from aiogram_i18n import I18nContext

from domain.accounts import Customer
from domain.errors import DomainError
from domain.unit import Domain
from handlers.common.errors import refuse
from handlers.common.ui import button, keyboard, nav_row, show
from handlers.notifications.keyboards import (
    INBOX,
    InboxAction,
    InboxCb,
    filter_markup,
    inbox_markup,
    preferences_markup,
)
from handlers.notifications.views import detail_text, inbox_text, item_label, render_buttons, translate
from handlers.support import SupportEntry, register_entry

log = logging.getLogger(__name__)

PER_PAGE = 5


async def _unread_button(i18n: I18nContext, domain: Domain, user: Customer) -> InlineKeyboardButton:
    unread = await domain.notifications.unread_count(user.id)
    return button(i18n.get("support-button-notifications", unread=unread), INBOX)


register_entry(SupportEntry(key="notifications", order=100, button=_unread_button))


async def show_inbox(callback: CallbackQuery, i18n: I18nContext, domain: Domain, user: Customer,
                     page: int, category: str | None) -> None:
    inbox = await domain.notifications.inbox(user.id, page=page, per_page=PER_PAGE, category=category)
    labels = [item_label(i18n, item, user.time_zone) for item in inbox.items]
    await show(callback, inbox_text(i18n, inbox), inbox_markup(i18n, inbox, labels))


async def inbox_pressed(callback: CallbackQuery, callback_data: InboxCb, i18n: I18nContext, domain: Domain,
                        user: Customer) -> None:
    await show_inbox(callback, i18n, domain, user, callback_data.p, callback_data.c or None)


async def filter_pressed(callback: CallbackQuery, callback_data: InboxCb, i18n: I18nContext) -> None:
    """Choose which category the inbox shows."""
    back = InboxCb(action=InboxAction.LIST, p=callback_data.p, c=callback_data.c)
    await show(callback, i18n.get("notifications-filter-text"), filter_markup(i18n, callback_data.c or None, back))


async def read_all_pressed(callback: CallbackQuery, callback_data: InboxCb, i18n: I18nContext, domain: Domain,
                           user: Customer) -> None:
    """Mark every notification in the current filter as read."""
    category = callback_data.c or None
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
    back = InboxCb(action=InboxAction.LIST, p=callback_data.p, c=callback_data.c)
    try:
        rows = render_buttons(translate(i18n), item, i18n.locale, user.time_zone)
    except Exception:
        log.warning("notification %s: buttons cannot be rendered", item.id, exc_info=True)
        rows = []
    await show(callback, detail_text(i18n, item, user.time_zone), keyboard(*rows, nav_row(i18n, back)))


async def preferences_pressed(callback: CallbackQuery, i18n: I18nContext, domain: Domain, user: Customer) -> None:
    """Which categories are pushed."""
    muted = await domain.notifications.muted(user.id)
    await show(callback, i18n.get("notifications-preferences-text"), preferences_markup(i18n, muted))


async def mute_toggled(callback: CallbackQuery, callback_data: InboxCb, i18n: I18nContext, domain: Domain,
                       user: Customer) -> None:
    """Mute a category (kept in the inbox, not pushed) or have it pushed again."""
    try:
        muted = await domain.notifications.toggle_muted(user.id, callback_data.c)
    except DomainError as exc:
        await refuse(callback, i18n, exc, user.time_zone)
        return
    await show(callback, i18n.get("notifications-preferences-text"), preferences_markup(i18n, muted))


def router() -> Router:
    """This section's handlers, in the order they are tried."""
    routes = Router(name=__name__)
    routes.callback_query.register(inbox_pressed, InboxCb.filter(F.action == InboxAction.LIST))
    routes.callback_query.register(filter_pressed, InboxCb.filter(F.action == InboxAction.FILTER))
    routes.callback_query.register(read_all_pressed, InboxCb.filter(F.action == InboxAction.READ_ALL))
    routes.callback_query.register(notification_pressed, InboxCb.filter(F.action == InboxAction.OPEN))
    routes.callback_query.register(preferences_pressed, InboxCb.filter(F.action == InboxAction.PREFERENCES))
    routes.callback_query.register(mute_toggled, InboxCb.filter(F.action == InboxAction.MUTE))
    return routes
