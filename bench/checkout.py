"""Checking out a 10-item cart: SQL statements and milliseconds.

Two measurements, each repeated on fresh customers:
- domain: `Orders.checkout` of a 10-item cart in one unit of work (commit included), on SQLite;
- bot: a customer taps "Pay" in the sandbox until the "Paid" screen is recorded (the whole app, polling).

    python -m bench.checkout [--items 10] [--runs 20] [--database-url URL]

Prints one JSON object on stdout and a one-line summary on stderr.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import event

from bot.app import build_app
from bot.config import load_settings
from domain.accounts import Profile
from sandbox import FloodLimits, Sandbox

IPS = [f"8.8.{i}.{j}" for i in range(1, 50) for j in range(1, 50)]


async def fill_cart(app: Any, user_id: int, items: int) -> None:
    async with app.domain() as domain:
        await domain.accounts.touch(Profile(id=user_id, first_name=f"Bench{user_id}"))
        tariffs = [t.id for t in await domain.catalogue.tariffs("ispmanager")]
        for n in range(items):
            await domain.orders.add_to_cart(user_id, tariffs[n % len(tariffs)], [1, 3, 6, 12][n % 4],
                                            {"ip": IPS[(user_id * 10 + n) % len(IPS)]})
        await domain.ledger.post(user_id, "adjustment", 10_000_000, f"bench:{user_id}")


def summary(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {"median": round(statistics.median(ordered), 2), "p95": round(ordered[int(0.95 * (len(ordered) - 1))], 2),
            "min": round(ordered[0], 2), "max": round(ordered[-1], 2)}


async def run(items: int, runs: int, database_url: str | None) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        async with Sandbox(host="127.0.0.1", port=0, flood_limits=FloodLimits.off()) as sb:
            settings = load_settings(_env_file=None, bot_token=sb.token, telegram_api_base=sb.url,
                                     database_url=database_url or f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}",
                                     data_dir=Path(tmp), secret_key_file=Path(tmp) / "secret.key",
                                     scheduler_enabled=False, throttle_rate=1000,
                                     throttle_burst=1000)
            app = await build_app(settings)
            statements = [0]
            event.listen(app.engine.sync_engine, "before_cursor_execute",
                         lambda *_: statements.__setitem__(0, statements[0] + 1))

            domain_ms, domain_sql = [], []
            for n in range(runs):
                user_id = 700_000 + n
                await fill_cart(app, user_id, items)
                before, started = statements[0], time.perf_counter()
                async with app.domain() as domain:
                    result = await domain.orders.checkout(user_id)
                domain_ms.append((time.perf_counter() - started) * 1000)
                domain_sql.append(statements[0] - before)
                assert len(result.services) == items

            dp = app.dispatcher
            polling = asyncio.create_task(dp.start_polling(app.bot, handle_signals=False, close_bot_session=False,
                                                           allowed_updates=dp.resolve_used_update_types()))
            bot_ms, bot_sql = [], []
            try:
                for n in range(runs):
                    user_id = 800_000 + n
                    customer = await sb.user(id=user_id, first_name=f"Bench{n}", language_code="en")
                    await fill_cart(app, user_id, items)
                    await customer.send("/menu")
                    await customer.press("🧺 Cart")
                    pay = next(b for b in customer.screen.button_texts if b.startswith("💳 Pay"))
                    cart_message = customer.screen
                    paid = asyncio.get_running_loop().create_future()

                    def on_change(ev: dict[str, Any], chat_id: int = user_id, done: Any = paid) -> None:
                        text = (ev.get("message") or {}).get("text") or ""
                        if ev.get("chat_id") == chat_id and text.startswith("✅ Paid") and not done.done():
                            done.set_result(time.perf_counter())

                    sb.world.add_listener(on_change)
                    before, started = statements[0], time.perf_counter()
                    update = await customer.press(pay, message=cart_message, wait=False)
                    paid_at = await asyncio.wait_for(paid, 30)
                    await sb.wait(update)
                    sb.world.remove_listener(on_change)
                    bot_ms.append((paid_at - started) * 1000)
                    bot_sql.append(statements[0] - before)
            finally:
                await dp.stop_polling()
                await polling
                await app.close()
    return {
        "benchmark": "checkout",
        "items": items,
        "runs": runs,
        "database": "postgresql" if database_url and database_url.startswith("postgresql") else "sqlite",
        "domain_checkout": {"ms": summary(domain_ms), "sql_statements": summary([float(v) for v in domain_sql])},
        "bot_pay_tap": {"ms": summary(bot_ms), "sql_statements": summary([float(v) for v in bot_sql]),
                        "note": "tap accepted by the sandbox until the Paid screen is recorded"},
    }


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=10)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    report = await run(args.items, args.runs, args.database_url)
    print(json.dumps(report, indent=2))
    d, b = report["domain_checkout"], report["bot_pay_tap"]
    print(f"checkout of {args.items} items: domain {d['ms']['median']} ms, {d['sql_statements']['median']:.0f} SQL; "
          f"Pay tap {b['ms']['median']} ms, {b['sql_statements']['median']:.0f} SQL", file=sys.stderr)


if __name__ == "__main__":
    asyncio.run(main())
