"""FSM storage on the app's own database, so a dialog left half-way survives a restart."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from contextvars import ContextVar
from datetime import timedelta
from typing import Any

from aiogram.fsm.state import State
from aiogram.fsm.storage.base import BaseStorage, DefaultKeyBuilder, KeyBuilder, StateType, StorageKey
from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from domain.clock import Clock, SystemClock
from domain.models import DialogState

# The session of the update being handled (set by the unit-of-work middleware). Dialog writes made by a
# handler join that transaction: they commit or roll back with the handler's own changes, and SQLite never
# sees two writers from one update.
update_session: ContextVar[AsyncSession | None] = ContextVar("update_session", default=None)


def _state_name(state: StateType) -> str | None:
    return state.state if isinstance(state, State) else state


_MISSING = object()


class SqlStorage(BaseStorage):
    """One row per storage key; one statement per call, in the update's transaction when there is one.

    With `cache=True` (a single-process deployment, i.e. SQLite) committed rows read outside an update's
    transaction are remembered, so plain navigation needs no query. Any write drops the key from the cache:
    the next read goes to the database, which holds whatever that transaction ended with.
    """

    MAX_CACHED = 50_000

    def __init__(
        self,
        session_factory: async_sessionmaker[AsyncSession],
        key_builder: KeyBuilder | None = None,
        clock: Clock | None = None,
        cache: bool = False,
    ) -> None:
        self._sessions = session_factory
        self._keys = key_builder or DefaultKeyBuilder(with_destiny=True)
        self._clock = clock or SystemClock()
        self._cache: dict[str, tuple[str | None, dict[str, Any]]] | None = {} if cache else None

    def _insert(self, session: AsyncSession) -> Any:
        dialect = session.get_bind().dialect.name
        return (postgresql if dialect == "postgresql" else sqlite).insert(DialogState)

    @asynccontextmanager
    async def _session(self, write: bool) -> AsyncIterator[AsyncSession]:
        current = update_session.get()
        if current is not None:
            yield current
            return
        async with self._sessions() as session:
            yield session
            if write:
                await session.commit()

    async def _read(self, key: StorageKey) -> tuple[str | None, dict[str, Any]]:
        row_key = self._keys.build(key)
        cache = self._cache
        if cache is not None and (hit := cache.get(row_key, _MISSING)) is not _MISSING:
            return hit  # type: ignore[return-value]  # the sentinel check leaves a cached (state, data)
        outside_update = update_session.get() is None
        async with self._session(write=False) as session:
            row = (await session.execute(
                select(DialogState.state, DialogState.data).where(DialogState.key == row_key)
            )).first()
        value = (row.state, dict(row.data or {})) if row is not None else (None, {})
        if cache is not None and outside_update:
            if len(cache) >= self.MAX_CACHED:
                cache.clear()
            cache[row_key] = value
        return value

    async def _upsert(self, key: StorageKey, **values: Any) -> None:
        row_key = self._keys.build(key)
        if self._cache is not None:
            self._cache.pop(row_key, None)
        values["updated_at"] = self._clock.now()
        async with self._session(write=True) as session:
            stmt = self._insert(session).values(key=row_key, **{"state": None, "data": {}, **values})
            await session.execute(stmt.on_conflict_do_update(index_elements=["key"], set_=values))

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        await self._upsert(key, state=_state_name(state))

    async def get_state(self, key: StorageKey) -> str | None:
        return (await self._read(key))[0]

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        # Only JSON survives a restart: refuse anything else now rather than lose it later.
        json.dumps(dict(data))
        await self._upsert(key, data=dict(data))

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        return dict((await self._read(key))[1])

    async def purge_idle(self, older_than: timedelta) -> int:
        """Forget dialogs nobody touched for `older_than`; returns how many were dropped."""
        cutoff = self._clock.now() - older_than
        if self._cache is not None:
            self._cache.clear()
        async with self._sessions.begin() as session:
            result = await session.execute(delete(DialogState).where(DialogState.updated_at < cutoff))
        return int(getattr(result, "rowcount", 0) or 0)  # a DELETE's CursorResult counts its rows

    async def close(self) -> None:
        """The engine belongs to the app, which disposes it."""
