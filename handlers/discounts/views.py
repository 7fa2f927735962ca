"""Discounts: texts, here and wherever a discount shows (the cart's lines, staff replies)."""

from __future__ import annotations

from decimal import Decimal
from html import escape

from aiogram_i18n import I18nContext
from babel.numbers import format_decimal

from domain.discounts import Applied
from domain.models import Discount
from domain.promos import Redeemed
from handlers.common.format import babel_locale, day, money, text_of


def percent_text(basis_points: int, locale: str) -> str:
    return format_decimal(Decimal(basis_points) / 100, locale=babel_locale(locale))


def value_text(i18n: I18nContext, kind: str, value: int, currency: str) -> str:
    if kind == "percent":
        return i18n.get("discounts-value-percent", percent=percent_text(value, i18n.locale))
    return i18n.get("discounts-value-fixed", amount=money(value, currency, i18n.locale))


def scope_text(i18n: I18nContext, scope: str, target: str | None, names: dict[str, dict[str, str]]) -> str:
    if scope == "product":
        return i18n.get("discounts-scope-product",
                        product=escape(text_of(names[target], i18n.locale) if target in names else target or ""))
    if scope == "tariff":
        return i18n.get("discounts-scope-tariff",
                        tariff=escape(text_of(names[target], i18n.locale) if target in names else target or ""))
    if scope == "period":
        return i18n.get("discounts-scope-period", months=int(target or 0))
    return i18n.get("discounts-scope-all")


def reason_text(i18n: I18nContext, discount: Discount) -> str:
    if discount.promo_id is not None:
        return i18n.get("discounts-from-promo", code=escape(discount.reason))
    return escape(discount.reason)


def discount_text(i18n: I18nContext, discount: Discount, currency: str, names: dict[str, dict[str, str]]) -> str:
    """'10 % off everything — until 31 Dec 2026' and the reason below."""
    text = i18n.get("discounts-item", value=value_text(i18n, discount.kind, discount.value, currency),
                    scope=scope_text(i18n, discount.scope, discount.target, names))
    if discount.valid_until is not None:
        text += i18n.get("discounts-item-until", until=day(discount.valid_until, "UTC", i18n.locale))
    if discount.single_use:
        text += i18n.get("discounts-item-once")
    return f"{text}\n    <i>{reason_text(i18n, discount)}</i>"


def cart_discount_line(i18n: I18nContext, applied: Applied, currency: str) -> str:
    """Under a cart line: which discount priced it and what it took off."""
    reason = i18n.get("discounts-from-promo", code=escape(applied.reason)) if applied.promo else escape(applied.reason)
    return i18n.get("discounts-cart-line", value=value_text(i18n, applied.terms.kind, applied.terms.value, currency),
                    reason=reason, amount=money(applied.amount, currency, i18n.locale))


def fit(i18n: I18nContext, head: list[str], items: list[str], tail: list[str], limit: int = 3800) -> str:
    """As many items as fit in one Telegram message (4096 characters), then how many more there are."""
    size = sum(len(part) + 1 for part in head + tail)
    shown: list[str] = []
    for number, item in enumerate(items):
        if size + len(item) + 1 > limit:
            shown.append(i18n.get("discounts-more", count=len(items) - number))
            break
        shown.append(item)
        size += len(item) + 1
    return "\n".join(head + shown + tail)


def discounts_text(i18n: I18nContext, discounts: list[Discount], currency: str, names: dict[str, dict[str, str]],
                   notice: str | None = None) -> str:
    head = [notice, ""] if notice else []
    if not discounts:
        return "\n".join([*head, i18n.get("discounts-none")])
    return fit(i18n, [*head, i18n.get("discounts-title", count=len(discounts))],
               [discount_text(i18n, d, currency, names) for d in discounts], ["", i18n.get("discounts-how")])


def redeemed_text(i18n: I18nContext, result: Redeemed, currency: str) -> str:
    if result.discount is None:
        return i18n.get("promo-applied-credit", code=escape(result.promo.code),
                        amount=money(result.credit, currency, i18n.locale),
                        balance=money(result.balance, currency, i18n.locale))
    return i18n.get("promo-applied-discount", code=escape(result.promo.code),
                    value=value_text(i18n, result.discount.kind, result.discount.value, currency))
