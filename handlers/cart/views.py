"""The cart: texts."""

from __future__ import annotations

from html import escape
from typing import Any

from aiogram.types import InlineKeyboardMarkup
from aiogram_i18n import I18nContext

from domain.accounts import Customer
from domain.autopay import CHARGED, LIMIT, PENDING, Cover
from domain.checkout import CartPayment
from domain.orders import CartView, CheckoutResult
from domain.validation import display_domain
from handlers.cart.keyboards import back_to_cart, paid_markup, shortfall_markup
from handlers.common.errors import error_text
from handlers.common.format import day, money, text_of
from handlers.common.format import method_label as card_label
from handlers.discounts import cart_discount_line


def line_params(i18n: I18nContext, params: dict[str, Any]) -> str:
    parts = []
    if params.get("name"):
        parts.append(escape(params["name"]))
    if params.get("ip"):
        parts.append(params["ip"])
    if params.get("domain"):
        parts.append(escape(display_domain(params["domain"])))
    if params.get("licence_id"):
        parts.append(i18n.get("cart-for-licence", licence=str(params["licence_id"])))
    return ", ".join(parts)


def cart_text(i18n: I18nContext, view: CartView, currency: str, notice: str | None = None) -> str:
    if not view.lines:
        return (notice + "\n\n" if notice else "") + i18n.get("cart-empty")
    lines = [notice, ""] if notice else []
    lines.append(i18n.get("cart-title", count=len(view.lines)))
    for number, line in enumerate(view.lines, 1):
        head = i18n.get("cart-line", number=number, product=escape(text_of(line.product.names, i18n.locale)),
                        tariff=escape(text_of(line.tariff.names, i18n.locale)), months=line.item.months)
        params = line_params(i18n, line.item.params)
        if not line.available:
            price = i18n.get("cart-line-unavailable")
        elif line.price.discount:
            price = i18n.get("cart-line-discounted", price=money(line.price.total, currency, i18n.locale),
                             list_price=money(line.price.list_price, currency, i18n.locale))
        else:
            price = money(line.price.total, currency, i18n.locale)
        if line.applied is not None:
            price += "\n" + cart_discount_line(i18n, line.applied, currency)
        lines.append(f"\n{head}\n{params}\n{price}" if params else f"\n{head}\n{price}")
    lines.append("")
    if view.discount:
        lines.append(i18n.get("cart-discount", discount=money(view.discount, currency, i18n.locale)))
    lines.append(i18n.get("cart-total", total=money(view.total, currency, i18n.locale)))
    return "\n".join(lines)


def paid_text(i18n: I18nContext, result: CheckoutResult, currency: str, time_zone: str) -> str:
    """The order a payment bought: its number, what it cost, the balance left, each new service."""
    lines = [i18n.get("checkout-paid", order=str(result.order_id), total=money(result.total, currency, i18n.locale),
                      balance=money(result.balance, currency, i18n.locale))]
    for service in result.services:
        what = escape(service.name or display_domain(service.domain or "") or service.ip_address or "")
        lines.append(i18n.get("checkout-service", id=str(service.id), kind=i18n.get(f"service-kind-{service.kind}"),
                              what=what, expires=day(service.expires_at, time_zone, i18n.locale)))
    return "\n".join(lines)


def card_notice(i18n: I18nContext, card: Cover, currency: str) -> str:
    """The automatic payment tried for the cart: charged, the monthly limit, Stripe unreachable, declined."""
    name = card_label(i18n, card.method) if card.method is not None else ""
    if card.status == CHARGED:
        return i18n.get("methods-checkout-charged", amount=money(card.amount, currency, i18n.locale), card=name)
    if card.status == LIMIT:
        return i18n.get("methods-checkout-limit")
    if card.status == PENDING:
        return i18n.get("methods-error-stripe")
    return i18n.get("methods-checkout-declined", card=name)


def payment_screen(i18n: I18nContext, currency: str, user: Customer, outcome: CartPayment, revision: str,
                   payer: int) -> tuple[str, InlineKeyboardMarkup]:
    """What paying the cart came to: paid, still short (with the card's attempt if one was made), or bought
    nothing after the card paid (the money is on the balance)."""
    locale = i18n.locale
    lines = [card_notice(i18n, outcome.card, currency)] if outcome.card is not None else []
    if outcome.order is not None:
        lines.append(paid_text(i18n, outcome.order, currency, user.time_zone))
        return "\n\n".join(lines), paid_markup(i18n, outcome.order.services)
    if outcome.refused is not None:
        lines.append(error_text(i18n, outcome.refused, user.time_zone))
        return "\n\n".join(lines), back_to_cart(i18n)
    short = outcome.short
    assert short is not None
    lines.append(i18n.get("checkout-short", total=money(short.total, currency, locale),
                          balance=money(short.balance, currency, locale),
                          shortfall=money(short.shortfall, currency, locale)))
    return "\n\n".join(lines), shortfall_markup(i18n, short.shortfall, currency, revision, payer)
