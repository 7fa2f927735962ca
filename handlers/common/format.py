"""Money and dates as the customer reads them: their language's conventions, their time zone."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from html import escape
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.dates import format_date as babel_date
from babel.dates import format_datetime as babel_datetime
from babel.numbers import format_currency, get_currency_precision

from domain.renewals import label_of
from domain.values import parse_amount as parse_minor

BABEL_LOCALES = {"en": "en_GB", "ru": "ru_RU"}


def babel_locale(locale: str) -> str:
    return BABEL_LOCALES.get(locale, locale)


def minor_to_decimal(minor: int, currency: str) -> Decimal:
    return Decimal(minor).scaleb(-get_currency_precision(currency))


def money(minor: int, currency: str, locale: str) -> str:
    """12345 EUR -> '€123.45' (en) / '123,45 €' (ru). XTR (Telegram Stars) is shown as '★ 50'."""
    if currency == "XTR":
        return f"★ {minor}"
    return format_currency(minor_to_decimal(minor, currency), currency, locale=babel_locale(locale))


def parse_amount(text: str, currency: str) -> int:
    """'12.50', '12,50', '€ 12.5' -> minor units of `currency`; anything else is refused (InvalidInput)."""
    return parse_minor(text, get_currency_precision(currency))


def zone(time_zone: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(time_zone or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def when(moment: datetime, time_zone: str | None, locale: str) -> str:
    """A moment in the customer's zone: '26 Nov 2026, 14:05'."""
    local = moment.astimezone(UTC).astimezone(zone(time_zone))
    return babel_datetime(local, "d MMM y, HH:mm", locale=babel_locale(locale))


def day(moment: datetime, time_zone: str | None, locale: str) -> str:
    """A calendar day in the customer's zone: '26 Nov 2026'."""
    local = moment.astimezone(UTC).astimezone(zone(time_zone))
    return babel_date(local.date(), "d MMM y", locale=babel_locale(locale))


def month_name(month: str, locale: str, *, start: bool = True) -> str:
    """'2026-12' as people name it: 'December 2026', 'Декабрь 2026' (`start`: at the start of a line or a button),
    'декабрь 2026' inside a sentence."""
    year, number = (int(part) for part in month.split("-"))
    name = babel_date(date(year, number, 1), "LLLL y", locale=babel_locale(locale))
    return name[:1].upper() + name[1:] if start else name


def calendar_day(value: date, locale: str) -> str:
    """A calendar day as it is (no time zone shift): '26 Nov 2026'."""
    return babel_date(value, "d MMM y", locale=babel_locale(locale))


def text_of(texts: dict[str, str], locale: str) -> str:
    """A catalogue name or description in the reader's language, else English, else whichever there is."""
    return texts.get(locale) or texts.get("en") or next(iter(texts.values()), "")


def service_title(service: Any) -> str:
    """'#12 web-1', '#13 shop.example.org': the id and how the customer recognises the service, escaped."""
    label = label_of(service)
    return f"#{service.id}" if label == f"#{service.id}" else f"#{service.id} {escape(label)}"


def method_label(i18n: Any, method: Any) -> str:
    """How the customer recognises a payment method: their own name for it, or the card's brand and last
    digits (escaped)."""
    if method.name:
        return escape(method.name)
    if method.kind == "card":
        return i18n.get("methods-card-label", brand=escape((method.brand or "").title()),
                        last4=escape(method.last4 or ""))
    return i18n.get("methods-telegram-label")
