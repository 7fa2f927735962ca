"""One update at a time per chat across every worker (aiogram's event isolation), built to hold under bursts.

A Redis lock per chat, as aiogram's own isolation, with two differences: the waiters of one process queue on
a local lock first, so one chat's burst costs one Redis poller per worker instead of one per update; and a
release that meets a Redis error is retried, and else left to the lock's expiry (`timeout`), so a chat is
never held longer than that.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import weakref
from collections.abc import AsyncGenerator
from typing import Any

from aiogram.fsm.storage.base import BaseEventIsolation, KeyBuilder, StorageKey
from redis.exceptions import LockError, RedisError

log = logging.getLogger(__name__)


class ChatLocks(BaseEventIsolation):
    def __init__(self, redis: Any, key_builder: KeyBuilder, *, timeout: float = 60.0, poll: float = 0.02) -> None:
        self._redis = redis
        self._keys = key_builder
        self._timeout = timeout
        self._poll = poll
        self._local: weakref.WeakValueDictionary[str, asyncio.Lock] = weakref.WeakValueDictionary()

    def _local_lock(self, name: str) -> asyncio.Lock:
        lock = self._local.get(name)
        if lock is None:
            lock = self._local[name] = asyncio.Lock()
        return lock

    @contextlib.asynccontextmanager
    async def lock(self, key: StorageKey) -> AsyncGenerator[None, None]:
        name = self._keys.build(key, "lock")
        async with self._local_lock(name):
            lock = self._redis.lock(name, timeout=self._timeout, sleep=self._poll)
            await lock.acquire()
            try:
                yield None
            finally:
                await self._release(lock, name)

    async def _release(self, lock: Any, name: str) -> None:
        for attempt in range(3):
            try:
                await lock.release()
                return
            except LockError:
                return  # expired meanwhile (a handler slower than the timeout): nothing is held any more
            except RedisError as exc:
                log.warning("chat lock %s not released (attempt %d): %s", name, attempt + 1, exc)
                await asyncio.sleep(0.05 * (attempt + 1))
        log.error("chat lock %s left to expire within %.0f s", name, self._timeout)

    async def close(self) -> None:
        pass
