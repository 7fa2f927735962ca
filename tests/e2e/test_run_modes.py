"""Run modes as an operator uses them: webhook server with its secret, /healthz, /metrics; token-less `run`."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import sys

import aiohttp
import pytest
from aiohttp import web

from bot.app import build_app
from bot.runner import create_webhook_app, lifecycle, webhook_secret
from tests.e2e.conftest import make_settings
from tests.e2e.flows import ROOT, free_port


async def test_webhook_mode(sandbox, db_url, redis_url, tmp_path, caplog) -> None:
    port = free_port()
    settings = make_settings(sandbox, db_url, redis_url, tmp_path, webhook_url=f"http://127.0.0.1:{port}/tg/hook",
                             webhook_port=port, webhook_host="127.0.0.1")
    app = await build_app(settings)
    lifecycle(app)
    runner = web.AppRunner(create_webhook_app(app))
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    try:
        base = f"http://127.0.0.1:{port}"
        async with aiohttp.ClientSession() as http:
            update = {"update_id": 1, "message": {"message_id": 1, "date": 0, "chat": {"id": 5, "type": "private"},
                                                   "from": {"id": 5, "is_bot": False, "first_name": "X"},
                                                   "text": "/start"}}
            async with http.post(f"{base}/tg/hook", json=update) as resp:
                assert resp.status == 401
            async with http.post(f"{base}/tg/hook", json=update,
                                 headers={"X-Telegram-Bot-Api-Secret-Token": "wrong"}) as resp:
                assert resp.status == 401
            async with http.get(f"{base}/healthz") as resp:
                assert resp.status == 200 and (await resp.json())["status"] == "ok"
            # With the right secret, a body that is no update is refused as such: 400, one log line, no traceback.
            good = {"X-Telegram-Bot-Api-Secret-Token": webhook_secret(settings)}
            with caplog.at_level(logging.WARNING):
                for body in (b"{not json", b'{"update_id": "x", "message": 5}', b"[]"):
                    async with http.post(f"{base}/tg/hook", data=body, headers=good) as resp:
                        assert resp.status == 400, body
            refused = [r for r in caplog.records if "malformed update" in r.getMessage()]
            assert len(refused) == 3 and not any(r.exc_info for r in caplog.records)

            info = await app.bot.get_webhook_info()
            assert info.url == f"{base}/tg/hook"
            ann = await sandbox.user(id=1001, first_name="Ann", language_code="en")
            await ann.send("/start")
            assert "Hello, Ann!" in ann.screen.text
            await ann.press("❓ Help")
            assert ann.screen.text.startswith("Help")

            async with http.get(f"{base}/metrics") as resp:
                body = await resp.text()
            assert 'bot_updates_total{type="message"}' in body
            assert 'bot_updates_total{type="callback_query"}' in body
    finally:
        await runner.cleanup()
    assert webhook_secret(settings) == webhook_secret(settings)  # every worker derives the same secret


def test_webhook_needs_a_url_and_a_token(tmp_path) -> None:
    from bot.config import ConfigError, load_settings

    settings = load_settings(_env_file=None, bot_token="1:" + "a" * 35, data_dir=tmp_path)
    with pytest.raises(ConfigError, match="WEBHOOK_URL"):
        create_webhook_app(type("A", (), {"settings": settings})())  # type: ignore[arg-type]


async def _read_until(stream: asyncio.StreamReader, marker: str, seconds: float) -> str:
    seen = ""
    async with asyncio.timeout(seconds):
        while marker not in seen:
            line = await stream.readline()
            if not line:
                raise AssertionError(f"process ended before printing {marker!r}; output so far:\n{seen}")
            seen += line.decode()
    return seen


async def demo_step(http, base: str, step: str) -> dict:
    """Type a command or press a button in the demo customer's chat; the bot's newest message after it."""
    if step.startswith("/"):
        async with http.post(f"{base}/users/1001/messages", json={"text": step}) as resp:
            sent = await resp.json()
    else:
        async with http.get(f"{base}/chats/1001/messages?limit=1") as resp:
            last = (await resp.json())["messages"][-1]
        async with http.post(f"{base}/users/1001/press", json={"text": step, "message_id": last["message_id"]}) as resp:
            sent = await resp.json()
            assert resp.status == 200, sent
    async with http.post(f"{base}/wait", json={"update_id": sent["update_id"], "timeout": 20}) as resp:
        assert resp.status == 200
    async with http.get(f"{base}/chats/1001/messages?limit=1") as resp:
        return (await resp.json())["messages"][-1]


async def test_tokenless_run_starts_the_sandbox(tmp_path) -> None:
    """What `make run` does on a fresh machine: the bot answers in the local sandbox and stops on SIGTERM."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in {"BOT_TOKEN", "DATABASE_URL", "REDIS_URL"}}
    env.update(SANDBOX_PORT=str(port), PYTHONPATH=str(ROOT), LOG_LEVEL="INFO")
    proc = await asyncio.create_subprocess_exec(sys.executable, "-m", "bot", "run", cwd=tmp_path, env=env,
                                                stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
    try:
        output = await _read_until(proc.stdout, "the scheduled jobs run after each move", 90)
        assert f"Playground: http://127.0.0.1:{port}/" in output
        base = f"http://127.0.0.1:{port}/sandbox"
        async with aiohttp.ClientSession() as http:
            async with http.post(f"{base}/users/1001/messages", json={"text": "/start"}) as resp:
                sent = await resp.json()
            async with http.post(f"{base}/wait", json={"update_id": sent["update_id"], "timeout": 20}) as resp:
                assert resp.status == 200
            async with http.get(f"{base}/chats/1001/messages?limit=1") as resp:
                last = (await resp.json())["messages"][-1]
            assert last["from_bot"] and "Hello, Demo!" in last["text"]
            async with http.get(f"{base}/groups") as resp:
                groups = await resp.json()
            assert any(g["id"] == -1001000000001 and g["forum"] for g in groups["groups"])

            # The demo's card provider: a card added through its hosted test page is saved by the bot.
            assert "4242 4242 4242 4242 succeeds" in output and "Promo code: WELCOME10" in output
            for step in ("/menu", "👤 Client", "💳 Payment methods", "➕ Add", "💳 Bank card (Stripe)"):
                last = await demo_step(http, base, step)
            page_url = next(b["url"] for row in last["reply_markup"]["inline_keyboard"] for b in row if b.get("url"))
            async with http.get(page_url) as resp:
                assert resp.status == 200 and "4000000000000002" in await resp.text()
            async with http.post(page_url, data={"card": "4242424242424242"}, allow_redirects=False) as resp:
                assert resp.status == 302
            for _ in range(100):
                async with http.get(f"{base}/chats/1001/messages?limit=3") as resp:
                    texts = [m.get("text") or "" for m in (await resp.json())["messages"]]
                if any("4242" in t for t in texts):
                    break
                await asyncio.sleep(0.1)
            assert any("4242" in t for t in texts), texts

            # The playground's clock: moved a day, the jobs run at once (their log says so).
            async with http.post(f"{base}/clock", json={"days": 1}) as resp:
                assert resp.status == 200
        proc.send_signal(signal.SIGTERM)
        async with asyncio.timeout(30):
            rest = (await proc.stdout.read()).decode()
        assert await proc.wait() == 0, rest
        assert "Traceback" not in output + rest
        assert "demo clock moved 86400 s: running the scheduled jobs" in rest
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
    assert (tmp_path / "data" / "bot.db").exists()
