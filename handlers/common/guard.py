"""Guarded actions: a second factor in front of anything that would hurt if a Telegram account were taken over.

A section guards a handler with a flag; nothing else is needed::

    routes.callback_query.register(delete_confirmed, SvcCb.filter(F.action == ServiceAction.DELETE_CONFIRM),
                                   flags=GUARDED)

`bot/middlewares/guard.py` reads the flag. When the customer has two-step authentication on and has not given
a correct code in the last five minutes, the handler does not run: the customer is asked for a TOTP code (or a
recovery code) instead (`ask_for_code`), and the pressed button is remembered. After a correct code (the
settings section takes it, `GuardForm.code`) a "Continue" button re-offers exactly that button, and every
guarded action runs without asking again for five minutes. Wrong codes count towards the lockout (five in a row
lock code entry for fifteen minutes). A guarded *message* handler (a command) is remembered only as "repeat
it": Telegram has no button to re-offer for it.

Guarded today: disabling two-step authentication, new recovery codes, changing or removing the e-mail, deleting
a service, showing or replacing an activation key, downloading an SSL private key, changing or deleting a payment
method, deleting a payer. The domain should refuse those changes without the guard too where it matters
(`Security.is_unlocked`).
"""

from __future__ import annotations

import contextlib
from typing import Any

from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from aiogram_i18n import I18nContext

from domain.accounts import Customer
from domain.unit import Domain
from handlers.common.dialogs import DialogData
from handlers.common.format import when
from handlers.common.screen import screen
from handlers.common.ui import HOME, button, keyboard, nav_row

GUARD_FLAG = "guard"
GUARDED: dict[str, Any] = {GUARD_FLAG: "2fa"}


class GuardForm(StatesGroup):
    """A code for the guarded action that was stopped."""

    code = State()


class GuardData(DialogData):
    """The pressed button's callback data, re-offered after a correct code (None for a command)."""

    guard_pending: str | None = None


async def ask_for_code(event: Message | CallbackQuery, i18n: I18nContext, user: Customer, domain: Domain,
                       state: FSMContext) -> None:
    """Stop a guarded action: remember it and ask for a code (or say that code entry is locked)."""
    status = await domain.security.status(user.id)
    if status.locked_until is not None:
        text = i18n.get("twofa-locked", until=when(status.locked_until, user.time_zone, i18n.locale))
        await screen(event, text, keyboard(nav_row(i18n, HOME)))
        return
    pending = event.data if isinstance(event, CallbackQuery) else None
    await state.set_state(GuardForm.code)
    await GuardData(guard_pending=pending).update(state)
    await screen(event, i18n.get("guard-ask-code"), keyboard([button(i18n.get("button-cancel"), "cancel")]))


async def forget_code_message(message: Message, bot: Bot) -> None:
    """A code (or a key) should not stay readable in the chat; deleting may fail (old message), which is fine."""
    with contextlib.suppress(TelegramBadRequest):
        await bot.delete_message(message.chat.id, message.message_id)
