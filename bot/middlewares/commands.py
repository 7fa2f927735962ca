"""A command always does what it says, even in the middle of a dialog: `/settings` typed at a prompt (an IP
address, a 2FA code, a ticket's text) leaves the dialog and opens the settings; it is never taken as the
answer to the prompt (nor counted as a wrong code). Unknown "/words" stay text (a path like /var/log may be
a ticket's text)."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.fsm.context import FSMContext
from aiogram.types import Message, TelegramObject

_COMMAND = re.compile(r"^/([A-Za-z0-9_]{1,32})(?:@[A-Za-z0-9_]{3,32})?(?:\s|$)")


def command_of(text: str | None) -> str | None:
    found = _COMMAND.match(text or "")
    return found.group(1).lower() if found else None


class CommandsLeaveDialogs(BaseMiddleware):
    """An outer middleware of private messages, after the FSM middleware has put the state in."""

    def __init__(self, commands: Iterable[str]) -> None:
        self._commands = frozenset(commands)

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        if (isinstance(event, Message) and event.chat.type == "private" and data.get("raw_state") is not None
                and command_of(event.text) in self._commands):
            state: FSMContext = data["state"]
            await state.clear()
            data["raw_state"] = None
        return await handler(event, data)
