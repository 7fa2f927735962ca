"""aiogram routers, one module per client-area section; catch-alls come last."""

from __future__ import annotations

from collections.abc import Sequence

from aiogram import Router


def get_routers(extra: Sequence[Router] = ()) -> list[Router]:
    """Commands that work anywhere (/start, /cancel, ...) first, then sections, then the catch-alls."""
    from handlers import (
        billing,
        cart,
        discounts,
        fallback,
        guard,
        licences,
        menu,
        notifications,
        order,
        payments,
        renewals,
        security,
        settings,
        staff_discounts,
        support,
    )

    return [
        menu.router, payments.router, renewals.router, order.router, cart.router, billing.router,
        guard.router, settings.router, security.router, support.router, notifications.router, licences.router,
        discounts.router, staff_discounts.router,
        *extra, fallback.router,
    ]
