"""Settings: dialog states and their typed data (the guarded action's code: handlers/common/guard.py)."""

from __future__ import annotations

from aiogram.fsm.state import State, StatesGroup

from handlers.common.dialogs import DialogData


class SettingsForm(StatesGroup):
    """A new phone number, e-mail address, avatar or time zone."""

    phone = State()
    email = State()
    avatar = State()
    time_zone = State()


class SettingsData(DialogData):
    """Whether the step showed a reply keyboard (share contact, share location), to be taken away after it."""

    reply_keyboard: bool = False


class TwoFactorForm(StatesGroup):
    """The first code from the authenticator app, which turns two-step authentication on."""

    confirm = State()


class TwoFactorData(DialogData):
    """The message with the QR code and the secret, deleted once the code is right."""

    qr_message: int | None = None
