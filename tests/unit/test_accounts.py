from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.i18n import pick_locale
from domain.accounts import Accounts, Profile
from domain.clock import FrozenClock
from domain.errors import InvalidInput, NotFound
from domain.models import User


async def test_touch_creates_then_refreshes(sessions) -> None:
    clock = FrozenClock(datetime(2026, 3, 1, 12, tzinfo=UTC))
    async with sessions() as session:
        user = await Accounts(session, clock).touch(Profile(id=5, first_name="Ann", language_code="en"))
        assert user.created_at == clock.now() and user.reachable and user.time_zone == "UTC"
        await session.commit()

    clock.move(minutes=3)
    async with sessions() as session:
        accounts = Accounts(session, clock)
        user = await accounts.touch(Profile(id=5, first_name="Ann", username="ann_new", language_code="en"))
        assert user.username == "ann_new"
        assert user.last_seen_at == datetime(2026, 3, 1, 12, tzinfo=UTC)  # within the resolution: not rewritten
        user.reachable = False
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
