"""The Python driver: pressing, reply keyboards, errors that explain themselves, listeners and reset."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from aiogram import Bot, Dispatcher, F
from aiogram.types import KeyboardButton, Message, ReplyKeyboardMarkup, ReplyKeyboardRemove

from sandbox import Sandbox, SandboxError
from tests.sandbox.conftest import StartPolling


def contact_bot() -> Dispatcher:
    dp = Dispatcher()

    @dp.message(F.text == "/phone")
    async def ask(message: Message) -> None:
        keyboard = ReplyKeyboardMarkup(keyboard=[[KeyboardButton(text="Share", request_contact=True)],
                                                 [KeyboardButton(text="Where am I", request_location=True)],
                                                 [KeyboardButton(text="Later")]], one_time_keyboard=True)
        await message.answer("Your phone?", reply_markup=keyboard)

    @dp.message(F.contact)
    async def got_contact(message: Message) -> None:
        assert message.contact is not None
        await message.answer(f"Thanks, {message.contact.phone_number}", reply_markup=ReplyKeyboardRemove())

    @dp.message(F.location)
    async def got_location(message: Message) -> None:
        await message.answer("Located")

    @dp.message(F.text == "Later")
    async def later(message: Message) -> None:
        await message.answer("OK, later")

    return dp


async def test_reply_keyboard_buttons(sb: Sandbox, start_polling: StartPolling) -> None:
    await start_polling(contact_bot())
    ann = await sb.user(id=1001, first_name="Ann")
    await ann.send("/phone")
    assert ann.reply_keyboard is not None and ann.reply_keyboard[0][0].request_contact
    ann.phone_number = "+37120000000"
    await ann.press("Share")
    assert ann.screen is not None and ann.screen.text == "Thanks, +37120000000"
    assert ann.reply_keyboard is None
    await ann.send("/phone")
    await ann.press("Where am I")
    assert ann.screen.text == "Located"
    await ann.send("/phone")
    await ann.press("Later")
    assert ann.screen.text == "OK, later"


async def test_press_explains_missing_buttons(sb: Sandbox, bot: Bot) -> None:
    from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

    ann = await sb.user(id=1001, first_name="Ann")
    markup = InlineKeyboardMarkup(inline_keyboard=[[InlineKeyboardButton(text="Yes", callback_data="y"),
                                                    InlineKeyboardButton(text="Docs", url="https://example.com")]])
    await bot.send_message(1001, "Sure?", reply_markup=markup)
    with pytest.raises(SandboxError, match=r"no button 'Maybe'.*\['Yes', 'Docs'\]"):
        await ann.press("Maybe")
    with pytest.raises(SandboxError, match="only callback buttons"):
        await ann.press("Docs")
    update_id = await ann.press("Yes", wait=False)
    updates = await bot.get_updates()
    assert updates[-1].update_id == update_id and updates[-1].callback_query is not None
    assert updates[-1].callback_query.data == "y"


async def test_pressing_a_stale_callback(sb: Sandbox, bot: Bot) -> None:
    ann = await sb.user(id=1001, first_name="Ann")
    await bot.send_message(1001, "No buttons any more")
    assert ann.screen is not None
    await ann.press(callback_data="old:1", message=ann.screen, wait=False)
    updates = await bot.get_updates()
    assert updates[-1].callback_query is not None and updates[-1].callback_query.data == "old:1"


async def test_blocked_user_cannot_write(sb: Sandbox) -> None:
    ann = await sb.user(id=1001, first_name="Ann")
    await ann.block(wait=False)
    with pytest.raises(SandboxError, match="blocked the bot"):
        await ann.send("hi", wait=False)


async def test_listeners_see_every_change(sb: Sandbox, bot: Bot) -> None:
    events: list[dict[str, Any]] = []
    sb.world.add_listener(events.append)
    ann = await sb.user(id=1001, first_name="Ann")
    await ann.send("hi", wait=False)
    message = await bot.send_message(1001, "hello")
    await bot.edit_message_text("hello!", chat_id=1001, message_id=message.message_id)
    await bot.delete_message(1001, message.message_id)
    sb.world.remove_listener(events.append)
    await bot.send_message(1001, "unseen")
    assert [e["type"] for e in events] == ["user", "message", "message", "edit", "delete"]
    assert all(e["chat_id"] == 1001 for e in events)
    assert events[3]["message"]["text"] == "hello!"


async def test_reset_keeps_update_numbering(sb: Sandbox, bot: Bot) -> None:
    ann = await sb.user(id=1001, first_name="Ann")
    first = await ann.send("before", wait=False)
    await sb.reset()
    assert sb.world.users == {} and sb.requests == []
    ann = await sb.user(id=1001, first_name="Ann")
    second = await ann.send("after", wait=False)
    assert second.update_id is not None and first.update_id is not None and second.update_id > first.update_id
    assert [u.message.text for u in await bot.get_updates() if u.message] == ["after"]


async def test_settle_waits_for_quiet(sb: Sandbox, bot: Bot) -> None:
    await sb.settle(timeout=1)
    await bot.get_me()
    await sb.settle(timeout=1)


async def test_start_stop_without_context_manager() -> None:
    sb = Sandbox()
    await sb.start()
    try:
        assert sb.port != 0 and sb.url.startswith("http://127.0.0.1:")
        head, _, tail = sb.token.partition(":")
        assert head.isdigit() and len(tail) == 35 and sb.bot.id == int(head)
    finally:
        await sb.stop()


def test_malformed_token_is_refused() -> None:
    with pytest.raises(ValueError, match="malformed bot token"):
        Sandbox(token="nope")


async def test_updates_outside_allowed_updates_are_dropped(sb: Sandbox, bot: Bot) -> None:
    ann = await sb.user(id=1001, first_name="Ann")
    await bot.get_updates(allowed_updates=["message"])
    await ann.block(timeout=1)
    await ann.unblock(timeout=1)
    from aiogram.types import LabeledPrice

    await bot.send_invoice(1001, title="Pro", description="Year", payload="p", currency="XTR",
                           prices=[LabeledPrice(label="Pro", amount=1)])
    assert (await ann.pay(timeout=1)).status == "timeout"
    sent = await ann.send("hi", wait=False)
    updates = await bot.get_updates()
    assert [u.update_id for u in updates] == [sent.update_id]


async def test_wait_outlasts_a_slow_start_but_not_a_silent_bot(sb: Sandbox, start_polling: StartPolling) -> None:
    """A handler that thinks longer than the settle time before its first call is still waited for;
    a bot that never answers ends the wait after the response grace."""
    dp = Dispatcher()

    @dp.message(F.text == "slow")
    async def slow(message: Message) -> None:
        await asyncio.sleep(0.4)  # longer than settle (0.05 s here), shorter than the grace
        await message.answer("finally")

    @dp.message()
    async def ignore(message: Message) -> None:
        """Says nothing."""

    await start_polling(dp)
    ann = await sb.user(id=1001, first_name="Ann")
    await ann.send("slow")
    assert ann.screen is not None and ann.screen.text == "finally"

    started = asyncio.get_running_loop().time()
    await ann.send("anything")
    waited = asyncio.get_running_loop().time() - started
    assert sb.config.response_grace <= waited < sb.config.response_grace + 2


async def test_a_bot_that_reports_its_handling_is_waited_for_exactly(sb: Sandbox,
                                                                     start_polling: StartPolling) -> None:
    """With handling reported, a wait lasts as long as the handler, however long it is silent after its first
    call, and a handler that says nothing at all is not given the response grace."""
    dp = Dispatcher()

    @dp.update.outer_middleware()
    async def report(handler: Any, event: Any, data: dict[str, Any]) -> Any:
        sb.handling_started()
        try:
            return await handler(event, data)
        finally:
            sb.handling_finished(event.update_id)

    @dp.message(F.text == "think")
    async def think(message: Message) -> None:
        await message.answer("thinking…")
        await asyncio.sleep(0.5)  # silent ten times the settle time after a first call
        await message.answer("done")

    @dp.message()
    async def ignore(message: Message) -> None:
        """Says nothing."""

    await start_polling(dp)
    ann = await sb.user(id=1001, first_name="Ann")
    await ann.send("think")
    assert ann.screen is not None and ann.screen.text == "done"

    # A grace longer than the wait's timeout: guessing, this wait would time out; knowing, it ends.
    sb.config.response_grace = 60.0
    await ann.send("anything", timeout=5)
