"""Payment methods: dialog states and their typed data."""

from __future__ import annotations

from aiogram.fsm.state import State, StatesGroup

from handlers.common.dialogs import DialogData


class RenameMethod(StatesGroup):
    """The customer's own name for a saved payment method."""

    name = State()


class RenameMethodData(DialogData):
    method: int
