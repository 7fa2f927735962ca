"""Screens on a large database: per screen p50/p95 and SQL statements, and the auto-renewal sweep.

Seeds `--customers` customers in bulk (by default 100,000 with 10 services, 50 ledger entries and 2 tickets each:
1M services, 5M entries, 200k tickets), then a sample of customers opens the licences list and a licence card,
walks the order wizard to the cart, opens the cart, billing history pages, the tickets list and a ticket, and
the inbox, through the sandbox and the real app. Then 1,000 services fall due with automatic renewal on and the
sweep renews them.

    python -m bench.screens [--customers 100000] [--sample 30] [--database-url postgresql+asyncpg://...]
                            [--redis-url redis://...]

(SQLite by default, in a temporary file.) The screens and the sweep are measured `--runs` times on the one
seeded database; the figures are the medians, each run's are under `per_run`. Prints one JSON object on
stdout and a summary line on stderr.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import event, text, update

from bench.seed import History, seed_customers
from bot.app import build_app
from bot.config import load_settings
from bot.jobs import ExpiryJobs
from domain.models import Balance, Service
from sandbox import FloodLimits, Sandbox

PER_CUSTOMER = History(services=10, entries=50, tickets=2, messages=3, notifications=5)


class ReportHandling:
    """Tells the sandbox when each update's handling begins and ends, so a press returns when its handling ended
    (not after the sandbox's wait for quiet), and keeps how long each handling took: the time from the bot
    taking the update to its last answer, which is what a screen is timed by."""

    def __init__(self, sandbox: Any) -> None:
        self.sandbox = sandbox
        self.took: list[float] = []

    async def __call__(self, handler: Any, event: Any, data: dict[str, Any]) -> Any:
        self.sandbox.handling_started()
        started = time.perf_counter()
        try:
            return await handler(event, data)
        finally:
            self.took.append(time.perf_counter() - started)
            self.sandbox.handling_finished(event.update_id)


def percentiles(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {"p50_ms": round(statistics.median(ordered) * 1000, 1),
            "p95_ms": round(ordered[round(0.95 * (len(ordered) - 1))] * 1000, 1)}


async def wipe(database_url: str) -> None:
    from domain.db import create_engine

    engine = create_engine(database_url)
    async with engine.begin() as conn:
        await conn.execute(text("DROP SCHEMA public CASCADE"))
        await conn.execute(text("CREATE SCHEMA public"))
    await engine.dispose()


async def screens(sandbox: Any, app: Any, report: ReportHandling, customer_ids: list[int]) -> dict[str, Any]:
    statements: list[int] = [0]
    def count(*_: Any) -> None:
        statements[0] += 1

    event.listen(app.engine.sync_engine, "before_cursor_execute", count)
    times: dict[str, list[float]] = {}
    counts: dict[str, list[int]] = {}

    async def step(name: str, action: Any) -> None:
        statements[0] = 0
        report.took.clear()
        await action()
        times.setdefault(name, []).append(sum(report.took))
        counts.setdefault(name, []).append(statements[0])

    for user_id in customer_ids:
        c = await sandbox.user(id=user_id, first_name=f"Customer {user_id}", language_code="en")
        await c.send("/menu")
        await step("licences list", lambda c=c: c.press("🔑 Licences"))
        first = next(b for b in c.screen.button_texts if b.startswith("#"))
        await step("licence card", lambda c=c, first=first: c.press(first))
        await c.send("/menu")
        await step("order: products", lambda c=c: c.press("🛒 Order"))
        await step("order: tariffs", lambda c=c: c.press("ispmanager licence"))
        await step("order: periods", lambda c=c: c.press(c.screen.button_texts[0]))
        await step("order: name", lambda c=c: c.press(next(b for b in c.screen.button_texts if b.startswith("12"))))
        await step("order: ip", lambda c=c: c.press("Skip"))
        address = f"9.9.{user_id % 250}.{1 + user_id % 200}"
        await step("order: summary", lambda c=c, address=address: c.send(address))
        await step("order: to cart", lambda c=c: c.press("✅ To cart"))
        await step("cart", lambda c=c: c.press("🧺 Cart"))
        await c.send("/menu")
        await c.press("💰 Billing")
        await step("payments", lambda c=c: c.press("Payments"))
        await step("payments page 2", lambda c=c: c.press("›"))
        await c.send("/support")
        await step("tickets list", lambda c=c: c.press(next(b for b in c.screen.button_texts
                                                           if b.startswith("🎫 Tickets"))))
        ticket = next(b for b in c.screen.button_texts if b.startswith("#"))
        await step("a ticket", lambda c=c, ticket=ticket: c.press(ticket))
        await c.send("/support")
        await step("inbox", lambda c=c: c.press(next(b for b in c.screen.button_texts if b.startswith("🔔"))))
    event.remove(app.engine.sync_engine, "before_cursor_execute", count)
    return {name: {**percentiles(values), "statements": max(counts[name]),
                   "statements_vary": len(set(counts[name])) > 1} for name, values in times.items()}


async def renewal_sweep(app: Any, due: int, run: int = 0) -> dict[str, Any]:
    """`due` services fall due with automatic renewal on and money on the balance; the sweep renews them. Each
    run moves their expiry a day earlier than the last, so every run renews a period of its own."""
    now = datetime.now(UTC)
    async with app.sessions.begin() as session:
        ids = list((await session.scalars(
            Service.__table__.select().with_only_columns(Service.id).where(Service.status == "active")
            .order_by(Service.id).limit(due))).all())
        await session.execute(update(Service).values(auto_renew=False))
        await session.execute(update(Service).where(Service.id.in_(ids))
                              .values(auto_renew=True, expires_at=now + timedelta(days=2 - run)))
        await session.execute(update(Balance).values(amount=10_000_000))
    jobs = ExpiryJobs.from_app(app, app.dispatcher["delivery"])
    statements = [0]

    def count(*_: Any) -> None:
        statements[0] += 1

    event.listen(app.engine.sync_engine, "before_cursor_execute", count)
    started = time.perf_counter()
    try:
        run = await jobs.auto_renewal()
    finally:
        event.remove(app.engine.sync_engine, "before_cursor_execute", count)
    return {"due": len(ids), "renewed": run.renewed, "seconds": round(time.perf_counter() - started, 2),
            "statements": statements[0]}


async def main(args: argparse.Namespace) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite+aiosqlite:///{Path(tmp) / 'screens.db'}"
        if url.startswith("postgresql"):
            await wipe(url)
        if args.redis_url:
            from redis.asyncio import Redis

            async with Redis.from_url(args.redis_url) as redis:
                await redis.flushdb()
        async with Sandbox(host="127.0.0.1", port=0, flood_limits=FloodLimits.off(),
                           bot_username="client_area_bot") as sb:
            settings = load_settings(_env_file=None, bot_token=sb.token, telegram_api_base=sb.url, database_url=url,
                                     data_dir=Path(tmp), secret_key_file=Path(tmp) / "secret.key",
                                     scheduler_enabled=False, throttle_rate=1000, throttle_burst=1000,
                                     redis_url=args.redis_url)
            app = await build_app(settings)
            from bot.runner import lifecycle

            lifecycle(app)
            seeded = time.perf_counter()
            for start in range(0, args.customers, 10_000):
                await seed_customers(app.sessions, 100_000 + start, min(10_000, args.customers - start),
                                     PER_CUSTOMER, seed=start)
            seed_seconds = time.perf_counter() - seeded
            report = ReportHandling(sb)
            app.dispatcher.update.outer_middleware(report)
            polling = asyncio.create_task(app.dispatcher.start_polling(
                app.bot, handle_signals=False, allowed_updates=app.dispatcher.resolve_used_update_types(),
                polling_timeout=1))
            try:
                step = max(1, args.customers // args.sample)
                runs = []
                for run in range(args.runs):  # the same database; each run its own customers and due period
                    sample = [100_000 + (n * step + run) % args.customers for n in range(args.sample)]
                    runs.append({"screens": await screens(sb, app, report, sample),
                                 "renewal_sweep": await renewal_sweep(app, args.due, run)})
            finally:
                await app.dispatcher.stop_polling()
                await polling
                await app.close()
    names = list(runs[0]["screens"])
    median = {name: {key: statistics.median(r["screens"][name][key] for r in runs) for key in ("p50_ms", "p95_ms")}
              | {"statements": max(r["screens"][name]["statements"] for r in runs),
                 "statements_vary": any(r["screens"][name]["statements_vary"] for r in runs)} for name in names}
    sweeps = [r["renewal_sweep"] for r in runs]
    return {"bench": "screens", "database": url.split(":", 1)[0], "redis": bool(args.redis_url),
            "customers": args.customers,
            "services": args.customers * PER_CUSTOMER.services, "ledger_entries": args.customers * PER_CUSTOMER.entries,
            "tickets": args.customers * PER_CUSTOMER.tickets, "seed_seconds": round(seed_seconds, 1),
            "sample": args.sample, "runs": args.runs, "screens": median,
            "renewal_sweep": {"due": sweeps[0]["due"], "renewed": [s["renewed"] for s in sweeps],
                              "seconds": [s["seconds"] for s in sweeps],
                              "median_seconds": statistics.median(s["seconds"] for s in sweeps)},
            "per_run": runs}


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--sample", type=int, default=30)
    parser.add_argument("--due", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3, help="measured runs on the one seeded database (median)")
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--redis-url", default=None,
                        help="dialog state and screens in Redis, as the scale-out runs (flushed first)")
    result = asyncio.run(main(parser.parse_args()))
    print(json.dumps(result, indent=2))
    worst = max(result["screens"].items(), key=lambda kv: kv[1]["p95_ms"])
    print(f"screens: {result['customers']} customers; slowest p95 {worst[0]} {worst[1]['p95_ms']} ms; "
          f"renewal sweep of {result['renewal_sweep']['due']}: median {result['renewal_sweep']['median_seconds']} s",
          file=sys.stderr)
