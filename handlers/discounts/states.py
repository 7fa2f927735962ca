"""Discounts: dialog states."""

from __future__ import annotations

from aiogram.fsm.state import State, StatesGroup


class PromoForm(StatesGroup):
    """A promo code typed in (the dialog keeps nothing else)."""

    code = State()
