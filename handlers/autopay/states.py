"""Automatic payments: dialog states and their typed data."""

from __future__ import annotations

from aiogram.fsm.state import State, StatesGroup

from handlers.common.dialogs import DialogData


class AutopayForm(StatesGroup):
    """The monthly limit of automatic payments with the card chosen before."""

    limit = State()


class AutopayFormData(DialogData):
    card: int
