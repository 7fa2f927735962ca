"""Billing: dialog states and their typed data."""

from __future__ import annotations

from aiogram.fsm.state import State, StatesGroup

from handlers.common.dialogs import DialogData


class TopupAmount(StatesGroup):
    """A top-up of an amount the customer types (nothing to keep before it: the payer is asked after)."""

    amount = State()


class InvoiceForm(StatesGroup):
    """The amount of an invoice for a top-up, issued to the payer picked before."""

    amount = State()


class InvoiceFormData(DialogData):
    payer: int | None = None
