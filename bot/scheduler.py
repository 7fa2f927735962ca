"""Background jobs: APScheduler sweeps over domain tables, run by one leader among the instances."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.storage import SqlStorage

log = logging.getLogger(__name__)

# Any constant works as long as every instance uses the same one: it names the leader's lock.
LEADER_LOCK_ID = 0x636C_6172_6561  # "clarea"
IDLE_DIALOG_TTL = timedelta(days=30)


class LeaderLock:
    """PostgreSQL advisory lock held on one connection for as long as this instance leads.

    SQLite is a single-process database, so the only process is the leader.
    """

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._conn: AsyncConnection | None = None

    async def try_acquire(self) -> bool:
        if self._engine.dialect.name != "postgresql":
            return True
        if self._conn is not None:
            return True
        conn = await self._engine.connect()
        got = await conn.scalar(text("SELECT pg_try_advisory_lock(:id)"), {"id": LEADER_LOCK_ID})
        await conn.commit()
        if got:
            self._conn = conn
            return True
        await conn.close()
        return False

    async def release(self) -> None:
        if self._conn is not None:
            try:
                await self._conn.execute(text("SELECT pg_advisory_unlock(:id)"), {"id": LEADER_LOCK_ID})
            finally:
                await self._conn.close()
                self._conn = None


Job = Callable[[], Awaitable[object]]


class Scheduler:
    """Jobs run only while this instance holds the leader lock; a follower retries the lock every minute."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._lock = LeaderLock(engine)
        self._aps = AsyncIOScheduler(timezone="UTC")
        self._jobs: list[tuple[str, Job, dict]] = []
        self._leader = False

    def add(self, name: str, job: Job, **trigger: float) -> None:
        """Register an idempotent sweep; `trigger` is an interval (seconds=..., minutes=..., hours=...)."""
        self._jobs.append((name, job, trigger))

    async def _run(self, name: str, job: Job) -> None:
        try:
            await job()
        except Exception:
            log.exception("scheduled job %s failed", name)

    async def _claim(self) -> None:
        if self._leader:
            return
        if await self._lock.try_acquire():
            self._leader = True
            log.info("this instance runs the scheduled jobs")
            for name, job, trigger in self._jobs:
                self._aps.add_job(self._run, "interval", args=(name, job), id=name, name=name,
                                  max_instances=1, coalesce=True, replace_existing=True, **trigger)

    async def start(self) -> None:
        self._aps.start()
        await self._claim()
        if not self._leader:
            self._aps.add_job(self._claim, "interval", minutes=1, id="leader-election", max_instances=1)

    async def stop(self) -> None:
        if self._aps.running:
            self._aps.shutdown(wait=False)
        await asyncio.sleep(0)
        await self._lock.release()

    @property
    def is_leader(self) -> bool:
        return self._leader


def standard_jobs(scheduler: Scheduler, storage: object) -> None:
    """The jobs every deployment runs; section modules add their own sweeps."""
    if isinstance(storage, SqlStorage):
        async def purge_dialogs() -> None:
            dropped = await storage.purge_idle(IDLE_DIALOG_TTL)
            if dropped:
                log.info("forgot %d dialog(s) idle for %s", dropped, IDLE_DIALOG_TTL)

        scheduler.add("purge-idle-dialogs", purge_dialogs, hours=6)
