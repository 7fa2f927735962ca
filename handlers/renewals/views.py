"""Renewals: texts."""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from typing import Any

from aiogram.types import InlineKeyboardButton
from aiogram_i18n import I18nContext

from domain.accounts import Customer
from domain.errors import DomainError
from domain.renewals import Quote, Renewed, label_of, period_key
from domain.unit import Domain
from handlers.common import format as fmt
from handlers.renewals.keyboards import renew_button


def product_name(quote: Quote, locale: str) -> str:
    names: Mapping[str, str] = quote.product.names
    return escape(names.get(locale) or names.get("en") or quote.product.code)


def quote_args(quote: Quote, i18n: I18nContext, currency: str, user: Customer) -> dict[str, Any]:
    locale = i18n.locale
    return {
        "service": escape(label_of(quote.service)), "product": product_name(quote, locale),
        "months": quote.service.period_months, "price": fmt.money(quote.price, currency, locale),
        "balance": fmt.money(quote.balance, currency, locale),
        "shortfall": fmt.money(quote.shortfall, currency, locale),
        "expires": fmt.day(quote.service.expires_at, user.time_zone, locale),
        "new_expires": fmt.day(quote.new_expires_at, user.time_zone, locale),
    }


def renewed_text(i18n: I18nContext, renewed: Renewed, quote: Quote, currency: str, user: Customer) -> str:
    locale = i18n.locale
    return i18n.get("renew-done", service=escape(label_of(quote.service)), product=product_name(quote, locale),
                    price=fmt.money(renewed.price, currency, locale),
                    expires=fmt.day(renewed.expires_at, user.time_zone, locale),
                    balance=fmt.money(renewed.balance, currency, locale))


async def card_renew_button(i18n: I18nContext, domain: Domain, user: Customer,
                            service_id: int) -> InlineKeyboardButton | None:
    """Renew now for a service's card, priced as the renewal would be now; None when it cannot be renewed."""
    try:
        quote = await domain.renewals.quote(user.id, service_id)
    except DomainError:
        return None
    return renew_button(i18n, service_id, period_key(quote.service.expires_at),
                        fmt.money(quote.price, domain.ledger.currency, i18n.locale))
