"""Renewals: callback data and keyboards."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram_i18n import I18nContext

from handlers.common.ui import Callback, button, keyboard, nav_row


class RenewAction(StrEnum):
    """What a renewal button does; the values are what buttons already sent (and notifications) carry."""

    QUOTE = "q"  # what renewing costs, and confirm
    RENEW = "r"
    TOPUP = "t"  # top up what the renewal lacks


class RenewCb(Callback, prefix="rn"):
    """A renewal of service `id`; `p` is the expiry date (YYYYMMDD) the offer was for."""

    action: RenewAction
    id: int
    p: str = ""
    c: int = 0  # 1: pressed on the service's card, so Back leads there


CardOf = Callable[[int], CallbackData]
_CARDS: dict[str, CardOf] = {}


def register_card(kind: str, card: CardOf) -> None:
    """Where Back leads from a renewal started on a service's card: the section of that kind of service."""
    _CARDS[kind] = card


def back_of(kind: str, service_id: int, from_card: bool) -> CallbackData | None:
    card = _CARDS.get(kind)
    return card(service_id) if from_card and card is not None else None


def renew_button(i18n: I18nContext, service_id: int, period: str, price: str) -> InlineKeyboardButton:
    """Renew now on a service's card, with the price of its period; bound to the period it was shown for."""
    return button(i18n.get("renew-button-card", price=price), RenewCb(action=RenewAction.QUOTE, id=service_id,
                                                                       p=period, c=1))


def short_markup(i18n: I18nContext, service_id: int, shortfall: str, period: str,
                 card_price: str | None, back: CallbackData | None = None, c: int = 0) -> InlineKeyboardMarkup:
    """Top up the shortfall; with automatic payments on, first the offer to renew with the card paying it."""
    rows = [[button(i18n.get("notification-button-top-up", amount=shortfall),
                    RenewCb(action=RenewAction.TOPUP, id=service_id))]]
    if card_price is not None:
        rows.insert(0, [button(i18n.get("renew-button-by-card", price=card_price),
                               RenewCb(action=RenewAction.RENEW, id=service_id, p=period, c=c))])
    return keyboard(*rows, nav_row(i18n, back))


def confirm_markup(i18n: I18nContext, service_id: int, price: str, period: str, back: CallbackData | None = None,
                   c: int = 0) -> InlineKeyboardMarkup:
    return keyboard([button(i18n.get("renew-button-confirm", price=price),
                            RenewCb(action=RenewAction.RENEW, id=service_id, p=period, c=c))], nav_row(i18n, back))
