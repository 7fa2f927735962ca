"""Every button press is answered exactly once: a handler that did not answer gets an empty answer afterwards
(the button stops spinning), and a second answer is dropped on its way out (`bot.telegram.CallbackAnswers`)."""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.exceptions import TelegramAPIError
from aiogram.types import CallbackQuery, TelegramObject

from bot.telegram import CallbackAnswers


class AnswerPresses(BaseMiddleware):
    def __init__(self, answers: CallbackAnswers) -> None:
        self._answers = answers

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        result = await handler(event, data)
        if isinstance(event, CallbackQuery) and not self._answers.answered(event.id):
            with contextlib.suppress(TelegramAPIError):
                await event.answer()
        return result
