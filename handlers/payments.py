"""Telegram Payments: invoices for top-ups, pre-checkout validation, crediting, and staff refunds of Stars."""

from __future__ import annotations

import logging

from aiogram import Bot, F, Router
from aiogram.exceptions import TelegramAPIError
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, LabeledPrice, Message, PreCheckoutQuery
from aiogram_i18n import I18nContext

from domain.accounts import Customer
from domain.errors import DomainError, NotFound
from domain.ledger import InsufficientFunds
from domain.models import Payment
from domain.notifications import money_arg
from domain.payments import EXTRA, STARS, UNMATCHED, PaymentRejected, Receipt
from domain.unit import Domain
from handlers.cart import paid_markup, paid_text, shortfall_markup
from handlers.common.errors import echo, error_text, refuse
from handlers.common.format import money
from handlers.common.ui import MenuCb, TopupCb, keyboard, nav_row
from handlers.payers import pick_payer
from handlers.support_group import group_translate, staff_may

log = logging.getLogger(__name__)


async def send_invoice(bot: Bot, chat_id: int, payment: Payment, i18n: I18nContext, provider_token: str) -> None:
    amount = money(payment.amount, payment.currency, i18n.locale)
    await bot.send_invoice(
        chat_id=chat_id,
        title=i18n.get("invoice-title"),
        description=i18n.get("invoice-description-checkout" if payment.then_checkout else "invoice-description",
                             amount=amount),
        payload=payment.payload,
        currency=payment.invoice_currency,
        prices=[LabeledPrice(label=i18n.get("invoice-label", amount=amount), amount=payment.invoice_amount)],
        provider_token="" if payment.method == STARS else provider_token,
    )


async def offer_invoice(event: CallbackQuery | Message, domain: Domain, i18n: I18nContext, user: Customer,
                        payment: Payment, payment_provider_token: str) -> None:
    """The payment row must exist before the customer can pay its invoice: committed, then sent."""
    await domain.commit()
    assert event.bot is not None
    await send_invoice(event.bot, user.id, payment, i18n, payment_provider_token)


async def start_topup(event: CallbackQuery | Message, domain: Domain, i18n: I18nContext, user: Customer,
                      amount: int, payment_provider_token: str, payer_id: int | None = None) -> None:
    """A top-up of an amount the customer chose; it is credited when Telegram confirms it."""
    payment = await domain.payments.create_topup(user.id, amount, payer_id=payer_id)
    await offer_invoice(event, domain, i18n, user, payment, payment_provider_token)


async def topup_pressed(callback: CallbackQuery, callback_data: TopupCb, domain: Domain, i18n: I18nContext,
                        user: Customer, payment_provider_token: str) -> None:
    """A preset amount, or what the cart shown lacks (the domain computes it): send the invoice."""
    cart = bool(callback_data.then)
    if not callback_data.payer and await pick_payer(
            callback, domain, i18n, user,
            lambda payer: TopupCb(amount=callback_data.amount, then=callback_data.then, rev=callback_data.rev,
                                  payer=payer),
            MenuCb(section="cart" if cart else "billing")):
        return
    try:
        if cart:
            payment = await domain.payments.topup_for_cart(user.id, callback_data.rev, callback_data.payer or None)
        else:
            payment = await domain.payments.create_topup(user.id, callback_data.amount,
                                                         payer_id=callback_data.payer or None)
    except DomainError as exc:
        if isinstance(exc, NotFound):
            raise
        await refuse(callback, i18n, exc, user.time_zone)
        return
    await offer_invoice(callback, domain, i18n, user, payment, payment_provider_token)


async def pre_checkout(query: PreCheckoutQuery, domain: Domain, i18n: I18nContext) -> None:
    """Telegram waits at most 10 seconds for this answer: validate and answer, nothing else."""
    try:
        await domain.payments.validate(query.from_user.id, query.invoice_payload, query.currency,
                                       query.total_amount)
    except PaymentRejected as exc:
        await query.answer(ok=False, error_message=i18n.get(exc.message_id))
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
    await domain.notifications.notify(
        user.id, category="finance", key="topup-credited-note", push=False,
        args={"amount": money_arg(receipt.credited, payment.currency)},
        dedupe_key=f"topup:{paid.telegram_payment_charge_id}")
    balance = await domain.ledger.balance(user.id)
    if receipt.outcome == EXTRA:
        await message.answer(i18n.get("payment-extra-customer", amount=money(receipt.credited, currency, locale),
                                      balance=money(balance, currency, locale)))
        return
    await message.answer(i18n.get("topup-credited", amount=money(payment.amount, currency, locale),
                                  balance=money(balance + (receipt.order.total if receipt.order else 0), currency,
                                                locale)))
    if receipt.order is not None:
        await message.answer(paid_text(i18n, receipt.order, currency, user.time_zone), reply_markup=paid_markup(i18n))
        return
    refused = receipt.checkout_refused
    if isinstance(refused, InsufficientFunds):
        text = i18n.get("checkout-short", total=money(refused.total, currency, locale),
                        balance=money(refused.balance, currency, locale),
                        shortfall=money(refused.shortfall, currency, locale))
        await message.answer(text, reply_markup=shortfall_markup(i18n, refused.shortfall, currency,
                                                                    payment.cart_revision or ""))
    elif refused is not None:
        await message.answer(i18n.get("checkout-auto-failed", reason=error_text(i18n, refused, user.time_zone)),
                             reply_markup=keyboard(nav_row(i18n, MenuCb(section="cart"))))


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


async def staff_refund(message: Message, command: CommandObject, bot: Bot, domain: Domain, i18n: I18nContext,
                       staff_chat_id: int | None) -> None:
    """`/refund <telegram_payment_charge_id>` in the staff group: give a Stars payment back."""
    if not await staff_may(message, bot, i18n, staff_chat_id, admin=True):
        return
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
    try:
        await bot.refund_star_payment(user_id=charge.user_id, telegram_payment_charge_id=charge_id)
    except TelegramAPIError as exc:
        await message.reply(i18n.get("refund-telegram-refused", reason=exc.message))
        return
    await domain.payments.record_refund(charge)
    # Told through the outbox: in the customer's own language, and not lost if they cannot be reached now.
    await domain.notifications.notify(charge.user_id, category="finance", key="refund-customer",
                                      args={"amount": money_arg(charge.credited, domain.ledger.currency)},
                                      dedupe_key=f"refund:{charge_id}")
    amount = money(charge.credited, domain.ledger.currency, i18n.locale)
    await message.reply(i18n.get("refund-done", amount=amount, user=str(charge.user_id)))


def router() -> Router:
    """This section's handlers, in the order they are tried."""
    routes = Router(name=__name__)
    routes.callback_query.register(topup_pressed, TopupCb.filter(), F.message.chat.type == "private")
    routes.pre_checkout_query.register(pre_checkout)
    routes.message.register(payment_received, F.successful_payment)
    routes.message.register(staff_refund, Command("refund"), F.chat.type.in_({"group", "supergroup"}))
    return routes
