"""Telegram Stars subscriptions: a subscription invoice link paid, renewed as the sandbox clock passes its
expiration, cancelled by the bot or the user, failing for lack of Stars; getStarTransactions; refunds."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from sandbox import Sandbox
from tests.sandbox.http import BotHttp, Control

MONTH = 2592000
LINK = {"title": "Pro", "description": "Pro plan, monthly", "payload": "pro-monthly", "currency": "XTR",
        "prices": [{"label": "Pro", "amount": 250}], "subscription_period": MONTH}


async def next_update(tg: BotHttp, kind: str) -> dict[str, Any]:
    for _ in range(50):
        for update in await tg.updates(within=0.1):
            if kind in update or kind in update.get("message", {}):
                return update
    raise AssertionError(f"no {kind} update")


async def subscribe(tg: BotHttp, ctl: Control, user_id: int, link: str) -> tuple[dict[str, Any], dict[str, Any]]:
    paying = asyncio.create_task(ctl.call("POST", f"/users/{user_id}/pay", {"link": link}))
    query = (await next_update(tg, "pre_checkout_query"))["pre_checkout_query"]
    assert (query["invoice_payload"], query["currency"], query["total_amount"]) == ("pro-monthly", "XTR", 250)
    assert await tg.call("answerPreCheckoutQuery", pre_checkout_query_id=query["id"], ok=True)
    result = await paying
    payment = (await next_update(tg, "successful_payment"))["message"]
    assert payment["chat"]["id"] == user_id and result["status"] == "paid"
    return result, payment["successful_payment"]


async def renewals(tg: BotHttp) -> list[dict[str, Any]]:
    return [u["message"]["successful_payment"] for u in await tg.updates(within=0.2)
            if "successful_payment" in u.get("message", {})]


@pytest.fixture
async def customers(ctl: Control) -> None:
    await ctl.call("POST", "/users", {"id": 1001, "first_name": "Ann"})
    await ctl.call("POST", "/users", {"id": 1002, "first_name": "Bob"})


@pytest.mark.parametrize(("fields", "description"), [
    ({"subscription_period": 86400}, "SUBSCRIPTION_PERIOD_INVALID"),
    ({"currency": "EUR", "provider_token": "284685063:TEST:abc"}, "CURRENCY_INVALID"),
    ({"prices": [{"label": "Pro", "amount": 10001}]}, "STARS_INVOICE_INVALID"),
])
async def test_subscription_links_are_checked(tg: BotHttp, fields: dict[str, Any], description: str) -> None:
    assert await tg.error("createInvoiceLink", **{**LINK, **fields}) == f"Bad Request: {description}"


async def test_subscription_paid_renewed_cancelled(sb: Sandbox, tg: BotHttp, ctl: Control, customers: None) -> None:
    assert await tg.call("createInvoiceLink", **{**LINK, "prices": [{"label": "Pro", "amount": 10000}]})
    link = await tg.call("createInvoiceLink", **LINK)
    result, first = await subscribe(tg, ctl, 1001, link)
    charge = result["telegram_payment_charge_id"]
    assert first["telegram_payment_charge_id"] == charge and first["is_recurring"] is True
    assert first["is_first_recurring"] is True
    assert abs(first["subscription_expiration_date"] - (sb.now() + MONTH)) < 5

    moved = await ctl.call("POST", "/clock", {"days": 29})
    assert moved["update_ids"] == [] and await renewals(tg) == []
    moved = await ctl.call("POST", "/clock", {"days": 1, "seconds": 1})
    assert len(moved["update_ids"]) == 1
    (second,) = await renewals(tg)
    assert second["is_recurring"] is True and "is_first_recurring" not in second
    assert second["telegram_payment_charge_id"] not in (charge, "")
    assert second["subscription_expiration_date"] == first["subscription_expiration_date"] + MONTH
    assert (second["total_amount"], second["invoice_payload"]) == (250, "pro-monthly")

    # A jump over two periods charges twice.
    await ctl.call("POST", "/clock", {"days": 60})
    assert [p["subscription_expiration_date"] for p in await renewals(tg)] == [
        first["subscription_expiration_date"] + 2 * MONTH, first["subscription_expiration_date"] + 3 * MONTH]

    # The bot cancels the renewal and allows it again; then cancels for good: nothing is charged, it lapses.
    assert await tg.call("editUserStarSubscription", user_id=1001, telegram_payment_charge_id=charge,
                         is_canceled=True)
    assert await tg.call("editUserStarSubscription", user_id=1001,
                         telegram_payment_charge_id=second["telegram_payment_charge_id"], is_canceled=False)
    await ctl.call("POST", "/clock", {"days": 30})
    assert len(await renewals(tg)) == 1
    assert await tg.call("editUserStarSubscription", user_id=1001, telegram_payment_charge_id=charge,
                         is_canceled=True)
    await ctl.call("POST", "/clock", {"days": 30})
    assert await renewals(tg) == []
    (state,) = (await ctl.call("GET", "/subscriptions?user_id=1001"))["subscriptions"]
    assert state["lapsed"] and state["canceled_by_bot"] and not state["renews"] and len(state["charge_ids"]) == 5

    for params, description in [
        ({"user_id": 1001, "telegram_payment_charge_id": "stxtnope"}, "CHARGE_ID_INVALID"),
        ({"user_id": 1002, "telegram_payment_charge_id": charge}, "CHARGE_ID_INVALID"),
        ({"user_id": 4242, "telegram_payment_charge_id": charge}, "user not found"),
    ]:
        assert await tg.error("editUserStarSubscription", is_canceled=True, **params) == f"Bad Request: {description}"


async def test_a_failed_charge_lapses_silently(sb: Sandbox, tg: BotHttp, ctl: Control, customers: None) -> None:
    link = await tg.call("createInvoiceLink", **LINK)
    ann_charge = (await subscribe(tg, ctl, 1001, link))[0]["telegram_payment_charge_id"]
    await subscribe(tg, ctl, 1002, link)
    await ctl.call("POST", "/users/1002/fail_next_charge")
    await ctl.call("POST", "/clock", {"days": 31})
    assert [p["telegram_payment_charge_id"] != ann_charge for p in await renewals(tg)] == [True]  # Ann's only
    await ctl.call("POST", "/clock", {"days": 30})
    assert len(await renewals(tg)) == 1  # Bob's subscription is over; his next charge would succeed
    bob = sb.user_driver(1002)
    assert bob.subscriptions[0].lapsed and not bob.user.fail_next_charge

    # The user cancels in their own settings: not renewed, and the bot is not told.
    ann = sb.user_driver(1001)
    ann.cancel_subscription(ann_charge)
    await sb.move_clock(days=30)
    assert await renewals(tg) == [] and ann.subscriptions[0].lapsed


async def test_star_transactions_and_refunds(sb: Sandbox, tg: BotHttp, ctl: Control, customers: None) -> None:
    link = await tg.call("createInvoiceLink", **LINK)
    first = (await subscribe(tg, ctl, 1001, link))[0]["telegram_payment_charge_id"]
    move = await sb.move_clock(days=30, wait=False)
    (renewal,) = await renewals(tg)
    assert len(move.update_ids) == 1
    assert await tg.call("refundStarPayment", user_id=1001, telegram_payment_charge_id=renewal[
        "telegram_payment_charge_id"])
    refund = (await next_update(tg, "refunded_payment"))["message"]["refunded_payment"]
    assert refund["telegram_payment_charge_id"] == renewal["telegram_payment_charge_id"]

    transactions = (await tg.call("getStarTransactions"))["transactions"]
    assert [t["id"] for t in transactions] == [first, renewal["telegram_payment_charge_id"],
                                               renewal["telegram_payment_charge_id"]]
    assert [t["amount"] for t in transactions] == [250, 250, 250]
    assert transactions[0]["source"] == {"type": "user", "transaction_type": "invoice_payment",
                                         "user": {"id": 1001, "is_bot": False, "first_name": "Ann"},
                                         "invoice_payload": "pro-monthly", "subscription_period": MONTH}
    assert "receiver" in transactions[2] and "source" not in transactions[2]
    assert transactions[1]["date"] - transactions[0]["date"] >= MONTH - 5
    assert (await tg.call("getStarTransactions", offset=1, limit=1))["transactions"] == transactions[1:2]


async def test_a_one_off_link_is_paid_once(sb: Sandbox, tg: BotHttp, ctl: Control, customers: None) -> None:
    link = await tg.call("createInvoiceLink", **{key: value for key, value in LINK.items()
                                                 if key != "subscription_period"})
    _, payment = await subscribe(tg, ctl, 1001, link)
    assert "is_recurring" not in payment and "subscription_expiration_date" not in payment
    await sb.move_clock(days=31, wait=False)
    assert await renewals(tg) == []
    assert "no invoice link" in (await ctl.call("POST", "/users/1001/pay", {"link": "https://t.me/$nope"},
                                                status=400))["error"]
