"""Webhook delivery: POST each update to the bot, retry with backoff, run method calls in the reply."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import re
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


class Webhook:
    def __init__(self, core: Core) -> None:
        self.core = core
        self.state = WebhookState()
        self._task: asyncio.Task[None] | None = None
        self._wake = asyncio.Event()
        self._session: aiohttp.ClientSession | None = None

    @property
    def url(self) -> str:
        return self.state.url

    def set(self, url: str, secret_token: str | None, max_connections: int, ip_address: str | None,
            allowed_updates: list[str] | None) -> None:
        self.state = WebhookState(url=url, secret_token=secret_token, max_connections=max_connections,
                                  ip_address=ip_address, allowed_updates=allowed_updates)
        self._wake.set()
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._run())

    def delete(self) -> None:
        self.state = WebhookState()
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
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def _run(self) -> None:
        attempt = 0
        while True:
            queue = self.core.world.updates
            if not self.state.url or not queue.pending:
                queue.changed.clear()
                self._wake.clear()
                waits = [asyncio.ensure_future(queue.changed.wait()), asyncio.ensure_future(self._wake.wait())]
                _, pending = await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
                for future in pending:
                    future.cancel()
                continue
            update = queue.pending[0]
            if await self._deliver(update):
                attempt = 0
                if update in queue.pending:
                    queue.pending.remove(update)
                continue
            delays = self.core.config.webhook_retry_delays
            delay = delays[min(attempt, len(delays) - 1)]
            attempt += 1
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), delay)

    async def _deliver(self, update: dict[str, Any]) -> bool:
        state = self.state
        if self._session is None:
            self._session = aiohttp.ClientSession()
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
        except TimeoutError:
            self._fail(state, "Read timeout expired")
            record["status"] = None
            return False
        except aiohttp.ClientError as error:
            self._fail(state, _connection_error(error))
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


def _connection_error(error: aiohttp.ClientError) -> str:
    if isinstance(error, aiohttp.ClientConnectorError):
        return "Connection refused"
    if isinstance(error, aiohttp.ServerDisconnectedError):
        return "Connection closed"
    return f"Failed to connect: {error.__class__.__name__}"
