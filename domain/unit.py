"""The per-update entry point into the domain: one session, one clock, every service built lazily."""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property

from sqlalchemy.ext.asyncio import AsyncSession

from domain.accounts import AccountCache, Accounts
from domain.clock import Clock


class Domain:
    """What handlers receive as `domain`; they never see the session itself."""

    def __init__(self, session: AsyncSession, clock: Clock, account_cache: AccountCache | None = None) -> None:
        self.session = session
        self.clock = clock
        self._account_cache = account_cache
        self._after_commit: list[Callable[[], None]] = []

    def on_commit(self, action: Callable[[], None]) -> None:
        """Run `action` once this unit of work has committed (never after a rollback)."""
        self._after_commit.append(action)

    async def commit(self) -> None:
        if self.session.in_transaction():  # an update that read nothing never touched a connection
            await self.session.commit()
        actions, self._after_commit = self._after_commit, []
        for action in actions:
            action()

    async def rollback(self) -> None:
        self._after_commit.clear()
        await self.session.rollback()

    @cached_property
    def accounts(self) -> Accounts:
        return Accounts(self.session, self.clock, self._account_cache, self.on_commit)
