"""`python -m sandbox` runs the sandbox alone and prints where it is."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_cli_prints_url_token_and_playground() -> None:
    port = free_port()
    token = "42:" + "a" * 35
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "sandbox", "--host", "127.0.0.1", "--port", str(port), "--token", token,
        cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT)
    assert proc.stdout is not None
    try:
        lines = [(await asyncio.wait_for(proc.stdout.readline(), 20)).decode() for _ in range(3)]
        assert f"http://127.0.0.1:{port}" in lines[0] and token in lines[1]
        assert f"http://127.0.0.1:{port}/" in lines[2]
        async with aiohttp.ClientSession() as http, http.get(f"http://127.0.0.1:{port}/bot{token}/getMe") as resp:
            assert (await resp.json())["result"]["id"] == 42
        proc.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(proc.wait(), 10) == 0
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
