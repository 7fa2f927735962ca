"""Dialogs survive restarts, double taps run once, errors are apologised for and roll back, floods are slowed."""

from __future__ import annotations

import asyncio
import logging
import re

import pytest
from aiogram import F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

from domain.models import User
from domain.unit import Domain
from tests.e2e.conftest import routers


class Survey(StatesGroup):
    name = State()
    city = State()


concurrency = {"now": 0, "max": 0, "runs": 0}


def survey_router() -> Router:
    """A two-step dialog that exists only in these tests, run by the real dispatcher and storage."""
    router = Router(name="test-survey")

    @router.message(Command("survey"))
    async def start(message: Message, state: FSMContext) -> None:
        await state.set_state(Survey.name)
        await message.answer("Your name?")

    @router.message(Survey.name, F.text)
    async def name(message: Message, state: FSMContext) -> None:
        await state.update_data(name=message.text)
        await state.set_state(Survey.city)
        await message.answer("Your city?")

    @router.message(Survey.city, F.text)
    async def city(message: Message, state: FSMContext) -> None:
        data = await state.get_data()
        await state.clear()
        await message.answer(f"{data['name']} from {message.text}")

    @router.message(Command("slow"))
    async def slow(message: Message) -> None:
        markup = InlineKeyboardMarkup(inline_keyboard=[[InlineKeyboardButton(text="Slow", callback_data="slow")]])
        await message.answer("Tap twice", reply_markup=markup)

    @router.callback_query(F.data == "slow")
    async def slow_pressed(callback: CallbackQuery) -> None:
        concurrency["now"] += 1
        concurrency["runs"] += 1
        concurrency["max"] = max(concurrency["max"], concurrency["now"])
        await asyncio.sleep(0.3)
        concurrency["now"] -= 1
        await callback.answer("done")

    @router.message(Command("long"))
    async def long_job(message: Message) -> None:
        await asyncio.sleep(0.8)
        await message.answer("Long job finished")

    @router.message(Command("tap"))
    async def tap(message: Message) -> None:
        markup = InlineKeyboardMarkup(inline_keyboard=[[InlineKeyboardButton(text="Tap", callback_data="tap")]])
        await message.answer("Tap away", reply_markup=markup)

    @router.callback_query(F.data == "tap")
    async def tapped(callback: CallbackQuery) -> None:
        await callback.answer("ok")

    @router.message(F.text.startswith("echo "))
    async def echo(message: Message) -> None:
        await message.answer(f"got {message.text}")

    @router.message(Command("boom"))
    async def boom(message: Message, domain: Domain) -> None:
        await domain.accounts.set_locale(message.from_user.id, "ru", ("en", "ru"))
        await domain.session.flush()
        raise RuntimeError("kaboom")

    return router


@pytest.fixture
def extra_routers() -> list[Router]:
    return routers(survey_router)


@pytest.fixture
def settings(sandbox, db_url, redis_url, tmp_path):
    """The shipped throttling defaults, which these tests exercise."""
    from bot.config import Settings
    from tests.e2e.conftest import make_settings

    defaults = Settings.model_fields
    return make_settings(sandbox, db_url, redis_url, tmp_path, throttle_rate=defaults["throttle_rate"].default,
                         throttle_burst=defaults["throttle_burst"].default)


async def test_dialog_continues_after_restart(ann, running) -> None:
    await ann.send("/survey")
    await ann.send("Ann")
    assert ann.screen.text == "Your city?"
    await running.restart()
    await ann.send("Riga")
    assert ann.screen.text == "Ann from Riga"


async def test_cancel_leaves_the_dialog(ann) -> None:
    await ann.send("/survey")
    await ann.send("/cancel")
    assert ann.messages[-1].text.startswith("Cancelled. Nothing was changed.\n\n")
    await ann.send("Riga")
    assert ann.messages[-1].text.startswith("I did not understand that")


async def test_unexpected_input_inside_a_dialog(ann) -> None:
    await ann.send("/survey")
    await ann.send_photo(b"\x89PNG\r\n\x1a\n" + b"0" * 64)
    assert ann.screen.text.startswith("I expected something else here.")


async def test_double_tap_runs_once_at_a_time(ann, sandbox) -> None:
    concurrency.update(now=0, max=0, runs=0)
    await ann.send("/slow")
    first = await ann.press("Slow", wait=False)
    await ann.press("Slow", wait=False)
    await sandbox.wait(first, timeout=10)
    await sandbox.settle()
    for _ in range(50):
        if concurrency["runs"] == 2 and concurrency["now"] == 0:
            break
        await asyncio.sleep(0.1)
    assert concurrency["runs"] == 2
    assert concurrency["max"] == 1


async def test_error_boundary_apologises_and_rolls_back(ann, running, caplog: pytest.LogCaptureFixture) -> None:
    await ann.send("/start")
    with caplog.at_level(logging.ERROR, logger="bot.errors"):
        await ann.send("/boom")
    text = ann.screen.text
    assert text.startswith("Sorry, something went wrong on our side. Nothing was changed")
    ref = re.search(r"reference: ([0-9a-f]{8})", text).group(1)
    records = [r for r in caplog.records if getattr(r, "ref", None) == ref]
    assert records and records[0].exc_info and records[0].update_id > 0
    async with running.sessions() as session:
        assert (await session.get(User, 1001)).locale is None


async def test_throttling_answers_instead_of_silence(ann, sandbox) -> None:
    await ann.send("/tap")
    await ann.press("Tap")
    assert ann.last_callback_answer.text == "ok"
    before = len(sandbox.calls("answerCallbackQuery"))
    for _ in range(12):
        await ann.press("Tap", wait=False)
    for _ in range(100):
        answers = sandbox.calls("answerCallbackQuery")[before:]
        if len(answers) == 12:
            break
        await asyncio.sleep(0.05)
    texts = [a.params.get("text") for a in answers]
    assert len(texts) == 12, "every tap is answered"
    throttled = "You are going a little fast. Please wait a second and try again."
    assert texts.count("ok") >= 3 and texts.count(throttled) >= 3
    assert set(texts) == {"ok", throttled}


async def test_a_flood_of_messages_ends_with_an_answer_to_the_last(ann, sandbox) -> None:
    """Of a burst: the first few answered, one notice, and the customer's last message answered once the bucket
    refills (those in between dropped): never silence after the customer's last word."""
    await ann.send("/start")
    before = len(ann.bot_messages)
    for n in range(40):
        await ann.send(f"echo {n}", wait=False)
    for _ in range(300):
        texts = [m.text for m in ann.bot_messages[before:]]
        if "got echo 39" in texts:
            break
        await asyncio.sleep(0.1)
    await asyncio.sleep(0.5)  # nothing more comes
    texts = [m.text for m in ann.bot_messages[before:]]
    throttled = "You are going a little fast. Please wait a second and try again."
    assert texts.count(throttled) == 1
    assert texts[-1] == "got echo 39"
    answered = [t for t in texts if t.startswith("got ")]
    assert len(answered) == len(set(answered)) and 3 <= len(answered) <= 12


async def test_stopping_lets_updates_in_flight_finish(ann, sandbox, running) -> None:
    """What SIGTERM does: polling stops, the update being handled still completes and answers."""
    await ann.send("/start")
    sent = await ann.send("/long", wait=False)
    await sandbox.wait_taken(sent, timeout=5)
    await running.stop()
    assert ann.screen.text == "Long job finished"


async def test_no_filter_runs_in_a_worker_thread(running) -> None:
    """aiogram would run plain filters (F-filters) through asyncio.to_thread; the app evaluates them on the loop."""
    dp = running.app.dispatcher
    filters = [
        (router.name, name, filter_object)
        for router in dp.chain_tail
        for name, observer in router.observers.items()
        for handler in observer.handlers
        for filter_object in handler.filters or []
    ]
    assert [(r, n) for r, n, f in filters if not f.awaitable] == []
    assert any(f.magic is not None for _, _, f in filters)  # and there are such filters to convert
