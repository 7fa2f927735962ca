"""Error boundary: the user gets a localized apology with a reference id, the log gets the traceback."""

from __future__ import annotations

import logging
import secrets

from aiogram import Bot
from aiogram.fsm.context import FSMContext
from aiogram.types import ErrorEvent, InlineKeyboardButton, InlineKeyboardMarkup
from aiogram_i18n.cores import FluentRuntimeCore

from bot import metrics
from bot.i18n import pick_locale
from domain.errors import DomainError
from handlers.common.errors import core_error_text
from handlers.common.ui import HOME

log = logging.getLogger("bot.errors")


class ErrorBoundary:
    """Registered as the dispatcher's error handler, the outermost place every exception reaches."""

    def __init__(self, core: FluentRuntimeCore, default_locale: str) -> None:
        self._core = core
        self._default_locale = default_locale

    def _locale(self, event: ErrorEvent, data: dict) -> str:
        tg_user = data.get("event_from_user")
        return pick_locale(
            data.get("saved_locale"),
            getattr(tg_user, "language_code", None),
            self._default_locale,
            tuple(self._core.locales),
        )

    async def handle(self, event: ErrorEvent, bot: Bot, **data: object) -> bool:
        update = event.update
        locale = self._locale(event, data)
        markup = None
        if isinstance(event.exception, DomainError):
            # An expected refusal that escaped its handler: say what it is, no apology needed. A dialog it
            # escaped from is left: its step cannot succeed as things are (one error path for every dialog).
            user = data.get("user")
            text = core_error_text(self._core, locale, event.exception, getattr(user, "time_zone", None))
            ref = None
            state = data.get("state")
            if data.get("raw_state") is not None and isinstance(state, FSMContext):
                await state.clear()
                markup = InlineKeyboardMarkup(inline_keyboard=[[InlineKeyboardButton(
                    text=self._core.get("button-main-menu", locale), callback_data=HOME.pack())]])
        else:
            ref = secrets.token_hex(4)
            metrics.ERRORS.inc()
            log.error("unhandled error ref=%s update_id=%s", ref, update.update_id, exc_info=event.exception,
                      extra={"ref": ref, "update_id": update.update_id})
            text = self._core.get("error-unexpected", locale, ref=ref)
        try:
            if update.callback_query is not None:
                await update.callback_query.answer()
                if update.callback_query.message is not None:
                    await bot.send_message(update.callback_query.message.chat.id, text, reply_markup=markup)
            elif update.message is not None and update.message.chat.type == "private":
                await update.message.answer(text, reply_markup=markup)
        except Exception:
            log.warning("could not tell the user about error ref=%s", ref, exc_info=True)
        return True
