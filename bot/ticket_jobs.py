"""The ticket archive sweep: closed tickets older than TICKET_ARCHIVE_DAYS become archived (domain/tickets.py).

Idempotent (a set-based UPDATE of closed tickets), so a second run or a second instance changes nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from typing import TYPE_CHECKING

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError

from domain.unit import Domain
from handlers.support_group import topic_title

if TYPE_CHECKING:
    from bot.app import App
    from bot.scheduler import Scheduler

log = logging.getLogger(__name__)

ARCHIVE_JOB = "ticket-archive"
ARCHIVE_INTERVAL_HOURS = 1.0


class TicketJobs:
    def __init__(self, domain: Callable[[], AbstractAsyncContextManager[Domain]], bot: Bot | None = None) -> None:
        self._domain = domain
        self._bot = bot

    @classmethod
    def from_app(cls, app: App) -> TicketJobs:
        return cls(app.domain, app.bot)

    def schedule(self, scheduler: Scheduler) -> None:
        scheduler.add(ARCHIVE_JOB, self.archive, hours=ARCHIVE_INTERVAL_HOURS)

    async def archive(self) -> int:
        """Archive what is due, then mark each archived ticket's topic (a failure there is only logged)."""
        async with self._domain() as domain:
            archived = await domain.tickets.archive_closed()
        if archived:
            log.info("archived %d closed ticket(s)", len(archived))
        for ticket in archived:
            if self._bot is None or ticket.staff_chat_id is None or ticket.topic_id is None:
                continue
            try:
                await self._bot.edit_forum_topic(ticket.staff_chat_id, ticket.topic_id,
                                                 name=topic_title(ticket.id, ticket.subject, "archived"))
            except TelegramAPIError as exc:
                log.warning("ticket %s: archived topic not renamed: %s", ticket.id, exc)
        return len(archived)
