"""The scale-out topology as real processes: haproxy round robin in front of N `client-area-bot webhook` workers,
M `client-area-bot scheduler` processes, on PostgreSQL and Redis, with Telegram played by the sandbox (which
delivers webhooks in parallel, up to max_connections, as Telegram does). Used by the scale-out test and bench."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def until(condition: Callable[[], Awaitable[bool]], seconds: float, what: str) -> float:
    started = time.monotonic()
    while not await condition():
        if time.monotonic() - started > seconds:
            raise AssertionError(f"{what}: not within {seconds} s")
        await asyncio.sleep(0.1)
    return time.monotonic() - started


class Process:
    """A child process with its output in a file, to read, time and kill."""

    def __init__(self, name: str, args: list[str], env: dict[str, str], log: Path) -> None:
        self.name, self.args, self.env, self.log = name, args, env, log
        self.proc: asyncio.subprocess.Process | None = None

    async def start(self) -> Process:
        self.handle = self.log.open("wb")
        self.proc = await asyncio.create_subprocess_exec(*self.args, env=self.env, cwd=ROOT, stdout=self.handle,
                                                         stderr=asyncio.subprocess.STDOUT)
        return self

    @property
    def alive(self) -> bool:
        return self.proc is not None and self.proc.returncode is None

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def cpu_seconds(self) -> float:
        """User + system CPU the process has used (Linux /proc)."""
        assert self.proc is not None
        fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    async def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.alive:
            assert self.proc is not None
            self.proc.send_signal(sig)
            try:
                await asyncio.wait_for(self.proc.wait(), 30)
            except TimeoutError:
                self.proc.kill()
                await self.proc.wait()
        self.handle.close()


@dataclass
class Topology:
    sandbox: object
    workdir: Path
    workers: list[Process] = field(default_factory=list)
    worker_ports: list[int] = field(default_factory=list)
    schedulers: list[Process] = field(default_factory=list)
    balancer: Process | None = None

    @property
    def processes(self) -> list[Process]:
        return [p for p in (self.balancer, *self.workers, *self.schedulers) if p is not None]

    def leaders(self) -> list[Process]:
        return [p for p in self.schedulers if p.alive and p.output().count("this instance runs the scheduled jobs")
                > p.output().count("no longer leads")]

    async def updates_handled(self, port: int) -> int:
        """Messages a worker handled, from its /metrics."""
        async with aiohttp.ClientSession() as http, http.get(f"http://127.0.0.1:{port}/metrics") as resp:
            body = await resp.text()
        return sum(int(float(line.rsplit(" ", 1)[1])) for line in body.splitlines()
                   if line.startswith('bot_updates_total{type="message"}'))


async def bot_api(sandbox: object, method: str, **params: object) -> dict:
    url = f"{sandbox.url}/bot{sandbox.token}/{method}"  # type: ignore[attr-defined]
    async with aiohttp.ClientSession() as http, http.post(url, json=params) as resp:
        return (await resp.json())["result"]


@asynccontextmanager
async def topology(sandbox: object, workdir: Path, database_url: str, redis_url: str, *, workers: int = 2,
                   schedulers: int = 2, extra_env: dict[str, str] | None = None) -> AsyncIterator[Topology]:
    """Start the processes (after migrating once), wait until the workers answer and the webhook is set."""
    front = free_port()
    ports = [free_port() for _ in range(workers)]
    env = {**{k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "DATABASE_", "REDIS_"))},
           "PYTHONPATH": str(ROOT), "BOT_TOKEN": sandbox.token, "TELEGRAM_API_BASE": sandbox.url,  # type: ignore[attr-defined]
           "DATABASE_URL": database_url, "REDIS_URL": redis_url, "DATA_DIR": str(workdir),
           "SECRET_KEY_FILE": str(workdir / "secret.key"), "WEBHOOK_URL": f"http://127.0.0.1:{front}/tg",
           "WEBHOOK_HOST": "127.0.0.1", "LOG_LEVEL": "INFO", **(extra_env or {})}
    env["PATH"] = env.get("PATH", "") + ":/usr/sbin"
    # Its report goes to stderr: a bench's stdout is its JSON alone.
    migrate = await asyncio.create_subprocess_exec(sys.executable, "-m", "bot", "migrate", env=env, cwd=ROOT,
                                                   stdout=sys.stderr.fileno())
    if await migrate.wait() != 0:
        raise RuntimeError("migrate failed")
    config = workdir / "haproxy.cfg"
    config.write_text("\n".join([
        "global", "  maxconn 2000", "defaults", "  mode http", "  timeout connect 2s", "  timeout client 30s",
        "  timeout server 30s", "frontend bot", f"  bind 127.0.0.1:{front}", "  default_backend workers",
        "backend workers", "  balance roundrobin",
        *(f"  server w{n} 127.0.0.1:{port} check inter 500ms" for n, port in enumerate(ports)), ""]))
    running = Topology(sandbox, workdir, worker_ports=ports)
    try:
        running.balancer = await Process("haproxy", ["haproxy", "-f", str(config), "-db"], env,
                                         workdir / "haproxy.log").start()
        for n, port in enumerate(ports):
            running.workers.append(await Process(
                f"worker{n}", [sys.executable, "-m", "bot", "webhook"],
                {**env, "WEBHOOK_PORT": str(port), "SCHEDULER_ENABLED": "false"}, workdir / f"w{n}.log").start())
        for n in range(schedulers):
            running.schedulers.append(await Process(f"scheduler{n}", [sys.executable, "-m", "bot", "scheduler"], env,
                                                    workdir / f"s{n}.log").start())

        async def healthy() -> bool:
            async with aiohttp.ClientSession() as http:
                for port in ports:
                    try:
                        async with http.get(f"http://127.0.0.1:{port}/healthz") as resp:
                            if resp.status != 200:
                                return False
                    except aiohttp.ClientError:
                        return False
            return True

        async def webhook_set() -> bool:
            return bool((await bot_api(sandbox, "getWebhookInfo"))["url"])

        await until(healthy, 150, "workers up")
        await until(webhook_set, 30, "webhook set")
        yield running
    except BaseException:
        for process in running.processes:  # what each process said, for whoever reads the failure
            print(f"--- {process.name}\n{process.output()[-3000:]}")
        raise
    finally:
        for process in reversed(running.processes):
            await process.stop()
