"""Invoices, pre-checkout, successful payments and Stars refunds."""

from __future__ import annotations

import asyncio

import pytest
from aiogram import Bot, Dispatcher, F
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import LabeledPrice, Message, PreCheckoutQuery

from sandbox import Sandbox
from tests.sandbox.conftest import StartPolling

STARS = [LabeledPrice(label="Licence", amount=50)]
late_answers: list[Exception] = []
paid: list[Message] = []


def payment_bot() -> Dispatcher:
    dp = Dispatcher()

    @dp.pre_checkout_query()
    async def check(query: PreCheckoutQuery) -> None:
        if query.invoice_payload == "slow":
            await asyncio.sleep(1.2)
            try:
                await query.answer(ok=True)
            except TelegramBadRequest as error:
                late_answers.append(error)
            return
        if query.invoice_payload == "sold-out":
            await query.answer(ok=False, error_message="Sold out")
            return
        await query.answer(ok=True)

    @dp.message(F.successful_payment)
    async def thanks(message: Message) -> None:
        paid.append(message)
        await message.answer("Thank you!")

    return dp


async def invoice(bot: Bot, payload: str) -> Message:
    return await bot.send_invoice(1001, title="Pro licence", description="One year", payload=payload,
                                  currency="XTR", prices=STARS)


async def test_paid(sb: Sandbox, bot: Bot, start_polling: StartPolling) -> None:
    await start_polling(payment_bot())
    ann = await sb.user(id=1001, first_name="Ann")
    message = await invoice(bot, "order-1")
    assert message.invoice is not None and message.invoice.total_amount == 50
    assert ann.screen is not None and ann.screen.invoice == message.invoice.model_dump(exclude_none=True)

    result = await ann.pay()
    assert result.status == "paid" and result.telegram_payment_charge_id
    assert ann.screen.text == "Thank you!"
    success = paid[-1].successful_payment
    assert success is not None and success.invoice_payload == "order-1" and success.currency == "XTR"
    assert success.telegram_payment_charge_id == result.telegram_payment_charge_id

    assert await bot.refund_star_payment(1001, result.telegram_payment_charge_id)
    assert "refunded_payment" in ann.messages[-1].content
    with pytest.raises(TelegramBadRequest, match="Bad Request: CHARGE_ALREADY_REFUNDED"):
        await bot.refund_star_payment(1001, result.telegram_payment_charge_id)
    with pytest.raises(TelegramBadRequest, match="Bad Request: CHARGE_ID_INVALID"):
        await bot.refund_star_payment(1001, "no-such-charge")


async def test_declined(sb: Sandbox, bot: Bot, start_polling: StartPolling) -> None:
    await start_polling(payment_bot())
    ann = await sb.user(id=1001, first_name="Ann")
    await invoice(bot, "sold-out")
    result = await ann.pay()
    assert (result.status, result.error_message) == ("declined", "Sold out")
    assert all("successful_payment" not in m.content for m in ann.messages)


async def test_timeout(sb: Sandbox, bot: Bot, start_polling: StartPolling) -> None:
    await start_polling(payment_bot())
    ann = await sb.user(id=1001, first_name="Ann")
    await invoice(bot, "slow")
    result = await ann.pay()
    assert result.status == "timeout"
    await asyncio.sleep(0.4)
    assert str(late_answers[-1]).endswith(
        "Bad Request: query is too old and response timeout expired or query ID is invalid")
    assert all("successful_payment" not in m.content for m in ann.messages)


@pytest.mark.parametrize(("fields", "description"), [
    ({"title": ""}, "INVOICE_TITLE_INVALID"),
    ({"title": "t" * 33}, "INVOICE_TITLE_INVALID"),
    ({"description": "d" * 256}, "INVOICE_DESCRIPTION_INVALID"),
    ({"payload": "p" * 129}, "INVOICE_PAYLOAD_INVALID"),
    ({"provider_token": "tok"}, "PAYMENT_PROVIDER_INVALID"),
    ({"prices": STARS * 2}, "STARS_INVOICE_INVALID"),
    ({"currency": "EUR"}, "PAYMENT_PROVIDER_INVALID"),
    ({"currency": "ZZZ"}, "CURRENCY_INVALID"),
])
async def test_invoice_validation(sb: Sandbox, bot: Bot, fields: dict[str, object], description: str) -> None:
    await sb.user(id=1001, first_name="Ann")
    params: dict[str, object] = {"title": "Pro", "description": "One year", "payload": "p", "currency": "XTR",
                                 "prices": STARS, **fields}
    with pytest.raises(TelegramBadRequest) as caught:
        await bot.send_invoice(1001, **params)  # type: ignore[arg-type]
    assert caught.value.message == f"Bad Request: {description}"


async def test_card_invoice_and_link(sb: Sandbox, bot: Bot) -> None:
    await sb.user(id=1001, first_name="Ann")
    prices = [LabeledPrice(label="Licence", amount=1000), LabeledPrice(label="VAT", amount=210)]
    message = await bot.send_invoice(1001, title="Pro", description="One year", payload="p", currency="EUR",
                                     prices=prices, provider_token="284685063:TEST:abc")
    assert message.invoice is not None and message.invoice.total_amount == 1210
    link = await bot.create_invoice_link(title="Pro", description="One year", payload="p", currency="XTR",
                                         prices=STARS)
    assert link.startswith("https://t.me/$")


async def test_answer_unknown_pre_checkout_query(sb: Sandbox, bot: Bot) -> None:
    with pytest.raises(TelegramBadRequest, match="query is too old"):
        await bot.answer_pre_checkout_query("12345", ok=True)


async def test_driver_pays_a_subscription_link_and_the_clock_renews_it(sb: Sandbox, bot: Bot,
                                                                      start_polling: StartPolling) -> None:
    await start_polling(payment_bot())
    ann = await sb.user(id=1001, first_name="Ann")
    link = await bot.create_invoice_link(title="Pro", description="Monthly", payload="pro-monthly", currency="XTR",
                                         prices=STARS, subscription_period=2592000)
    result = await ann.pay_link(link)
    first = paid[-1].successful_payment
    assert result.status == "paid" and first is not None and first.is_first_recurring
    assert ann.subscriptions[0].renews and ann.screen is not None and ann.screen.text == "Thank you!"

    move = await sb.move_clock(days=30)  # waits until the bot has handled the renewal
    renewal = paid[-1].successful_payment
    assert len(move.update_ids) == 1 and renewal is not None and renewal.is_recurring
    assert not renewal.is_first_recurring and renewal.telegram_payment_charge_id != result.telegram_payment_charge_id
    assert len([m for m in ann.bot_messages if m.text == "Thank you!"]) == 2
