"""The ticket archive sweep: closed tickets older than TICKET_ARCHIVE_DAYS become archived (domain/tickets.py).

Idempotent (a set-based UPDATE of closed tickets), so a second run or a second instance changes nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from typing import TYPE_CHECKING

from domain.unit import Domain

if TYPE_CHECKING:
    from bot.app import App
    from bot.scheduler import Scheduler

log = logging.getLogger(__name__)

ARCHIVE_JOB = "ticket-archive"
ARCHIVE_INTERVAL_HOURS = 1.0


class TicketJobs:
    def __init__(self, domain: Callable[[], AbstractAsyncContextManager[Domain]]) -> None:
        self._domain = domain

    @classmethod
    def from_app(cls, app: App) -> TicketJobs:
        return cls(app.domain)

    def schedule(self, scheduler: Scheduler) -> None:
        scheduler.add(ARCHIVE_JOB, self.archive, hours=ARCHIVE_INTERVAL_HOURS)

    async def archive(self) -> int:
        async with self._domain() as domain:
            archived = await domain.tickets.archive_closed()
        if archived:
            log.info("archived %d closed ticket(s)", archived)
        return archived
