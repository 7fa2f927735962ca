"""Track updates being handled, so shutdown can let them finish, and count them for /metrics."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject, Update

from bot import metrics

log = logging.getLogger(__name__)


class InFlightMiddleware(BaseMiddleware):
    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[Any]] = set()
        self._idle = asyncio.Event()
        self._idle.set()

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        task = asyncio.current_task()
        if task is not None:
            self._tasks.add(task)
            self._idle.clear()
        kind = event.event_type if isinstance(event, Update) else type(event).__name__
        started = time.perf_counter()
        try:
            return await handler(event, data)
        finally:
            metrics.UPDATE_SECONDS.labels(kind).observe(time.perf_counter() - started)
            metrics.UPDATES.labels(kind).inc()
            if task is not None:
                self._tasks.discard(task)
                if not self._tasks:
                    self._idle.set()

    @property
    def in_flight(self) -> int:
        return len(self._tasks)

    async def drain(self, timeout: float = 25.0) -> None:  # noqa: ASYNC109 - a deadline, not a cancel scope
        """Wait for updates being handled to finish (SIGTERM must not cut a payment in half)."""
        if self._tasks:
            log.info("waiting for %d update(s) in flight", len(self._tasks))
            try:
                await asyncio.wait_for(self._idle.wait(), timeout)
            except TimeoutError:
                log.warning("%d update(s) still running after %.0fs; stopping anyway", len(self._tasks), timeout)
