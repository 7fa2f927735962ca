"""Fluent translations through aiogram-i18n: the saved language, else Telegram's, else the default."""

from __future__ import annotations

import re
from typing import Any

from aiogram.types import User as TelegramUser
from aiogram_i18n import I18nMiddleware
from aiogram_i18n.cores import FluentRuntimeCore
from aiogram_i18n.managers import BaseManager
from fluent.runtime.types import fluent_number

from bot.config import LOCALES_DIR, available_locales
from domain.accounts import Customer
from domain.unit import Domain


def pick_locale(saved: str | None, telegram: str | None, default: str, available: tuple[str, ...]) -> str:
    if saved in available:
        return str(saved)
    if telegram:
        base = telegram.replace("_", "-").split("-", 1)[0].lower()
        if base in available:
            return base
    return default


class AccountLocaleManager(BaseManager):
    """Reads the locale from the account the user middleware loaded; writes it through the domain."""

    def __init__(self, default_locale: str) -> None:
        super().__init__(default_locale=default_locale)
        self.available = available_locales()

    async def get_locale(self, event_from_user: TelegramUser | None = None, user: Customer | None = None,
                         **_: Any) -> str:
        telegram = event_from_user.language_code if event_from_user else None
        saved = user.locale if user else None
        return pick_locale(saved, telegram, self.default_locale or "en", self.available)

    async def set_locale(self, locale: str, domain: Domain | None = None,
                         event_from_user: TelegramUser | None = None, **_: Any) -> None:
        if domain is not None and event_from_user is not None:
            await domain.accounts.set_locale(event_from_user.id, locale, self.available)


# fluent.runtime refuses any placeable over 2,500 characters (a guard against runaway messages). A ticket
# message, a news post or an echoed input may be longer: such values are put in after formatting, so every
# length the domain allows renders, wherever it is inserted.
LONG_VALUE = 1000
_MARK = re.compile("\ufdd0(\\d+)\ufdd1")  # noncharacters: customer text never carries them (domain/text.py)


def _plain_number(value: Any) -> Any:
    return fluent_number(value, useGrouping=False) if isinstance(value, int) and not isinstance(value, bool) else value


class BotCore(FluentRuntimeCore):
    """The translations core: tolerant of long inserted values, whole numbers without thousands separators."""

    def get(self, message_id: str, locale: str | None = None, /, **kwargs: Any) -> str:
        # Whole numbers are order, ticket and customer numbers as often as counts: "#12345", never "#12,345".
        kwargs = {name: _plain_number(value) for name, value in kwargs.items()}
        long = [name for name, value in kwargs.items() if isinstance(value, str) and len(value) > LONG_VALUE]
        if not long:
            return super().get(message_id, locale, **kwargs)
        values = [kwargs[name] for name in long]
        marks = {name: f"\ufdd0{index}\ufdd1" for index, name in enumerate(long)}
        text = super().get(message_id, locale, **{**kwargs, **marks})
        return _MARK.sub(lambda found: values[int(found.group(1))], text)


def create_core(default_locale: str) -> BotCore:
    return BotCore(path=LOCALES_DIR / "{locale}", default_locale=default_locale)


def create_i18n(default_locale: str, core: BotCore | None = None) -> I18nMiddleware:
    return I18nMiddleware(
        core=core or create_core(default_locale),
        manager=AccountLocaleManager(default_locale),
        default_locale=default_locale,
    )
