"""Per-user throttling: a token bucket per user; an over-eager user is told so, never met with silence."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject, Update
from aiogram_i18n.cores import FluentRuntimeCore

from bot import metrics
from bot.i18n import pick_locale


class TokenBucket:
    __slots__ = ("stamp", "tokens", "warned")

    def __init__(self, tokens: float, stamp: float) -> None:
        self.tokens = tokens
        self.stamp = stamp
        self.warned = False


class ThrottlingMiddleware(BaseMiddleware):
    """Only customer messages and button presses are throttled; payments and service updates never are."""

    MAX_TRACKED = 100_000

    def __init__(self, core: FluentRuntimeCore, default_locale: str, rate: float, burst: int,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        self._core = core
        self._default_locale = default_locale
        self._rate = rate
        self._burst = float(burst)
        self._now = monotonic
        self._buckets: dict[int, TokenBucket] = {}

    def _allow(self, user_id: int) -> tuple[bool, TokenBucket]:
        now = self._now()
        bucket = self._buckets.get(user_id)
        if bucket is None:
            if len(self._buckets) >= self.MAX_TRACKED:
                self._forget_full(now)
            bucket = self._buckets[user_id] = TokenBucket(self._burst, now)
        bucket.tokens = min(self._burst, bucket.tokens + (now - bucket.stamp) * self._rate)
        bucket.stamp = now
        if bucket.tokens >= 1:
            bucket.tokens -= 1
            bucket.warned = False
            return True, bucket
        return False, bucket

    def _forget_full(self, now: float) -> None:
        full_after = self._burst / self._rate
        for user_id in [u for u, b in self._buckets.items() if now - b.stamp > full_after]:
            del self._buckets[user_id]

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        assert isinstance(event, Update)
        target = event.message or event.callback_query
        user = data.get("event_from_user")
        if target is None or user is None:
            return await handler(event, data)
        allowed, bucket = self._allow(user.id)
        if allowed:
            return await handler(event, data)
        metrics.THROTTLED.inc()
        locale = pick_locale(None, user.language_code, self._default_locale, tuple(self._core.locales))
        text = self._core.get("throttled", locale)
        if event.callback_query is not None:
            await event.callback_query.answer(text)
        elif not bucket.warned and event.message is not None and event.message.chat.type == "private":
            # One word per burst: answering every extra message would itself flood the chat.
            bucket.warned = True
            await event.message.answer(text)
        return None
