"""The per-update entry point into the domain: one session, one clock, every service built lazily."""

from __future__ import annotations

from functools import cached_property

from sqlalchemy.ext.asyncio import AsyncSession

from domain.accounts import Accounts
from domain.clock import Clock


class Domain:
    """What handlers receive as `domain`; they never see the session itself."""

    def __init__(self, session: AsyncSession, clock: Clock) -> None:
        self.session = session
        self.clock = clock

    @cached_property
    def accounts(self) -> Accounts:
        return Accounts(self.session, self.clock)
