"""Invoices, pre-checkout answers and Telegram Stars refunds."""

from __future__ import annotations

import secrets
import time
from typing import TYPE_CHECKING, Any

from sandbox import stars
from sandbox.errors import bad_request
from sandbox.methods.callbacks import QUERY_INVALID
from sandbox.methods.common import api, new_bot_message, publish, target_chat
from sandbox.methods.registry import method
from sandbox.params import Params
from sandbox.serialize import message_to_api

if TYPE_CHECKING:
    from sandbox.core import Core

CURRENCIES = frozenset(
    {
        "XTR", "USD", "EUR", "GBP", "RUB", "UAH", "KZT", "BYN", "UZS", "TRY", "INR", "BRL", "CAD", "AUD", "CHF", "CNY",
        "JPY", "PLN", "CZK", "SEK", "NOK", "DKK", "HUF", "RON", "BGN", "ILS", "AED", "SAR", "EGP", "IDR", "MYR", "PHP",
        "SGD", "THB", "VND", "KRW", "HKD", "TWD", "MXN", "ARS", "CLP", "COP", "PEN", "ZAR", "NGN", "KES", "GEL", "AMD",
        "AZN", "MDL",
    }
)


def validate_invoice(p: Params) -> dict[str, Any]:
    """Check the invoice fields like Telegram; returns the stored invoice description."""
    title, description = p.str("title") or "", p.str("description") or ""
    payload, provider_token = p.str("payload") or "", p.str("provider_token") or ""
    currency = (p.str("currency") or "").upper()
    if not 1 <= len(title) <= 32:
        raise bad_request("INVOICE_TITLE_INVALID")
    if not 1 <= len(description) <= 255:
        raise bad_request("INVOICE_DESCRIPTION_INVALID")
    if not 1 <= len(payload.encode()) <= 128:
        raise bad_request("INVOICE_PAYLOAD_INVALID")
    if currency not in CURRENCIES:
        raise bad_request("CURRENCY_INVALID")
    prices = p.json("prices")
    if not isinstance(prices, list) or not prices:
        raise bad_request("can't parse prices JSON object")
    for price in prices:
        if not isinstance(price, dict) or not isinstance(price.get("label"), str) or not isinstance(
            price.get("amount"), int
        ):
            raise bad_request("can't parse LabeledPrice: Field \"amount\" must be of type Number")
    if currency == "XTR":
        if provider_token:
            raise bad_request("PAYMENT_PROVIDER_INVALID")
        if len(prices) != 1:
            raise bad_request("STARS_INVOICE_INVALID")
    elif not provider_token:
        raise bad_request("PAYMENT_PROVIDER_INVALID")
    total = sum(price["amount"] for price in prices)
    if total <= 0:
        raise bad_request("CURRENCY_TOTAL_AMOUNT_INVALID")
    return {"title": title, "description": description, "payload": payload, "currency": currency,
            "total_amount": total, "prices": prices, "start_parameter": p.str("start_parameter") or ""}


@method("sendInvoice")
def send_invoice(core: Core, p: Params) -> dict[str, Any]:
    chat = target_chat(core, p)
    invoice = validate_invoice(p)
    content = {"invoice": {"title": invoice["title"], "description": invoice["description"],
                           "start_parameter": invoice["start_parameter"], "currency": invoice["currency"],
                           "total_amount": invoice["total_amount"]}}
    message = new_bot_message(core, chat, p, content=content, invoice_payload=invoice["payload"],
                              invoice_prices=invoice["prices"])
    return api(core, message)


SUBSCRIPTION_PERIOD = 30 * 24 * 3600
MAX_SUBSCRIPTION_PRICE = 10000


@method("createInvoiceLink")
def create_invoice_link(core: Core, p: Params) -> str:
    invoice = validate_invoice(p)
    period = p.int("subscription_period") or 0
    if period:
        # Telegram documents the rules, not its error texts: these are the sandbox's choice of its vocabulary.
        if period != SUBSCRIPTION_PERIOD:
            raise bad_request("SUBSCRIPTION_PERIOD_INVALID")
        if invoice["currency"] != "XTR":
            raise bad_request("CURRENCY_INVALID")
        if invoice["total_amount"] > MAX_SUBSCRIPTION_PRICE:
            raise bad_request("STARS_INVOICE_INVALID")
        invoice["subscription_period"] = period
    slug = secrets.token_urlsafe(12)
    core.world.invoice_links[slug] = invoice
    return f"https://t.me/$${slug}"


@method("answerPreCheckoutQuery")
def answer_pre_checkout_query(core: Core, p: Params) -> bool:
    query = core.world.pre_checkout_queries.get(p.str("pre_checkout_query_id") or "")
    if query is None or query.answer is not None or query.expired:
        raise bad_request(QUERY_INVALID)
    if time.monotonic() - query.created > core.config.pre_checkout_timeout:
        query.expired = True
        query.answered.set()
        raise bad_request(QUERY_INVALID)
    ok = p.bool("ok")
    error_message = p.str("error_message")
    if not ok and not error_message:
        raise bad_request("ERROR_MESSAGE_EMPTY")
    query.answer = {"ok": ok, "error_message": error_message}
    query.answered.set()
    return True


@method("refundStarPayment")
def refund_star_payment(core: Core, p: Params) -> bool:
    user_id = p.int("user_id", required=True)
    payment = core.world.payments.get(p.str("telegram_payment_charge_id") or "")
    if payment is None or payment.user_id != user_id or payment.currency != "XTR":
        raise bad_request("CHARGE_ID_INVALID")
    if payment.refunded:
        raise bad_request("CHARGE_ALREADY_REFUNDED")
    payment.refunded = True
    stars.record_refund(core, payment)
    chat = core.world.chats[payment.chat_id]
    refund = {"currency": "XTR", "total_amount": payment.total_amount, "invoice_payload": payment.invoice_payload,
              "telegram_payment_charge_id": payment.telegram_payment_charge_id}
    message = core.world.new_message(chat, payment.user_id, content={"refunded_payment": refund})
    publish(core, message)
    core.world.push_update("message", message_to_api(core.world, message))
    return True


@method("editUserStarSubscription")
def edit_user_star_subscription(core: Core, p: Params) -> bool:
    """Cancel a subscription's renewal (it stays active to the end of the period) or allow it again."""
    user_id = p.int("user_id", required=True)
    assert user_id is not None
    core.world.user(user_id)
    if not p.has("telegram_payment_charge_id"):
        raise bad_request("telegram_payment_charge_id is empty")
    subscription = stars.subscription_of(core, user_id, p.str("telegram_payment_charge_id") or "")
    if subscription is None:
        raise bad_request("CHARGE_ID_INVALID")
    if not p.has("is_canceled"):
        raise bad_request("is_canceled is empty")
    subscription.canceled_by_bot = p.bool("is_canceled")
    return True


@method("getStarTransactions")
def get_star_transactions(core: Core, p: Params) -> dict[str, Any]:
    offset = max(p.int("offset") or 0, 0)
    limit = min(max(p.int("limit") or 100, 1), 100)
    return {"transactions": [dict(t) for t in core.world.star_transactions[offset:offset + limit]]}
