"""Who counts as staff: members of the staff group (its creator, administrators and members, never a bot), asked
of Telegram and remembered for a minute. `StaffGate` holds every handler under the staff branch to it."""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware, Bot
from aiogram.dispatcher.flags import get_flag
from aiogram.exceptions import TelegramAPIError
from aiogram.types import CallbackQuery, Message, TelegramObject
from aiogram.types import User as TelegramUser
from aiogram_i18n import I18nContext

from handlers.common.staff import STAFF_FLAG, group_translate

log = logging.getLogger(__name__)

STAFF_STATUSES = frozenset({"creator", "administrator", "member"})
ADMIN_STATUSES = frozenset({"creator", "administrator"})
MEMBERSHIP_TTL = 60.0

_membership: dict[tuple[str, int, int], tuple[str, float]] = {}


async def member_status(bot: Bot, chat_id: int, user: TelegramUser | None) -> str | None:
    """The user's status in the group (creator, administrator, member, restricted, left, kicked), cached a
    minute; None for bots and when Telegram cannot say."""
    if user is None or user.is_bot:
        return None
    key = (bot.token, chat_id, user.id)
    cached = _membership.get(key)
    now = time.monotonic()
    if cached is not None and cached[1] > now:
        return cached[0]
    try:
        member = await bot.get_chat_member(chat_id, user.id)
    except TelegramAPIError as exc:
        log.warning("staff check of %s in %s failed: %s", user.id, chat_id, exc)
        return None
    _membership[key] = (member.status, now + MEMBERSHIP_TTL)
    return member.status


def allowed(level: str) -> frozenset[str]:
    """The statuses a handler's `staff` flag lets in: "admin", or (the default) "member"."""
    return ADMIN_STATUSES if level == "admin" else STAFF_STATUSES


class StaffGate(BaseMiddleware):
    """An inner middleware on the staff branch (it reads the handler's `staff` flag, handlers/common/staff.py):
    a member of the staff group may use a handler, an administrator one flagged ADMIN; a member who is not an
    administrator is told so; non-members, bots and other chats are ignored."""

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        message = event.message if isinstance(event, CallbackQuery) else event
        staff_chat_id = data.get("staff_chat_id")
        if not isinstance(message, Message) or staff_chat_id is None or message.chat.id != staff_chat_id:
            return None
        assert isinstance(event, Message | CallbackQuery)
        status = await member_status(data["bot"], message.chat.id, event.from_user)
        if status in allowed(get_flag(data, STAFF_FLAG, default="member")):
            return await handler(event, data)
        if status in STAFF_STATUSES:
            t, _ = group_translate(data["i18n"].core)
            if isinstance(event, Message):
                await event.reply(t("staff-admins-only"))
            else:
                await event.answer(t("staff-admins-only"), show_alert=True)
        elif isinstance(event, CallbackQuery):
            await event.answer()
        return None


async def staff_may(message: Message, bot: Bot, i18n: I18nContext, staff_chat_id: int | None, *,
                    admin: bool = False) -> bool:
    """`StaffGate`'s rule for a staff command registered outside the staff branch: in the staff group, by a
    member of it, or with `admin` by one of its administrators (other members are told so)."""
    if staff_chat_id is None or message.chat.id != staff_chat_id:
        return False
    status = await member_status(bot, message.chat.id, message.from_user)
    if status in allowed("admin" if admin else "member"):
        return True
    if status in STAFF_STATUSES:
        t, _ = group_translate(i18n.core)
        await message.reply(t("staff-admins-only"))
    return False
