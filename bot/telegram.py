"""Outgoing Bot API calls: JSON bodies with shared keyboards serialized once, response types kept warm, a short
flood wait retried instead of failing, one answer per button press, and texts cut to what Telegram takes."""

from __future__ import annotations

import asyncio
import datetime
import logging
from collections import OrderedDict
from contextvars import ContextVar
from typing import Any

from aiogram import Bot
from aiogram.client.default import Default
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.session.middlewares.base import BaseRequestMiddleware, NextRequestMiddlewareType
from aiogram.exceptions import TelegramRetryAfter
from aiogram.methods import AnswerCallbackQuery, EditMessageText, Response, SendMessage, TelegramMethod
from aiogram.methods.base import TelegramType
from aiogram.types import InlineKeyboardMarkup, InputFile, ReplyKeyboardMarkup
from aiohttp import BytesPayload, FormData

from handlers.common.fit import CAPTION_LIMIT, MESSAGE_LIMIT, fit_html, fit_plain
from handlers.common.screens import sending_screen

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
            self._held[returning] = Response[returning]  # type: ignore[valid-type]  # a type known at run time
        return await make_request(bot, method)


class CallbackAnswers(BaseRequestMiddleware):
    """Telegram takes one answer per button press: a second (an alert, then a screen that answers again) fails
    with "query is too old", turning a refusal into an error. Every answer passes here, whoever sends it (a
    handler, the error boundary, the throttle), so a second answer to the same press is dropped, and
    `answered` tells the dispatcher whether a press still needs its answer once the handler is done."""

    KEPT = 4096  # presses remembered; Telegram stops taking answers to a press after a few seconds anyway

    def __init__(self) -> None:
        self._answered: OrderedDict[str, None] = OrderedDict()

    def answered(self, query_id: str) -> bool:
        return query_id in self._answered

    def _remember(self, query_id: str) -> None:
        self._answered[query_id] = None
        if len(self._answered) > self.KEPT:
            self._answered.popitem(last=False)

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        answer = method
        if not isinstance(answer, AnswerCallbackQuery):
            return await make_request(bot, method)
        query_id = answer.callback_query_id
        if query_id in self._answered:
            log.debug("second answer to callback query %s dropped", query_id)
            # What Telegram answers to answerCallbackQuery; TelegramType is bool for this method.
            return Response[bool](ok=True, result=True)  # type: ignore[return-value]  # TelegramType is bool here
        self._remember(query_id)
        try:
            return await make_request(bot, method)
        except Exception:
            self._answered.pop(query_id, None)  # not answered after all: a later answer may still go out
            raise


class FitTexts(BaseRequestMiddleware):
    """Every outgoing text and caption within Telegram's limits (bot/fit.py): a long ticket, a long list, an
    echoed input can make a screen too long; cut, it still arrives, instead of a 400 "message is too long"."""

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        if isinstance(method, SendMessage | EditMessageText):
            field, limit = "text", MESSAGE_LIMIT
        elif isinstance(getattr(method, "caption", None), str):
            field, limit = "caption", CAPTION_LIMIT
        else:
            return await make_request(bot, method)
        text = getattr(method, field)
        parse_mode = getattr(method, "parse_mode", None)
        if isinstance(parse_mode, Default):
            parse_mode = bot.default[parse_mode.name]
        fitted = fit_html(text, limit) if parse_mode == "HTML" else fit_plain(text, limit) if not parse_mode else text
        if fitted is not text:
            method = method.model_copy(update={field: fitted})
        return await make_request(bot, method)


# Methods that put a new message into a chat.
_SENDS = {"SendMessage", "SendPhoto", "SendDocument", "SendInvoice", "SendMediaGroup", "SendLocation", "SendVideo",
          "SendAudio", "SendVoice", "SendAnimation", "SendSticker", "SendContact", "CopyMessage", "ForwardMessage"}


class MessagesBelowScreens(BaseRequestMiddleware):
    """Any message the bot sends into a private chat, other than a screen itself (a file, an invoice, a push, a
    receipt), lands below the chat's current screen: from then on that screen is not edited any more, the next
    one comes below (handlers/common/screens.py). Pushes sent by the delivery worker count as well."""

    def __init__(self, book: Any) -> None:
        self._book = book

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        response = await make_request(bot, method)
        chat_id = getattr(method, "chat_id", None)
        if (type(method).__name__ in _SENDS and isinstance(chat_id, int) and chat_id > 0
                and not sending_screen.get()):
            await self._book.superseded(bot.id, chat_id)
        return response
