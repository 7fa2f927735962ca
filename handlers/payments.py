"""Telegram Payments: invoices for top-ups, pre-checkout validation, crediting, and staff refunds of Stars."""

from __future__ import annotations

import logging

from aiogram import Bot, F, Router
from aiogram.exceptions import TelegramAPIError
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, LabeledPrice, Message, PreCheckoutQuery
from aiogram_i18n import I18nContext

from domain.accounts import Customer
from domain.errors import DomainError, InvalidInput, NotFound
from domain.ledger import InsufficientFunds
from domain.models import Payment
from domain.notifications import money_arg
from domain.payments import STARS, PaymentRejected
from domain.unit import Domain
from handlers.cart import TopupCb, paid_markup, paid_text, shortfall_markup
from handlers.format import money
from handlers.payers import pick_payer
from handlers.support_group import staff_may
from handlers.ui import MenuCb, keyboard, nav_row

log = logging.getLogger(__name__)
router = Router(name=__name__)


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


async def start_topup(callback_or_message: CallbackQuery | Message, domain: Domain, i18n: I18nContext,
                      user: Customer, amount: int, then_checkout: bool, payment_provider_token: str,
                      payer_id: int | None = None) -> None:
    """Create the pending payment and send its invoice; it is credited when Telegram confirms it."""
    payment = await domain.payments.create_topup(user.id, amount, then_checkout=then_checkout, exact=then_checkout)
    payment.payer_id = await domain.payers.resolve(user.id, payer_id)
    # The payment row must exist before the customer can pay the invoice.
    await domain.commit()
    bot = callback_or_message.bot
    assert bot is not None
    await send_invoice(bot, user.id, payment, i18n, payment_provider_token)
    if isinstance(callback_or_message, CallbackQuery):
        await callback_or_message.answer()


@router.callback_query(TopupCb.filter(), F.message.chat.type == "private")
async def topup_pressed(callback: CallbackQuery, callback_data: TopupCb, domain: Domain, i18n: I18nContext,
                        user: Customer, payment_provider_token: str) -> None:
    """A preset amount or the cart's shortfall: send the invoice."""
    if not callback_data.payer and await pick_payer(
            callback, domain, i18n, user,
            lambda payer: TopupCb(amount=callback_data.amount, then=callback_data.then, payer=payer),
            MenuCb(section="cart" if callback_data.then else "billing")):
        return
    try:
        await start_topup(callback, domain, i18n, user, callback_data.amount, bool(callback_data.then),
                          payment_provider_token, callback_data.payer or None)
    except InvalidInput as exc:
        await callback.answer(i18n.get(exc.message_id, **_money_args(exc.args_, domain, i18n)), show_alert=True)


def _money_args(args: dict, domain: Domain, i18n: I18nContext) -> dict:
    return {key: money(value, domain.ledger.currency, i18n.locale) if key in ("minimum", "maximum") else value
            for key, value in args.items()}


@router.pre_checkout_query()
async def pre_checkout(query: PreCheckoutQuery, domain: Domain, i18n: I18nContext) -> None:
    """Telegram waits at most 10 seconds for this answer: validate and answer, nothing else."""
    try:
        await domain.payments.validate(query.from_user.id, query.invoice_payload, query.currency,
                                       query.total_amount)
    except PaymentRejected as exc:
        await query.answer(ok=False, error_message=i18n.get(exc.message_id))
        return
    await query.answer(ok=True)


@router.message(F.successful_payment)
async def payment_received(message: Message, domain: Domain, i18n: I18nContext, user: Customer) -> None:
    """Credit the balance once per Telegram charge; then finish the checkout the top-up was for."""
    paid = message.successful_payment
    assert paid is not None
    try:
        completion = await domain.payments.complete(
            user.id, paid.invoice_payload, paid.currency, paid.total_amount, paid.telegram_payment_charge_id,
            paid.provider_payment_charge_id)
    except DomainError:
        # Money arrived that matches no invoice of ours: keep a loud trace for staff, never guess.
        log.error("successful_payment not credited: user=%s charge=%s payload=%s", user.id,
                  paid.telegram_payment_charge_id, paid.invoice_payload)
        raise
    if not completion.credited:
        log.info("duplicate successful_payment ignored: charge=%s", paid.telegram_payment_charge_id)
        return
    await domain.notifications.notify(
        user.id, category="finance", key="topup-credited-note", push=False,
        args={"amount": money_arg(completion.payment.amount, completion.payment.currency)},
        dedupe_key=f"topup:{paid.telegram_payment_charge_id}")
    # The credit is committed on its own: whatever happens to the checkout below, the money stays.
    await domain.commit()
    currency = domain.ledger.currency
    balance = await domain.ledger.balance(user.id)
    await message.answer(i18n.get("topup-credited", amount=money(completion.payment.amount, currency, i18n.locale),
                                  balance=money(balance, currency, i18n.locale)))
    if completion.payment.then_checkout:
        await checkout_after_topup(message, domain, i18n, user, completion.payment.payer_id)


async def checkout_after_topup(message: Message, domain: Domain, i18n: I18nContext, user: Customer,
                               payer_id: int | None = None) -> None:
    currency = domain.ledger.currency
    try:
        result = await domain.orders.checkout(user.id)
        await domain.payers.stamp_order(user.id, result.order_id, payer_id)
    except InsufficientFunds as exc:
        await domain.rollback()
        text = i18n.get("checkout-short", total=money(exc.args_["total"], currency, i18n.locale),
                        balance=money(exc.args_["balance"], currency, i18n.locale),
                        shortfall=money(exc.shortfall, currency, i18n.locale))
        await message.answer(text, reply_markup=shortfall_markup(i18n, exc.shortfall, currency))
        return
    except DomainError as exc:
        await domain.rollback()
        await message.answer(i18n.get("checkout-auto-failed", reason=i18n.get(exc.message_id, **exc.args_)),
                             reply_markup=keyboard(nav_row(i18n)))
        return
    await message.answer(paid_text(i18n, result, currency, user.time_zone), reply_markup=paid_markup(i18n))


@router.message(Command("refund"), F.chat.type.in_({"group", "supergroup"}))
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
        payment = await domain.payments.refundable(charge_id)
    except NotFound:
        await message.reply(i18n.get("refund-unknown", charge=charge_id))
        return
    except DomainError as exc:
        args = {k: money(v, domain.ledger.currency, i18n.locale) if isinstance(v, int) else v
                for k, v in exc.args_.items()}
        await message.reply(i18n.get(exc.message_id, **args))
        return
    try:
        await bot.refund_star_payment(user_id=payment.user_id, telegram_payment_charge_id=charge_id)
    except TelegramAPIError as exc:
        await message.reply(i18n.get("refund-telegram-refused", reason=exc.message))
        return
    await domain.payments.record_refund(payment)
    # Told through the outbox: in the customer's own language, and not lost if they cannot be reached now.
    await domain.notifications.notify(payment.user_id, category="finance", key="refund-customer",
                                      args={"amount": money_arg(payment.amount, payment.currency)},
                                      dedupe_key=f"refund:{charge_id}")
    amount = money(payment.amount, payment.currency, i18n.locale)
    await message.reply(i18n.get("refund-done", amount=amount, user=str(payment.user_id)))
