"""Shared fixtures of the domain unit tests: the clock they stand at, and a unit of work with customers in it."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from domain.clock import FrozenClock
from domain.models import User
from domain.unit import Domain, DomainContext

# A Russian company as the payer tests and the billing use cases fill it in.
COMPANY = {"name": "ООО «Ромашка»", "country": "RU", "reg_number": "1027700132195",
           "tax_number": "7707083893/773601001", "address": "Москва, Пресненская наб., 10", "contact": "Пётр",
           "email": "buh@romashka.ru"}


@pytest.fixture
def clock() -> FrozenClock:
    """Overridden in a module that needs another moment."""
    return FrozenClock(datetime(2026, 11, 26, 9, 0, tzinfo=UTC))


async def domain_with_customers(session: AsyncSession, clock: FrozenClock, user_ids: Iterable[int],
                                catalogue: str | None = None) -> Domain:
    """A unit of work on `session` with customers `user_ids` and, given its text, the catalogue loaded."""
    domain = Domain(session, DomainContext(clock=clock))
    for user_id in user_ids:
        session.add(User(id=user_id, first_name=f"U{user_id}", created_at=clock.now(), last_seen_at=clock.now(),
                         time_zone="UTC", reachable=True))
    await session.flush()
    if catalogue is not None:
        await domain.catalogue.sync(catalogue, ("en", "ru"))
    return domain
