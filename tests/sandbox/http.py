"""Plain HTTP clients for the sandbox's Bot API and control API: no bot framework in between."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import aiohttp

from sandbox import Sandbox


class BotHttp:
    """Calls /bot<token>/<method> with a JSON body and returns Telegram's whole answer."""

    def __init__(self, http: aiohttp.ClientSession, sb: Sandbox) -> None:
        self.http, self.base = http, f"{sb.url}/bot{sb.token}"

    async def raw(self, method: str, **params: Any) -> dict[str, Any]:
        async with self.http.post(f"{self.base}/{method}", json=params) as resp:
            body = await resp.json()
            assert resp.status == (200 if body["ok"] else body["error_code"]), body
            return body

    async def call(self, method: str, **params: Any) -> Any:
        body = await self.raw(method, **params)
        assert body["ok"], body
        return body["result"]

    async def error(self, method: str, **params: Any) -> str:
        body = await self.raw(method, **params)
        assert not body["ok"], body
        return body["description"]

    async def updates(self, within: float = 2.0) -> list[dict[str, Any]]:
        """Confirm-as-you-go polling: returns what is pending now (waiting up to `within` seconds for one)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + within
        while True:
            result = await self.call("getUpdates", offset=getattr(self, "_offset", 0), timeout=0)
            if result:
                self._offset = result[-1]["update_id"] + 1
                return result
            if loop.time() > deadline:
                return []
            await asyncio.sleep(0.02)


class Control:
    """The JSON control API under /sandbox/."""

    def __init__(self, http: aiohttp.ClientSession, sb: Sandbox) -> None:
        self.http, self.base = http, f"{sb.url}/sandbox"

    async def call(self, verb: str, path: str, body: dict[str, Any] | None = None, status: int = 200) -> Any:
        async with self.http.request(verb, self.base + path,
                                     data=None if body is None else json.dumps(body),
                                     headers={"Content-Type": "application/json"}) as resp:
            data = await resp.json()
            assert resp.status == status, data
            return data


@asynccontextmanager
async def clients(sb: Sandbox) -> AsyncIterator[tuple[BotHttp, Control]]:
    async with aiohttp.ClientSession() as http:
        yield BotHttp(http, sb), Control(http, sb)
