"""A plain aiogram bot talks to the sandbox through real polling and through a real webhook."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from aiogram import Bot, Dispatcher, F, Router
from aiogram.filters import CommandStart
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.webhook.aiohttp_server import SimpleRequestHandler
from aiohttp import web

from sandbox import Sandbox
from tests.sandbox.conftest import StartPolling

MENU = InlineKeyboardMarkup(inline_keyboard=[[InlineKeyboardButton(text="Licences", callback_data="lic")]])


def make_router() -> Router:
    router = Router()

    @router.message(CommandStart())
    async def start(message: Message) -> None:
        assert message.from_user is not None
        await message.answer(f"<b>Hello</b>, {message.from_user.first_name}!", parse_mode="HTML", reply_markup=MENU)

    @router.callback_query(F.data == "lic")
    async def licences(query: CallbackQuery) -> None:
        assert isinstance(query.message, Message)
        await query.message.edit_text("Your licences: <i>none</i>", parse_mode="HTML")
        await query.answer("Loaded", show_alert=True)

    @router.message(F.text)
    async def echo(message: Message) -> None:
        await message.reply(message.text or "")

    return router


async def test_polling_round_trip(sb: Sandbox, start_polling: StartPolling) -> None:
    dp = Dispatcher()
    dp.include_router(make_router())
    await start_polling(dp)
    ann = await sb.user(id=1001, first_name="Ann", username="ann", language_code="en")

    sent = await ann.send("/start")
    assert sent.update_id is not None and sent.text == "/start"
    assert ann.screen is not None
    assert ann.screen.text == "Hello, Ann!"
    assert ann.screen.html == "<b>Hello</b>, Ann!"
    assert ann.screen.entities == [{"type": "bold", "offset": 0, "length": 5}]
    assert ann.screen.button_texts == ["Licences"]
    assert ann.screen.buttons[0][0].callback_data == "lic"

    menu_id = ann.screen.message_id
    await ann.press("Licences")
    assert ann.screen.message_id == menu_id
    assert ann.screen.text == "Your licences: none"
    assert ann.screen.buttons == []
    assert ann.screen.history[0]["text"] == "Hello, Ann!"
    assert ann.last_callback_answer is not None
    assert (ann.last_callback_answer.text, ann.last_callback_answer.show_alert) == ("Loaded", True)

    await ann.send("ping")
    assert ann.screen.text == "ping" and ann.screen.reply_to_message_id == ann.messages[-2].message_id
    assert [m.from_bot for m in ann.messages] == [False, True, False, True]
    assert sb.method_counts["sendMessage"] == 2 and sb.method_counts["editMessageText"] == 1


async def test_updates_are_confirmed_by_offset(sb: Sandbox, bot: Bot) -> None:
    ann = await sb.user(id=1001, first_name="Ann")
    await ann.send("one", wait=False)
    await ann.send("two", wait=False)
    first = await bot.get_updates(timeout=0)
    assert [u.message.text for u in first if u.message] == ["one", "two"]
    again = await bot.get_updates(offset=first[0].update_id + 1)
    assert [u.message.text for u in again if u.message] == ["two"]
    assert await bot.get_updates(offset=first[-1].update_id + 1) == []


async def test_long_polling_returns_when_an_update_arrives(sb: Sandbox, bot: Bot) -> None:
    ann = await sb.user(id=1001, first_name="Ann")
    poll = asyncio.create_task(bot.get_updates(timeout=5))
    await asyncio.sleep(0.1)
    assert not poll.done()
    await ann.send("hi", wait=False)
    updates = await asyncio.wait_for(poll, 2)
    assert updates[0].message is not None and updates[0].message.text == "hi"


async def test_allowed_updates_filter(sb: Sandbox, bot: Bot) -> None:
    ann = await sb.user(id=1001, first_name="Ann")
    await bot.get_updates(allowed_updates=["callback_query"])
    await ann.send("ignored", wait=False)
    assert await bot.get_updates(timeout=0) == []


async def test_wait_timeout_names_the_update(sb: Sandbox) -> None:
    ann = await sb.user(id=1001, first_name="Ann")
    with pytest.raises(TimeoutError, match=r"did not take message \d+"):
        await ann.send("nobody polls", timeout=0.2)


class WebhookBot:
    def __init__(self, secret: str) -> None:
        self.secret = secret
        self.runner: web.AppRunner | None = None
        self.url = ""

    async def start(self, bot: Bot, dp: Dispatcher) -> None:
        app = web.Application()
        SimpleRequestHandler(dp, bot, secret_token=self.secret).register(app, path="/hook")
        self.runner = web.AppRunner(app)
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        port = self.runner.addresses[0][1]
        self.url = f"http://127.0.0.1:{port}/hook"

    async def stop(self) -> None:
        if self.runner is not None:
            await self.runner.cleanup()


@pytest.fixture
async def webhook_bot(bot: Bot) -> AsyncIterator[WebhookBot]:
    dp = Dispatcher()
    dp.include_router(make_router())
    server = WebhookBot(secret="s3cret-token")
    await server.start(bot, dp)
    yield server
    await server.stop()


async def test_webhook_round_trip(sb: Sandbox, bot: Bot, webhook_bot: WebhookBot) -> None:
    assert await bot.set_webhook(webhook_bot.url, secret_token="s3cret-token")
    info = await bot.get_webhook_info()
    assert info.url == webhook_bot.url and info.pending_update_count == 0

    ann = await sb.user(id=1001, first_name="Ann")
    await ann.send("/start")
    assert ann.screen is not None and ann.screen.text == "Hello, Ann!"
    await ann.press("Licences")
    assert ann.screen.text == "Your licences: none"
    assert ann.last_callback_answer is not None and ann.last_callback_answer.text == "Loaded"
    assert sb.calls("getUpdates") == []


async def test_webhook_with_wrong_secret_is_retried(sb: Sandbox, bot: Bot, webhook_bot: WebhookBot) -> None:
    sb.config.webhook_retry_delays = (0.05,)
    await bot.set_webhook(webhook_bot.url, secret_token="wrong-secret")
    ann = await sb.user(id=1001, first_name="Ann")
    sent = await ann.send("/start", wait=False)
    await asyncio.sleep(0.4)
    info = await bot.get_webhook_info()
    assert info.last_error_message == "Wrong response from the webhook: 401 Unauthorized"
    assert info.last_error_date is not None and info.pending_update_count == 1
    assert len(sb.core.webhook.state.deliveries) >= 3

    await bot.set_webhook(webhook_bot.url, secret_token="s3cret-token")
    await sb.wait(sent)
    assert ann.screen is not None and ann.screen.text == "Hello, Ann!"
    assert (await bot.get_webhook_info()).pending_update_count == 0


async def test_webhook_reply_can_be_a_method_call(sb: Sandbox, bot: Bot) -> None:
    dp = Dispatcher()

    @dp.message(F.text)
    async def answer_in_reply(message: Message) -> object:
        return message.answer(f"echo: {message.text}")

    handler = SimpleRequestHandler(dp, bot, handle_in_background=False)
    server = WebhookBot(secret="")
    app = web.Application()
    handler.register(app, path="/hook")
    server.runner = web.AppRunner(app)
    await server.runner.setup()
    await web.TCPSite(server.runner, "127.0.0.1", 0).start()
    try:
        await bot.set_webhook(f"http://127.0.0.1:{server.runner.addresses[0][1]}/hook")
        ann = await sb.user(id=1001, first_name="Ann")
        await ann.send("hi")
        assert ann.screen is not None and ann.screen.text == "echo: hi"
        assert sb.calls("sendMessage")[0].via == "webhook"
    finally:
        await server.stop()


async def test_webhook_connection_refused_is_recorded(sb: Sandbox, bot: Bot) -> None:
    sb.config.webhook_retry_delays = (0.05,)
    await bot.set_webhook("http://127.0.0.1:9/hook")
    ann = await sb.user(id=1001, first_name="Ann")
    await ann.send("hello", wait=False)
    await asyncio.sleep(0.3)
    info = await bot.get_webhook_info()
    assert info.last_error_message == "Connection refused" and info.pending_update_count == 1
    await bot.delete_webhook(drop_pending_updates=True)
    info = await bot.get_webhook_info()
    assert info.url == "" and info.pending_update_count == 0


async def test_abandoned_long_poll_takes_nothing(sb: Sandbox, bot: Bot) -> None:
    ann = await sb.user(id=1001, first_name="Ann")
    poll = asyncio.create_task(bot.get_updates(timeout=3))
    await asyncio.sleep(0.2)
    poll.cancel()
    await asyncio.sleep(0.7)
    sent = await ann.send("after the poller left", wait=False)
    await asyncio.sleep(0.2)
    assert sent.update_id not in sb.core.activity.taken
    assert [u.update_id for u in await bot.get_updates()] == [sent.update_id]
