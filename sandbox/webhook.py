"""Webhook delivery: POST updates to the bot, up to max_connections at once, retry each with backoff, run
method calls in the replies."""

from __future__ import annotations

import _ssl
import asyncio
import contextlib
import json
import logging
import os
import re
import ssl
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import aiohttp

from sandbox.errors import ApiError
from sandbox.params import Params, Upload

if TYPE_CHECKING:
    from sandbox.core import Core

log = logging.getLogger(__name__)
SECRET_RE = re.compile(r"^[A-Za-z0-9_-]{1,256}$")


@dataclass
class WebhookState:
    url: str = ""
    secret_token: str | None = None
    max_connections: int = 40
    ip_address: str | None = None
    allowed_updates: list[str] | None = None
    last_error_date: int | None = None
    last_error_message: str | None = None
    deliveries: list[dict[str, Any]] = field(default_factory=list)


def queue_key(update: dict[str, Any]) -> tuple[str, int]:
    """The delivery queue of an update, as Telegram's Bot API server groups them: messages per chat, callback
    queries per user, payment queries per user, my_chat_member per chat. Updates of one queue are delivered one
    at a time, in order; different queues go in parallel, up to max_connections at once."""
    kind = next(key for key in update if key != "update_id")
    payload = update[kind]
    if kind in ("message", "edited_message", "channel_post", "edited_channel_post"):
        return "chat", payload["chat"]["id"]
    if kind == "callback_query":
        return "callback", payload["from"]["id"]
    if kind in ("pre_checkout_query", "shipping_query"):
        return "payment", payload["from"]["id"]
    if kind == "my_chat_member":
        return "member", payload["chat"]["id"]
    return "update", update["update_id"]


class Webhook:
    def __init__(self, core: Core) -> None:
        self.core = core
        self.state = WebhookState()
        self._task: asyncio.Task[None] | None = None
        self._wake = asyncio.Event()
        self._session: aiohttp.ClientSession | None = None
        self._deliveries: dict[int, asyncio.Task[None]] = {}  # update_id -> its POST in flight
        self._busy: dict[int, tuple[str, int]] = {}  # update_id in flight -> its queue
        self._retry_at: dict[int, float] = {}  # update_id -> monotonic time of its next attempt
        self._attempts: dict[int, int] = {}
        self.peak_in_flight = 0
        """The most deliveries ever in flight at once (for tests of max_connections)."""

    @property
    def url(self) -> str:
        return self.state.url

    @property
    def in_flight(self) -> int:
        return len(self._deliveries)

    def set(self, url: str, secret_token: str | None, max_connections: int, ip_address: str | None,
            allowed_updates: list[str] | None) -> None:
        self.state = WebhookState(url=url, secret_token=secret_token, max_connections=max_connections,
                                  ip_address=ip_address, allowed_updates=allowed_updates)
        self._retry_at.clear()  # a new webhook is tried at once
        self._attempts.clear()
        self._wake.set()
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._run())

    def delete(self) -> None:
        self.state = WebhookState()
        self._retry_at.clear()
        self._attempts.clear()
        self._wake.set()

    def info(self) -> dict[str, Any]:
        state = self.state
        info: dict[str, Any] = {"url": state.url, "has_custom_certificate": False,
                                "pending_update_count": len(self.core.world.updates.pending)}
        if state.url:
            info["max_connections"] = state.max_connections
            if state.ip_address:
                info["ip_address"] = state.ip_address
            if state.allowed_updates is not None:
                info["allowed_updates"] = state.allowed_updates
        if state.last_error_date is not None:
            info["last_error_date"] = state.last_error_date
            info["last_error_message"] = state.last_error_message
        return info

    async def stop(self) -> None:
        tasks = [task for task in (self._task, *self._deliveries.values()) if task is not None]
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._task = None
        self._deliveries.clear()
        self._busy.clear()
        if self._session is not None:
            await self._session.close()
            self._session = None

    def _ready(self, now: float) -> tuple[list[dict[str, Any]], float | None]:
        """Updates that may be sent now (the head of each idle queue whose retry time has come), oldest first,
        and when the next waiting head falls due."""
        busy = set(self._busy.values())
        seen: set[tuple[str, int]] = set()
        ready, next_due = [], None
        for update in self.core.world.updates.pending:
            key = queue_key(update)
            if key in seen:
                continue
            seen.add(key)
            if key in busy or update["update_id"] in self._deliveries:
                continue
            due = self._retry_at.get(update["update_id"], 0.0)
            if due > now:
                next_due = due if next_due is None else min(next_due, due)
                continue
            ready.append(update)
        return ready, next_due

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        queue = self.core.world.updates
        while True:
            timeout: float | None = None
            if self.state.url:
                ready, next_due = self._ready(loop.time())
                free = self.state.max_connections - len(self._deliveries)
                for update in ready[:max(free, 0)]:
                    self._start(update)
                if next_due is not None:
                    timeout = max(next_due - loop.time(), 0.001)
            queue.changed.clear()
            self._wake.clear()
            waits = [asyncio.ensure_future(queue.changed.wait()), asyncio.ensure_future(self._wake.wait())]
            _, pending = await asyncio.wait(waits, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
            for future in pending:
                future.cancel()

    def _start(self, update: dict[str, Any]) -> None:
        update_id = update["update_id"]
        self._busy[update_id] = queue_key(update)
        task = asyncio.get_running_loop().create_task(self._attempt(update))
        self._deliveries[update_id] = task
        self.peak_in_flight = max(self.peak_in_flight, len(self._deliveries))

    async def _attempt(self, update: dict[str, Any]) -> None:
        update_id = update["update_id"]
        try:
            delivered = await self._deliver(update)
        except Exception:
            log.exception("webhook delivery of update %s failed", update_id)
            delivered = False
        finally:
            self._deliveries.pop(update_id, None)
            self._busy.pop(update_id, None)
        pending = self.core.world.updates.pending
        if delivered:
            self._retry_at.pop(update_id, None)
            self._attempts.pop(update_id, None)
            if update in pending:
                pending.remove(update)
        else:
            attempt = self._attempts.get(update_id, 0)
            self._attempts[update_id] = attempt + 1
            delays = self.core.config.webhook_retry_delays
            self._retry_at[update_id] = asyncio.get_running_loop().time() + delays[min(attempt, len(delays) - 1)]
        self._wake.set()

    async def _deliver(self, update: dict[str, Any]) -> bool:
        state = self.state
        if self._session is None:
            self._session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=100))
        headers = {"Content-Type": "application/json"}
        if state.secret_token:
            headers["X-Telegram-Bot-Api-Secret-Token"] = state.secret_token
        record: dict[str, Any] = {"update_id": update["update_id"], "time": self.core.clock.now()}
        state.deliveries.append(record)
        timeout = aiohttp.ClientTimeout(total=self.core.config.webhook_timeout)
        try:
            async with self._session.post(state.url, data=json.dumps(update), headers=headers,
                                          timeout=timeout) as response:
                record["status"] = response.status
                if response.status >= 300:
                    self._fail(state, f"Wrong response from the webhook: {response.status} {response.reason}")
                    return False
                reply = await self._read_reply(response)
        except (TimeoutError, aiohttp.ClientError, OSError) as error:
            self._fail(state, delivery_error(error))
            record["status"] = None
            return False
        self.core.activity.request_started(response=reply is not None)
        try:
            self.core.activity.mark_taken([update["update_id"]])
            if reply is not None:
                name, params = reply
                with contextlib.suppress(ApiError):
                    await self.core.call(name, params, via="webhook")
        finally:
            self.core.activity.request_finished()
        return True

    def _fail(self, state: WebhookState, message: str) -> None:
        state.last_error_date = self.core.clock.now()
        state.last_error_message = message

    @staticmethod
    async def _read_reply(response: aiohttp.ClientResponse) -> tuple[str, Params] | None:
        content_type = response.headers.get("Content-Type", "")
        if content_type.startswith("multipart/"):
            values: dict[str, Any] = {}
            uploads: dict[str, Upload] = {}
            reader = aiohttp.MultipartReader.from_response(response)
            while True:
                part = await reader.next()
                if part is None:
                    break
                if not isinstance(part, aiohttp.BodyPartReader) or part.name is None:
                    continue
                data = await part.read(decode=True)
                if part.filename:
                    uploads[part.name] = Upload(part.filename, bytes(data), part.headers.get("Content-Type"))
                else:
                    values[part.name] = bytes(data).decode()
            name = values.pop("method", None)
            return (name, Params(values, uploads)) if name else None
        body = await response.read()
        if not body.strip():
            return None
        try:
            data = json.loads(body)
        except ValueError:
            return None
        if isinstance(data, dict) and isinstance(data.get("method"), str):
            name = data.pop("method")
            return name, Params(data)
        return None


def delivery_error(error: BaseException) -> str:
    """getWebhookInfo.last_error_message for a failed POST, in Telegram's words."""
    if isinstance(error, aiohttp.ClientConnectorDNSError):
        reason = getattr(error.os_error, "strerror", None) or str(error.os_error)
        return f"Failed to resolve host: {reason}"
    ssl_error = _ssl_error(error)
    if ssl_error is not None:
        return f"SSL error {{{_openssl_text(ssl_error)}}}"
    if isinstance(error, aiohttp.ConnectionTimeoutError):
        return "Connection timed out"
    if isinstance(error, TimeoutError):  # aiohttp's read timeouts are TimeoutErrors too
        return "Read timeout expired"
    if isinstance(error, aiohttp.ServerDisconnectedError):
        return "Connection closed"
    if isinstance(error, aiohttp.ClientConnectorError):
        error = error.os_error
    if isinstance(error, OSError) and error.errno:
        return os.strerror(error.errno)  # "Connection refused", "No route to host", ... as the OS words them
    return f"Failed to connect: {error.__class__.__name__}"


def _ssl_error(error: BaseException) -> ssl.SSLError | None:
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, ssl.SSLError) and not isinstance(current, aiohttp.ClientError):
            return current
        nested = getattr(current, "certificate_error", None) or getattr(current, "os_error", None)
        current = nested if isinstance(nested, BaseException) and nested is not current else current.__cause__
    return None


def _openssl_text(error: ssl.SSLError) -> str:
    """OpenSSL 3's own rendering, as Telegram quotes it: error:0A00010B:SSL routines::wrong version number."""
    reason = getattr(error, "reason", None)
    codes = getattr(_ssl, "err_names_to_codes", {}).get(reason) if reason else None
    if not reason or codes is None:
        return f"error:{error.strerror or error}"
    library, number = codes
    name = "SSL routines" if library == 20 else f"{getattr(error, 'library', None) or library} routines"
    return f"error:{(library << 23) | number:08X}:{name}::{reason.lower().replace('_', ' ')}"
