"""The webhook endpoint Telegram posts updates to: the secret checked, the body parsed and validated before
anything is accepted (a malformed body is a 400 and one log line, never a 500 with a traceback), then the
update handled in the background so Telegram gets its answer at once.

A worker takes at most `max_in_flight` updates at a time (WEBHOOK_MAX_IN_FLIGHT). Beyond that it answers 503
and Telegram delivers the update again a little later (to this worker or another behind the balancer): load
is pushed back rather than accepted and then failed."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.methods import TelegramMethod
from aiogram.types import Update
from aiogram.webhook.aiohttp_server import SimpleRequestHandler
from aiohttp import web

from bot import metrics

log = logging.getLogger(__name__)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


class UpdateReceiver(SimpleRequestHandler):
    def __init__(self, dispatcher: Dispatcher, bot: Bot, secret_token: str, max_in_flight: int = 100,
                 **data: Any) -> None:
        super().__init__(dispatcher, bot, secret_token=secret_token, handle_in_background=True, **data)
        self.max_in_flight = max_in_flight

    @property
    def in_flight(self) -> int:
        return len(self._background_feed_update_tasks)

    async def handle(self, request: web.Request) -> web.Response:
        bot = await self.resolve_bot(request)
        if not self.verify_secret(request.headers.get(SECRET_HEADER, ""), bot):
            return web.Response(body="Unauthorized", status=401)
        if self.in_flight >= self.max_in_flight:
            metrics.PUSHED_BACK.inc()
            return web.Response(text="Busy: retry later", status=503, headers={"Retry-After": "1"})
        try:
            update = Update.model_validate(await request.json(loads=bot.session.json_loads), context={"bot": bot})
        except (ValueError, TypeError) as exc:  # bad JSON, or JSON that is no update (pydantic's is a ValueError)
            reason = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
            log.warning("webhook: malformed update refused (%s)", reason)
            return web.Response(text="Bad Request: malformed update", status=400)
        task = asyncio.create_task(self._feed(bot, update))
        self._background_feed_update_tasks.add(task)
        task.add_done_callback(self._background_feed_update_tasks.discard)
        return web.json_response({}, dumps=bot.session.json_dumps)

    async def _feed(self, bot: Bot, update: Update) -> None:
        result = await self.dispatcher.feed_update(bot, update, **self.data)
        if isinstance(result, TelegramMethod):
            await self.dispatcher.silent_call_request(bot=bot, result=result)
