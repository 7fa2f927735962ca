"""Notifications API and the outbox state machine, without Telegram."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from domain.errors import InvalidInput, NotFound
from domain.models import Notification, OutboxMessage, User
from domain.notifications import button, encode_args, money_arg
from domain.unit import DomainContext, unit_of_work

LEASE = timedelta(minutes=1)


@pytest.fixture
def unit(sessions, clock):
    """A unit of work factory like App.domain(), with users 1 and 2."""
    context = DomainContext(clock=clock)

    return lambda: unit_of_work(sessions, context)


@pytest.fixture
async def users(unit, clock) -> None:
    async with unit() as domain:
        for user_id in (1, 2):
            domain.session.add(User(id=user_id, first_name=f"U{user_id}", created_at=clock.now(),
                                    last_seen_at=clock.now(), time_zone="UTC", reachable=True))


async def notify(unit, user_id: int = 1, **kwargs) -> int | None:
    kwargs.setdefault("category", "news")
    kwargs.setdefault("key", "notification-news")
    async with unit() as domain:
        return await domain.notifications.notify(user_id, **kwargs)


async def rows(unit, model) -> list:
    async with unit() as domain:
        return list((await domain.session.scalars(select(model).order_by(model.id))).all())


# --- arguments and buttons ---------------------------------------------------------------------------------

def test_arguments_become_json_with_type_markers() -> None:
    @dataclass
    class Money:
        minor: int
        currency: str

    moment = datetime(2026, 11, 26, 9, 30, tzinfo=UTC)
    assert encode_args({"at": moment, "day": date(2026, 12, 1), "price": Money(1999, "EUR"), "n": 3,
                        "name": "x", "paid": money_arg(5, "USD")}) == {
        "at": {"$type": "datetime", "value": "2026-11-26T09:30:00+00:00"},
        "day": {"$type": "date", "value": "2026-12-01"},
        "price": {"$type": "money", "minor": 1999, "currency": "EUR"},
        "n": 3,
        "name": "x",
        "paid": {"$type": "money", "minor": 5, "currency": "USD"},
    }
    with pytest.raises(ValueError, match="naive"):
        encode_args({"at": datetime(2026, 1, 1)})
    with pytest.raises(TypeError):
        encode_args({"what": object()})


def test_buttons_need_exactly_one_target_and_short_callback_data() -> None:
    assert button("b-k", callback="svc:renew:7", service_id=7) == {
        "text_key": "b-k", "callback": "svc:renew:7", "args": {"service_id": 7}}
    assert button("b-k", url="https://example.com")["url"] == "https://example.com"
    assert button("b-k", action="renew", service_id=7)["action"] == "renew"
    with pytest.raises(ValueError):
        button("b-k")
    with pytest.raises(ValueError):
        button("b-k", callback="x", url="https://example.com")
    with pytest.raises(ValueError):
        button("b-k", callback="x" * 65)


# --- notify ------------------------------------------------------------------------------------------------

async def test_notify_writes_the_inbox_row_and_one_outbox_row(unit, users, clock) -> None:
    notification_id = await notify(unit, args={"title": "T", "text": "x", "at": clock.now()},
                                   buttons=[button("notification-button-renew", callback="m:help")],
                                   dedupe_key="k1", category="services")
    [row] = await rows(unit, Notification)
    assert (row.id, row.user_id, row.category, row.key, row.dedupe_key) == (
        notification_id, 1, "services", "notification-news", "k1")
    assert row.args["at"] == {"$type": "datetime", "value": "2026-11-26T09:00:00+00:00"}
    assert row.buttons == [{"text_key": "notification-button-renew", "callback": "m:help", "args": {}}]
    assert row.read_at is None and row.created_at == clock.now()
    [out] = await rows(unit, OutboxMessage)
    assert (out.notification_id, out.chat_id, out.status, out.attempts, out.next_attempt_at) == (
        notification_id, 1, "pending", 0, clock.now())


async def test_same_dedupe_key_is_a_no_op_that_keeps_the_transaction(unit, users) -> None:
    assert await notify(unit, dedupe_key="renewal:7:2026-12") is not None
    async with unit() as domain:
        assert await domain.notifications.notify(1, category="finance", key="notification-news",
                                                 dedupe_key="renewal:7:2026-12") is None
        # The caller's own work in the same transaction still commits.
        assert await domain.notifications.notify(1, category="finance", key="notification-news",
                                                 dedupe_key="other") is not None
    assert len(await rows(unit, Notification)) == 2
    assert len(await rows(unit, OutboxMessage)) == 2


async def test_without_a_key_every_call_is_new_and_push_false_is_inbox_only(unit, users) -> None:
    await notify(unit)
    await notify(unit)
    await notify(unit, push=False)
    assert len(await rows(unit, Notification)) == 3
    assert len(await rows(unit, OutboxMessage)) == 2


async def test_unknown_category_is_a_programming_error(unit, users) -> None:
    with pytest.raises(ValueError):
        await notify(unit, category="spam")


# --- the inbox ---------------------------------------------------------------------------------------------

async def test_inbox_newest_first_paginated_and_filtered(unit, users, clock) -> None:
    for n in range(7):
        await notify(unit, category="finance" if n % 2 else "news", args={"n": n})
        clock.move(minutes=1)
    await notify(unit, user_id=2)
    async with unit() as domain:
        first = await domain.notifications.inbox(1, page=0, per_page=3)
        assert [v.args["n"] for v in first.items] == [6, 5, 4]
        assert (first.page, first.pages, first.total, first.unread) == (0, 3, 7, 7)
        last = await domain.notifications.inbox(1, page=99, per_page=3)
        assert last.page == 2 and [v.args["n"] for v in last.items] == [0]
        finance = await domain.notifications.inbox(1, category="finance")
        assert [v.args["n"] for v in finance.items] == [5, 3, 1] and finance.category == "finance"
        assert await domain.notifications.unread_count(1) == 7


async def test_open_marks_read_and_hides_other_peoples(unit, users, clock) -> None:
    mine = await notify(unit)
    theirs = await notify(unit, user_id=2)
    async with unit() as domain:
        view = await domain.notifications.open(1, mine)
        assert view.read
        with pytest.raises(NotFound):
            await domain.notifications.open(1, theirs)
        with pytest.raises(NotFound):
            await domain.notifications.open(1, 10_000)
    async with unit() as domain:
        assert await domain.notifications.unread_count(1) == 0
        assert await domain.notifications.unread_count(2) == 1


async def test_mark_all_read_by_category(unit, users) -> None:
    await notify(unit, category="finance")
    await notify(unit, category="news")
    await notify(unit, category="news")
    async with unit() as domain:
        assert await domain.notifications.mark_all_read(1, "news") == 2
        assert await domain.notifications.unread_count(1) == 1
        assert await domain.notifications.mark_all_read(1) == 1
        assert await domain.notifications.mark_all_read(1) == 0


async def test_toggling_a_mute_flips_it_and_required_notices_stay_on(unit, users) -> None:
    async with unit() as domain:
        assert await domain.notifications.toggle_muted(1, "news") == {"news"}
        assert await domain.notifications.toggle_muted(1, "support") == {"news", "support"}
        assert await domain.notifications.toggle_muted(1, "news") == {"support"}
        with pytest.raises(InvalidInput):
            await domain.notifications.toggle_muted(1, "finance")


# --- the outbox state machine ------------------------------------------------------------------------------

async def test_claim_leases_rows_until_the_lease_ends(unit, users, clock) -> None:
    for _ in range(3):
        await notify(unit)
    async with unit() as domain:
        claimed = await domain.outbox.claim(2, LEASE)
    assert [d.outbox_id for d in claimed] == [1, 2]
    assert claimed[0].lease_until == clock.now() + LEASE and claimed[0].reachable
    async with unit() as domain:
        assert [d.outbox_id for d in await domain.outbox.claim(10, LEASE)] == [3]
        assert await domain.outbox.claim(10, LEASE) == []
    clock.move(seconds=61)  # a worker that died: its rows come back by themselves
    async with unit() as domain:
        assert [d.outbox_id for d in await domain.outbox.claim(10, LEASE)] == [1, 2, 3]


async def test_sent_retried_failed(unit, users, clock) -> None:
    await notify(unit)
    await notify(unit)
    backoff = timedelta(seconds=10)
    async with unit() as domain:
        await domain.outbox.claim(10, LEASE)
        await domain.outbox.mark_sent(1, message_id=77)
        assert await domain.outbox.retry_or_fail(2, "502", max_attempts=3, backoff=backoff) == "pending"
    sent, retried = await rows(unit, OutboxMessage)
    assert (sent.status, sent.attempts, sent.message_id, sent.sent_at) == ("sent", 1, 77, clock.now())
    assert (retried.attempts, retried.next_attempt_at, retried.last_error) == (1, clock.now() + backoff, "502")
    async with unit() as domain:
        assert await domain.outbox.claim(10, LEASE) == []  # not before the backoff
        assert await domain.outbox.next_due() == clock.now() + backoff
    clock.move(seconds=10)
    async with unit() as domain:
        assert [d.attempts for d in await domain.outbox.claim(10, LEASE)] == [1]
        assert await domain.outbox.retry_or_fail(2, "502", max_attempts=3, backoff=backoff) == "pending"
    assert (await rows(unit, OutboxMessage))[1].next_attempt_at == clock.now() + 2 * backoff
    clock.move(seconds=20)
    async with unit() as domain:
        await domain.outbox.claim(10, LEASE)
        assert await domain.outbox.retry_or_fail(2, "502", max_attempts=3, backoff=backoff) == "failed"
        # Settled rows stay settled.
        await domain.outbox.mark_sent(2, message_id=1)
        assert await domain.outbox.retry_or_fail(1, "late", max_attempts=3, backoff=backoff) == "sent"
        assert await domain.outbox.counts() == {"pending": 0, "sent": 1, "failed": 1, "dropped": 0}


async def test_release_fail_and_drop(unit, users, clock) -> None:
    for user_id in (1, 1, 1, 2):
        await notify(unit, user_id=user_id)
    async with unit() as domain:
        await domain.outbox.claim(10, LEASE)
        await domain.outbox.release([1], clock.now() + timedelta(seconds=5))
        await domain.outbox.fail(2, "400: message is too long")
        assert await domain.outbox.drop_pending_for(1, "403: blocked") == 2
    statuses = [(r.status, r.attempts, r.last_error) for r in await rows(unit, OutboxMessage)]
    assert statuses == [("dropped", 0, "403: blocked"), ("failed", 1, "400: message is too long"),
                        ("dropped", 0, "403: blocked"), ("pending", 0, None)]


async def test_unreachable_user(unit, users) -> None:
    await notify(unit)
    async with unit() as domain:
        await domain.accounts.mark_unreachable(1)
    async with unit() as domain:
        [delivery] = await domain.outbox.claim(10, LEASE)
        assert not delivery.reachable


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(["claim", "sent", "retry", "fail", "drop", "release", "wait"]), max_size=12))
async def test_outbox_rows_only_move_forward(unit, users, clock, steps) -> None:
    """Whatever happens, a settled row never changes again and attempts never pass the limit."""
    async with unit() as domain:
        await domain.session.execute(OutboxMessage.__table__.delete())
        await domain.session.execute(Notification.__table__.delete())
    await notify(unit)
    settled: tuple | None = None
    for step in steps:
        async with unit() as domain:
            [row_id] = (await domain.session.scalars(select(OutboxMessage.id))).all()
            if step == "claim":
                await domain.outbox.claim(1, LEASE)
            elif step == "sent":
                await domain.outbox.mark_sent(row_id, 1)
            elif step == "retry":
                await domain.outbox.retry_or_fail(row_id, "x", max_attempts=3, backoff=timedelta(seconds=1))
            elif step == "fail":
                await domain.outbox.fail(row_id, "x")
            elif step == "drop":
                await domain.outbox.drop_pending_for(1, "x")
            elif step == "release":
                await domain.outbox.release([row_id])
            else:
                clock.move(seconds=90)
        [row] = await rows(unit, OutboxMessage)
        assert row.attempts <= 3
        if settled is not None:
            assert (row.status, row.attempts, row.sent_at) == settled
        elif row.status != "pending":
            settled = (row.status, row.attempts, row.sent_at)
    async with unit() as domain:
        assert await domain.session.scalar(select(func.count()).select_from(OutboxMessage)) == 1
