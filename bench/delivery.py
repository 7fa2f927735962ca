"""Push delivery rate against the sandbox enforcing Telegram's flood limits (30/s per bot, 1/s per chat).

N notifications to M customers are queued in the outbox, then the delivery worker sends them all. The report
gives the messages a second achieved (first to last accepted sendMessage) against the configured
DELIVERY_RATE, the 429 answers the sandbox gave, and whether every customer got each notification exactly once.

    python -m bench.delivery [--notifications 500] [--customers 100] [--rate 25] [--database-url URL]

Prints one JSON object on stdout and a one-line summary on stderr.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from bot.app import build_app
from bot.config import load_settings
from bot.delivery import DeliveryWorker
from domain.accounts import Profile
from sandbox import FloodLimits, Sandbox

FIRST_USER = 500_000


async def bench(notifications: int, customers: int, rate: float, data_dir: Path,
                database_url: str | None) -> dict[str, Any]:
    async with Sandbox(host="127.0.0.1", port=0, flood_limits=FloodLimits(), bot_username="client_area_bot") as sb:
        settings = load_settings(
            _env_file=None, bot_token=sb.token, telegram_api_base=sb.url, data_dir=data_dir,
            secret_key_file=data_dir / "secret.key",
            database_url=database_url or f"sqlite+aiosqlite:///{data_dir / 'bench.db'}",
            scheduler_enabled=False, delivery_rate=rate,
        )
        app = await build_app(settings)
        dp = app.dispatcher
        polling = asyncio.create_task(dp.start_polling(app.bot, handle_signals=False, close_bot_session=False,
                                                       allowed_updates=dp.resolve_used_update_types()))
        try:
            await asyncio.sleep(0.2)  # startup: translations loaded
            user_ids = [FIRST_USER + n for n in range(customers)]
            for user_id in user_ids:
                await sb.user(id=user_id, first_name=f"C{user_id}", language_code="en" if user_id % 2 else "ru")
            async with app.domain() as domain:
                for user_id in user_ids:  # the accounts as a first message from each would make them
                    await domain.accounts.touch(Profile(id=user_id, first_name=f"C{user_id}",
                                                        language_code="en" if user_id % 2 else "ru"))
                for n in range(notifications):
                    await domain.notifications.notify(
                        user_ids[n % customers], category="news", key="notification-news",
                        args={"title": f"Release {n}", "text": "A new version is out."}, dedupe_key=f"bench:{n}")
            worker = DeliveryWorker.from_app(app)
            before = len(sb.core.requests)
            started = time.perf_counter()
            while True:
                stats = await worker.run_once()
                async with app.domain() as domain:
                    pending = (await domain.outbox.counts())["pending"]
                if not pending:
                    break
                if stats.claimed == 0:
                    await asyncio.sleep(0.05)
            wall = time.perf_counter() - started
            calls = [r for r in list(sb.core.requests)[before:] if r.method.lower() == "sendmessage"]
            ok = [r for r in calls if r.ok]
            per_chat = Counter(int(r.params["chat_id"]) for r in ok)
            texts = Counter((int(r.params["chat_id"]), r.params["text"]) for r in ok)
            span = max(r.time for r in ok) - min(r.time for r in ok) if len(ok) > 1 else 0.0
            async with app.domain() as domain:
                counts = await domain.outbox.counts()
        finally:
            await dp.stop_polling()
            await polling
            await app.close()
    achieved = (len(ok) - 1) / span if span else 0.0
    return {
        "messages": len(ok),
        "seconds": round(span, 2),
        "wall_seconds": round(wall, 2),
        "messages_per_s": round(achieved, 2),
        "rate_ratio": round(achieved / rate, 3),
        "http_429": sum(1 for r in calls if r.error_code == 429),
        "other_errors": sum(1 for r in calls if not r.ok and r.error_code != 429),
        "exactly_once": all(v == 1 for v in texts.values()) and len(texts) == notifications,
        "per_customer": {"min": min(per_chat.values(), default=0), "max": max(per_chat.values(), default=0)},
        "outbox": counts,
        "totals": worker.totals.__dict__,
    }


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notifications", type=int, default=500)
    parser.add_argument("--customers", type=int, default=100)
    parser.add_argument("--rate", type=float, default=25.0)
    parser.add_argument("--database-url", default=None, help="default: a fresh SQLite file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        result = await bench(args.notifications, args.customers, args.rate, Path(tmp), args.database_url)
    report = {
        "benchmark": "delivery",
        "database": "postgresql" if args.database_url and args.database_url.startswith("postgresql") else "sqlite",
        "notifications": args.notifications,
        "customers": args.customers,
        "configured_rate": args.rate,
        "flood_limits": "sandbox defaults: 30/s per bot (burst 30), 1/s per private chat (burst 10)",
        **result,
        "targets": {"rate_ratio_min": 0.9, "http_429_max": 0},
    }
    report["targets_met"] = result["rate_ratio"] >= 0.9 and result["http_429"] == 0 and result["exactly_once"]
    print(json.dumps(report, indent=2))
    print(f"delivery {result['messages_per_s']} msg/s of {args.rate} configured ({result['rate_ratio']:.0%}),"
          f" {result['http_429']} x 429, exactly once: {result['exactly_once']}", file=sys.stderr)


if __name__ == "__main__":
    asyncio.run(main())
