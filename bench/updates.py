"""Throughput and latency of the real app against a bare aiogram echo bot, both on the local sandbox.

N simulated customers act concurrently, each like a person: act, wait for the bot's answer, act again
(main menu navigation, /help, unknown text). Latency is measured from the moment the sandbox accepted
the update to the moment the bot's first answer (a message or an edit) is recorded in that chat.

    python -m bench.updates [--customers 20] [--rounds 5] [--repeats 3] [--database-url URL]
    BENCH_PROFILE=/tmp/run python -m bench.updates --repeats 1   # /tmp/run.app, /tmp/run.echo: cProfiles

Each repeat runs the app and then the echo bot; the report gives the median run of each (this machine's
timing is noisy, single runs are not). Prints one JSON object on stdout and a one-line summary on stderr.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from aiogram import Bot, Dispatcher, F
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from sqlalchemy import event

from bot.app import build_app, freeze_startup_heap
from bot.config import load_settings
from sandbox import FloodLimits, Sandbox

# One round of a customer's session: (kind, action, argument); kinds name the answer counts below.
SCRIPT: list[tuple[str, str, str]] = [
    ("start", "send", "/start"),
    ("nav", "press", "❓ Help"),
    ("nav", "press", "☰ Main menu"),
    ("help", "send", "/help"),
    ("unknown", "send", "hello, is anybody there?"),
]


class AnswerWatch:
    """Resolves when the bot has answered in a chat: per chat, counts bot messages and edits of the newest one
    (the screen); taking the buttons off a superseded screen further up is not an answer."""

    def __init__(self) -> None:
        self.newest: dict[int, int] = {}
        self.counts: dict[int, int] = defaultdict(int)
        self.first_at: dict[int, float] = {}
        self.waiters: dict[int, tuple[int, asyncio.Future[None]]] = {}

    def __call__(self, ev: dict[str, Any]) -> None:
        if ev.get("type") not in ("message", "edit"):
            return
        message = ev.get("message") or {}
        if ev["type"] == "message" and not message.get("from_bot"):
            return
        chat_id = ev["chat_id"]
        if ev["type"] == "message":
            self.newest[chat_id] = ev["message_id"]
        elif ev["message_id"] != self.newest.get(chat_id):
            return
        self.counts[chat_id] += 1
        self.first_at.setdefault(chat_id, time.perf_counter())
        waiter = self.waiters.get(chat_id)
        if waiter and self.counts[chat_id] >= waiter[0] and not waiter[1].done():
            waiter[1].set_result(None)

    def expect(self, chat_id: int, answers: int) -> asyncio.Future[None]:
        self.counts[chat_id] = 0
        self.first_at.pop(chat_id, None)
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.waiters[chat_id] = (answers, future)
        return future


async def drive(sb: Sandbox, customers: int, rounds: int, answers: dict[str, int],
                statements: list[int], name: str) -> dict[str, Any]:
    watch = AnswerWatch()
    sb.world.add_listener(watch)
    users = [await sb.user(id=500_000 + i, first_name=f"Customer{i}", language_code="en" if i % 2 else "ru")
             for i in range(customers)]
    latencies: list[float] = []

    async def session(user: Any, rounds_: int, record: bool) -> None:
        for _ in range(rounds_):
            for kind, action, argument in SCRIPT:
                waiter = watch.expect(user.id, answers[kind])
                started = time.perf_counter()
                if action == "send":
                    await user.send(argument, wait=False)
                else:
                    label = argument if argument in user.screen.button_texts else _localized(argument, user)
                    await user.press(label, message=user.screen, wait=False)
                await asyncio.wait_for(waiter, 30)
                if record:
                    latencies.append(watch.first_at[user.id] - started)

    await asyncio.gather(*(session(u, 1, record=False) for u in users))  # warm-up: accounts, caches
    statements_before = statements[0]
    profiler = _profiler()
    started, cpu_started = time.perf_counter(), time.process_time()
    await asyncio.gather(*(session(u, rounds, record=True) for u in users))
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(f"{os.environ['BENCH_PROFILE']}.{name}")
    sb.world.remove_listener(watch)
    updates = customers * rounds * len(SCRIPT)
    return {
        "updates": updates,
        "seconds": round(elapsed, 3),
        "updates_per_s": round(updates / elapsed, 1),
        "latency_ms": _percentiles(latencies),
        # Process CPU per update: the bot and the in-process sandbox together, so read it as a comparison.
        "cpu_ms_per_update": round(cpu / updates * 1000, 2),
        "sql_statements": statements[0] - statements_before,
    }


def _profiler() -> Any:
    """BENCH_PROFILE=<file>: a cProfile of the measured phase only (not startup, not the warm-up)."""
    if not os.environ.get("BENCH_PROFILE"):
        return None
    import cProfile

    profiler = cProfile.Profile()
    profiler.enable()
    return profiler


RU_LABELS = {"❓ Help": "❓ Помощь", "☰ Main menu": "☰ Главное меню"}


def _localized(label: str, user: Any) -> str:
    return RU_LABELS.get(label, label)


def _percentiles(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    cuts = statistics.quantiles(ordered, n=100, method="inclusive")
    return {"p50": round(cuts[49] * 1000, 2), "p95": round(cuts[94] * 1000, 2), "p99": round(cuts[98] * 1000, 2),
            "max": round(ordered[-1] * 1000, 2)}


async def bench_app(customers: int, rounds: int, workdir: Path, database_url: str | None = None) -> dict[str, Any]:
    async with Sandbox(host="127.0.0.1", port=0, flood_limits=FloodLimits.off(), bot_username="client_area_bot") as sb:
        settings = load_settings(_env_file=None, bot_token=sb.token, telegram_api_base=sb.url,
                                 database_url=database_url or f"sqlite+aiosqlite:///{workdir / 'bench.db'}",
                                 data_dir=workdir, secret_key_file=workdir / "secret.key", scheduler_enabled=False,
                                 throttle_rate=1000, throttle_burst=1000)
        app = await build_app(settings)
        statements = [0]

        def count(*_: Any) -> None:
            statements[0] += 1

        event.listen(app.engine.sync_engine, "before_cursor_execute", count)
        freeze_startup_heap()  # as `client-area-bot run` does once the app is built
        result = await _polling(app.dispatcher, app.bot, lambda: drive(
            sb, customers, rounds, {"start": 1, "nav": 1, "help": 1, "unknown": 1}, statements, "app"))
        await app.close()
    result["sql_per_update"] = round(result["sql_statements"] / result["updates"], 2)
    return result


def echo_dispatcher() -> Dispatcher:
    """The baseline: a bare aiogram bot doing the same Telegram work (a message, or an edit + answer)."""
    dp = Dispatcher()
    markup = InlineKeyboardMarkup(inline_keyboard=[[
        InlineKeyboardButton(text="❓ Help", callback_data="help"),
        InlineKeyboardButton(text="☰ Main menu", callback_data="home"),
    ]])

    @dp.message(F.text)
    async def echo(message: Message) -> None:
        await message.answer(message.text or "", reply_markup=markup)

    @dp.callback_query()
    async def pressed(callback: CallbackQuery) -> None:
        await callback.answer()
        await callback.message.edit_text(f"{callback.data} {time.perf_counter_ns()}", reply_markup=markup)

    return dp


async def bench_echo(customers: int, rounds: int) -> dict[str, Any]:
    async with Sandbox(host="127.0.0.1", port=0, flood_limits=FloodLimits.off(), bot_username="echo_bot") as sb:
        bot = Bot(token=sb.token, session=AiohttpSession(api=TelegramAPIServer.from_base(sb.url)))
        result = await _polling(echo_dispatcher(), bot, lambda: drive(
            sb, customers, rounds, {"start": 1, "nav": 1, "help": 1, "unknown": 1}, [0], "echo"))
        await bot.session.close()
    result.pop("sql_statements")
    return result


async def _polling(dp: Dispatcher, bot: Bot, load: Callable[[], Awaitable[dict[str, Any]]]) -> dict[str, Any]:
    task = asyncio.create_task(dp.start_polling(bot, handle_signals=False, close_bot_session=False,
                                                allowed_updates=dp.resolve_used_update_types()))
    try:
        return await load()
    finally:
        await dp.stop_polling()
        await task


def _median_run(runs: list[dict[str, Any]]) -> dict[str, Any]:
    return sorted(runs, key=lambda r: r["updates_per_s"])[len(runs) // 2]


async def _wipe_postgres(url: str) -> None:
    from sqlalchemy import text

    from domain.db import create_engine

    engine = create_engine(url)
    async with engine.begin() as conn:
        await conn.execute(text("DROP SCHEMA public CASCADE"))
        await conn.execute(text("CREATE SCHEMA public"))
    await engine.dispose()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--database-url", default=None, help="default: a fresh SQLite file")
    args = parser.parse_args()
    apps, echoes = [], []
    for _ in range(args.repeats):
        if args.database_url and args.database_url.startswith("postgresql"):
            await _wipe_postgres(args.database_url)
        with tempfile.TemporaryDirectory() as tmp:
            apps.append(await bench_app(args.customers, args.rounds, Path(tmp), args.database_url))
        echoes.append(await bench_echo(args.customers, args.rounds))
    app, echo = _median_run(apps), _median_run(echoes)
    report = {
        "benchmark": "updates",
        "database": "postgresql" if args.database_url and args.database_url.startswith("postgresql") else "sqlite",
        "customers": args.customers,
        "rounds": args.rounds,
        "repeats": args.repeats,
        "script": [kind for kind, _, _ in SCRIPT],
        "app": app,
        "echo": echo,
        "app_runs_updates_per_s": [r["updates_per_s"] for r in apps],
        "echo_runs_updates_per_s": [r["updates_per_s"] for r in echoes],
        "throughput_ratio": round(app["updates_per_s"] / echo["updates_per_s"], 3),
        "targets": {"throughput_ratio_min": 0.6, "sql_per_update_max": 4},
    }
    report["targets_met"] = report["throughput_ratio"] >= 0.6 and app["sql_per_update"] <= 4
    print(json.dumps(report, indent=2))
    print(f"app {app['updates_per_s']} upd/s (p95 {app['latency_ms']['p95']} ms, {app['sql_per_update']} SQL/update)"
          f" vs echo {echo['updates_per_s']} upd/s (p95 {echo['latency_ms']['p95']} ms):"
          f" ratio {report['throughput_ratio']}", file=sys.stderr)


if __name__ == "__main__":
    asyncio.run(main())
