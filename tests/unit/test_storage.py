"""The SQL FSM storage: state and data survive a new storage object (a restart) and idle ones are purged."""

from __future__ import annotations

from datetime import UTC, datetime

from aiogram.fsm.state import State, StatesGroup
from aiogram.fsm.storage.base import StorageKey

from bot.storage import SqlStorage
from domain.clock import FrozenClock


class Order(StatesGroup):
    ip = State()


KEY = StorageKey(bot_id=42, chat_id=1001, user_id=1001)


async def test_state_and_data_survive_restart(sessions) -> None:
    storage = SqlStorage(sessions)
    assert await storage.get_state(KEY) is None and await storage.get_data(KEY) == {}
    await storage.set_state(KEY, Order.ip)
    await storage.update_data(KEY, {"tariff": "pro", "months": 12})
    await storage.update_data(KEY, {"name": "Мой сервер"})

    restarted = SqlStorage(sessions)
    assert await restarted.get_state(KEY) == "Order:ip"
    assert await restarted.get_data(KEY) == {"tariff": "pro", "months": 12, "name": "Мой сервер"}
    other = StorageKey(bot_id=42, chat_id=1002, user_id=1002)
    assert await restarted.get_state(other) is None

    await restarted.set_state(KEY, None)
    await restarted.set_data(KEY, {})
    assert await restarted.get_state(KEY) is None and await restarted.get_data(KEY) == {}


async def test_non_json_data_is_refused(sessions) -> None:
    storage = SqlStorage(sessions)
    try:
        await storage.set_data(KEY, {"when": datetime.now(UTC)})
    except TypeError:
        pass
    else:
        raise AssertionError("a datetime cannot survive a restart and must be refused")
    assert await storage.get_data(KEY) == {}


async def test_purge_idle(sessions) -> None:
    clock = FrozenClock(datetime(2026, 1, 1, tzinfo=UTC))
    storage = SqlStorage(sessions, clock=clock)
    await storage.set_state(KEY, Order.ip)
    clock.move(days=20)
    fresh = StorageKey(bot_id=42, chat_id=7, user_id=7)
    await storage.set_state(fresh, Order.ip)
    from datetime import timedelta

    clock.move(days=15)
    assert await storage.purge_idle(timedelta(days=30)) == 1
    assert await storage.get_state(KEY) is None
    assert await storage.get_state(fresh) == "Order:ip"


async def test_cache_never_outlives_a_rollback(engine, sessions) -> None:
    from sqlalchemy import event

    from bot.storage import update_session

    storage = SqlStorage(sessions, cache=True)
    await storage.set_state(KEY, Order.ip)
    statements: list[str] = []
    event.listen(engine.sync_engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    assert await storage.get_state(KEY) == "Order:ip"
    assert await storage.get_state(KEY) == "Order:ip"
    assert len(statements) == 1, "the second read is served from memory"

    async with sessions() as session:  # an update that moves the dialog on, then fails
        token = update_session.set(session)
        try:
            await storage.set_state(KEY, None)
            assert await storage.get_state(KEY) is None  # its own write, inside its transaction
        finally:
            update_session.reset(token)
        await session.rollback()
    assert await storage.get_state(KEY) == "Order:ip"
