"""Fixtures: a sandbox, an aiogram bot pointed at it, and real polling of a dispatcher."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
from aiogram import Bot, Dispatcher
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer

from sandbox import FloodLimits, Sandbox
from tests.sandbox.http import BotHttp, Control, clients

TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw1"

StartPolling = Callable[[Dispatcher], Awaitable[None]]


def make_bot(sb: Sandbox, token: str | None = None) -> Bot:
    return Bot(token or sb.token, session=AiohttpSession(api=TelegramAPIServer.from_base(sb.url)))


async def close_bot(bot: Bot) -> None:
    session = await bot.session.create_session()
    await session.close()


@pytest.fixture
async def sb() -> AsyncIterator[Sandbox]:
    async with Sandbox(token=TOKEN, bot_username="client_area_bot", flood_limits=FloodLimits.off(),
                       pre_checkout_timeout=1.0, settle=0.05) as sandbox:
        yield sandbox


@pytest.fixture
async def plain(sb: Sandbox) -> AsyncIterator[tuple[BotHttp, Control]]:
    """A plain HTTP client for the Bot API (as the bot) and for the control API (as the users)."""
    async with clients(sb) as pair:
        yield pair


@pytest.fixture
def tg(plain: tuple[BotHttp, Control]) -> BotHttp:
    return plain[0]


@pytest.fixture
def ctl(plain: tuple[BotHttp, Control]) -> Control:
    return plain[1]


@pytest.fixture
async def bot(sb: Sandbox) -> AsyncIterator[Bot]:
    client = make_bot(sb)
    yield client
    await close_bot(client)


@pytest.fixture
async def start_polling(bot: Bot) -> AsyncIterator[StartPolling]:
    tasks: list[tuple[Dispatcher, asyncio.Task[None]]] = []

    async def start(dp: Dispatcher) -> None:
        task = asyncio.create_task(dp.start_polling(bot, handle_signals=False, close_bot_session=False,
                                                    polling_timeout=1))
        tasks.append((dp, task))
        await asyncio.sleep(0)

    yield start
    for dp, task in tasks:
        with contextlib.suppress(RuntimeError):
            await dp.stop_polling()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.wait_for(task, 5)
