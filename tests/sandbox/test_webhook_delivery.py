"""Webhook delivery as Telegram does it: up to max_connections POSTs at once (one at a time per chat), retries
with backoff per update, and getWebhookInfo's last_error_message in Telegram's words."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
from aiohttp import web

from sandbox import Sandbox
from tests.sandbox.http import BotHttp, Control

Handler = Callable[[dict[str, Any]], Awaitable[web.StreamResponse]]


class Receiver:
    """A local webhook endpoint that records what arrives and how many requests are in flight."""

    def __init__(self) -> None:
        self.received: list[dict[str, Any]] = []
        self.in_flight = 0
        self.peak = 0
        self.release = asyncio.Event()
        self.changed = asyncio.Event()
        self.respond: Handler | None = None
        self.runner: web.AppRunner | None = None
        self.port = 0

    async def handle(self, request: web.Request) -> web.StreamResponse:
        update = await request.json()
        self.in_flight += 1
        self.peak = max(self.peak, self.in_flight)
        self.received.append(update)
        self.changed.set()
        try:
            if self.respond is not None:
                return await self.respond(update)
            await self.release.wait()
            return web.Response()
        finally:
            self.in_flight -= 1
            self.changed.set()

    async def until(self, condition: Callable[[], bool], timeout: float = 5) -> None:  # noqa: ASYNC109
        async with asyncio.timeout(timeout):
            while not condition():
                self.changed.clear()
                await self.changed.wait()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    hook = Receiver()
    app = web.Application()
    app.router.add_post("/hook", hook.handle)
    hook.runner = web.AppRunner(app, shutdown_timeout=0.1)
    await hook.runner.setup()
    site = web.TCPSite(hook.runner, "127.0.0.1", 0)
    await site.start()
    hook.port = hook.runner.addresses[0][1]
    yield hook
    hook.release.set()
    await hook.runner.cleanup()


@pytest.fixture
async def users(ctl: Control) -> list[int]:
    ids = list(range(1001, 1007))
    for user_id in ids:
        await ctl.call("POST", "/users", {"id": user_id, "first_name": f"User {user_id}"})
    return ids


async def eventually(condition: Callable[[], bool], timeout: float = 5) -> None:  # noqa: ASYNC109
    async with asyncio.timeout(timeout):
        while not condition():  # noqa: ASYNC110  (state of another component, polled)
            await asyncio.sleep(0.01)


async def send(ctl: Control, user_id: int, text: str = "hi") -> int:
    return (await ctl.call("POST", f"/users/{user_id}/messages", {"text": text}))["update_id"]


async def pending(tg: BotHttp) -> int:
    return (await tg.call("getWebhookInfo"))["pending_update_count"]


async def test_max_connections_requests_at_once(sb: Sandbox, tg: BotHttp, ctl: Control, receiver: Receiver,
                                                users: list[int]) -> None:
    assert await tg.call("setWebhook", url=receiver.url, max_connections=3)
    assert (await tg.call("getWebhookInfo"))["max_connections"] == 3
    sent = [await send(ctl, user_id) for user_id in users]
    await receiver.until(lambda: receiver.in_flight == 3)
    await asyncio.sleep(0.15)  # room for a fourth one, which must not come
    assert receiver.in_flight == receiver.peak == 3
    assert await pending(tg) == 6
    receiver.release.set()
    await receiver.until(lambda: len(receiver.received) == 6 and receiver.in_flight == 0)
    await sb.settle()
    assert sorted(u["update_id"] for u in receiver.received) == sent
    assert receiver.peak == 3 and await pending(tg) == 0


async def test_one_connection_delivers_one_at_a_time_in_order(sb: Sandbox, tg: BotHttp, ctl: Control,
                                                              receiver: Receiver, users: list[int]) -> None:
    async def slow(update: dict[str, Any]) -> web.Response:
        await asyncio.sleep(0.02)
        return web.Response()

    receiver.respond = slow
    await tg.call("setWebhook", url=receiver.url, max_connections=1)
    sent = [await send(ctl, user_id) for user_id in users]
    await receiver.until(lambda: len(receiver.received) == 6 and receiver.in_flight == 0)
    assert [u["update_id"] for u in receiver.received] == sent and receiver.peak == 1
    await eventually(lambda: sb.core.webhook.in_flight == 0)
    assert await pending(tg) == 0


async def test_one_chat_is_one_queue(sb: Sandbox, tg: BotHttp, ctl: Control, receiver: Receiver,
                                     users: list[int]) -> None:
    await tg.call("setWebhook", url=receiver.url)  # 40 connections
    sent = [await send(ctl, 1001, f"m{n}") for n in range(3)]
    message = await tg.call("sendMessage", chat_id=1001, text="menu",
                            reply_markup={"inline_keyboard": [[{"text": "Go", "callback_data": "go"}]]})
    pressed = (await ctl.call("POST", "/users/1001/press", {"message_id": message["message_id"], "text": "Go"}))
    other = await send(ctl, 1002)
    # The chat's first message, the user's callback query and the other chat's message go at once.
    await receiver.until(lambda: receiver.in_flight == 3)
    assert {u["update_id"] for u in receiver.received} == {sent[0], pressed["update_id"], other}
    receiver.release.set()
    await receiver.until(lambda: len(receiver.received) == 5 and receiver.in_flight == 0)
    assert [u["update_id"] for u in receiver.received if "message" in u and u["message"]["chat"]["id"] == 1001] == sent


async def test_retries_per_update_and_pending_drops_to_zero(sb: Sandbox, tg: BotHttp, ctl: Control,
                                                           receiver: Receiver, users: list[int]) -> None:
    sb.config.webhook_retry_delays = (0.05, 0.1)
    failures: dict[int, int] = {}

    async def flaky(update: dict[str, Any]) -> web.Response:
        if update["message"]["text"] == "flaky" and failures.get(update["update_id"], 0) < 2:
            failures[update["update_id"]] = failures.get(update["update_id"], 0) + 1
            return web.Response(status=500)
        return web.Response()

    receiver.respond = flaky
    await tg.call("setWebhook", url=receiver.url, max_connections=2)
    first = await send(ctl, 1001, "flaky")
    rest = [await send(ctl, user_id) for user_id in users[1:]]
    await receiver.until(lambda: sorted({u["update_id"] for u in receiver.received}) == [first, *rest]
                         and receiver.in_flight == 0)
    await receiver.until(lambda: [u["update_id"] for u in receiver.received].count(first) == 3)
    info = await tg.call("getWebhookInfo")
    assert info["last_error_message"] == "Wrong response from the webhook: 500 Internal Server Error"
    assert abs(info["last_error_date"] - sb.now()) < 5
    await sb.settle()
    assert await pending(tg) == 0 and receiver.peak <= 2
    # The flaky update waited for its retries alone: the others were delivered meanwhile.
    assert [u["update_id"] for u in receiver.received].index(rest[-1]) < len(receiver.received) - 1


@pytest.mark.parametrize(("asked", "got"), [(None, 40), (0, 1), (-5, 1), (1, 1), (100, 100), (1000, 100)])
async def test_max_connections_is_clamped_like_telegram(tg: BotHttp, asked: int | None, got: int) -> None:
    params = {} if asked is None else {"max_connections": asked}
    assert await tg.call("setWebhook", url="http://127.0.0.1:9/hook", **params)
    assert (await tg.call("getWebhookInfo"))["max_connections"] == got
    await tg.call("deleteWebhook")


async def last_error(sb: Sandbox, tg: BotHttp, ctl: Control, url: str) -> str:
    sb.config.webhook_retry_delays = (5.0,)
    await tg.call("setWebhook", url=url)
    await send(ctl, 1001)
    async with asyncio.timeout(5):
        while "last_error_message" not in (info := await tg.call("getWebhookInfo")):  # noqa: ASYNC110
            await asyncio.sleep(0.02)
    assert info["pending_update_count"] == 1
    return info["last_error_message"]


async def test_connection_refused(sb: Sandbox, tg: BotHttp, ctl: Control, users: list[int]) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    assert await last_error(sb, tg, ctl, f"http://127.0.0.1:{port}/hook") == "Connection refused"


async def test_read_timeout(sb: Sandbox, tg: BotHttp, ctl: Control, receiver: Receiver, users: list[int]) -> None:
    sb.config.webhook_timeout = 0.2
    assert await last_error(sb, tg, ctl, receiver.url) == "Read timeout expired"


async def test_https_url_on_a_plain_http_port(sb: Sandbox, tg: BotHttp, ctl: Control, receiver: Receiver,
                                              users: list[int]) -> None:
    assert await last_error(sb, tg, ctl, f"https://127.0.0.1:{receiver.port}/hook") == (
        "SSL error {error:0A00010B:SSL routines::wrong version number}")


async def test_unknown_host(sb: Sandbox, tg: BotHttp, ctl: Control, users: list[int],
                            monkeypatch: pytest.MonkeyPatch) -> None:
    real = socket.getaddrinfo

    def resolve(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host == "bot.sandbox-test.invalid":  # answered here, whatever the machine's resolver does
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    assert await last_error(sb, tg, ctl, "http://bot.sandbox-test.invalid/hook") == (
        "Failed to resolve host: Name or service not known")


async def test_stopping_ends_the_deliveries_in_flight(sb: Sandbox, tg: BotHttp, ctl: Control, receiver: Receiver,
                                                      users: list[int]) -> None:
    await tg.call("setWebhook", url=receiver.url)
    await send(ctl, 1001)
    await send(ctl, 1002)
    await receiver.until(lambda: receiver.in_flight == 2)
    await sb.core.webhook.stop()
    assert sb.core.webhook.in_flight == 0 and await pending(tg) == 2
