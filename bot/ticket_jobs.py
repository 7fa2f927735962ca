"""Ticket sweeps.

- `ticket-archive`: closed tickets older than TICKET_ARCHIVE_DAYS become archived (domain/tickets.py).
  Idempotent (a set-based UPDATE of closed tickets), so a second run or a second instance changes nothing.
- `ticket-relay`: what the staff group did not get (a ticket filed while the group could not be reached, a message
  Telegram refused) is posted, in the customer's order. A ticket is placed once and a message posted once
  however many instances try (`attach_to_group`, `claim_unrelayed`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from typing import TYPE_CHECKING, Any

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError
from aiogram_i18n.cores import BaseCore

from domain.unit import Domain
from handlers.tickets import relay_customer, topic_title

if TYPE_CHECKING:
    from bot.application import App
    from bot.scheduler import Scheduler

log = logging.getLogger(__name__)

ARCHIVE_JOB = "ticket-archive"
ARCHIVE_INTERVAL_HOURS = 1.0
RELAY_JOB = "ticket-relay"
RELAY_INTERVAL_MINUTES = 5.0
RELAY_GIVE_UP = 3


class TicketJobs:
    def __init__(self, domain: Callable[[], AbstractAsyncContextManager[Domain]], bot: Bot | None = None,
                 core: BaseCore[Any] | None = None, staff_chat_id: int | None = None) -> None:
        self._domain = domain
        self._bot = bot
        self._core = core
        self._staff_chat_id = staff_chat_id

    @classmethod
    def from_app(cls, app: App) -> TicketJobs:
        return cls(app.domain, app.bot, app.i18n.core, app.settings.staff_chat_id)

    def schedule(self, scheduler: Scheduler) -> None:
        scheduler.add(ARCHIVE_JOB, self.archive, hours=ARCHIVE_INTERVAL_HOURS)
        if self._staff_chat_id is not None:
            scheduler.add(RELAY_JOB, self.relay, minutes=RELAY_INTERVAL_MINUTES)

    async def relay(self) -> int:
        """Post what the staff group is missing, ticket by ticket, oldest first. A ticket that still fails does
        not hold up the others; after RELAY_GIVE_UP failures in a row the group is taken as still unreachable and
        the next run tries again. Returns how many tickets were brought up to date."""
        if self._bot is None or self._core is None or self._staff_chat_id is None:
            return 0
        async with self._domain() as domain:
            waiting = await domain.tickets.awaiting_relay()
        relayed = failed = 0
        for ticket_id in waiting:
            async with self._domain() as domain:
                result = await relay_customer(self._bot, domain, self._core, self._staff_chat_id, ticket_id)
            if result.ticket is None:
                continue
            if not result.complete:
                failed += 1
                if failed >= RELAY_GIVE_UP:
                    break
                continue
            relayed += 1
            failed = 0
        if relayed:
            log.info("posted what the staff group missed of %d ticket(s)", relayed)
        return relayed

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
