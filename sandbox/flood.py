"""Flood control: token buckets per bot, per private chat and per group, answered with 429."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

from sandbox.errors import ApiError, retry_after


@dataclass(frozen=True)
class FloodLimits:
    """Message rate limits; Telegram-like by default. `None` disables a limit."""

    per_bot_per_second: float | None = 30.0
    per_bot_burst: int = 30
    per_private_chat_per_second: float | None = 1.0
    per_private_chat_burst: int = 10
    per_group_per_minute: float | None = 20.0
    per_group_burst: int = 20

    @classmethod
    def off(cls) -> FloodLimits:
        return cls(per_bot_per_second=None, per_private_chat_per_second=None, per_group_per_minute=None)


@dataclass
class _Bucket:
    rate: float
    capacity: float
    tokens: float
    stamp: float = field(default_factory=time.monotonic)

    def refill(self, at: float) -> None:
        self.tokens = min(self.capacity, self.tokens + (at - self.stamp) * self.rate)
        self.stamp = at

    def wait_time(self) -> float:
        return 0.0 if self.tokens >= 1 else (1 - self.tokens) / self.rate


class FloodControl:
    def __init__(self, limits: FloodLimits) -> None:
        self.limits = limits
        self._buckets: dict[object, _Bucket] = {}

    def _bucket(self, key: object, rate: float, capacity: int) -> _Bucket:
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = _Bucket(rate=rate, capacity=float(capacity), tokens=float(capacity))
            self._buckets[key] = bucket
        return bucket

    def check(self, chat_id: int, is_private: bool, count: int = 1) -> None:
        """Take `count` messages from the buckets, or raise 429 leaving the buckets untouched."""
        limits = self.limits
        buckets: list[_Bucket] = []
        if limits.per_bot_per_second:
            buckets.append(self._bucket("bot", limits.per_bot_per_second, limits.per_bot_burst))
        if is_private and limits.per_private_chat_per_second:
            buckets.append(self._bucket(chat_id, limits.per_private_chat_per_second, limits.per_private_chat_burst))
        if not is_private and limits.per_group_per_minute:
            buckets.append(self._bucket(chat_id, limits.per_group_per_minute / 60, limits.per_group_burst))
        at = time.monotonic()
        wait = 0.0
        for bucket in buckets:
            bucket.refill(at)
            if bucket.tokens < count:
                wait = max(wait, (count - bucket.tokens) / bucket.rate)
        if wait > 0:
            raise self._error(wait)
        for bucket in buckets:
            bucket.tokens -= count

    @staticmethod
    def _error(wait: float) -> ApiError:
        return retry_after(max(1, math.ceil(wait)))

    def reset(self) -> None:
        self._buckets.clear()
