"""The expiry sweeps at scale, and push delivery against Telegram's limits.

1. Sweep: 100k customers and 200k services (expiring evenly over the past 40 and the next 365 days, a third
   with auto-renewal, half the customers with some balance) are seeded into SQLite with bulk inserts. The expiry
   sweep (reminders + suspension + deletion, `ExpiryJobs.expiry`) is timed on its first run ever (yesterday: every
   reminder and the whole suspension backlog at once), then today's run (a day's worth of new reminders,
   suspensions and deletions), once more (idempotent: nothing new), and the auto-renewal sweep once.
   Target: the reminder sweep under 2 s.
2. Delivery: `bench.delivery` (the outbox worker against the sandbox enforcing 30/s per bot and 1/s per chat).
   Target: at least 90% of the configured rate with zero 429 answers.

    python -m bench.notify [--users 100000] [--services 200000] [--notifications 500] [--rate 25]

Prints one JSON object on stdout and a one-line summary on stderr.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select

from bench.delivery import bench as delivery_bench
from bot.app import load_catalogue
from bot.config import load_settings
from bot.jobs import ExpiryJobs
from bot.migrate import upgrade
from domain.clock import FrozenClock
from domain.db import create_engine, create_session_factory
from domain.models import Balance, Notification, OutboxMessage, Service, Tariff, User
from domain.unit import DomainContext, unit_of_work

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
CHUNK = 20_000


async def seed(sessions: Any, users: int, services: int) -> dict[str, int]:
    rng = random.Random(6)
    async with sessions.begin() as session:
        tariffs = list((await session.execute(select(Tariff.id, Tariff.product_code)
                                              .where(Tariff.product_code.in_(["ispmanager", "ssl"])))).all())
        for start in range(0, users, CHUNK):
            await session.execute(insert(User), [
                {"id": 10_000_000 + n, "first_name": f"C{n}", "language_code": "en" if n % 3 else "ru",
                 "time_zone": "UTC", "reachable": True, "created_at": NOW, "last_seen_at": NOW}
                for n in range(start, min(users, start + CHUNK))
            ])
        await session.execute(insert(Balance), [
            {"user_id": 10_000_000 + n, "amount": rng.randrange(0, 20_000), "currency": "EUR"}
            for n in range(0, users, 2)
        ])
        for start in range(0, services, CHUNK):
            rows = []
            for n in range(start, min(services, start + CHUNK)):
                tariff_id, product = tariffs[n % len(tariffs)]
                months = 12 if product == "ssl" else rng.choice((1, 3, 6, 12))
                expires = NOW + timedelta(minutes=rng.randrange(-40 * 1440, 365 * 1440))
                rows.append({
                    "user_id": 10_000_000 + n % users, "kind": "ssl" if product == "ssl" else "licence",
                    "product_code": product, "tariff_id": tariff_id, "status": "active",
                    "name": f"srv-{n}" if product != "ssl" else None,
                    "domain": f"site{n}.example" if product == "ssl" else None,
                    "ip_address": "93.184.216.34" if product != "ssl" else None,
                    "period_months": months, "auto_renew": n % 3 == 0, "created_at": NOW - timedelta(days=400),
                    "expires_at": expires,
                })
            await session.execute(insert(Service), rows)
    return {"users": users, "services": services}


async def sweep(users: int, services: int, data_dir: Path) -> dict[str, Any]:
    url = f"sqlite+aiosqlite:///{data_dir / 'notify.db'}"
    settings = load_settings(_env_file=None, database_url=url, data_dir=data_dir,
                             secret_key_file=data_dir / "secret.key")
    engine = create_engine(url)
    await upgrade(engine)
    sessions = create_session_factory(engine)
    await load_catalogue(settings, sessions, engine)
    started = time.perf_counter()
    await seed(sessions, users, services)
    seeded = time.perf_counter() - started
    clock = FrozenClock(NOW - timedelta(days=1))
    # Each sweep's units of work are the domain's own, as the app's are: a session each, commit or roll back.
    jobs = ExpiryJobs(partial(unit_of_work, sessions, DomainContext(clock=clock)))

    async def timed(name: str, job: Any) -> Any:
        started = time.perf_counter()
        result = await job()
        timings[name] = round(time.perf_counter() - started, 3)
        return result

    timings: dict[str, float] = {}
    try:
        # Yesterday's sweep on a database that never had one: every reminder, suspension and deletion due.
        backlog, backlog_expired = await timed("first_sweep_s", jobs.expiry)
        # Today's sweep: what a day brings (the sweep runs every REMINDER_INTERVAL; this is its largest run).
        clock.set(NOW)
        reminded, expired = await timed("reminder_sweep_s", jobs.expiry)
        again, again_expired = await timed("reminder_sweep_again_s", jobs.expiry)
        renewal = await timed("auto_renewal_s", jobs.auto_renewal)
        async with sessions() as session:
            notifications = await session.scalar(select(func.count()).select_from(Notification))
            outbox = await session.scalar(select(func.count()).select_from(OutboxMessage))
    finally:
        await engine.dispose()
    return {
        "seed_seconds": round(seeded, 2),
        **timings,
        "first_sweep": {"reminders": backlog.notified, "suspended": backlog_expired.suspended,
                        "deleted": backlog_expired.deleted, "notices": backlog.notified + backlog_expired.notified},
        "reminder_candidates": reminded.candidates,
        "reminders": reminded.notified,
        "skipped_auto_renew": reminded.skipped_auto_renew,
        "suspended": expired.suspended,
        "deleted": expired.deleted,
        "second_sweep_new": again.notified + again_expired.notified,
        "auto_renewed": renewal.renewed,
        "auto_renewal_short": renewal.plan.short,
        "notifications": notifications,
        "outbox": outbox,
    }


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=100_000)
    parser.add_argument("--services", type=int, default=200_000)
    parser.add_argument("--notifications", type=int, default=500)
    parser.add_argument("--customers", type=int, default=100)
    parser.add_argument("--rate", type=float, default=25.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        swept = await sweep(args.users, args.services, Path(tmp))
    with tempfile.TemporaryDirectory() as tmp:
        delivered = await delivery_bench(args.notifications, args.customers, args.rate, Path(tmp), None)
    report = {
        "benchmark": "notify",
        "database": "sqlite",
        "sweep": swept,
        "delivery": {"configured_rate": args.rate, "notifications": args.notifications,
                     "customers": args.customers, **delivered},
        "targets": {"reminder_sweep_s_max": 2.0, "rate_ratio_min": 0.9, "http_429_max": 0},
    }
    report["targets_met"] = (swept["reminder_sweep_s"] < 2.0 and delivered["rate_ratio"] >= 0.9
                             and delivered["http_429"] == 0 and delivered["exactly_once"])
    print(json.dumps(report, indent=2))
    print(f"notify: expiry sweep over {args.services} services: first {swept['first_sweep_s']:.2f} s "
          f"({swept['first_sweep']['notices']} notices), daily {swept['reminder_sweep_s']:.2f} s "
          f"({swept['reminders']} reminders, {swept['suspended']} suspended, {swept['deleted']} deleted; "
          f"again {swept['reminder_sweep_again_s']:.2f} s), auto-renewal {swept['auto_renewal_s']:.2f} s "
          f"({swept['auto_renewed']} renewed); delivery {delivered['messages_per_s']} msg/s of {args.rate} "
          f"({delivered['rate_ratio']:.0%}), {delivered['http_429']} x 429", file=sys.stderr)


if __name__ == "__main__":
    asyncio.run(main())
