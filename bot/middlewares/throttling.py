"""Per-user throttling: a token bucket per user; an over-eager user is told so, never met with silence.

A press over the limit is answered with the notice at once. Of messages sent faster than the limit, the first
one over it gets the notice (one per burst: answering each would flood the chat itself); the others wait for
the bucket, and only the newest of them is handled when it refills, so the last thing the customer wrote
always gets its answer and the ones before it in the burst are dropped."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject, Update
from aiogram_i18n.cores import FluentRuntimeCore

from bot import metrics
from bot.i18n import pick_locale


class TokenBucket:
    __slots__ = ("latest", "stamp", "tokens", "warned")

    def __init__(self, tokens: float, stamp: float) -> None:
        self.tokens = tokens
        self.stamp = stamp
        self.warned = False
        self.latest = 0  # the newest throttled message waiting for the bucket (its update id)


class ThrottlingMiddleware(BaseMiddleware):
    """Only customer messages and button presses are throttled; payments and service updates never are."""

    MAX_TRACKED = 100_000

    def __init__(self, core: FluentRuntimeCore, default_locale: str, rate: float, burst: int,
                 monotonic: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], Awaitable[None]] = asyncio.sleep) -> None:
        self._core = core
        self._default_locale = default_locale
        self._rate = rate
        self._burst = float(burst)
        self._now = monotonic
        self._sleep = sleep
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
            if event.message is not None:
                bucket.latest = 0  # a message waiting from the burst is older than this one: it is dropped
            return await handler(event, data)
        metrics.THROTTLED.inc()
        locale = pick_locale(None, user.language_code, self._default_locale, tuple(self._core.locales))
        text = self._core.get("throttled", locale)
        if event.callback_query is not None:
            await event.callback_query.answer(text)
            return None
        message = event.message
        if message is None or message.chat.type != "private":
            return None
        # Wait for the bucket; a newer message from the same customer meanwhile takes this one's place.
        bucket.latest = event.update_id
        if not bucket.warned:
            bucket.warned = True
            await message.answer(text)
        while True:
            await self._sleep(max((1 - bucket.tokens) / self._rate, 0.0) + 0.01)
            if bucket.latest != event.update_id:
                return None
            allowed, bucket = self._allow(user.id)
            if allowed:
                bucket.latest = 0
                return await handler(event, data)
