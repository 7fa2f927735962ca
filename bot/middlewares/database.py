"""One database session per update: commit when the handler succeeds, roll back when it fails."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.storage import update_session
from domain.unit import Domain, DomainContext


class UnitOfWorkMiddleware(BaseMiddleware):
    def __init__(self, session_factory: async_sessionmaker[AsyncSession], context: DomainContext) -> None:
        self._sessions = session_factory
        self._context = context

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        async with self._sessions() as session:
            domain = data["domain"] = Domain(session, self._context)
            token = update_session.set(session)
            try:
                result = await handler(event, data)
            except BaseException:
                await domain.rollback()
                raise
            finally:
                update_session.reset(token)
            await domain.commit()
            return result
