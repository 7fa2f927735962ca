"""Settings -> Two-step authentication: enable with a QR code and a first valid code, recovery codes, disable;
and the code a guarded action asks for (handlers/common/guard.py). Disabling and new recovery codes are
guarded actions themselves: with 2FA on they need a code."""

from __future__ import annotations

import contextlib

from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest
from aiogram.fsm.context import FSMContext
from aiogram.types import BufferedInputFile, CallbackQuery, Message
from aiogram_i18n import I18nContext

from domain.accounts import Customer
from domain.errors import DomainError
from domain.security import UNLOCK_WINDOW
from domain.unit import Domain
from handlers.common.errors import refuse
from handlers.common.guard import GuardData, forget_code_message
from handlers.common.screen import drop_pressed, screen
from handlers.common.ui import HOME, button, keyboard, nav_row
from handlers.settings.keyboards import (
    SETTINGS,
    TWO_FACTOR,
    cancel_row,
    disable_markup,
    saved_markup,
    two_factor_markup,
)
from handlers.settings.states import TwoFactorData, TwoFactorForm
from handlers.settings.views import codes_text, grouped, qr_png, two_factor_text, verdict_text


async def show_two_factor(event: Message | CallbackQuery, i18n: I18nContext, user: Customer, domain: Domain,
                          note: str | None = None) -> None:
    status = await domain.security.status(user.id)
    await screen(event, two_factor_text(i18n, user, status, note), two_factor_markup(i18n, status))


async def two_factor_pressed(callback: CallbackQuery, i18n: I18nContext, user: Customer, domain: Domain) -> None:
    await show_two_factor(callback, i18n, user, domain)


async def enable_pressed(callback: CallbackQuery, bot: Bot, i18n: I18nContext, user: Customer, domain: Domain,
                         state: FSMContext) -> None:
    """A new secret as a QR code and as text; it takes effect only once a code from the app is entered."""
    try:
        me = await bot.me()
        account = f"@{user.username}" if user.username else str(user.id)
        setup = await domain.security.begin(user.id, issuer=me.first_name, account_name=account)
    except DomainError as error:
        await refuse(callback, i18n, error, user.time_zone)
        return
    qr = BufferedInputFile(qr_png(setup.uri), "two-step-authentication.png")  # drawn before the first reply
    caption = i18n.get("twofa-setup", secret=grouped(setup.secret))
    await callback.answer()
    sent = await bot.send_photo(user.id, qr, caption=caption, reply_markup=keyboard(cancel_row(i18n)))
    await drop_pressed(callback)
    await state.set_state(TwoFactorForm.confirm)
    await TwoFactorData(qr_message=sent.message_id).update(state)


async def setup_code_entered(message: Message, bot: Bot, i18n: I18nContext, user: Customer, domain: Domain,
                             state: FSMContext) -> None:
    """The first code from the app: now 2FA is on; the recovery codes are shown this once."""
    try:
        # The checks and the recovery codes first, then the chat: the answer follows the deletion at once.
        verdict, codes = await domain.security.confirm(user.id, message.text or "")
    except DomainError as error:
        await forget_code_message(message, bot)
        await state.clear()
        await refuse(message, i18n, error, user.time_zone)
        return
    await forget_code_message(message, bot)
    if not verdict.ok:
        await message.answer(verdict_text(i18n, user, verdict), reply_markup=keyboard(cancel_row(i18n)))
        return
    qr_message = (await TwoFactorData.load(state)).qr_message
    await state.clear()
    if qr_message:  # the secret should not stay on screen
        with contextlib.suppress(TelegramBadRequest):
            await bot.delete_message(message.chat.id, qr_message)
    text = i18n.get("twofa-enabled") + "\n\n" + codes_text(i18n, codes)
    await message.answer(text, reply_markup=saved_markup(i18n, SETTINGS))


async def disable_pressed(callback: CallbackQuery, i18n: I18nContext) -> None:
    """Ask first; the confirming button is the guarded one."""
    await screen(callback, i18n.get("twofa-disable-ask"), disable_markup(i18n))


async def disable_confirmed(callback: CallbackQuery, i18n: I18nContext, user: Customer, domain: Domain) -> None:
    try:
        await domain.security.disable(user.id)
    except DomainError as error:
        await refuse(callback, i18n, error, user.time_zone)
        return
    await show_two_factor(callback, i18n, user, domain, i18n.get("twofa-disabled"))


async def new_codes_pressed(callback: CallbackQuery, i18n: I18nContext, user: Customer, domain: Domain) -> None:
    """Ten new recovery codes, shown once; the old ones stop working."""
    try:
        codes = await domain.security.regenerate_recovery_codes(user.id)
    except DomainError as error:
        await refuse(callback, i18n, error, user.time_zone)
        return
    await screen(callback, codes_text(i18n, codes), saved_markup(i18n, TWO_FACTOR))


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
        await message.answer(verdict_text(i18n, user, verdict), reply_markup=keyboard(cancel_row(i18n)))
        return
    pending = (await GuardData.load(state)).guard_pending
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
