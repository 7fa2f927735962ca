"""Background jobs: APScheduler sweeps over domain tables, run by one leader among the instances."""

from __future__ import annotations

import asyncio
import contextlib
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

    A leader that dies lets go at once (its connection closes with it). One that goes silent (a frozen host,
    a cut network) loses the lock when PostgreSQL's keepalives on that connection give up: within `lease`
    seconds. SQLite is a single-process database, so the only process is the leader.
    """

    def __init__(self, engine: AsyncEngine, lease: float = 15.0) -> None:
        self._engine = engine
        self._lease = lease
        self._conn: AsyncConnection | None = None

    async def try_acquire(self) -> bool:
        if self._engine.dialect.name != "postgresql":
            return True
        if self._conn is not None:
            return True
        conn = await self._engine.connect()
        try:
            got = await conn.scalar(text("SELECT pg_try_advisory_lock(:id)"), {"id": LEADER_LOCK_ID})
            if got:
                # The server notices a silent leader within the lease: idle + interval * count.
                step = max(1, int(self._lease // 3))
                for name, value in (("tcp_keepalives_idle", step), ("tcp_keepalives_interval", step),
                                    ("tcp_keepalives_count", 2)):
                    await conn.execute(text(f"SET {name} = {value}"))
            await conn.commit()
        except BaseException:
            await conn.close()
            raise
        if got:
            self._conn = conn
            return True
        await conn.close()
        return False

    async def still_held(self) -> bool:
        """Whether the lock's connection is still alive (a leader that lost it must stop leading)."""
        if self._engine.dialect.name != "postgresql":
            return True
        if self._conn is None:
            return False
        try:
            await self._conn.execute(text("SELECT 1"))
            await self._conn.commit()
            return True
        except Exception:
            log.warning("the leader lock's connection is gone")
            with contextlib.suppress(Exception):
                await self._conn.close()
            self._conn = None
            return False

    async def release(self) -> None:
        if self._conn is not None:
            try:
                await self._conn.execute(text("SELECT pg_advisory_unlock(:id)"), {"id": LEADER_LOCK_ID})
            except Exception:
                log.warning("could not release the leader lock (its connection is gone)")
            finally:
                with contextlib.suppress(Exception):
                    await self._conn.close()
                self._conn = None


Job = Callable[[], Awaitable[object]]
Hook = Callable[[], object]


class Scheduler:
    """Jobs run only while this instance holds the leader lock. Every `takeover` seconds a follower tries for
    the lock and the leader checks that it still has it; so after a leader dies another leads within
    `takeover` seconds (within `lease` + `takeover` when it went silent instead)."""

    def __init__(self, engine: AsyncEngine, *, takeover: float = 10.0, lease: float = 15.0) -> None:
        self._lock = LeaderLock(engine, lease)
        self._aps = AsyncIOScheduler(timezone="UTC")
        self._jobs: list[tuple[str, Job, dict[str, float]]] = []
        self._on_lead: list[Hook] = []
        self._on_follow: list[Hook] = []
        self._leader = False
        self._takeover = takeover

    def add(self, name: str, job: Job, **trigger: float) -> None:
        """Register an idempotent sweep; `trigger` is an interval (seconds=..., minutes=..., hours=...)."""
        self._jobs.append((name, job, trigger))

    def on_lead(self, hook: Hook, on_follow: Hook | None = None) -> None:
        """Run `hook` when this instance becomes the leader (and `on_follow` when it stops being it)."""
        self._on_lead.append(hook)
        if on_follow is not None:
            self._on_follow.append(on_follow)

    async def _run(self, name: str, job: Job) -> None:
        try:
            await job()
        except Exception:
            log.exception("scheduled job %s failed", name)

    async def _elect(self) -> None:
        """Become the leader when the lock is free; as the leader, step down when the lock is lost."""
        if self._leader:
            if await self._lock.still_held():
                return
            self._leader = False
            for name, _, _ in self._jobs:
                with contextlib.suppress(Exception):
                    self._aps.remove_job(name)
            for hook in self._on_follow:
                await _call(hook)
            log.warning("this instance no longer leads the scheduled jobs")
        if await self._lock.try_acquire():
            self._leader = True
            log.info("this instance runs the scheduled jobs")
            for name, job, trigger in self._jobs:
                self._aps.add_job(self._run, "interval", args=(name, job), id=name, name=name,
                                  max_instances=1, coalesce=True, replace_existing=True, **trigger)
            for hook in self._on_lead:
                await _call(hook)

    async def run_now(self) -> None:
        """Every job once, now, when this instance leads (the demo runs them after its clock moves)."""
        if self._leader:
            for name, job, _ in self._jobs:
                await self._run(name, job)

    async def start(self) -> None:
        self._aps.start()
        await self._elect()
        self._aps.add_job(self._elect, "interval", seconds=self._takeover, id="leader-election", max_instances=1,
                          coalesce=True)

    async def stop(self) -> None:
        if self._aps.running:
            self._aps.shutdown(wait=False)
        await asyncio.sleep(0)
        await self._lock.release()

    @property
    def is_leader(self) -> bool:
        return self._leader


async def _call(hook: Hook) -> None:
    result = hook()
    if asyncio.iscoroutine(result):
        await result


def standard_jobs(scheduler: Scheduler, storage: object) -> None:
    """The jobs every deployment runs; section modules add their own sweeps."""
    if isinstance(storage, SqlStorage):
        async def purge_dialogs() -> None:
            dropped = await storage.purge_idle(IDLE_DIALOG_TTL)
            if dropped:
                log.info("forgot %d dialog(s) idle for %s", dropped, IDLE_DIALOG_TTL)

        scheduler.add("purge-idle-dialogs", purge_dialogs, hours=6)
