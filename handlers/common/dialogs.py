"""Dialogs: each keeps its answers in a typed model of its own, stored as the FSM data of the step.

    class RenameData(DialogData):
        service: int

    await RenameData(service=service_id).save(state)      # when the dialog starts
    data = await RenameData.load(state)                     # in a step: data.service is an int

A step handler catches only `InvalidInput` (the answer is refused: it re-asks with the reason, the dialog
stays). Any other domain refusal escapes to the error boundary, which leaves the dialog and says why, so a
customer is never kept in a step that can no longer succeed. Whether a stored state is a step of a dialog is
`raw_state in SomeForm` (aiogram's StatesGroup knows its states), never a match on the state's name.
"""

from __future__ import annotations

from typing import Self

from aiogram.fsm.context import FSMContext
from pydantic import BaseModel, ConfigDict


class DialogData(BaseModel):
    model_config = ConfigDict(extra="ignore")

    @classmethod
    async def load(cls, state: FSMContext) -> Self:
        return cls.model_validate(await state.get_data())

    async def save(self, state: FSMContext) -> None:
        await state.set_data(self.model_dump(mode="json"))

    async def update(self, state: FSMContext) -> None:
        """Keep these fields, and what else the dialog holds."""
        await state.update_data(self.model_dump(mode="json"))

