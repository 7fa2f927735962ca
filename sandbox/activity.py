"""What the bot is doing: requests in flight and updates taken, so the driver can wait for quiet."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Iterable


class Activity:
    def __init__(self) -> None:
        self.in_flight = 0
        self.last_activity = time.monotonic()
        self.taken: set[int] = set()
        self._changed = asyncio.Event()

    def _notify(self) -> None:
        self.last_activity = time.monotonic()
        self._changed.set()

    def request_started(self) -> None:
        self.in_flight += 1
        self._notify()

    def request_finished(self) -> None:
        self.in_flight -= 1
        self._notify()

    def mark_taken(self, update_ids: Iterable[int]) -> None:
        ids = list(update_ids)
        if ids:
            self.taken.update(ids)
            self._notify()

    async def _wait_change(self, seconds: float) -> None:
        self._changed.clear()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._changed.wait(), max(seconds, 0.001))

    async def wait_taken(self, update_id: int, deadline: float) -> bool:
        while update_id not in self.taken:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False
            await self._wait_change(remaining)
        return True

    async def wait_quiet(self, settle: float, deadline: float) -> bool:
        while True:
            at = time.monotonic()
            if at >= deadline:
                return False
            if self.in_flight == 0:
                idle = at - self.last_activity
                if idle >= settle:
                    return True
                await self._wait_change(min(settle - idle, deadline - at))
            else:
                await self._wait_change(deadline - at)

    def reset(self) -> None:
        self.taken.clear()
        self._notify()
