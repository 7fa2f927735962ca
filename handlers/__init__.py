"""aiogram routers, one module per client-area section; catch-alls come last."""

from __future__ import annotations

from collections.abc import Sequence

from aiogram import Router


def get_routers(extra: Sequence[Router] = ()) -> list[Router]:
    """Commands that work anywhere (/start, /cancel, ...) first, then sections, then the catch-alls."""
    from handlers import (
        autopay,
        billing,
        cart,
        certificates,
        client,
        discounts,
        fallback,
        guard,
        invoices,
        licences,
        menu,
        notifications,
        order,
        payers,
        payment_methods,
        payments,
        renewals,
        security,
        settings,
        staff_discounts,
        staff_tickets,
        support,
        tickets,
    )

    return [
        menu.router, payments.router, renewals.router, order.router, cart.router, billing.router,
        guard.router, settings.router, security.router, support.router, notifications.router, licences.router,
        payment_methods.router, autopay.router, certificates.router, client.router, payers.router, invoices.router,
        discounts.router, staff_discounts.router,
        # The staff group's catch-all (messages in ticket topics) after every section's staff commands.
        tickets.router, staff_tickets.router,
        *extra, fallback.router,
    ]
