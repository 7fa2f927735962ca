"""Licences: dialog states and their typed data."""

from __future__ import annotations

from aiogram.fsm.state import State, StatesGroup

from handlers.common.dialogs import DialogData


class ServiceForm(StatesGroup):
    """A new name or IP address for one service."""

    name = State()
    ip = State()


class ServiceFormData(DialogData):
    service: int
