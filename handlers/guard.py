"""Guarded actions: a second factor in front of anything that would hurt if a Telegram account were taken over.

A section guards a handler with a flag; nothing else is needed::

    @router.callback_query(ServiceCb.filter(F.action == "delete"), flags=GUARDED)
    async def delete_service(callback: CallbackQuery, ...) -> None: ...

`bot/middlewares/guard.py` reads the flag. When the customer has two-step authentication on and has not given
a correct code in the last five minutes, the handler does not run: the customer is asked for a TOTP code (or a
recovery code) instead, and the pressed button is remembered. After a correct code a "Continue" button
re-offers exactly that button, and every guarded action runs without asking again for five minutes. Wrong
codes count towards the lockout (five in a row lock code entry for fifteen minutes). A guarded *message*
handler (a command) is remembered only as "repeat it": Telegram has no button to re-offer for it.

Where it is used: disabling two-step authentication, new recovery codes, changing or removing the e-mail
(handlers/settings.py, handlers/security.py). The other sections put `flags=GUARDED` on: deleting a service,
generating a new activation key, downloading an SSL private key, changing or deleting a payment method. The
domain should refuse those changes without the guard too where it matters (`Security.is_unlocked`).
"""

from __future__ import annotations

import contextlib
from typing import Any

from aiogram import Bot, F, Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from aiogram_i18n import I18nContext

from domain.accounts import Customer
from domain.security import UNLOCK_WINDOW, Verdict
from domain.unit import Domain
from handlers.common.format import when
from handlers.common.screen import screen
from handlers.common.ui import HOME, button, keyboard, nav_row

GUARD_FLAG = "guard"
GUARDED: dict[str, Any] = {GUARD_FLAG: "2fa"}


class GuardForm(StatesGroup):
    code = State()


def verdict_text(i18n: I18nContext, user: Customer, verdict: Verdict) -> str:
    """What a refused code entry tells the customer (shared with the 2FA setup and disabling)."""
    if verdict.reason == "locked":
        until = when(verdict.locked_until, user.time_zone, i18n.locale) if verdict.locked_until else ""
        key = "twofa-locked-now" if verdict.just_locked else "twofa-locked"
        return i18n.get(key, until=until)
    if verdict.reason == "replay":
        return i18n.get("twofa-code-reused")
    if verdict.reason == "malformed":
        return i18n.get("twofa-code-malformed")
    if verdict.reason == "setup-wrong":
        return i18n.get("twofa-setup-code-wrong")
    return i18n.get("twofa-code-wrong", left=verdict.attempts_left)


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
    await state.update_data(guard_pending=pending)
    await screen(event, i18n.get("guard-ask-code"), keyboard([button(i18n.get("button-cancel"), "cancel")]))


async def guard_code_entered(message: Message, bot: Bot, i18n: I18nContext, user: Customer, domain: Domain,
                             state: FSMContext) -> None:
    """A code for a guarded action: on success re-offer the action, otherwise say why and count it."""
    verdict = await domain.security.verify(user.id, message.text or "")
    # The check first, then the chat: the answer follows the code's deletion at once.
    await forget_code_message(message, bot)
    if not verdict.ok:
        if verdict.reason == "locked":
            await state.clear()
            await message.answer(verdict_text(i18n, user, verdict), reply_markup=keyboard(nav_row(i18n, HOME)))
            return
        await message.answer(verdict_text(i18n, user, verdict),
                             reply_markup=keyboard([button(i18n.get("button-cancel"), "cancel")]))
        return
    pending = (await state.get_data()).get("guard_pending")
    await state.clear()
    lines = [i18n.get("guard-unlocked", minutes=int(UNLOCK_WINDOW.total_seconds() // 60))]
    if verdict.recovery_used:
        lines.append(i18n.get("twofa-recovery-used", left=verdict.recovery_left))
    if pending:
        markup = keyboard([button(i18n.get("guard-button-continue"), pending)], nav_row(i18n, HOME))
    else:
        lines.append(i18n.get("guard-repeat"))
        markup = keyboard(nav_row(i18n, HOME))
    await message.answer("\n".join(lines), reply_markup=markup)


async def forget_code_message(message: Message, bot: Bot) -> None:
    """A code should not stay readable in the chat; deleting may fail (old message), which is fine."""
    with contextlib.suppress(TelegramBadRequest):
        await bot.delete_message(message.chat.id, message.message_id)


def router() -> Router:
    """This section's handlers, in the order they are tried."""
    routes = Router(name=__name__)
    routes.message.register(guard_code_entered, GuardForm.code, F.text)
    return routes
