"""The documented scale-out, built for real: the sandbox delivering webhooks in parallel as Telegram does,
haproxy round-robin in front of two `client-area-bot webhook` workers, two `client-area-bot scheduler`
processes, PostgreSQL and Redis. Bursts for the same chats give no error and lose nothing, dialogs continue
across workers, one scheduler leads, and after the leader's kill -9 the other leads and delivers within the
bound the README states, nothing twice. (docker-compose.yml shows the same topology.)"""

from __future__ import annotations

import asyncio
import shutil
import signal
import time
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import text

from bench.topology import bot_api, topology, until
from bot.scheduler import LEADER_LOCK_ID
from domain.db import create_session_factory
from domain.unit import DomainContext, unit_of_work
from sandbox import FloodLimits, Sandbox
from tests.conftest import TEST_REDIS_URL, on_postgres

TAKEOVER, LEASE = 2, 6  # seconds, for the test; the defaults (10, 15) give a bound of 25 s
CHATS, PER_CHAT, IN_FLIGHT = 20, 15, 40

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not (on_postgres() and TEST_REDIS_URL), reason="scale-out needs PostgreSQL and Redis"),
    pytest.mark.skipif(shutil.which("haproxy") is None and not Path("/usr/sbin/haproxy").exists(),
                       reason="haproxy is not installed (.ci/run installs it)"),
    pytest.mark.timeout(300),
]


@pytest.fixture
async def running(tmp_path, db_url, redis_url, engine):
    async with Sandbox(host="127.0.0.1", port=0, bot_username="client_area_bot", bot_first_name="Client Area",
                       flood_limits=FloodLimits.off()) as sandbox, \
            topology(sandbox, tmp_path, db_url, redis_url, extra_env={
                "THROTTLE_RATE": "1000", "THROTTLE_BURST": "1000", "SCHEDULER_TAKEOVER": str(TAKEOVER),
                "SCHEDULER_LEASE": str(LEASE)}) as running:
        yield running


async def test_bursts_across_two_workers_lose_nothing_and_the_scheduler_fails_over(running, engine) -> None:
    sandbox = running.sandbox
    info = await bot_api(sandbox, "getWebhookInfo")
    assert info["max_connections"] == IN_FLIGHT  # Telegram's default, as the workers set it
    customers = [await sandbox.user(id=5000 + n, first_name=f"C{n}", language_code="en") for n in range(CHATS)]

    # A burst: every customer sends 15 commands at once; 20 chats x 15 updates, up to 40 delivered at once.
    sent_at = time.monotonic()
    for _ in range(PER_CHAT):
        for customer in customers:
            await customer.send("/help", wait=False)

    async def all_answered() -> bool:
        return all(len(c.bot_messages) >= PER_CHAT for c in customers)

    await until(all_answered, 120, "every update answered")
    burst_seconds = time.monotonic() - sent_at
    texts = [m.text or "" for c in customers for m in c.bot_messages]
    assert len(texts) == CHATS * PER_CHAT, Counter(len(c.bot_messages) for c in customers)
    assert all(t.startswith("Help") for t in texts), [t for t in texts if not t.startswith("Help")][:3]
    assert (await bot_api(sandbox, "getWebhookInfo"))["pending_update_count"] == 0
    for process in running.workers:
        log = process.output()
        assert "Traceback" not in log and "MaxConnectionsError" not in log, process.name
    served = [await running.updates_handled(port) for port in running.worker_ports]
    assert sum(served) >= CHATS * PER_CHAT and all(served), served  # both workers took their share
    print(f"burst: {CHATS * PER_CHAT} updates in {burst_seconds:.1f} s; served per worker {served}")

    # A dialog hops workers (round robin) and continues: a ticket filed in five steps.
    ann = customers[0]
    await ann.send("/support")
    await ann.press("✍️ New ticket")
    await ann.press("Billing")
    await ann.send("Across workers")
    await ann.send("This message went to the other worker.")
    await ann.press("📨 Send ticket")
    assert "Ticket #1 is filed." in ann.screen.text

    # Exactly one scheduler leads; kill -9 it and the other takes over and delivers.
    await until(lambda: _one_leader(running), 30, "one leader")
    [leader] = running.leaders()
    leader.proc.send_signal(signal.SIGKILL)
    await leader.proc.wait()
    killed_at = time.monotonic()
    async with unit_of_work(create_session_factory(engine), DomainContext()) as domain:
        await domain.notifications.notify(5001, category="news", key="topup-credited-note",
                                          args={"amount": {"$type": "money", "minor": 100, "currency": "EUR"}},
                                          dedupe_key="scaleout:push")
    pushed = customers[1]

    async def delivered() -> bool:
        return any("Payment received" in (m.text or "") for m in pushed.bot_messages)

    await until(delivered, TAKEOVER + LEASE + 15, "delivery after the leader died")
    takeover_seconds = time.monotonic() - killed_at
    await asyncio.sleep(2)
    assert sum("Payment received" in (m.text or "") for m in pushed.bot_messages) == 1
    async with engine.connect() as conn:
        holders = await conn.scalar(text(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted AND classid = :high"
            " AND objid = :low AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"),
            {"high": LEADER_LOCK_ID >> 32, "low": LEADER_LOCK_ID & 0xFFFFFFFF})
    assert holders == 1
    print(f"takeover and delivery {takeover_seconds:.1f} s after kill -9 (bound {TAKEOVER + LEASE} s here)")


async def _one_leader(running) -> bool:
    return len(running.leaders()) == 1
