"""aiogram routers, one module per client-area section; catch-alls come last."""

from __future__ import annotations

from collections.abc import Sequence

from aiogram import Router


def get_routers(extra: Sequence[Router] = ()) -> list[Router]:
    """Commands that work anywhere (/start, /cancel, ...) first, then sections, then the catch-alls."""
    from handlers import fallback, menu

    return [menu.router, *extra, fallback.router]
