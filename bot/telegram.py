"""Outgoing Bot API calls: JSON bodies with shared keyboards serialized once, response types kept warm, and a short
flood wait retried instead of failing."""

from __future__ import annotations

import asyncio
import datetime
import logging
from collections import OrderedDict
from contextvars import ContextVar
from typing import Any

from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.session.middlewares.base import BaseRequestMiddleware, NextRequestMiddlewareType
from aiogram.exceptions import TelegramRetryAfter
from aiogram.methods import Response, TelegramMethod
from aiogram.methods.base import TelegramType
from aiogram.types import InlineKeyboardMarkup, InputFile, ReplyKeyboardMarkup
from aiohttp import BytesPayload, FormData

log = logging.getLogger(__name__)

# Background delivery paces itself and handles 429 on its own terms; it switches this retry off.
retry_flood_waits: ContextVar[bool] = ContextVar("retry_flood_waits", default=True)


class JsonBodySession(AiohttpSession):
    """Calls without files go as one JSON body, which the Bot API takes like a form: keyboards are not URL-encoded
    field by field, and a keyboard object sent again and again (the main menu, built once per language and set
    of sections) is converted once. Calls that upload files stay multipart, as aiogram builds them."""

    KEYBOARDS_KEPT = 256

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        # id -> (the keyboard itself, kept so the id cannot be reused while cached; its prepared form)
        self._keyboards: OrderedDict[int, tuple[object, Any]] = OrderedDict()

    def build_form_data(self, bot: Bot, method: TelegramMethod[Any]) -> FormData:
        keyboard = getattr(method, "reply_markup", None)
        shared = isinstance(keyboard, InlineKeyboardMarkup | ReplyKeyboardMarkup)
        files: dict[str, InputFile] = {}
        body: dict[str, Any] = {}
        for key, value in method.model_dump(warnings=False, exclude={"reply_markup"} if shared else None).items():
            prepared = self.prepare_value(value, bot=bot, files=files, _dumps_json=False)
            if prepared is None:
                continue
            if isinstance(value, datetime.datetime | datetime.timedelta):
                prepared = int(prepared)  # a number in JSON, as the Bot API documents it
            body[key] = prepared
        if files:
            return super().build_form_data(bot, method)
        if shared:
            body["reply_markup"] = self._prepared_keyboard(bot, keyboard)
        payload = BytesPayload(self.json_dumps(body).encode(), content_type="application/json")
        return payload  # type: ignore[return-value]  # aiohttp takes any payload as `data`

    def _prepared_keyboard(self, bot: Bot, keyboard: Any) -> Any:
        cached = self._keyboards.get(id(keyboard))
        if cached is not None and cached[0] is keyboard:
            self._keyboards.move_to_end(id(keyboard))
            return cached[1]
        prepared = self.prepare_value(keyboard, bot=bot, files={}, _dumps_json=False)
        self._keyboards[id(keyboard)] = (keyboard, prepared)
        if len(self._keyboards) > self.KEYBOARDS_KEPT:
            self._keyboards.popitem(last=False)
        return prepared


class FloodWaitRetry(BaseRequestMiddleware):
    """Telegram allows bursts, then answers 429 with retry_after; a customer waiting for a reply should get
    it a second later rather than an error. Long waits are not absorbed: they fail as before."""

    def __init__(self, max_wait: float = 5.0, attempts: int = 3) -> None:
        self.max_wait = max_wait
        self.attempts = attempts

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        attempt = 1
        while True:
            try:
                return await make_request(bot, method)
            except TelegramRetryAfter as exc:
                if not retry_flood_waits.get() or attempt >= self.attempts or exc.retry_after > self.max_wait:
                    raise
                log.info("flood wait %ss on %s, retrying", exc.retry_after, type(method).__name__)
                attempt += 1
                await asyncio.sleep(exc.retry_after)


class KeepResponseTypes(BaseRequestMiddleware):
    """aiogram parses every answer as `Response[<return type>]`, a pydantic generic that pydantic caches only
    weakly: once the garbage collector drops it, the next call rebuilds the model (about 10 ms of CPU). Under
    load that happened on a large share of calls; holding each parametrized type once stops it."""

    def __init__(self) -> None:
        self._held: dict[object, type] = {}

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        returning = method.__returning__
        if returning not in self._held:
            self._held[returning] = Response[returning]  # type: ignore[valid-type]
        return await make_request(bot, method)
