"""What a top-up was for, resumed once it is paid: the section that offered the top-up registers how to show its
flow's screen again (a tariff change's confirmation, now affordable), so the customer lands there instead of on
the screen that said the balance was short."""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram.types import Message
from aiogram_i18n import I18nContext

from domain.errors import DomainError

log = logging.getLogger(__name__)

# (the chat's message, domain, i18n, customer, the flow's numbers) -> shows the flow's screen as a new one.
Resume = Callable[[Message, Any, I18nContext, Any, list[int]], Awaitable[None]]

# (domain, customer, the flow's numbers) -> what to top up now for the flow; raises a DomainError saying what
# happened when nothing is (an old button: the flow went on without it).
Amount = Callable[[Any, Any, list[int]], Awaitable[int]]

_FLOWS: dict[str, Resume] = {}
_AMOUNTS: dict[str, Amount] = {}
# `kind.1.2`: what TopupCb.resume carries and the payment keeps (callback data cannot hold ':').
RESUME_RE = re.compile(r"^[a-z]{1,16}(?:\.\d{1,10}){0,3}$")


def register_resume(kind: str, resume: Resume, amount: Amount | None = None) -> None:
    """`resume` shows the flow's screen again once its top-up is paid; `amount`, when given, computes the
    top-up itself at the press (so an old top-up button of a finished flow opens nothing)."""
    _FLOWS[kind] = resume
    if amount is not None:
        _AMOUNTS[kind] = amount


async def topup_amount(domain: Any, user: Any, key: str, shown: int) -> int:
    """The amount to top up for the flow `key` names: computed by the flow when it registered how, else the one
    shown on the button (a preset checked against the limits like any other)."""
    if not RESUME_RE.match(key):
        return shown
    kind, *numbers = key.split(".")
    amount = _AMOUNTS.get(kind)
    if amount is None:
        return shown
    return max(await amount(domain, user, [int(n) for n in numbers]), domain.payments.settings.topup_min)


def resume_key(kind: str, *numbers: int) -> str:
    return ".".join([kind, *(str(n) for n in numbers)])


async def resume_flow(message: Message, domain: Any, i18n: I18nContext, user: Any, key: str | None) -> bool:
    """Show the screen of the flow `key` names; False when there is none to show (unknown, or refused now: a
    forged key or a flow that moved on shows nothing rather than an error under the receipt)."""
    if not key or not RESUME_RE.match(key):
        return False
    kind, *numbers = key.split(".")
    flow = _FLOWS.get(kind)
    if flow is None:
        return False
    try:
        await flow(message, domain, i18n, user, [int(n) for n in numbers])
    except DomainError as exc:
        log.info("flow %s not resumed after a top-up: %s", key, exc.message_id)
        return False
    return True
