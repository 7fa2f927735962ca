"""The staff group for the domain's relay (`domain.relay.StaffGroup`), through the bot.

Everything here is written in the staff group's language (DEFAULT_LOCALE). A Telegram failure is logged and
reported to the relay as nothing done: it never breaks the customer's side, and the relay posts what is missing
later (the ticket's next message, or the `ticket-relay` job).
"""

from __future__ import annotations

import contextlib
import logging
from typing import Any

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError, TelegramBadRequest
from aiogram_i18n.cores import BaseCore

from domain.models import Ticket, TicketMessage, User
from domain.relay import Opened, Posted, Relayed
from domain.tickets import HeaderCard
from domain.unit import Domain
from handlers.common.staff import group_translate
from handlers.tickets.views import full_name, header_text, relay_text, topic_name

log = logging.getLogger(__name__)


class TelegramStaffGroup:
    """The staff group `chat_id` (None: none configured) as the relay sees it."""

    def __init__(self, bot: Bot, core: BaseCore[Any], chat_id: int | None) -> None:
        self._bot = bot
        self._t, self._locale = group_translate(core)
        self.chat_id = chat_id

    async def open_topic(self, ticket: Ticket) -> Opened | None:
        """A topic named after the ticket; in a group without topics the ticket lives in the group itself."""
        assert self.chat_id is not None
        try:
            topic = await self._bot.create_forum_topic(self.chat_id, topic_name(ticket))
        except TelegramBadRequest as exc:
            if "not a forum" in exc.message:
                return Opened(None)
            log.warning("ticket %s: no topic in the staff group: %s", ticket.id, exc.message)
            return None
        except TelegramAPIError as exc:
            log.warning("ticket %s: no topic in the staff group: %s", ticket.id, exc)
            return None
        return Opened(topic.message_thread_id)

    async def drop_topic(self, topic_id: int) -> None:
        assert self.chat_id is not None
        with contextlib.suppress(TelegramAPIError):
            await self._bot.delete_forum_topic(self.chat_id, topic_id)

    async def post_header(self, card: HeaderCard, topic_id: int | None) -> int | None:
        assert self.chat_id is not None
        try:
            header = await self._bot.send_message(self.chat_id, header_text(self._t, self._locale, card),
                                                  message_thread_id=topic_id)
        except TelegramAPIError as exc:
            log.warning("ticket %s: header card not posted: %s", card.ticket.id, exc)
            return None
        return header.message_id

    async def post_message(self, ticket: Ticket, message: TicketMessage, customer: User) -> Posted:
        text = relay_text(self._t, full_name(customer.first_name, customer.last_name), ticket.id, message)
        return await self._post(ticket, text, kind=message.kind, file_id=message.file_id)

    async def post_line(self, ticket: Ticket, key: str, args: dict[str, Any]) -> Posted:
        return await self._post(ticket, self._t(key, ticket=ticket.id, **args))

    async def show_status(self, ticket: Ticket) -> None:
        await rename_topic(self._bot, ticket)

    async def _post(self, ticket: Ticket, text: str, *, kind: str = "text", file_id: str | None = None) -> Posted:
        """Into the ticket's place (its own chat and topic, which the relay checked it has)."""
        chat, thread = ticket.staff_chat_id, ticket.topic_id
        assert chat is not None
        try:
            if kind == "photo":
                sent = await self._bot.send_photo(chat, file_id or "", caption=text, message_thread_id=thread)
            elif kind == "document":
                sent = await self._bot.send_document(chat, file_id or "", caption=text, message_thread_id=thread)
            else:
                sent = await self._bot.send_message(chat, text, message_thread_id=thread)
        except TelegramAPIError as exc:
            log.warning("ticket %s: could not post in the staff group: %s", ticket.id, exc)
            # Staff deleted the topic: the relay gives the ticket a new one.
            gone = thread is not None and isinstance(exc, TelegramBadRequest) and "thread not found" in exc.message
            return Posted(None, place_gone=gone)
        return Posted(sent.message_id)


def staff_group(bot: Bot, core: BaseCore[Any], staff_chat_id: int | None) -> TelegramStaffGroup:
    return TelegramStaffGroup(bot, core, staff_chat_id)


async def place_ticket(bot: Bot, domain: Domain, core: BaseCore[Any], staff_chat_id: int | None,
                       ticket_id: int) -> Ticket | None:
    """The ticket with its place in the staff group made (`TicketRelay.place`)."""
    return await domain.relay.place(ticket_id, staff_group(bot, core, staff_chat_id))


async def relay_customer(bot: Bot, domain: Domain, core: BaseCore[Any], staff_chat_id: int | None,
                         ticket_id: int) -> Relayed:
    """What the staff group is missing of the ticket, posted (`TicketRelay.relay`): for the `ticket-relay` job."""
    return await domain.relay.relay(ticket_id, staff_group(bot, core, staff_chat_id))


async def rename_topic(bot: Bot, ticket: Ticket) -> None:
    """The topic's name shows the ticket's status; a failure is only logged."""
    if ticket.staff_chat_id is None or ticket.topic_id is None:
        return
    try:
        await bot.edit_forum_topic(ticket.staff_chat_id, ticket.topic_id, name=topic_name(ticket))
    except TelegramAPIError as exc:
        if "TOPIC_NOT_MODIFIED" not in str(exc):
            log.warning("ticket %s: topic not renamed: %s", ticket.id, exc)
