"""Pushed notifications: rendered for the recipient as they are at delivery, sent once within Telegram's limits,
surviving 429, 403, 5xx and restarts; and the inbox under Support -> Notifications."""

from __future__ import annotations

import asyncio
import itertools
from datetime import date

import pytest
from sqlalchemy import select, update

from domain.models import Notification, OutboxMessage, User
from domain.notifications import button, money_arg
from tests.e2e.conftest import RunningBot, make_settings
from tests.e2e.flows import rows, worker


@pytest.fixture
def settings(sandbox, db_url, redis_url, tmp_path):
    # No scheduler: the tests drive the worker pass by pass.
    return make_settings(sandbox, db_url, redis_url, tmp_path, scheduler_enabled=False, delivery_backoff=1,
                         delivery_max_attempts=3)


async def notify(running: RunningBot, user_id: int, **kwargs) -> int | None:
    kwargs.setdefault("category", "news")
    kwargs.setdefault("key", "notification-news")
    kwargs.setdefault("args", {"title": "Maintenance", "text": "Tonight"})
    async with running.app.domain() as domain:
        return await domain.notifications.notify(user_id, **kwargs)


def sent_to(sandbox, chat_id: int) -> list:
    return [r for r in sandbox.calls("sendMessage") if r.ok and int(r.params["chat_id"]) == chat_id]


def news_to(sandbox, chat_id: int) -> list:
    """The test notifications (not the menus) Telegram accepted for a chat."""
    return [r for r in sent_to(sandbox, chat_id) if "Maintenance" in r.params["text"]]


EXPIRING = {
    "category": "services",
    "key": "notification-service-expiring",
    "args": {"service": "<Web> & co", "days": 3, "expires": date(2026, 11, 29),
             "price": money_arg(123456, "EUR"), "balance": money_arg(500, "EUR")},
    "buttons": [button("notification-button-renew", callback="m:help"),
                button("notification-button-top-up", url="https://example.com/pay", amount=money_arg(122956, "EUR"))],
}


async def test_rendered_in_the_language_and_zone_at_delivery(ann, running) -> None:
    await ann.send("/start")
    await notify(running, 1001, dedupe_key="expiry:1:3", **EXPIRING)
    # Ann switches to Russian and Moscow time after the notification was made, before it is delivered.
    async with running.app.domain() as domain:
        await domain.accounts.set_locale(1001, "ru", ("en", "ru"))
        await domain.session.execute(update(User).where(User.id == 1001).values(time_zone="Europe/Moscow"))
    stats = await worker(running).run_once()
    assert (stats.claimed, stats.sent) == (1, 1)
    await asyncio.sleep(0.05)
    push = ann.screen
    assert push.text.startswith("⏳ <Web> & co: срок истекает через 3 дня")
    assert "&lt;Web&gt; &amp; co" in push.html
    assert "Дата окончания: 29 нояб. 2026" in push.text
    assert "Продление: 1\xa0234,56\xa0€, ваш баланс: 5,00\xa0€." in push.text
    assert push.button_texts == ["🔄 Продлить", "💳 Пополнить на 1\xa0229,56\xa0€"]
    assert push.buttons[0][0].callback_data == "m:help" and push.buttons[1][0].url == "https://example.com/pay"
    [row] = await rows(running, OutboxMessage)
    assert (row.status, row.attempts, row.message_id) == ("sent", 1, push.message_id)
    # The action button works like any other.
    await ann.press("🔄 Продлить")
    assert ann.screen.text.startswith("Помощь")


async def test_english_money_and_dates(ann, running) -> None:
    await ann.send("/start")
    await notify(running, 1001, **EXPIRING)
    await worker(running).run_once()
    await asyncio.sleep(0.05)
    assert ann.screen.text.splitlines()[0] == "⏳ <Web> & co expires in 3 days"
    assert "Expiry date: 29 Nov 2026" in ann.screen.text
    assert "Renewal: €1,234.56, your balance: €5.00." in ann.screen.text
    assert ann.screen.button_texts == ["🔄 Renew now", "💳 Top up €1,229.56"]


async def test_same_dedupe_key_twice_is_one_notification(ann, running) -> None:
    await ann.send("/start")
    first = await notify(running, 1001, dedupe_key="topup:42")
    again = await notify(running, 1001, dedupe_key="topup:42", args={"title": "Other", "text": "x"})
    assert isinstance(first, int) and again is None
    # Inside a caller's unit of work that goes on: the duplicate leaves the transaction usable.
    async with running.app.domain() as domain:
        assert await domain.notifications.notify(1001, category="news", key="notification-news",
                                                 args={"title": "T", "text": "x"}, dedupe_key="topup:42") is None
        await domain.accounts.set_locale(1001, "en", ("en", "ru"))
    before = len(ann.bot_messages)
    await worker(running).drain()
    await asyncio.sleep(0.05)
    assert len(ann.bot_messages) == before + 1
    async with running.sessions() as session:
        assert len((await session.scalars(select(Notification))).all()) == 1
    assert len(await rows(running, OutboxMessage)) == 1


async def test_flood_wait_pauses_and_sends_once(ann, sandbox, running) -> None:
    await ann.send("/start")
    sandbox.faults.add(method="sendMessage", code=429, retry_after=1, count=1)
    await notify(running, 1001)
    loop = asyncio.get_running_loop()
    started = loop.time()
    stats = await worker(running).run_once()
    assert (stats.flood_waits, stats.sent) == (1, 1)
    assert loop.time() - started >= 0.95  # waited retry_after before the second try
    calls = sandbox.calls("sendMessage")
    assert [c.error_code for c in calls[-2:]] == [429, None]
    assert len(news_to(sandbox, 1001)) == 1
    [row] = await rows(running, OutboxMessage)
    assert (row.status, row.attempts) == ("sent", 1)


async def test_blocked_user_becomes_unreachable_and_comes_back(ann, ivan, sandbox, running) -> None:
    await ann.send("/start")
    await ivan.send("/start")
    await ann.block()
    await notify(running, 1001, dedupe_key="a1")
    await notify(running, 1001, dedupe_key="a2")
    await notify(running, 1002, dedupe_key="i1")
    stats = await worker(running).drain()
    assert (stats.sent, stats.dropped) == (1, 2)
    async with running.sessions() as session:
        assert (await session.get(User, 1001)).reachable is False
        assert (await session.get(User, 1002)).reachable is True
    statuses = {row.id: row.status for row in await rows(running, OutboxMessage)}
    assert sorted(statuses.values()) == ["dropped", "dropped", "sent"]
    def tried() -> int:
        return len([c for c in sandbox.calls("sendMessage")
                    if int(c.params["chat_id"]) == 1001 and "Maintenance" in c.params["text"]])

    assert tried() == 1  # one 403, then the rest is dropped unsent
    # While unreachable, new alerts go to the inbox but are not even tried.
    await notify(running, 1001, dedupe_key="a3")
    await worker(running).drain()
    assert tried() == 1
    # Coming back with /start makes Ann reachable again.
    await ann.unblock()
    await ann.send("/start")
    async with running.sessions() as session:
        assert (await session.get(User, 1001)).reachable is True
    await notify(running, 1001, dedupe_key="a4")
    await worker(running).drain()
    assert len(news_to(sandbox, 1001)) == 1  # a4
    async with running.app.domain() as domain:
        assert (await domain.notifications.inbox(1001)).total == 4


async def test_server_errors_back_off_then_fail(ann, sandbox, running, clock) -> None:
    await ann.send("/start")
    sandbox.faults.add(method="sendMessage", code=502, count=10)
    await notify(running, 1001)
    w = worker(running)
    assert (await w.run_once()).retried == 1
    [row] = await rows(running, OutboxMessage)
    assert (row.status, row.attempts) == ("pending", 1) and "Bad Gateway" in row.last_error
    assert (row.next_attempt_at - clock.now()).total_seconds() == 1
    assert (await w.run_once()).claimed == 0  # not due before the backoff
    clock.move(seconds=1)
    assert (await w.run_once()).retried == 1
    [row] = await rows(running, OutboxMessage)
    assert (row.next_attempt_at - clock.now()).total_seconds() == 2  # doubled
    clock.move(seconds=2)
    assert (await w.run_once()).failed == 1
    [row] = await rows(running, OutboxMessage)
    assert (row.status, row.attempts) == ("failed", 3)
    assert news_to(sandbox, 1001) == []


async def test_a_network_error_is_retried_and_delivered(ann, sandbox, running, clock) -> None:
    await ann.send("/start")
    sandbox.faults.add(method="sendMessage", drop=True, count=1)
    await notify(running, 1001)
    w = worker(running)
    assert (await w.run_once()).retried == 1
    clock.move(seconds=1)
    assert (await w.run_once()).sent == 1
    [row] = await rows(running, OutboxMessage)
    assert (row.status, row.attempts) == ("sent", 2)


async def test_pending_rows_survive_a_restart(ann, ivan, sandbox, running, clock) -> None:
    await ann.send("/start")
    await ivan.send("/start")
    for n in range(4):
        await notify(running, 1001, dedupe_key=f"ann:{n}")
    await notify(running, 1002, dedupe_key="ivan:0")
    # The background loop starts sending (one a second to Ann) and the app stops mid-queue.
    worker(running).start()
    await asyncio.sleep(0.5)
    await running.restart()
    outbox = await rows(running, OutboxMessage)
    assert 0 < sum(r.status == "sent" for r in outbox) < 5
    assert all(r.status in ("sent", "pending") for r in outbox)
    clock.move(seconds=5)  # rows planned for later than a pass are due a few seconds on
    await worker(running).drain()
    outbox = await rows(running, OutboxMessage)
    assert [r.status for r in outbox] == ["sent"] * 5
    assert len(news_to(sandbox, 1001)) == 4  # each exactly once
    assert len(news_to(sandbox, 1002)) == 1


async def test_one_message_a_second_per_chat(ann, sandbox, running) -> None:
    await ann.send("/start")
    for n in range(3):
        await notify(running, 1001, dedupe_key=f"n{n}")
    stats = await worker(running).drain()
    assert (stats.sent, stats.flood_waits) == (3, 0)
    times = [c.time for c in news_to(sandbox, 1001)]
    assert len(times) == 3
    assert all(b - a >= 0.95 for a, b in itertools.pairwise(times))


async def test_background_worker_delivers_when_the_scheduler_runs(sandbox, db_url, redis_url, tmp_path,
                                                                 clock) -> None:
    app = RunningBot(make_settings(sandbox, db_url, redis_url, tmp_path), clock=clock, sandbox=sandbox)
    await app.start()
    try:
        bea = await sandbox.user(id=1005, first_name="Bea", language_code="en")
        await bea.send("/start")
        await notify(app, 1005)
        for _ in range(50):
            if any("Maintenance" in m.text for m in bea.bot_messages):
                break
            await asyncio.sleep(0.1)
        assert bea.screen.text.startswith("📰 Maintenance")
    finally:
        await app.stop()
