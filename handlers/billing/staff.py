"""Billing in the staff group: `/paid <invoice number>` for a bank transfer that arrived, and `/refund
<telegram_payment_charge_id>` to give a Stars payment back. Both move money: administrators only."""

from __future__ import annotations

import logging
from html import escape

from aiogram import Bot, Router
from aiogram.exceptions import TelegramAPIError
from aiogram.filters import Command, CommandObject
from aiogram.types import Message
from aiogram_i18n import I18nContext

from domain.errors import DomainError, NotFound
from domain.payments import RefundRefused
from domain.unit import Domain
from handlers.common.errors import echo, error_text
from handlers.common.format import money
from handlers.common.staff import ADMIN

log = logging.getLogger(__name__)


async def staff_paid(message: Message, command: CommandObject, bot: Bot, domain: Domain, i18n: I18nContext,
                     staff_chat_id: int | None) -> None:
    """`/paid <invoice number>`: the bank transfer arrived; credit it once (and pay its cart, if it was for one)."""
    if message.from_user is None:
        return
    number = (command.args or "").strip()
    if not number:
        await message.reply(i18n.get("invoices-staff-usage"))
        return
    try:
        recorded = await domain.invoices.record_transfer(number, message.from_user.id)
    except NotFound:
        await message.reply(i18n.get("invoices-staff-unknown", number=escape(number[:32])))
        return
    except DomainError as exc:
        await message.reply(error_text(i18n, exc))
        return
    if not recorded.credited:
        await message.reply(i18n.get("invoices-staff-already-paid", number=recorded.number))
        return
    reply = i18n.get("invoices-staff-paid", number=recorded.number,
                     amount=money(recorded.amount, recorded.currency, i18n.locale), user=str(recorded.user_id))
    if recorded.order is not None:
        reply += "\n" + i18n.get("invoices-staff-order", order=str(recorded.order.order_id))
    elif recorded.cart_refused is not None:
        log.info("cart of invoice %s not paid automatically: %s", recorded.number, recorded.cart_refused.message_id)
        reply += "\n" + i18n.get("invoices-staff-cart-not-paid")
    await message.reply(reply)


async def staff_refund(message: Message, command: CommandObject, bot: Bot, domain: Domain, i18n: I18nContext,
                       staff_chat_id: int | None) -> None:
    """`/refund <telegram_payment_charge_id>`: give a Stars payment back."""
    charge_id = (command.args or "").strip()
    if not charge_id:
        await message.reply(i18n.get("refund-usage"))
        return

    async def give_back(user_id: int, telegram_charge_id: str) -> None:
        try:
            await bot.refund_star_payment(user_id=user_id, telegram_payment_charge_id=telegram_charge_id)
        except TelegramAPIError as exc:
            raise RefundRefused(reason=exc.message) from exc

    try:
        refund = await domain.payments.refund(charge_id, give_back)
    except NotFound:
        await message.reply(i18n.get("refund-unknown", charge=echo(charge_id)))
        return
    except DomainError as exc:
        await message.reply(error_text(i18n, exc))
        return
    await message.reply(i18n.get("refund-done", amount=money(refund.amount, domain.ledger.currency, i18n.locale),
                                 user=str(refund.user_id)))


def router() -> Router:
    """The staff group's billing commands (the branch lets through only the staff group)."""
    routes = Router(name=__name__)
    # Money moves: the staff gate lets only the group's administrators through (others are told so).
    routes.message.register(staff_paid, Command("paid"), flags=ADMIN)
    routes.message.register(staff_refund, Command("refund"), flags=ADMIN)
    return routes
