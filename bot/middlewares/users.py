"""Keep the Telegram profile fresh in the users table and hand the account to handlers as `user`.

Only people who deal with the bot themselves become users: in its private chat, or through updates without a
chat (payments, inline). Someone only seen in a group (a staff member answering tickets) is no customer: no
account, no news, no alerts.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.enums import ChatType
from aiogram.types import Chat, TelegramObject
from aiogram.types import User as TelegramUser

from domain.accounts import Profile
from domain.unit import Domain


class UserMiddleware(BaseMiddleware):
    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        tg_user: TelegramUser | None = data.get("event_from_user")
        chat: Chat | None = data.get("event_chat")
        domain: Domain = data["domain"]
        if tg_user is not None and not tg_user.is_bot and (chat is None or chat.type == ChatType.PRIVATE):
            user = data["user"] = await domain.accounts.touch(
                Profile(
                    id=tg_user.id,
                    first_name=tg_user.first_name,
                    last_name=tg_user.last_name,
                    username=tg_user.username,
                    language_code=tg_user.language_code,
                )
            )
            # A plain copy for the error boundary, which runs after a rollback has expired the account.
            data["saved_locale"] = user.locale
        return await handler(event, data)
