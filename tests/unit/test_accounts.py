from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import event

from bot.i18n import pick_locale
from domain.accounts import AccountCache, Accounts, Profile
from domain.clock import FrozenClock
from domain.errors import InvalidInput, NotFound
from domain.models import User
from domain.unit import Domain, DomainContext


async def test_touch_creates_then_refreshes(sessions) -> None:
    clock = FrozenClock(datetime(2026, 3, 1, 12, tzinfo=UTC))
    async with sessions() as session:
        user = await Accounts(session, clock).touch(Profile(id=5, first_name="Ann", language_code="en"))
        assert user.last_seen_at == clock.now() and user.reachable and user.time_zone == "UTC"
        await session.commit()

    clock.move(minutes=3)
    async with sessions() as session:
        accounts = Accounts(session, clock)
        user = await accounts.touch(Profile(id=5, first_name="Ann", username="ann_new", language_code="en"))
        assert user.username == "ann_new"
        assert user.last_seen_at == datetime(2026, 3, 1, 12, tzinfo=UTC)  # within the resolution: not rewritten
        (await accounts.get(5)).reachable = False
        await session.commit()

    clock.move(minutes=30)
    async with sessions() as session:
        user = await Accounts(session, clock).touch(Profile(id=5, first_name="Ann"))
        assert user.last_seen_at == clock.now() and user.reachable
        assert user.language_code == "en"  # Telegram sent none this time: keep what we knew
        await session.commit()
        stored = await session.get(User, 5)
        assert stored is not None and stored.last_seen_at.tzinfo is not None


async def test_set_locale(sessions) -> None:
    clock = FrozenClock()
    async with sessions() as session:
        accounts = Accounts(session, clock)
        await accounts.touch(Profile(id=9, first_name="Ivan", language_code="ru"))
        assert (await accounts.set_locale(9, "ru", ("en", "ru"))).locale == "ru"
        with pytest.raises(InvalidInput):
            await accounts.set_locale(9, "de", ("en", "ru"))
        with pytest.raises(NotFound):
            await accounts.set_locale(10, "en", ("en", "ru"))


@pytest.mark.parametrize(
    ("saved", "telegram", "expected"),
    [("ru", "en", "ru"), (None, "ru-RU", "ru"), (None, "de", "en"), (None, None, "en"), ("xx", "ru", "ru")],
)
def test_pick_locale(saved: str | None, telegram: str | None, expected: str) -> None:
    assert pick_locale(saved, telegram, "en", ("en", "ru")) == expected


async def test_account_cache_serves_unchanged_customers_without_sql(engine, sessions) -> None:
    clock = FrozenClock(datetime(2026, 3, 1, 12, tzinfo=UTC))
    cache = AccountCache()
    context = DomainContext(clock=clock, account_cache=cache)
    statements: list[str] = []
    event.listen(engine.sync_engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    ann = Profile(id=7, first_name="Ann", username="ann", language_code="en")

    async with sessions() as session:  # a unit of work that fails: nothing may be remembered
        domain = Domain(session, context)
        await domain.accounts.touch(ann)
        await domain.rollback()
    assert cache.get(7) is None

    for _ in range(2):
        async with sessions() as session:
            domain = Domain(session, context)
            await domain.accounts.touch(ann)
            await domain.commit()
    first_two = len(statements)
    assert cache.get(7) is not None

    async with sessions() as session:
        domain = Domain(session, context)
        customer = await domain.accounts.touch(ann)
        await domain.commit()
    assert len(statements) == first_two, "a known, unchanged customer costs no statement"
    assert customer.first_name == "Ann" and customer.locale is None

    async with sessions() as session:  # a change is never served from the cache
        domain = Domain(session, context)
        await domain.accounts.set_locale(7, "ru", ("en", "ru"))
        await domain.commit()
    assert cache.get(7) is None
    async with sessions() as session:
        domain = Domain(session, context)
        assert (await domain.accounts.touch(ann)).locale == "ru"
        renamed = await domain.accounts.touch(Profile(id=7, first_name="Anna", username="ann", language_code="en"))
        assert renamed.first_name == "Anna"
        await domain.commit()
    clock.move(minutes=11)
    async with sessions() as session:
        domain = Domain(session, context)
        assert (await domain.accounts.touch(ann)).last_seen_at == clock.now()
        await domain.commit()
