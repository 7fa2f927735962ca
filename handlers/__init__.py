"""aiogram routers, one package per client-area section, assembled into a tree by `get_routers()`.

Branches carry the filters their handlers share, set once: the private chat (the customer's side), the staff
group (STAFF_CHAT_ID, where every handler is also gated by membership: `handlers.staff.StaffGate`). Payments come
first (a pre-checkout query has no chat); the catch-alls come last.
"""

from __future__ import annotations

from collections.abc import Sequence

from aiogram import Router
from aiogram.filters import Filter
from aiogram.types import CallbackQuery, Message


class PrivateChat(Filter):
    """A message or a press in the customer's private chat with the bot."""

    async def __call__(self, event: Message | CallbackQuery) -> bool:
        message = event if isinstance(event, Message) else event.message
        return message is not None and message.chat.type == "private"


class StaffChat(Filter):
    """A message or a press in the staff group (the dispatcher's `staff_chat_id`)."""

    async def __call__(self, event: Message | CallbackQuery, staff_chat_id: int | None = None) -> bool:
        message = event if isinstance(event, Message) else event.message
        return staff_chat_id is not None and message is not None and message.chat.id == staff_chat_id


def branch(name: str, where: Filter, *routers: Router) -> Router:
    """A router that lets through only what `where` accepts, to the routers under it."""
    root = Router(name=name)
    root.message.filter(where)
    root.callback_query.filter(where)
    root.include_routers(*routers)
    return root


def get_routers(extra: Sequence[Router] = ()) -> list[Router]:
    """The whole tree, built anew for each dispatcher. `extra` (tests) go before the catch-alls."""
    from handlers import (
        autopay,
        billing,
        cart,
        certificates,
        client,
        discounts,
        fallback,
        licences,
        menu,
        methods,
        notifications,
        order,
        payers,
        renewals,
        settings,
        staff,
        support,
        tickets,
    )

    customer = branch(
        "private-chat", PrivateChat(),
        menu.router(), renewals.router(), order.router(), cart.router(), billing.router(), settings.router(),
        support.router(), notifications.router(), licences.router(), methods.router(), autopay.router(),
        certificates.router(), client.router(), payers.router(), discounts.router(), tickets.router(),
    )
    # Billing's staff commands (/paid, /refund) first; the staff section's catch-all (messages in ticket topics)
    # comes last in its router.
    group = branch("staff-group", StaffChat(), billing.staff_router(), staff.router())
    # Inner middlewares, so that they see the handler's flags; on the branch, so every staff handler is gated.
    group.message.middleware(staff.StaffGate())
    group.callback_query.middleware(staff.StaffGate())
    return [billing.payments_router(), customer, group, *extra, branch("catch-all", PrivateChat(), fallback.router())]
