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
        self.taken: dict[int, float] = {}
        self.responded_at = 0.0
        self.retry_expected_until = 0.0
        self.handling = 0
        self.handled: set[int] = set()
        self.reports_handling = False
        self._changed = asyncio.Event()

    def _notify(self) -> None:
        self.last_activity = time.monotonic()
        self._changed.set()

    def request_started(self, response: bool = True) -> None:
        """A bot API call (a response to some update) or, with response=False, the sandbox's own delivery."""
        self.in_flight += 1
        if response:
            self.responded_at = time.monotonic()
        self._notify()

    def request_finished(self) -> None:
        self.in_flight -= 1
        self._notify()

    def expect_retry(self, retry_after: float) -> None:
        """The bot was told to wait `retry_after` seconds; a wait for quiet lasts at least that long."""
        self.retry_expected_until = max(self.retry_expected_until, time.monotonic() + retry_after)
        self._notify()

    def mark_taken(self, update_ids: Iterable[int]) -> None:
        ids = list(update_ids)
        if ids:
            at = time.monotonic()
            for update_id in ids:
                self.taken.setdefault(update_id, at)
            self._notify()

    def handling_started(self) -> None:
        """An in-process bot reports that it began handling an update; from then on waits go by its reports."""
        self.reports_handling = True
        self.handling += 1
        self._notify()

    def handling_finished(self, update_id: int) -> None:
        self.handling -= 1
        self.handled.add(update_id)
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

    async def wait_quiet(self, settle: float, deadline: float, after: int | None = None, grace: float = 0.0) -> bool:
        """Wait until no request is in flight and none came for `settle` seconds. With `after` (an update id),
        quiet also needs that update handled. A bot that reports its handling (`handling_started`/`_finished`)
        says so exactly; for any other bot it is a guess: a response since the update was taken, or `grace`
        seconds without one (a handler whose first database query is slow has not finished just because it has
        not called the API yet)."""
        while True:
            at = time.monotonic()
            if at >= deadline:
                return False
            if self.reports_handling and (self.handling or (after is not None and after not in self.handled)):
                await self._wait_change(deadline - at)
                continue
            if self.in_flight == 0:
                # The moment a retry is due counts as activity: the bot needs `settle` after it, too.
                idle = at - max(self.last_activity, self.retry_expected_until)
                taken_at = self.taken.get(after) if after is not None and not self.reports_handling else None
                if taken_at is not None and self.responded_at < taken_at and at - taken_at < grace:
                    await self._wait_change(min(taken_at + grace - at, deadline - at))
                    continue
                if idle >= settle:
                    return True
                await self._wait_change(min(settle - idle, deadline - at))
            else:
                await self._wait_change(deadline - at)

    def reset(self) -> None:
        self.taken.clear()
        self.handled.clear()
        self.retry_expected_until = 0.0
        self._notify()
