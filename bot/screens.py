"""The book of current screens (handlers/common/screens.py), kept with the dialogs: in the FSM storage under its
own destiny, so every worker sees the same; a single process (SQLite) keeps it in memory only."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.fsm.storage.base import BaseStorage, StorageKey
from aiogram.types import TelegramObject

from handlers.common.screens import Screen, current_book

DESTINY = "screen"


class StorageScreenBook:
    KEPT = 50_000  # chats remembered in memory

    def __init__(self, storage: BaseStorage, *, memory_only: bool) -> None:
        self._storage = storage
        self._memory: OrderedDict[tuple[int, int], Screen] | None = OrderedDict() if memory_only else None

    @staticmethod
    def _key(bot_id: int, chat_id: int) -> StorageKey:
        return StorageKey(bot_id=bot_id, chat_id=chat_id, user_id=chat_id, destiny=DESTINY)

    async def current(self, bot_id: int, chat_id: int) -> Screen | None:
        if self._memory is not None:
            return self._memory.get((bot_id, chat_id))
        data = await self._storage.get_data(self._key(bot_id, chat_id))
        if not data.get("id"):
            return None
        return Screen(int(data["id"]), bool(data.get("fresh")), bool(data.get("buttons", True)))

    async def _put(self, bot_id: int, chat_id: int, screen: Screen) -> None:
        if self._memory is not None:
            self._memory[(bot_id, chat_id)] = screen
            self._memory.move_to_end((bot_id, chat_id))
            if len(self._memory) > self.KEPT:
                self._memory.popitem(last=False)
            return
        await self._storage.set_data(self._key(bot_id, chat_id), {"id": screen.message_id, "fresh": screen.fresh,
                                                                  "buttons": screen.buttons})

    async def shown(self, bot_id: int, chat_id: int, message_id: int, buttons: bool) -> None:
        await self._put(bot_id, chat_id, Screen(message_id, True, buttons))

    async def superseded(self, bot_id: int, chat_id: int) -> None:
        screen = await self.current(bot_id, chat_id)
        if screen is not None and screen.fresh:
            await self._put(bot_id, chat_id, Screen(screen.message_id, False, screen.buttons))


class ScreensMiddleware(BaseMiddleware):
    """Puts the book where `handlers.common.ui.show` finds it, for the update being handled."""

    def __init__(self, book: StorageScreenBook) -> None:
        self._book = book

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        token = current_book.set(self._book)
        try:
            return await handler(event, data)
        finally:
            current_book.reset(token)
