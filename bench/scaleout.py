"""Scale-out: updates/s and latency for 1 and 2 webhook workers behind haproxy, on PostgreSQL and Redis.

The sandbox plays Telegram and delivers webhooks in parallel (max_connections 40). Each round sends
`--per-chat` /help messages for each of `--chats` customers at once; an update's latency is from its post to
the bot's answer in that chat. CPU per update is the user+system CPU each process used during the burst,
divided by the updates. On this 2-core machine the sandbox, haproxy and the workers share the cores, so the
second worker cannot double throughput here; on a machine with a core per worker it scales with them.

    python -m bench.scaleout --database-url postgresql+asyncpg://postgres@127.0.0.1:5432/test \\
        --redis-url redis://127.0.0.1:6379/3 [--chats 20 --per-chat 15 --repeats 3]

Prints one JSON object on stdout and a summary line on stderr.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import text

from bench.topology import topology, until
from domain.db import create_engine
from sandbox import FloodLimits, Sandbox


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


async def wipe(database_url: str, redis_url: str) -> None:
    engine = create_engine(database_url)
    async with engine.begin() as conn:
        await conn.execute(text("DROP SCHEMA public CASCADE"))
        await conn.execute(text("CREATE SCHEMA public"))
    await engine.dispose()
    from redis.asyncio import Redis

    client = Redis.from_url(redis_url)
    await client.flushdb()
    await client.aclose()


async def burst(sandbox: Any, customers: list[Any], per_chat: int) -> tuple[float, list[float]]:
    """Send the burst, wait for every answer; the elapsed time and each update's latency."""
    sent: dict[int, list[float]] = {c.id: [] for c in customers}
    seen = {c.id: len(c.bot_messages) for c in customers}
    start = time.monotonic()
    for _ in range(per_chat):
        for customer in customers:
            sent[customer.id].append(time.time())
            await customer.send("/help", wait=False)

    async def done() -> bool:
        return all(len(c.bot_messages) - seen[c.id] >= per_chat for c in customers)

    await until(done, 300, "every update answered")
    elapsed = time.monotonic() - start
    latencies = []
    replies: dict[int, list[float]] = {c.id: [] for c in customers}
    for record in sandbox.core.requests:
        if record.method == "sendMessage" and record.ok and int(record.params.get("chat_id", 0)) in replies:
            replies[int(record.params["chat_id"])].append(record.time)
    for customer in customers:
        answers = replies[customer.id][-per_chat:]
        latencies += [answer - posted for answer, posted in zip(answers, sent[customer.id], strict=False)]
    return elapsed, latencies


async def run(workers: int, chats: int, per_chat: int, repeats: int, database_url: str,
              redis_url: str) -> dict[str, Any]:
    await wipe(database_url, redis_url)
    with tempfile.TemporaryDirectory() as tmp:
        async with Sandbox(host="127.0.0.1", port=0, bot_username="client_area_bot",
                           flood_limits=FloodLimits.off()) as sandbox, \
                topology(sandbox, Path(tmp), database_url, redis_url, workers=workers, schedulers=1,
                         extra_env={"THROTTLE_RATE": "1000", "THROTTLE_BURST": "1000", "LOG_LEVEL": "WARNING"}) \
                as running:
            customers = [await sandbox.user(id=7000 + n, first_name=f"C{n}", language_code="en")
                         for n in range(chats)]
            await burst(sandbox, customers, 2)  # warm up every worker's imports and caches
            runs = []
            for _ in range(repeats):
                cpu_before = {p.name: p.cpu_seconds() for p in running.workers}
                elapsed, latencies = await burst(sandbox, customers, per_chat)
                updates = chats * per_chat
                cpu = {p.name: (p.cpu_seconds() - cpu_before[p.name]) * 1000 / updates for p in running.workers}
                runs.append({"updates_per_s": updates / elapsed, "p50_ms": percentile(latencies, 0.5) * 1000,
                             "p95_ms": percentile(latencies, 0.95) * 1000, "p99_ms": percentile(latencies, 0.99) * 1000,
                             "cpu_ms_per_update": cpu})
    middle = sorted(runs, key=lambda r: r["updates_per_s"])[len(runs) // 2]
    return {"workers": workers, "updates": chats * per_chat, "runs": runs, "median": middle}


async def main(args: argparse.Namespace) -> dict[str, Any]:
    one = await run(1, args.chats, args.per_chat, args.repeats, args.database_url, args.redis_url)
    two = await run(2, args.chats, args.per_chat, args.repeats, args.database_url, args.redis_url)
    factor = two["median"]["updates_per_s"] / one["median"]["updates_per_s"]
    return {"bench": "scaleout", "chats": args.chats, "per_chat": args.per_chat, "one_worker": one,
            "two_workers": two, "scaling_factor": round(factor, 3),
            "median_updates_per_s": [round(one["median"]["updates_per_s"], 1),
                                     round(two["median"]["updates_per_s"], 1)]}


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True, help="PostgreSQL (postgresql+asyncpg://...); it is wiped")
    parser.add_argument("--redis-url", required=True, help="Redis URL; its database is flushed")
    parser.add_argument("--chats", type=int, default=20)
    parser.add_argument("--per-chat", type=int, default=15)
    parser.add_argument("--repeats", type=int, default=3)
    result = asyncio.run(main(parser.parse_args()))
    print(json.dumps(result, indent=2))
    one, two = result["one_worker"]["median"], result["two_workers"]["median"]
    print(f"scale-out: 1 worker {one['updates_per_s']:.0f} upd/s (p95 {one['p95_ms']:.0f} ms), "
          f"2 workers {two['updates_per_s']:.0f} upd/s (p95 {two['p95_ms']:.0f} ms), "
          f"factor {result['scaling_factor']}", file=sys.stderr)
