"""Two-step authentication settings: enable with a QR code and a first valid code, recovery codes, disable.

Disabling and new recovery codes are guarded actions (handlers/guard.py): with 2FA on they need a code.
"""

from __future__ import annotations

import contextlib
import io
from html import escape

import segno
from aiogram import Bot, F, Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import BufferedInputFile, CallbackQuery, InlineKeyboardMarkup, Message
from aiogram_i18n import I18nContext

from domain.accounts import Customer
from domain.errors import DomainError
from domain.unit import Domain
from handlers.common.errors import refuse
from handlers.common.format import when
from handlers.common.screen import drop_pressed, screen
from handlers.common.ui import button, keyboard, nav_row
from handlers.guard import GUARDED, forget_code_message, verdict_text
from handlers.settings import SETTINGS, SettingsCb


class TwoFactorForm(StatesGroup):
    confirm = State()


TWOFA = SettingsCb(action="2fa")


async def twofa_screen(i18n: I18nContext, user: Customer, domain: Domain,
                       note: str | None = None) -> tuple[str, InlineKeyboardMarkup]:
    status = await domain.security.status(user.id)
    if status.enabled:
        text = i18n.get("twofa-text-on", left=status.recovery_left)
        rows = [[button(i18n.get("twofa-button-new-codes"), SettingsCb(action="2fa_codes"))],
                [button(i18n.get("twofa-button-disable"), SettingsCb(action="2fa_off"))]]
    else:
        text = i18n.get("twofa-text-off")
        rows = [[button(i18n.get("twofa-button-enable"), SettingsCb(action="2fa_on"))]]
    if status.locked_until is not None:
        text += "\n\n" + i18n.get("twofa-locked", until=when(status.locked_until, user.time_zone, i18n.locale))
    if note:
        text = f"{note}\n\n{text}"
    return text, keyboard(*rows, nav_row(i18n, SETTINGS))


async def twofa_pressed(callback: CallbackQuery, i18n: I18nContext, user: Customer, domain: Domain) -> None:
    await screen(callback, *await twofa_screen(i18n, user, domain))


def qr_png(uri: str) -> bytes:
    buffer = io.BytesIO()
    segno.make(uri, error="m").save(buffer, kind="png", scale=6, border=3)
    return buffer.getvalue()


def grouped(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


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
    sent = await bot.send_photo(user.id, qr, caption=caption,
                                reply_markup=keyboard([button(i18n.get("button-cancel"), "cancel")]))
    await drop_pressed(callback)
    await state.set_state(TwoFactorForm.confirm)
    await state.update_data(qr_message=sent.message_id)


def codes_text(i18n: I18nContext, codes: list[str]) -> str:
    listing = "\n".join(f"<code>{escape(code)}</code>" for code in codes)
    return i18n.get("twofa-recovery-codes", codes=listing, count=len(codes))


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
        await message.answer(verdict_text(i18n, user, verdict),
                             reply_markup=keyboard([button(i18n.get("button-cancel"), "cancel")]))
        return
    qr_message = (await state.get_data()).get("qr_message")
    await state.clear()
    if qr_message:  # the secret should not stay on screen
        with contextlib.suppress(TelegramBadRequest):
            await bot.delete_message(message.chat.id, qr_message)
    text = i18n.get("twofa-enabled") + "\n\n" + codes_text(i18n, codes)
    await message.answer(text, reply_markup=keyboard([button(i18n.get("twofa-button-saved"), SETTINGS)]))


async def disable_pressed(callback: CallbackQuery, i18n: I18nContext) -> None:
    """Ask first; the confirming button is the guarded one."""
    markup = keyboard([button(i18n.get("twofa-button-disable-confirm"), SettingsCb(action="2fa_off_yes"))],
                      nav_row(i18n, TWOFA))
    await screen(callback, i18n.get("twofa-disable-ask"), markup)


async def disable_confirmed(callback: CallbackQuery, i18n: I18nContext, user: Customer, domain: Domain) -> None:
    try:
        await domain.security.disable(user.id)
    except DomainError as error:
        await refuse(callback, i18n, error, user.time_zone)
        return
    await screen(callback, *await twofa_screen(i18n, user, domain, i18n.get("twofa-disabled")))


async def new_codes_pressed(callback: CallbackQuery, i18n: I18nContext, user: Customer, domain: Domain) -> None:
    """Ten new recovery codes, shown once; the old ones stop working."""
    try:
        codes = await domain.security.regenerate_recovery_codes(user.id)
    except DomainError as error:
        await refuse(callback, i18n, error, user.time_zone)
        return
    await screen(callback, codes_text(i18n, codes), keyboard([button(i18n.get("twofa-button-saved"), TWOFA)]))


def router() -> Router:
    """This section's handlers, in the order they are tried."""
    routes = Router(name=__name__)
    routes.callback_query.register(twofa_pressed, SettingsCb.filter(F.action == "2fa"))
    routes.callback_query.register(enable_pressed, SettingsCb.filter(F.action == "2fa_on"))
    routes.message.register(setup_code_entered, TwoFactorForm.confirm, F.text)
    routes.callback_query.register(disable_pressed, SettingsCb.filter(F.action == "2fa_off"))
    routes.callback_query.register(disable_confirmed, SettingsCb.filter(F.action == "2fa_off_yes"), flags=GUARDED)
    routes.callback_query.register(new_codes_pressed, SettingsCb.filter(F.action == "2fa_codes"), flags=GUARDED)
    return routes
