"""The running application as the composition root builds it (bot/app.py): what jobs, servers and tools use."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.fsm.storage.base import BaseStorage
from aiogram_i18n import I18nMiddleware
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.config import Settings
from bot.middlewares import InFlightMiddleware
from domain.unit import Domain, DomainContext, unit_of_work


@dataclass
class App:
    settings: Settings
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    bot: Bot
    dispatcher: Dispatcher
    i18n: I18nMiddleware
    inflight: InFlightMiddleware
    storage: BaseStorage
    context: DomainContext
    closers: list[Any] = field(default_factory=list)

    @asynccontextmanager
    async def domain(self) -> AsyncIterator[Domain]:
        """A unit of work outside any update (jobs, tools, tests): commits on success, like an update does."""
        async with unit_of_work(self.sessions, self.context) as domain:
            yield domain

    async def close(self) -> None:
        await self.dispatcher.storage.close()
        for closer in self.closers:
            await closer()
        await self.bot.session.close()
        await self.engine.dispose()
