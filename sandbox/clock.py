"""The sandbox's own "now": real time plus an offset that tests and tools can move forward."""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ClockMove:
    """What one move of the clock did: `delta` seconds forward, to `now` (Unix time, float) at `offset` seconds
    ahead of real time; `update_ids` are the updates the move caused (subscription renewals)."""

    delta: float
    offset: float
    now: float
    update_ids: tuple[int, ...] = field(default=())


ClockListener = Callable[[ClockMove], Awaitable[None] | None]


class Clock:
    """Message dates, edit dates, webhook error dates and subscription periods all read this clock."""

    def __init__(self) -> None:
        self.offset = 0.0
        self.listeners: list[ClockListener] = []

    def time(self) -> float:
        return time.time() + self.offset

    def now(self) -> int:
        """The current Unix time in whole seconds, as Telegram dates are."""
        return int(self.time())

    def advance(self, seconds: float) -> ClockMove:
        if seconds < 0:
            raise ValueError("the sandbox clock only moves forward")
        self.offset += seconds
        return ClockMove(delta=seconds, offset=self.offset, now=self.time())
