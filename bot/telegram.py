"""Outgoing Bot API calls: response types kept warm, and a short flood wait retried instead of failing."""

from __future__ import annotations

import asyncio
import logging
from contextvars import ContextVar

from aiogram import Bot
from aiogram.client.session.middlewares.base import BaseRequestMiddleware, NextRequestMiddlewareType
from aiogram.exceptions import TelegramRetryAfter
from aiogram.methods import Response, TelegramMethod
from aiogram.methods.base import TelegramType

log = logging.getLogger(__name__)

# Background delivery paces itself and handles 429 on its own terms; it switches this retry off.
retry_flood_waits: ContextVar[bool] = ContextVar("retry_flood_waits", default=True)


class FloodWaitRetry(BaseRequestMiddleware):
    """Telegram allows bursts, then answers 429 with retry_after; a customer waiting for a reply should get
    it a second later rather than an error. Long waits are not absorbed: they fail as before."""

    def __init__(self, max_wait: float = 5.0, attempts: int = 3) -> None:
        self.max_wait = max_wait
        self.attempts = attempts

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        attempt = 1
        while True:
            try:
                return await make_request(bot, method)
            except TelegramRetryAfter as exc:
                if not retry_flood_waits.get() or attempt >= self.attempts or exc.retry_after > self.max_wait:
                    raise
                log.info("flood wait %ss on %s, retrying", exc.retry_after, type(method).__name__)
                attempt += 1
                await asyncio.sleep(exc.retry_after)


class KeepResponseTypes(BaseRequestMiddleware):
    """aiogram parses every answer as `Response[<return type>]`, a pydantic generic that pydantic caches only
    weakly: once the garbage collector drops it, the next call rebuilds the model (about 10 ms of CPU). Under
    load that happened on a large share of calls; holding each parametrized type once stops it."""

    def __init__(self) -> None:
        self._held: dict[object, type] = {}

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        returning = method.__returning__
        if returning not in self._held:
            self._held[returning] = Response[returning]  # type: ignore[valid-type]
        return await make_request(bot, method)
