"""Tickets: dialog states and their typed data."""

from __future__ import annotations

from aiogram.fsm.state import State, StatesGroup
from pydantic import Field

from handlers.common.dialogs import DialogData


class NewTicket(StatesGroup):
    """A new ticket: department, the service it is about (when the customer has any), subject, message, files."""

    department = State()
    service = State()
    subject = State()
    body = State()
    files = State()


class NewTicketData(DialogData):
    service: int | None = None
    files: list[tuple[str, str, str | None]] = Field(default_factory=list)  # kind, Telegram file id, file name
    department: str = ""
    subject: str = ""
    body: str = ""


class TicketReply(StatesGroup):
    """Writing in a ticket: every message until Done goes to support."""

    message = State()


class TicketReplyData(DialogData):
    ticket: int
