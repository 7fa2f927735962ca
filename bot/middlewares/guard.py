"""The second-factor gate: handlers flagged `guard` (handlers/common/guard.py `GUARDED`) run only when two-step
authentication is off or a correct code was given within the last five minutes; otherwise a code is asked for."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.dispatcher.flags import get_flag
from aiogram.types import CallbackQuery, Message, TelegramObject

from domain.accounts import Customer
from domain.unit import Domain
from handlers.common.guard import GUARD_FLAG, ask_for_code


class GuardMiddleware(BaseMiddleware):
    """An inner middleware (it needs the handler to read its flags) for messages and callback queries."""

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        if not get_flag(data, GUARD_FLAG):
            return await handler(event, data)
        user: Customer | None = data.get("user")
        domain: Domain = data["domain"]
        # The snapshot says whether 2FA is on, so customers without it cost no query here.
        if user is None or not user.two_factor or await domain.security.is_unlocked(user.id):
            return await handler(event, data)
        assert isinstance(event, Message | CallbackQuery)
        await ask_for_code(event, data["i18n"], user, domain, data["state"])
        return None
