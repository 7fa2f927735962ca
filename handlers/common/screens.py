"""Which bot message in a chat is its current screen.

The rules the screens keep (DESIGN.md §3): navigation edits the current screen in place; the current screen
is the newest bot message, and only it has live buttons. So a screen is edited only while nothing was sent
below it (a file, an invoice, a push, a receipt); otherwise the next screen is sent as a new message and the
one it supersedes loses its keyboard. Messages the customer must keep (a one-time secret, a receipt, a push,
a staff answer) are never screens: navigation never edits them.

The book itself belongs to the bot layer (bot/screens.py, on the FSM storage so every worker shares it); the
handler layer reaches it through `current_book`, set for each update.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True)
class Screen:
    message_id: int
    fresh: bool  # nothing was sent in the chat since it was shown
    buttons: bool = True  # it has a keyboard to take off when it is superseded


class ScreenBook(Protocol):
    async def current(self, bot_id: int, chat_id: int) -> Screen | None: ...

    async def shown(self, bot_id: int, chat_id: int, message_id: int, buttons: bool) -> None: ...

    async def superseded(self, bot_id: int, chat_id: int) -> None: ...


current_book: ContextVar[ScreenBook | None] = ContextVar("current_book", default=None)
# Set while a screen itself is being sent, so the send does not count as a message below the screen.
sending_screen: ContextVar[bool] = ContextVar("sending_screen", default=False)
