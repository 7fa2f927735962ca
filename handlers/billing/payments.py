"""Telegram Payments: the pre-checkout answer and the successful payment (credited once, a cart top-up then
buys its cart). At the root of the tree: a pre-checkout query has no chat."""

from __future__ import annotations

import logging

from aiogram import Bot, F, Router
from aiogram.exceptions import TelegramAPIError
from aiogram.types import InlineKeyboardMarkup, Message, PreCheckoutQuery
from aiogram_i18n import I18nContext

from domain.accounts import Customer
from domain.ledger import InsufficientFunds
from domain.models import Invoice
from domain.payments import EXTRA, UNMATCHED, PaymentRejected, Receipt
from domain.unit import Domain
from handlers.billing.keyboards import BILLING, InvoiceAction, InvoiceCb
from handlers.billing.resume import resume_flow
from handlers.cart import paid_markup, paid_text, shortfall_markup
from handlers.common.errors import error_text
from handlers.common.format import money
from handlers.common.staff import group_translate
from handlers.common.ui import HOME, MenuCb, button, keyboard, nav_row

log = logging.getLogger(__name__)


async def pre_checkout(query: PreCheckoutQuery, domain: Domain, i18n: I18nContext) -> None:
    """Telegram waits at most 10 seconds for this answer: validate and answer, nothing else."""
    try:
        await domain.payments.validate(query.from_user.id, query.invoice_payload, query.currency,
                                       query.total_amount)
    except PaymentRejected as exc:
        await query.answer(ok=False, error_message=error_text(i18n, exc, html=False))
        return
    await query.answer(ok=True)


async def payment_received(message: Message, bot: Bot, domain: Domain, i18n: I18nContext, user: Customer,
                           staff_chat_id: int | None) -> None:
    """Record and credit the charge once; a cart top-up goes on to buy the cart. The domain keeps the money
    whatever the cart step says."""
    paid = message.successful_payment
    assert paid is not None
    receipt = await domain.payments.receive(
        user.id, paid.invoice_payload, paid.currency, paid.total_amount, paid.telegram_payment_charge_id,
        paid.provider_payment_charge_id)
    if receipt.duplicate:
        log.info("duplicate successful_payment ignored: charge=%s", paid.telegram_payment_charge_id)
        return
    currency, locale = domain.ledger.currency, i18n.locale
    if receipt.outcome in (EXTRA, UNMATCHED):
        await tell_staff_of(bot, i18n, staff_chat_id, receipt, currency)
    if receipt.outcome == UNMATCHED:
        log.error("successful_payment matches no invoice: user=%s charge=%s payload=%s", user.id,
                  paid.telegram_payment_charge_id, paid.invoice_payload)
        await message.answer(i18n.get("payment-unmatched-customer"))
        return
    payment = receipt.payment
    assert payment is not None
    if receipt.outcome == EXTRA:
        await message.answer(i18n.get("payment-extra-customer", amount=money(receipt.credited, currency, locale),
                                      balance=money(receipt.balance, currency, locale)),
                             reply_markup=receipt_markup(i18n, None))
        return
    # The balance the top-up made, before the cart it was for took its part.
    before_cart = receipt.balance + (receipt.order.total if receipt.order else 0)
    lines = [i18n.get("topup-credited", amount=money(payment.amount, currency, locale),
                      balance=money(before_cart, currency, locale))]
    invoice = await domain.invoices.get(user.id, payment.invoice_id) if payment.invoice_id else None
    if invoice is not None:
        lines.append(i18n.get("invoices-paid-in-bot", number=invoice.number))
    if receipt.order is not None:
        # The order it bought is the receipt's next step: each new certificate's setup, then billing.
        await message.answer("\n".join(lines))
        await message.answer(paid_text(i18n, receipt.order, currency, user.time_zone),
                             reply_markup=paid_markup(i18n, receipt.order.services))
        return
    refused = receipt.checkout_refused
    if isinstance(refused, InsufficientFunds):
        text = i18n.get("checkout-short", total=money(refused.total, currency, locale),
                        balance=money(refused.balance, currency, locale),
                        shortfall=money(refused.shortfall, currency, locale))
        await message.answer("\n".join(lines))
        await message.answer(text, reply_markup=shortfall_markup(i18n, refused.shortfall, currency,
                                                                    payment.cart_revision or ""))
        return
    if refused is not None:
        await message.answer("\n".join(lines))
        await message.answer(i18n.get("checkout-auto-failed", reason=error_text(i18n, refused, user.time_zone)),
                             reply_markup=keyboard(nav_row(i18n, MenuCb(section="cart"))))
        return
    # A receipt of its own with where to go next; a top-up made for a flow (a tariff change, a renewal) then
    # shows that flow's screen as it stands now that the money is there.
    await message.answer("\n".join(lines), reply_markup=receipt_markup(i18n, invoice))
    await resume_flow(message, domain, i18n, user, payment.resume)


def receipt_markup(i18n: I18nContext, invoice: Invoice | None) -> InlineKeyboardMarkup:
    rows = []
    if invoice is not None:
        rows.append([button(i18n.get("invoices-open", number=invoice.number),
                            InvoiceCb(action=InvoiceAction.VIEW, id=invoice.id))])
    rows.append([button(i18n.get("menu-button-billing"), BILLING), button(i18n.get("button-main-menu"), HOME)])
    return keyboard(*rows)


async def tell_staff_of(bot: Bot, i18n: I18nContext, staff_chat_id: int | None, receipt: Receipt,
                        currency: str) -> None:
    """A second charge for a paid invoice, or one that matches no invoice: staff hear of it with the charge id
    they refund it by. Failing to reach the group loses nothing: the charge is recorded."""
    if staff_chat_id is None:
        return
    t, locale = group_translate(i18n.core)
    charge = receipt.charge
    if receipt.outcome == EXTRA:
        text = t("payment-extra-staff", user=str(charge.user_id), amount=money(charge.credited, currency, locale),
                 charge=charge.telegram_charge_id)
    else:
        text = t("payment-unmatched-staff", user=str(charge.user_id), total=str(charge.total_amount),
                 currency=charge.currency, charge=charge.telegram_charge_id)
    try:
        await bot.send_message(staff_chat_id, text)
    except TelegramAPIError as exc:
        log.warning("staff not told of charge %s: %s", charge.telegram_charge_id, exc)


async def refund_arrived(message: Message) -> None:
    """Telegram's own note of a refund in the customer's chat: the customer is told by the refund notice (with
    what it did to the balance), so this needs no answer of its own."""


def router() -> Router:
    """Telegram Payments' updates, tried before any chat's branch."""
    routes = Router(name=__name__)
    routes.pre_checkout_query.register(pre_checkout)
    routes.message.register(payment_received, F.successful_payment)
    routes.message.register(refund_arrived, F.refunded_payment)
    return routes
