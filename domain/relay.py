"""Tickets between the customer's chat and the staff group: a ticket's place there (a forum topic with a header
card, or in a group without topics the header card alone), the customer's messages relayed into it in the order
they were written, the status lines staff see when the customer changes a ticket, and staff answers taken in.

The staff group is a port (`StaffGroup`): the handler layer adapts the bot to it, the tests may stand in for it.
A Telegram failure there is never the customer's problem: what could not be placed or posted is posted by the
ticket's next message or by the `ticket-relay` job, whichever comes first, and exactly once however many
processes try (`Tickets.attach_to_group`, `Tickets.claim_unrelayed`). To make that hold across processes the relay
commits in between its steps, through the unit of work's commit it was given.
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import StrEnum
from functools import partial
from typing import Any, Protocol

from domain.models import Ticket, TicketMessage, User
from domain.models.support import TicketStatus
from domain.tickets import Attachment, HeaderCard, Tickets

Commit = Callable[[], Awaitable[None]]

# Held only while in use: a customer nobody is placing a ticket for has no lock object.
_customer_locks: weakref.WeakValueDictionary[int, asyncio.Lock] = weakref.WeakValueDictionary()


def _lock(user_id: int) -> asyncio.Lock:
    lock = _customer_locks.get(user_id)
    if lock is None:
        lock = _customer_locks[user_id] = asyncio.Lock()
    return lock


@dataclass(frozen=True, slots=True)
class Opened:
    """A place made for a ticket: its topic, or None in a group without topics."""

    topic_id: int | None


@dataclass(frozen=True, slots=True)
class Posted:
    """What came of a post in a ticket's place: the group's message id, or None when nothing was posted;
    `place_gone` when the topic no longer exists (staff deleted it)."""

    message_id: int | None
    place_gone: bool = False


class StaffGroup(Protocol):
    """The staff group as the relay needs it. Every method reports a failure (Telegram unreachable, refused)
    as nothing done, and never raises for it."""

    @property
    def chat_id(self) -> int | None: ...  # None: no staff group is configured

    async def open_topic(self, ticket: Ticket) -> Opened | None: ...

    async def drop_topic(self, topic_id: int) -> None: ...

    async def post_header(self, card: HeaderCard, topic_id: int | None) -> int | None: ...

    async def post_message(self, ticket: Ticket, message: TicketMessage, customer: User) -> Posted: ...

    async def post_line(self, ticket: Ticket, key: str, args: dict[str, Any]) -> Posted: ...

    async def show_status(self, ticket: Ticket) -> None: ...


class TicketChange(StrEnum):
    """What a customer does to a ticket that staff see in its topic."""

    CLOSE = "close"
    REOPEN = "reopen"
    RATE = "rate"


# The line staff read in the topic when the customer changes a ticket.
CHANGE_LINES = {TicketChange.CLOSE: "tickets-group-closed-by-customer",
                TicketChange.REOPEN: "tickets-group-reopened-by-customer",
                TicketChange.RATE: "tickets-group-rated"}


@dataclass(frozen=True, slots=True)
class Relayed:
    """`ticket` is None when there is no such ticket (or no staff group); `complete` when the staff group has
    every customer message of the ticket, else the rest waits for the next message or the `ticket-relay` job."""

    ticket: Ticket | None
    complete: bool


@dataclass(frozen=True, slots=True)
class Filed:
    ticket: Ticket
    relayed: Relayed


@dataclass(frozen=True, slots=True)
class Written:
    message: TicketMessage
    relayed: Relayed


@dataclass(frozen=True, slots=True)
class StaffAnswer:
    """A staff message taken into its ticket, and the customer it goes to; `duplicate` (nothing else set) when
    the same group message came before (a redelivered update): it must not be sent again."""

    message: TicketMessage | None = None
    customer: User | None = None
    duplicate: bool = False


class TicketRelay:
    def __init__(self, tickets: Tickets, commit: Commit, rollback: Commit) -> None:
        self._tickets = tickets
        self._commit = commit
        self._rollback = rollback

    # --- the customer's side ---------------------------------------------------------------------------------

    async def file(self, user_id: int, group: StaffGroup, *, department: str, subject: str, body: str,
                   service_id: int | None = None, attachments: list[Attachment] | None = None) -> Filed:
        """A new ticket (`Tickets.create`, which refuses before writing anything), handed to the staff group."""
        ticket = await self._tickets.create(user_id, department=department, subject=subject, body=body,
                                            service_id=service_id, attachments=attachments or [])
        return Filed(ticket, await self.relay(ticket.id, group))

    async def write(self, user_id: int, ticket_id: int, group: StaffGroup, kind: str, *, text: str | None = None,
                    file_id: str | None = None, file_name: str | None = None) -> Written:
        """The customer writes in their ticket (`Tickets.add_customer_message`); staff get it in the topic."""
        message = await self._tickets.add_customer_message(user_id, ticket_id, kind, text=text, file_id=file_id,
                                                           file_name=file_name)
        return Written(message, await self.relay(ticket_id, group))

    async def change(self, user_id: int, ticket_id: int, change: TicketChange, group: StaffGroup,
                     rating: int = 0) -> Ticket:
        """Close, reopen or rate (1..5) the customer's ticket; staff see it in the topic, named by status."""
        if change == TicketChange.CLOSE:
            ticket = await self._tickets.close(user_id, ticket_id)
        elif change == TicketChange.REOPEN:
            ticket = await self._tickets.reopen(user_id, ticket_id)
        else:
            ticket = await self._tickets.rate(user_id, ticket_id, rating)
        await self.announce(ticket, group, CHANGE_LINES[change], rating=ticket.rating or 0)
        return ticket

    # --- the staff group -------------------------------------------------------------------------------------

    async def place(self, ticket_id: int, group: StaffGroup) -> Ticket | None:
        """Make sure the ticket has its place in the staff group. One per ticket even when several messages of
        the customer arrive together: a per-customer lock in this process, and across processes the first
        `attach_to_group` wins (a topic made in vain is deleted again). The place is committed before the lock is
        let go, so the customer's next message sees it. Returns the ticket as it is now (placed or, when the
        group could not be reached, not yet), or None without such a ticket or a staff group."""
        ticket = await self._tickets.by_id(ticket_id)
        if ticket is None or group.chat_id is None:
            return None
        if ticket.staff_chat_id is not None:
            return ticket
        async with _lock(ticket.user_id):
            ticket = await self._tickets.by_id(ticket_id)
            if ticket is None or ticket.staff_chat_id is not None:
                return ticket
            opened = await group.open_topic(ticket)
            if opened is None:
                return ticket
            if not await self._tickets.attach_to_group(ticket.id, group.chat_id, opened.topic_id):
                if opened.topic_id is not None:  # another process placed it meanwhile
                    await group.drop_topic(opened.topic_id)
                return await self._tickets.by_id(ticket_id)
            card = await self._tickets.header(ticket)
            header = await group.post_header(card, opened.topic_id)
            if header is not None:
                await self._tickets.link_group_message(group.chat_id, header, ticket.id)
            await self._commit()
            return await self._tickets.by_id(ticket_id)

    async def relay(self, ticket_id: int, group: StaffGroup, *, again: bool = True) -> Relayed:
        """Every customer message of the ticket the staff group has not got yet (texts, photos, documents) into
        its place, oldest first: the newest, and any an earlier attempt could not post. A topic staff deleted is
        made anew with the whole conversation.

        Commits through the unit of work: the claims before Telegram is asked (every other process must see
        them), and each message once posted. A post that fails gives the rest of the claims back at once and
        stops there, so the topic keeps the customer's order."""
        ticket = await self.place(ticket_id, group)
        if ticket is None or ticket.staff_chat_id is None:
            return Relayed(ticket, complete=False)
        messages = await self._tickets.claim_unrelayed(ticket.id)
        await self._commit()
        customer = await self._tickets.customer(ticket)
        for index, message in enumerate(messages):
            try:
                posted = await self._post(ticket, partial(group.post_message, ticket, message, customer))
            except BaseException:
                await self._release(messages[index:], after_error=True)
                raise
            if not posted:
                await self._release(messages[index:])
                placed = await self._tickets.by_id(ticket.id)
                if again and placed is not None and placed.staff_chat_id is None:  # the topic was gone
                    return await self.relay(ticket_id, group, again=False)
                return Relayed(ticket, complete=False)
            await self._tickets.relayed(message)
            await self._commit()
        if messages and ticket.status != TicketStatus.OPEN:  # a new ticket's topic was named as open
            await group.show_status(ticket)
        return Relayed(ticket, complete=True)

    async def announce(self, ticket: Ticket, group: StaffGroup, key: str, **args: Any) -> bool:
        """A status line in the ticket's topic (in the group's language), and the topic renamed to show the
        status. False when the line could not be posted (it is not posted later: the status is in the name)."""
        posted = await self._post(ticket, partial(group.post_line, ticket, key, args))
        await group.show_status(ticket)
        return posted

    async def take_answer(self, ticket: Ticket, chat_id: int, message_id: int, staff_id: int, staff_name: str,
                          kind: str, *, text: str | None = None, file_id: str | None = None,
                          file_name: str | None = None) -> StaffAnswer:
        """A staff message in the ticket's place becomes an answer (`Tickets.add_staff_message`: TicketClosed
        for a closed ticket). The group message is remembered first, so the same update delivered again is
        known and answered once."""
        if not await self._tickets.link_group_message(chat_id, message_id, ticket.id):
            return StaffAnswer(duplicate=True)
        message = await self._tickets.add_staff_message(ticket, staff_id, staff_name, kind, text=text,
                                                        file_id=file_id, file_name=file_name)
        return StaffAnswer(message, await self._tickets.customer(ticket))

    async def _post(self, ticket: Ticket, post: Callable[[], Awaitable[Posted]]) -> bool:
        """Post into the ticket's place and remember the message belongs to the ticket; a topic found gone is
        forgotten (the next relay makes a new one)."""
        if ticket.staff_chat_id is None:
            return False
        posted = await post()
        if posted.message_id is None:
            if posted.place_gone and ticket.topic_id is not None:
                await self._tickets.lose_place(ticket.id)
            return False
        await self._tickets.link_group_message(ticket.staff_chat_id, posted.message_id, ticket.id)
        return True

    async def _release(self, messages: list[TicketMessage], *, after_error: bool = False) -> None:
        """Give unposted claims back at once; after an error, in a transaction of their own."""
        if after_error:
            await self._rollback()
        await self._tickets.release([message.id for message in messages])
        await self._commit()


__all__ = ["CHANGE_LINES", "Filed", "Opened", "Posted", "Relayed", "StaffAnswer", "StaffGroup", "TicketChange",
           "TicketRelay", "Written"]
