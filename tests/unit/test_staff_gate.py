"""The staff branch's gate on its own: who gets through to a staff handler, by the handler's `staff` flag (members
by default, so a section's new staff command is gated without doing anything), and what the others hear."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

import pytest
from aiogram.dispatcher.event.handler import HandlerObject
from aiogram.methods import AnswerCallbackQuery, SendMessage
from aiogram.types import CallbackQuery, Message

from handlers.common.staff import ADMIN, MEMBER
from handlers.staff import StaffGate

GROUP = -100123
STATUSES = {1: "creator", 2: "administrator", 3: "member", 4: "restricted", 5: "left"}


class Bot:
    """Telegram as far as the gate asks it: each user's status in the group, and what was sent."""

    def __init__(self, token: str) -> None:
        self.token = token
        self.sent: list[Any] = []
        self.asked = 0

    async def get_chat_member(self, chat_id: int, user_id: int) -> Any:
        self.asked += 1
        return SimpleNamespace(status=STATUSES[user_id])

    async def __call__(self, method: Any) -> Any:
        self.sent.append(method)
        return True


class Core:
    default_locale = "en"

    def get(self, key: str, locale: str, **args: Any) -> str:
        return key


def message(bot: Bot, user_id: int, chat_id: int = GROUP, *, is_bot: bool = False) -> Message:
    return Message.model_validate({
        "message_id": 1, "date": datetime(2026, 11, 26, tzinfo=UTC), "text": "/paid 1",
        "chat": {"id": chat_id, "type": "supergroup", "title": "Support"},
        "from": {"id": user_id, "is_bot": is_bot, "first_name": f"U{user_id}"}}, context={"bot": bot})


async def gate(bot: Bot, event: Message | CallbackQuery, flags: dict[str, Any] | None = None) -> bool:
    """Whether the handler (flagged `flags`, or not at all) ran."""
    ran = []

    async def handler(event: Any, data: dict[str, Any]) -> None:
        ran.append(event)

    data = {"bot": bot, "staff_chat_id": GROUP, "i18n": SimpleNamespace(core=Core()),
            "handler": HandlerObject(callback=handler, flags=dict(flags or {}))}
    await StaffGate()(handler, event, data)
    return bool(ran)


@pytest.mark.parametrize("flags", [None, MEMBER])
async def test_members_use_what_is_not_flagged_for_administrators(flags) -> None:
    bot = Bot("member-token")
    assert [await gate(bot, message(bot, user), flags) for user in (1, 2, 3, 4, 5)] == [True] * 3 + [False] * 2
    assert bot.sent == []  # restricted and former members are ignored, not answered


async def test_administrators_only_and_the_others_are_told() -> None:
    bot = Bot("admin-token")
    assert [await gate(bot, message(bot, user), ADMIN) for user in (1, 2, 3, 4)] == [True, True, False, False]
    assert [(type(m), m.text) for m in bot.sent] == [(SendMessage, "staff-admins-only")]  # the member, once


async def test_bots_other_chats_and_presses_of_outsiders() -> None:
    bot = Bot("other-token")
    assert not await gate(bot, message(bot, 1, is_bot=True))
    assert not await gate(bot, message(bot, 1, chat_id=-100999))
    assert bot.asked == 0 and bot.sent == []  # neither needed Telegram
    press = CallbackQuery.model_validate({
        "id": "q", "chat_instance": "c", "data": "tnw:s:1", "from": {"id": 5, "is_bot": False, "first_name": "U5"},
        "message": message(bot, 1).model_dump()}, context={"bot": bot})
    assert not await gate(bot, press)
    assert [type(m) for m in bot.sent] == [AnswerCallbackQuery]  # the button stops spinning


async def test_membership_is_asked_once_a_minute() -> None:
    bot = Bot("cache-token")
    for _ in range(3):
        assert await gate(bot, message(bot, 3))
    assert bot.asked == 1
