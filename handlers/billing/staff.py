"""Billing in the staff group: `/paid <invoice number>` for a bank transfer that arrived, and `/refund
<telegram_payment_charge_id>` to give a Stars payment back. Both move money: administrators only.

Neither moves money at once: the command shows what it will do, and a button under it does it. The button is
bound to the invoice or the charge (by id), never to the command's text; the domain decides again when it is
pressed, so a second press, or a press long after, moves nothing twice."""

from __future__ import annotations

import logging
from enum import StrEnum
from html import escape

from aiogram import Bot, F, Router
from aiogram.exceptions import TelegramAPIError, TelegramBadRequest
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram_i18n import I18nContext

from domain.errors import DomainError, NotFound
from domain.models import InvoiceStatus
from domain.payments import RefundRefused
from domain.unit import Domain
from handlers.common.errors import echo, error_text
from handlers.common.format import money
from handlers.common.staff import ADMIN
from handlers.common.ui import Callback, button, keyboard

log = logging.getLogger(__name__)


class MoneyAction(StrEnum):
    PAID = "paid"
    REFUND = "refund"
    DROP = "drop"


class StaffMoneyCb(Callback, prefix="sb"):
    """A staff confirmation: mark invoice `id` paid, refund charge `id`, or do nothing."""

    action: MoneyAction
    id: int = 0


def confirm_markup(i18n: I18nContext, label: str, action: MoneyAction, target: int) -> InlineKeyboardMarkup:
    return keyboard([button(label, StaffMoneyCb(action=action, id=target))],
                    [button(i18n.get("staff-money-drop"), StaffMoneyCb(action=MoneyAction.DROP))])


async def settle(callback: CallbackQuery, text: str) -> None:
    """The confirmation becomes what happened, without its buttons."""
    await callback.answer()
    if isinstance(callback.message, Message):
        try:
            await callback.message.edit_text(text, reply_markup=None)
        except TelegramBadRequest as exc:
            if "message is not modified" not in exc.message:
                raise


# --- /paid ------------------------------------------------------------------------------------------------

async def staff_paid(message: Message, command: CommandObject, domain: Domain, i18n: I18nContext) -> None:
    """`/paid <invoice number>`: what marking it paid will credit, with the button that does it."""
    number = (command.args or "").strip()
    if not number:
        await message.reply(i18n.get("invoices-staff-usage"))
        return
    try:
        invoice = await domain.invoices.for_transfer(number)
    except NotFound:
        await message.reply(i18n.get("invoices-staff-unknown", number=escape(number[:32])))
        return
    except DomainError as exc:
        await message.reply(error_text(i18n, exc))
        return
    if invoice.status == InvoiceStatus.PAID:
        await message.reply(i18n.get("invoices-staff-already-paid", number=invoice.number))
        return
    amount = money(invoice.net, invoice.currency, i18n.locale)
    text = i18n.get("invoices-staff-confirm", number=invoice.number, amount=amount, user=str(invoice.user_id),
                    cart=1 if invoice.purpose == "cart" else 0)
    await message.reply(text, reply_markup=confirm_markup(i18n, i18n.get("invoices-staff-button-paid", amount=amount),
                                                         MoneyAction.PAID, invoice.id))


async def paid_confirmed(callback: CallbackQuery, callback_data: StaffMoneyCb, domain: Domain,
                         i18n: I18nContext) -> None:
    """The transfer arrived: credit it once (and pay its cart, if it was for one)."""
    try:
        invoice = await domain.invoices.for_transfer(invoice_id=callback_data.id)
        recorded = await domain.invoices.record_transfer(invoice.number, callback.from_user.id)
    except NotFound:
        await callback.answer(i18n.get("staff-money-gone"), show_alert=True)
        return
    except DomainError as exc:
        await callback.answer(error_text(i18n, exc), show_alert=True)
        return
    if not recorded.credited:
        await callback.answer(i18n.get("invoices-staff-already-paid", number=recorded.number), show_alert=True)
        return
    reply = i18n.get("invoices-staff-paid", number=recorded.number,
                     amount=money(recorded.amount, recorded.currency, i18n.locale), user=str(recorded.user_id))
    if recorded.order is not None:
        reply += "\n" + i18n.get("invoices-staff-order", order=str(recorded.order.order_id))
    elif recorded.cart_refused is not None:
        log.info("cart of invoice %s not paid automatically: %s", recorded.number, recorded.cart_refused.message_id)
        reply += "\n" + i18n.get("invoices-staff-cart-not-paid")
    await settle(callback, reply)


# --- /refund ----------------------------------------------------------------------------------------------

async def staff_refund(message: Message, command: CommandObject, domain: Domain, i18n: I18nContext) -> None:
    """`/refund <telegram_payment_charge_id>`: what giving the Stars payment back takes, with the button."""
    charge_id = (command.args or "").strip()
    if not charge_id:
        await message.reply(i18n.get("refund-usage"))
        return
    try:
        charge = await domain.payments.refundable(charge_id)
    except NotFound:
        await message.reply(i18n.get("refund-unknown", charge=echo(charge_id)))
        return
    except DomainError as exc:
        await message.reply(error_text(i18n, exc))
        return
    amount = money(charge.credited, domain.ledger.currency, i18n.locale)
    text = i18n.get("refund-confirm", amount=amount, stars=charge.total_amount, user=str(charge.user_id),
                    charge=escape(charge.telegram_charge_id))
    await message.reply(text, reply_markup=confirm_markup(i18n, i18n.get("refund-button", amount=amount),
                                                         MoneyAction.REFUND, charge.id))


async def refund_confirmed(callback: CallbackQuery, callback_data: StaffMoneyCb, bot: Bot, domain: Domain,
                           i18n: I18nContext) -> None:
    """Give the Stars payment back, once."""

    async def give_back(user_id: int, telegram_charge_id: str) -> None:
        try:
            await bot.refund_star_payment(user_id=user_id, telegram_payment_charge_id=telegram_charge_id)
        except TelegramAPIError as exc:
            raise RefundRefused(reason=exc.message) from exc

    try:
        charge = await domain.payments.charge(callback_data.id)
        refund = await domain.payments.refund(charge.telegram_charge_id, give_back)
    except NotFound:
        await callback.answer(i18n.get("staff-money-gone"), show_alert=True)
        return
    except DomainError as exc:
        await callback.answer(error_text(i18n, exc), show_alert=True)
        return
    await settle(callback, i18n.get("refund-done", amount=money(refund.amount, domain.ledger.currency, i18n.locale),
                                    user=str(refund.user_id)))


async def dropped(callback: CallbackQuery, i18n: I18nContext) -> None:
    await settle(callback, i18n.get("staff-money-dropped"))


def router() -> Router:
    """The staff group's billing commands (the branch lets through only the staff group)."""
    routes = Router(name=__name__)
    # Money moves: the staff gate lets only the group's administrators through (others are told so).
    routes.message.register(staff_paid, Command("paid"), flags=ADMIN)
    routes.message.register(staff_refund, Command("refund"), flags=ADMIN)
    routes.callback_query.register(paid_confirmed, StaffMoneyCb.filter(F.action == MoneyAction.PAID), flags=ADMIN)
    routes.callback_query.register(refund_confirmed, StaffMoneyCb.filter(F.action == MoneyAction.REFUND), flags=ADMIN)
    routes.callback_query.register(dropped, StaffMoneyCb.filter(F.action == MoneyAction.DROP), flags=ADMIN)
    return routes
