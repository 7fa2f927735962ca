"""Payers: dialog states and their typed data."""

from __future__ import annotations

from aiogram.fsm.state import State, StatesGroup
from pydantic import Field

from handlers.common.dialogs import DialogData


class PayerForm(StatesGroup):
    step = State()  # adding: answering field number `step` of the kind's fields
    summary = State()
    edit = State()  # changing one field of a saved payer


class PayerDraft(DialogData):
    """A payer being added: its type, the question being asked, the answers so far (None: skipped)."""

    kind: str
    step: int = 0
    answers: dict[str, str | None] = Field(default_factory=dict)


class PayerEdit(DialogData):
    """One field of a saved payer being changed."""

    payer: int
    field: str
