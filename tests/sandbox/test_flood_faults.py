"""Flood control and fault injection."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator

import pytest
from aiogram import Bot
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)

from sandbox import FloodLimits, Sandbox
from tests.sandbox.conftest import TOKEN, close_bot, make_bot


@pytest.fixture
async def flooded() -> AsyncIterator[tuple[Sandbox, Bot]]:
    async with Sandbox(token=TOKEN, flood_limits=FloodLimits(per_group_per_minute=3, per_group_burst=3)) as sb:
        await sb.user(id=1001, first_name="Ann")
        await sb.user(id=1002, first_name="Bob")
        bot = make_bot(sb)
        yield sb, bot
        await close_bot(bot)


async def test_private_chat_burst_then_retry_after(flooded: tuple[Sandbox, Bot]) -> None:
    _, bot = flooded
    for n in range(FloodLimits().per_private_chat_burst):
        await bot.send_message(1001, f"burst {n}")
    with pytest.raises(TelegramRetryAfter) as caught:
        await bot.send_message(1001, "one too many")
    assert caught.value.retry_after == 1
    assert caught.value.message.endswith("Original description: Too Many Requests: retry after 1")
    await bot.send_message(1002, "other chats are not limited by Ann's bucket")


async def test_edits_and_answers_are_not_counted(flooded: tuple[Sandbox, Bot]) -> None:
    _, bot = flooded
    message = await bot.send_message(1001, "v0")
    for n in range(1, 6):
        await bot.edit_message_text(f"v{n}", chat_id=1001, message_id=message.message_id)
    await bot.send_chat_action(1001, "typing")
    await bot.send_message(1001, "second")


async def test_group_limit_per_minute(flooded: tuple[Sandbox, Bot]) -> None:
    sb, bot = flooded
    group = await sb.group(id=-1001000000001, title="G", members=[1001])
    for n in range(3):
        await bot.send_message(group.id, f"g{n}")
    with pytest.raises(TelegramRetryAfter) as caught:
        await bot.send_message(group.id, "g3")
    assert caught.value.retry_after == 20


async def test_bot_wide_limit() -> None:
    limits = FloodLimits(per_bot_per_second=2, per_bot_burst=2, per_private_chat_per_second=None)
    async with Sandbox(token=TOKEN, flood_limits=limits) as sb:
        await sb.user(id=1001, first_name="Ann")
        await sb.user(id=1002, first_name="Bob")
        bot = make_bot(sb)
        try:
            await bot.send_message(1001, "a")
            await bot.send_message(1002, "b")
            with pytest.raises(TelegramRetryAfter):
                await bot.send_message(1001, "c")
        finally:
            await close_bot(bot)


async def test_flood_limits_off(sb: Sandbox, bot: Bot) -> None:
    await sb.user(id=1001, first_name="Ann")
    for n in range(20):
        await bot.send_message(1001, f"m{n}")


async def test_next_call_fails_with_retry_after(sb: Sandbox, bot: Bot) -> None:
    await sb.user(id=1001, first_name="Ann")
    sb.faults.add(method="sendMessage", code=429, retry_after=3, count=1)
    with pytest.raises(TelegramRetryAfter) as caught:
        await bot.send_message(1001, "x")
    assert caught.value.retry_after == 3
    await bot.send_message(1001, "x")
    assert [r.ok for r in sb.calls("sendMessage")] == [False, True]


@pytest.mark.parametrize(("code", "error"), [(403, TelegramForbiddenError), (500, TelegramServerError),
                                             (502, TelegramServerError), (400, TelegramBadRequest)])
async def test_fault_codes(sb: Sandbox, bot: Bot, code: int, error: type[Exception]) -> None:
    sb.faults.add(code=code, count=2)
    for _ in range(2):
        with pytest.raises(error):
            await bot.get_me()
    assert (await bot.get_me()).is_bot


async def test_fault_rate_is_seeded(sb: Sandbox, bot: Bot) -> None:
    def pattern() -> list[bool]:
        rule = sb.faults.add(method="getMe", code=500, rate=0.5, seed=7)
        fired = [rule.fire() for _ in range(20)]
        sb.faults.clear()
        return fired

    first = pattern()
    assert first == pattern() and 0 < sum(first) < 20


async def test_fault_rate_applies_to_calls(sb: Sandbox, bot: Bot) -> None:
    sb.faults.add(method="getMe", code=502, rate=0.5, seed=1)
    outcomes = []
    for _ in range(20):
        try:
            await bot.get_me()
            outcomes.append(True)
        except TelegramServerError:
            outcomes.append(False)
    assert 0 < outcomes.count(False) < 20


async def test_latency(sb: Sandbox, bot: Bot) -> None:
    sb.faults.add(method="getMe", latency=0.3, count=1)
    started = time.monotonic()
    await bot.get_me()
    assert time.monotonic() - started >= 0.3


async def test_dropped_connection(sb: Sandbox, bot: Bot) -> None:
    sb.faults.add(method="getMe", drop=True, count=1)
    with pytest.raises(TelegramNetworkError):
        await bot.get_me()
    assert (await bot.get_me()).is_bot
    assert sb.calls("getMe")[0].description == "connection dropped"


def test_fault_needs_an_effect(sb: Sandbox) -> None:
    with pytest.raises(ValueError, match="a fault needs"):
        sb.faults.add(method="getMe")
