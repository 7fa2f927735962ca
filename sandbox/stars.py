"""Telegram Stars: payments, subscriptions that renew as the sandbox clock passes their expiration, and the
bot's transaction list (getStarTransactions)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sandbox.ids import charge_id
from sandbox.methods.common import publish
from sandbox.models import Message, Payment, Subscription, User
from sandbox.serialize import message_to_api

if TYPE_CHECKING:
    from sandbox.core import Core


def record_payment(core: Core, user: User, chat_id: int, currency: str, total_amount: int, payload: str,
                   subscription: Subscription | None = None, *,
                   first: bool = False) -> tuple[Payment, Message, int | None]:
    """Store a successful payment, post its successful_payment message and queue the update."""
    prefix = "stxt" if currency == "XTR" else "tg_"
    payment = Payment(telegram_payment_charge_id=charge_id(prefix), provider_payment_charge_id=charge_id("prv_"),
                      user_id=user.id, chat_id=chat_id, currency=currency, total_amount=total_amount,
                      invoice_payload=payload, date=core.clock.now(), subscription=subscription)
    core.world.payments[payment.telegram_payment_charge_id] = payment
    success: dict[str, Any] = {"currency": currency, "total_amount": total_amount, "invoice_payload": payload}
    if subscription is not None:
        subscription.charge_ids.append(payment.telegram_payment_charge_id)
        success["subscription_expiration_date"] = subscription.expires_at
        success["is_recurring"] = True
        if first:
            success["is_first_recurring"] = True
    success["telegram_payment_charge_id"] = payment.telegram_payment_charge_id
    success["provider_payment_charge_id"] = payment.provider_payment_charge_id
    if currency == "XTR":
        partner: dict[str, Any] = {"type": "user", "transaction_type": "invoice_payment", "user": user.to_api(),
                                   "invoice_payload": payload}
        if subscription is not None:
            partner["subscription_period"] = subscription.period
        core.world.star_transactions.append({"id": payment.telegram_payment_charge_id, "amount": total_amount,
                                             "date": payment.date, "source": partner})
    chat = core.world.chats[chat_id]
    paid = core.world.new_message(chat, user.id, content={"successful_payment": success})
    publish(core, paid)
    return payment, paid, core.world.push_update("message", message_to_api(core.world, paid))


def record_refund(core: Core, payment: Payment) -> None:
    user = core.world.users[payment.user_id]
    core.world.star_transactions.append({
        "id": payment.telegram_payment_charge_id, "amount": payment.total_amount, "date": core.clock.now(),
        "receiver": {"type": "user", "transaction_type": "invoice_payment", "user": user.to_api(),
                     "invoice_payload": payment.invoice_payload}})


def renew_due(core: Core) -> list[int]:
    """Charge every subscription whose period ended by the sandbox's now, as often as periods ended. A
    cancelled subscription, or one whose charge fails, lapses at its expiration: the bot hears nothing."""
    now = core.clock.now()
    update_ids: list[int] = []
    for subscription in core.world.subscriptions:
        while subscription.renews and subscription.expires_at <= now:
            user = core.world.users.get(subscription.user_id)
            if user is None or user.fail_next_charge:
                if user is not None:
                    user.fail_next_charge = False
                subscription.lapsed = True
                break
            subscription.expires_at += subscription.period
            *_, update_id = record_payment(core, user, subscription.chat_id, "XTR", subscription.amount,
                                           subscription.invoice_payload, subscription)
            if update_id is not None:
                update_ids.append(update_id)
        if not subscription.renews and not subscription.lapsed and subscription.expires_at <= now:
            subscription.lapsed = True
    return update_ids


def subscription_of(core: Core, user_id: int, telegram_payment_charge_id: str) -> Subscription | None:
    payment = core.world.payments.get(telegram_payment_charge_id)
    if payment is None or payment.user_id != user_id:
        return None
    return payment.subscription
