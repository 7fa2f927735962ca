"""The web playground, driven in a real headless Chromium against a real sandbox and aiogram bot."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiogram import Bot, Dispatcher, F, Router
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.filters import Command, CommandStart
from aiogram.types import (
    BotCommand,
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    KeyboardButtonRequestUsers,
    LabeledPrice,
    Message,
    PreCheckoutQuery,
    ReplyKeyboardMarkup,
)

from sandbox import Sandbox, playground
from sandbox.flood import FloodLimits

CHROMIUM = os.environ.get("SANDBOX_CHROMIUM", "/usr/bin/chromium")
if not Path(CHROMIUM).exists():
    pytest.skip(f"Chromium not found at {CHROMIUM}: playground browser tests need it", allow_module_level=True)

playwright_api = pytest.importorskip("playwright.async_api")

pytestmark = pytest.mark.browser

BROWSER_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOT = Path("/tmp/playground.png")


def make_router() -> Router:
    router = Router()

    @router.message(CommandStart())
    async def start(message: Message) -> None:
        keyboard = InlineKeyboardMarkup(
            inline_keyboard=[[InlineKeyboardButton(text="Show licence", callback_data="licence")]]
        )
        await message.answer(
            "Welcome to the <b>Client Area</b>, <i>friend</i>! <tg-spoiler>secret</tg-spoiler>",
            reply_markup=keyboard,
        )

    @router.callback_query(F.data == "licence")
    async def licence(query: CallbackQuery) -> None:
        assert isinstance(query.message, Message)
        await query.message.edit_text("Your licence key: <code>ABCD-1234</code>")
        await query.answer("Licence shown")

    @router.message(Command("buy"))
    async def buy(message: Message) -> None:
        await message.answer_invoice(
            title="Pro licence",
            description="One year of Pro updates",
            payload="pro-1y",
            currency="XTR",
            prices=[LabeledPrice(label="Pro", amount=150)],
        )

    @router.pre_checkout_query()
    async def pre_checkout(query: PreCheckoutQuery) -> None:
        await query.answer(ok=True)

    @router.message(F.successful_payment)
    async def paid(message: Message) -> None:
        await message.answer("Thank you for your purchase!")

    @router.message(F.document)
    async def document(message: Message) -> None:
        assert message.document is not None
        await message.answer(f"Got your file {message.document.file_name}")

    return router


@contextlib.asynccontextmanager
async def running_bot(sb: Any) -> AsyncIterator[Bot]:
    bot = Bot(
        token=sb.token,
        session=AiohttpSession(api=TelegramAPIServer.from_base(sb.url)),
        default=DefaultBotProperties(parse_mode="HTML"),
    )
    dp = Dispatcher()
    dp.include_router(make_router())
    task = asyncio.create_task(dp.start_polling(bot, handle_signals=False, polling_timeout=1))
    try:
        yield bot
    finally:
        with contextlib.suppress(RuntimeError):
            await dp.stop_polling()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.wait_for(task, timeout=5)
        await bot.session.close()


@contextlib.asynccontextmanager
async def browser_page() -> AsyncIterator[Any]:
    async with playwright_api.async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        try:
            page = await browser.new_page(viewport={"width": 1200, "height": 820})
            errors: list[str] = []
            requests: list[str] = []
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.on("request", lambda request: requests.append(request.url))
            yield page, errors, requests
        finally:
            await browser.close()


async def test_playground_end_to_end() -> None:
    expect = playwright_api.expect
    expect.set_options(timeout=8000)
    async with (
        # Flood control off: the bot answers a burst of quick user actions in one private chat.
        Sandbox(
            host="127.0.0.1", port=0, token=None, bot_username="client_area_bot", flood_limits=FloodLimits.off()
        ) as sb,
        running_bot(sb),
        browser_page() as (page, page_errors, requested),
    ):
        await page.goto(sb.url + "/")
        await expect(page).to_have_title("Client Area Bot — Telegram sandbox")
        await page.wait_for_selector("body[data-ready='1']")
        await expect(page.locator("#conn-text")).to_have_text("live")

        # Create a customer; the page opens their chat.
        await page.click("text=New customer")
        await page.fill("input[name=id]", "1001")
        await page.fill("input[name=first_name]", "Ann")
        await page.fill("input[name=username]", "ann")
        await page.select_option("select[name=language_code]", "en")
        await page.click("#new-customer-form button[type=submit]")
        customer = page.locator("#customer-list .entry[data-user-id='1001']")
        await expect(customer).to_contain_text("Ann")
        await customer.click()
        await expect(page.locator("#chat-title")).to_have_text("Ann")

        # /start -> HTML rendered safely, with an inline keyboard.
        await page.fill("#input", "/start")
        await page.press("#input", "Enter")
        await expect(page.locator(".row.out .text", has_text="/start")).to_be_visible()
        bot_row = page.locator(".row.in", has_text="Welcome to the")
        await expect(bot_row.locator("b", has_text="Client Area")).to_be_visible()
        await expect(bot_row.locator("i", has_text="friend")).to_be_visible()
        await expect(bot_row.locator(".spoiler")).to_have_count(1)

        # Inline button -> the message is edited and the callback answer shows as a toast.
        await bot_row.locator(".kb-btn", has_text="Show licence").click()
        edited = page.locator(".row.in", has_text="Your licence key")
        await expect(edited.locator("code", has_text="ABCD-1234")).to_be_visible()
        await expect(edited.locator(".edited")).to_be_visible()
        await expect(page.locator(".toast", has_text="Licence shown")).to_be_visible()
        await expect(page.locator(".row.in", has_text="Welcome to the")).to_have_count(0)

        # Invoice -> Pay -> the bot approves the pre-checkout query and thanks.
        await page.fill("#input", "/buy")
        await page.press("#input", "Enter")
        invoice = page.locator(".invoice", has_text="Pro licence")
        await expect(invoice).to_be_visible()
        await expect(invoice).to_contain_text("One year of Pro updates")
        await expect(invoice.locator(".invoice-price")).to_contain_text("150")
        await invoice.locator(".pay-btn").click()
        await expect(invoice.locator(".invoice-status.paid")).to_be_visible()
        await expect(page.locator(".row.in", has_text="Thank you for your purchase!")).to_be_visible()

        # Attach a document through the hidden file input.
        await page.set_input_files(
            "#file-document",
            files=[{"name": "report.txt", "mimeType": "text/plain", "buffer": b"quarterly numbers\n"}],
        )
        doc_link = page.locator(".row.out a.document", has_text="report.txt")
        await expect(doc_link).to_be_visible()
        await expect(page.locator(".row.in", has_text="Got your file report.txt")).to_be_visible()
        href = await doc_link.get_attribute("href")
        assert href
        async with aiohttp.ClientSession() as http, http.get(sb.url + href) as resp:
            assert resp.status == 200
            assert await resp.read() == b"quarterly numbers\n"

        # Message HTML is sanitized on the page too.
        cleaned = await page.evaluate(
            """() => [
                '<b onclick="x()">bold</b><script>alert(1)</script>',
                '<a href="javascript:alert(1)">js</a> <a href="https://example.com/" style="x">ok</a>',
                '<img src=x onerror=alert(1)><span class="tg-spoiler">s</span><iframe src="//e"></iframe>',
            ].map(window.playground.sanitize)"""
        )
        assert cleaned == [
            "<b>bold</b>",
            'js <a href="https://example.com/" target="_blank" rel="noopener noreferrer nofollow">ok</a>',
            '<span class="spoiler" title="Spoiler: click to reveal">s</span>',
        ]

        await page.screenshot(path=str(SCREENSHOT))
        assert page_errors == []
        # Everything the page loaded came from the sandbox itself: no CDN, no external resource.
        assert requested
        assert all(url.startswith((sb.url + "/", "data:")) for url in requested), requested


async def test_events_stream_pushes_changes_and_forgets_closed_clients(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(playground, "HEARTBEAT_SECONDS", 0.2)
    async with Sandbox(host="127.0.0.1", port=0, token=None, bot_username="client_area_bot") as sb:
        listeners_before = len(sb.world._listeners)
        async with aiohttp.ClientSession() as http, http.get(sb.url + "/playground/events") as stream:
            assert stream.status == 200
            assert stream.headers["Content-Type"].startswith("text/event-stream")
            await stream.content.readuntil(b"\n\n")  # the greeting comment
            assert len(sb.world._listeners) == listeners_before + 1
            async with http.post(
                sb.url + "/sandbox/users", json={"id": 2002, "first_name": "Bob", "language_code": "ru"}
            ) as created:
                assert created.status in (200, 201)
            event = None
            while event is None:
                chunk = (await asyncio.wait_for(stream.content.readuntil(b"\n\n"), 5)).decode()
                for line in chunk.splitlines():
                    if line.startswith("data: "):
                        payload = json.loads(line[6:])
                        if payload.get("type") == "user":
                            event = payload
            assert event["chat_id"] == 2002
        # The next heartbeat notices the closed connection and drops the listener.
        for _ in range(50):
            if len(sb.world._listeners) == listeners_before:
                break
            await asyncio.sleep(0.1)
        assert len(sb.world._listeners) == listeners_before


def tools_router() -> Router:
    router = Router()

    @router.message(Command("help"))
    async def help_(message: Message) -> None:
        await message.answer("Help text")

    @router.message(Command("pick"))
    async def pick(message: Message) -> None:
        keyboard = ReplyKeyboardMarkup(keyboard=[
            [KeyboardButton(text="Pick colleagues", request_users=KeyboardButtonRequestUsers(
                request_id=1, request_name=True, max_quantity=2))],
            [KeyboardButton(text="Where am I", request_location=True)],
        ], resize_keyboard=True)
        await message.answer("Choose", reply_markup=keyboard)

    @router.message(F.location)
    async def location(message: Message) -> None:
        assert message.location is not None
        await message.answer(f"Location {message.location.latitude:.4f}, {message.location.longitude:.4f}")

    @router.message(F.users_shared)
    async def shared(message: Message) -> None:
        assert message.users_shared is not None
        await message.answer("Shared: " + ", ".join(u.first_name or "?" for u in message.users_shared.users))

    return router


async def test_playground_menu_location_picker_clock_and_narrow_window() -> None:
    expect = playwright_api.expect
    expect.set_options(timeout=8000)
    async with (
        Sandbox(host="127.0.0.1", port=0, token=None, bot_username="client_area_bot",
                flood_limits=FloodLimits.off()) as sb,
        aiohttp.ClientSession() as http,
        browser_page() as (page, page_errors, _),
    ):
        bot = Bot(token=sb.token, session=AiohttpSession(api=TelegramAPIServer.from_base(sb.url)))
        dp = Dispatcher()
        dp.include_router(tools_router())
        task = asyncio.create_task(dp.start_polling(bot, handle_signals=False, polling_timeout=1))
        try:
            for user in ({"id": 1001, "first_name": "Ann", "language_code": "en"},
                         {"id": 1002, "first_name": "Bob", "language_code": "en"}):
                async with http.post(sb.url + "/sandbox/users", json=user) as resp:
                    assert resp.status == 200
            await page.goto(sb.url + "/")
            await page.wait_for_selector("body[data-ready='1']")
            await page.locator("#customer-list .entry[data-user-id='1001']").click()
            await expect(page.locator("#chat-title")).to_have_text("Ann")

            # The sandbox clock: the header shows its date; the buttons move it forward.
            clock = page.locator("#clock-date")
            await expect(clock).to_have_attribute("data-offset", "0")
            before = await clock.text_content()
            await page.click("[data-clock-days='1']")
            await expect(clock).to_have_attribute("data-offset", "86400")
            assert await clock.text_content() != before
            await page.click("[data-clock-days='7']")
            await expect(clock).to_have_attribute("data-offset", str(8 * 86400))
            await page.click("[data-clock-days='30']")
            await expect(clock).to_have_attribute("data-offset", str(38 * 86400))
            assert abs(sb.clock.offset - 38 * 86400) < 1

            # The command menu: what getMyCommands gives for the user's language, inserted when clicked.
            await expect(page.locator("#menu-btn")).to_be_hidden()
            await bot.set_my_commands([BotCommand(command="start", description="Start"),
                                       BotCommand(command="help", description="Help")])
            await bot.set_my_commands([BotCommand(command="start", description="Начать")], language_code="ru")
            await expect(page.locator("#menu-btn")).to_be_visible()
            await page.click("#menu-btn")
            await expect(page.locator("#menu-list .menu-item")).to_have_count(2)
            await page.locator("#menu-list .menu-item", has_text="/help").click()
            await expect(page.locator("#input")).to_have_value("/help ")
            await expect(page.locator("#menu-list")).to_be_hidden()
            await page.press("#input", "Enter")
            await expect(page.locator(".row.in", has_text="Help text")).to_be_visible()

            # The language code is shown and can be changed; the menu follows it.
            await expect(page.locator("#lang-select")).to_have_value("en")
            await page.select_option("#lang-select", "ru")
            await expect(page.locator("#chat-subtitle")).to_contain_text("lang ru")
            assert sb.world.users[1001].language_code == "ru"
            await page.click("#menu-btn")
            await expect(page.locator("#menu-list .menu-item")).to_have_count(1)
            await expect(page.locator("#menu-list")).to_contain_text("Начать")
            await page.click("#menu-btn")

            # Share location asks where: a city, or a latitude/longitude of one's own.
            await page.click("#attach-btn")
            await page.click("#attach-menu [data-pick='location']")
            await page.locator("#picker .picker-option", has_text="Riga").click()
            await page.click("#picker-ok")
            await expect(page.locator(".row.in", has_text="Location 56.9496, 24.1052")).to_be_visible()
            await page.click("#attach-btn")
            await page.click("#attach-menu [data-pick='location']")
            await page.fill("#picker-lat", "10.5")
            await page.fill("#picker-lon", "20.25")
            await page.click("#picker-ok")
            await expect(page.locator(".row.in", has_text="Location 10.5000, 20.2500")).to_be_visible()

            # Reply buttons that ask for users or a location open the pickers; the bot gets what was chosen.
            await page.fill("#input", "/pick")
            await page.press("#input", "Enter")
            await page.locator("#reply-keyboard .kb-btn", has_text="Pick colleagues").click()
            await expect(page.locator("#picker-title")).to_contain_text("up to 2 users")
            await expect(page.locator("#picker .picker-option")).to_have_count(1)  # everyone but Ann
            await page.locator("#picker .picker-option", has_text="Bob").click()
            await page.click("#picker-ok")
            await expect(page.locator(".row.in", has_text="Shared: Bob")).to_be_visible()
            await expect(page.locator(".service", has_text="shared a user: Bob")).to_be_visible()
            await page.locator("#reply-keyboard .kb-btn", has_text="Where am I").click()
            await page.locator("#picker .picker-option", has_text="Tokyo").click()
            await page.click("#picker-ok")
            await expect(page.locator(".row.in", has_text="Location 35.6762, 139.6503")).to_be_visible()

            # A phone-sized window: one pane at a time and nothing wider than the screen.
            await page.set_viewport_size({"width": 380, "height": 800})
            no_sideways_scroll = "() => document.documentElement.scrollWidth <= window.innerWidth"
            await expect(page.locator("#sidebar")).to_be_hidden()
            await expect(page.locator("#chat")).to_be_visible()
            assert await page.evaluate(no_sideways_scroll)
            await page.click("#back-btn")
            await expect(page.locator("#sidebar")).to_be_visible()
            await expect(page.locator("#chat")).to_be_hidden()
            assert await page.evaluate(no_sideways_scroll)
            await page.locator("#customer-list .entry[data-user-id='1002']").click()
            await expect(page.locator("#chat-title")).to_have_text("Bob")
            await page.fill("#input", "/help")
            await page.press("#input", "Enter")
            await expect(page.locator(".row.in", has_text="Help text")).to_be_visible()
            await expect(page.locator("#menu-btn")).to_be_visible()
            assert await page.evaluate(no_sideways_scroll)
            await page.screenshot(path="/tmp/playground-narrow.png")
            assert page_errors == []
        finally:
            with contextlib.suppress(RuntimeError):
                await dp.stop_polling()
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.wait_for(task, timeout=5)
            await bot.session.close()
