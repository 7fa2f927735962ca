"""Per-user throttling: a token bucket per user; an over-eager user is told so, never met with silence.

A press over the limit is answered with the notice at once. Of messages sent faster than the limit, the first
one over it gets the notice (one per burst: answering each would flood the chat itself); the others wait for
the bucket, and only the newest of them is handled when it refills, so the last thing the customer wrote
always gets its answer and the ones before it in the burst are dropped.

The buckets live in this process (`LocalBuckets`) or, with several workers, in Redis (`RedisBuckets`), so a
customer gets the same limit however many workers share the load.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject, Update
from aiogram_i18n.cores import FluentRuntimeCore

from bot import metrics
from bot.i18n import pick_locale


class Buckets(Protocol):
    async def take(self, user_id: int) -> tuple[bool, float]:
        """Take a token if there is one: (taken, tokens left); taking one ends the customer's burst."""

    async def first_over(self, user_id: int) -> bool:
        """Whether this is the burst's first refusal (the one that gets the notice)."""

    async def wait_as_latest(self, user_id: int, update_id: int) -> None:
        """Note `update_id` as this customer's newest message; older ones waiting for the bucket give way.
        Update ids grow, so the newest wins whatever order concurrent handling reaches this in."""

    async def is_latest(self, user_id: int, update_id: int) -> bool: ...


class TokenBucket:
    __slots__ = ("latest", "stamp", "tokens", "warned")

    def __init__(self, tokens: float, stamp: float) -> None:
        self.tokens = tokens
        self.stamp = stamp
        self.warned = False
        self.latest = 0  # the newest throttled message waiting for the bucket (its update id)


class LocalBuckets:
    """Buckets in this process's memory (one worker, or SQLite)."""

    MAX_TRACKED = 100_000

    def __init__(self, rate: float, burst: int, monotonic: Callable[[], float] = time.monotonic) -> None:
        self._rate = rate
        self._burst = float(burst)
        self._now = monotonic
        self._buckets: dict[int, TokenBucket] = {}

    def _bucket(self, user_id: int) -> TokenBucket:
        now = self._now()
        bucket = self._buckets.get(user_id)
        if bucket is None:
            if len(self._buckets) >= self.MAX_TRACKED:
                self._forget_full(now)
            bucket = self._buckets[user_id] = TokenBucket(self._burst, now)
        bucket.tokens = min(self._burst, bucket.tokens + (now - bucket.stamp) * self._rate)
        bucket.stamp = now
        return bucket

    def _forget_full(self, now: float) -> None:
        full_after = self._burst / self._rate
        for user_id in [u for u, b in self._buckets.items() if now - b.stamp > full_after]:
            del self._buckets[user_id]

    async def take(self, user_id: int) -> tuple[bool, float]:
        bucket = self._bucket(user_id)
        if bucket.tokens >= 1:
            bucket.tokens -= 1
            bucket.warned = False
            return True, bucket.tokens
        return False, bucket.tokens

    async def first_over(self, user_id: int) -> bool:
        bucket = self._bucket(user_id)
        first, bucket.warned = not bucket.warned, True
        return first

    async def wait_as_latest(self, user_id: int, update_id: int) -> None:
        bucket = self._bucket(user_id)
        bucket.latest = max(bucket.latest, update_id)

    async def is_latest(self, user_id: int, update_id: int) -> bool:
        return self._bucket(user_id).latest == update_id


# One round trip per decision: refill by the time passed, take a token if there is one.
_TAKE = """
local now = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local burst = tonumber(ARGV[3])
local state = redis.call('HMGET', KEYS[1], 'tokens', 'stamp')
local tokens = tonumber(state[1]) or burst
local stamp = tonumber(state[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - stamp) * rate)
local taken = 0
if tokens >= 1 then
  tokens = tokens - 1
  taken = 1
  redis.call('HDEL', KEYS[1], 'warned')
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'stamp', tostring(now))
redis.call('EXPIRE', KEYS[1], math.ceil(burst / rate) + 60)
return {taken, tostring(tokens)}
"""


_NEWEST = """
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if tonumber(ARGV[1]) > current then redis.call('SET', KEYS[1], ARGV[1], 'EX', 60) end
return 1
"""


class RedisBuckets:
    """Buckets shared by every worker through Redis (REDIS_URL): the limit is per customer, not per worker."""

    def __init__(self, redis: Any, rate: float, burst: int, prefix: str = "throttle") -> None:
        self._redis = redis
        self._rate = rate
        self._burst = burst
        self._prefix = prefix
        self._take = redis.register_script(_TAKE)
        self._newest = redis.register_script(_NEWEST)

    def _key(self, user_id: int) -> str:
        return f"{self._prefix}:{user_id}"

    async def take(self, user_id: int) -> tuple[bool, float]:
        # Redis's own clock, so workers on different hosts agree on the time passed.
        seconds, micros = await self._redis.time()
        taken, tokens = await self._take(keys=[self._key(user_id)],
                                         args=[seconds + micros / 1e6, self._rate, self._burst])
        return bool(int(taken)), float(tokens)

    async def first_over(self, user_id: int) -> bool:
        return bool(await self._redis.hsetnx(self._key(user_id), "warned", 1))

    async def wait_as_latest(self, user_id: int, update_id: int) -> None:
        await self._newest(keys=[f"{self._key(user_id)}:latest"], args=[update_id])

    async def is_latest(self, user_id: int, update_id: int) -> bool:
        latest = await self._redis.get(f"{self._key(user_id)}:latest")
        return latest is not None and int(latest) == update_id


class ThrottlingMiddleware(BaseMiddleware):
    """Only customer messages and button presses are throttled; payments and service updates never are."""

    def __init__(self, core: FluentRuntimeCore, default_locale: str, rate: float, burst: int,
                 monotonic: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], Awaitable[None]] = asyncio.sleep, buckets: Buckets | None = None) -> None:
        self._core = core
        self._default_locale = default_locale
        self._rate = rate
        self._sleep = sleep
        self._buckets: Buckets = buckets or LocalBuckets(rate, burst, monotonic)

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
        allowed, tokens = await self._buckets.take(user.id)
        if allowed:
            if event.message is not None:
                # A message still waiting from the burst is older than this one: it is dropped.
                await self._buckets.wait_as_latest(user.id, event.update_id)
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
        await self._buckets.wait_as_latest(user.id, event.update_id)
        if await self._buckets.first_over(user.id):
            await message.answer(text)
        while True:
            await self._sleep(max((1 - tokens) / self._rate, 0.0) + 0.01)
            if not await self._buckets.is_latest(user.id, event.update_id):
                return None
            allowed, tokens = await self._buckets.take(user.id)
            if allowed:
                return await handler(event, data)
