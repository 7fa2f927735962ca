"""Web playground for the Telegram Bot API sandbox.

Serves a single-page Telegram-like client at ``/`` (static files live in
``sandbox/static``) and a Server-Sent Events stream at ``/playground/events``
that tells the page which chat changed, so it can re-fetch it through the
JSON control API (``/sandbox/...``).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from pathlib import Path
from typing import Any

from aiohttp import web

log = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).parent / "static"
STATIC_PREFIX = "/playground/static"
HEARTBEAT_SECONDS = 15.0
QUEUE_LIMIT = 1000
# Keys of a world event that are forwarded to the browser (others may hold
# arbitrary objects; the page only needs to know what changed and where).
FORWARDED_KEYS = ("type", "chat_id", "message_thread_id", "message_id", "user_id", "action")

_CLOSE = object()
_STREAMS_KEY = web.AppKey("playground_streams", set)

NO_CACHE = {"Cache-Control": "no-cache"}


def _event_payload(event: Any) -> dict[str, Any]:
    if not isinstance(event, dict):
        return {"type": str(getattr(event, "type", "unknown"))}
    payload: dict[str, Any] = {}
    for key in FORWARDED_KEYS:
        value = event.get(key)
        if value is None:
            continue
        if isinstance(value, (str, int, float, bool)):
            payload[key] = value
        else:
            payload[key] = str(value)
    payload.setdefault("type", "unknown")
    return payload


class _Subscription:
    """One connected browser: a queue fed by the world listener."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.queue: asyncio.Queue[Any] = asyncio.Queue()

    def _put(self, item: Any) -> None:
        if item is not _CLOSE and self.queue.qsize() >= QUEUE_LIMIT:
            # A stuck client: drop the oldest event, the page re-fetches anyway.
            with contextlib.suppress(asyncio.QueueEmpty):
                self.queue.get_nowait()
        self.queue.put_nowait(item)

    def listener(self, event: dict[str, Any]) -> None:
        item = _event_payload(event)
        self.push(item)

    def push(self, item: Any) -> None:
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is self.loop:
            self._put(item)
        elif not self.loop.is_closed():
            self.loop.call_soon_threadsafe(self._put, item)


def setup_playground(app: web.Application, sandbox: Any) -> None:
    """Register the playground page, its static files and the SSE stream."""

    streams: set[_Subscription] = set()
    app[_STREAMS_KEY] = streams

    async def index(request: web.Request) -> web.StreamResponse:
        return web.FileResponse(STATIC_DIR / "index.html", headers=NO_CACHE)

    async def events(request: web.Request) -> web.StreamResponse:
        world = sandbox.world
        sub = _Subscription(asyncio.get_running_loop())
        response = web.StreamResponse(
            headers={
                "Content-Type": "text/event-stream",
                "Cache-Control": "no-cache",
                "X-Accel-Buffering": "no",
            }
        )
        world.add_listener(sub.listener)
        streams.add(sub)
        try:
            await response.prepare(request)
            await response.write(b"retry: 1000\n: connected\n\n")
            while True:
                try:
                    item = await asyncio.wait_for(sub.queue.get(), timeout=HEARTBEAT_SECONDS)
                except TimeoutError:
                    await response.write(b": heartbeat\n\n")
                    continue
                if item is _CLOSE:
                    break
                data = json.dumps(item, ensure_ascii=False, separators=(",", ":"))
                await response.write(f"data: {data}\n\n".encode())
        except ConnectionError:
            # The client went away; the heartbeat write notices it at the latest.
            pass
        finally:
            streams.discard(sub)
            with contextlib.suppress(Exception):
                world.remove_listener(sub.listener)
        return response

    async def close_streams(_app: web.Application) -> None:
        for sub in list(streams):
            sub.push(_CLOSE)

    app.router.add_get("/", index)
    app.router.add_get("/playground", index)
    app.router.add_get("/playground/events", events)
    app.router.add_static(STATIC_PREFIX, STATIC_DIR, append_version=False)
    app.on_shutdown.append(close_streams)
