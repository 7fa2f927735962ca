"""Renewals: callback data and keyboards."""

from __future__ import annotations

from enum import StrEnum

from aiogram.types import InlineKeyboardMarkup
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


def short_markup(i18n: I18nContext, service_id: int, shortfall: str, period: str,
                 card_price: str | None) -> InlineKeyboardMarkup:
    """Top up the shortfall; with automatic payments on, first the offer to renew with the card paying it."""
    rows = [[button(i18n.get("notification-button-top-up", amount=shortfall),
                    RenewCb(action=RenewAction.TOPUP, id=service_id))]]
    if card_price is not None:
        rows.insert(0, [button(i18n.get("renew-button-by-card", price=card_price),
                               RenewCb(action=RenewAction.RENEW, id=service_id, p=period))])
    return keyboard(*rows, nav_row(i18n))


def confirm_markup(i18n: I18nContext, service_id: int, price: str, period: str) -> InlineKeyboardMarkup:
    return keyboard([button(i18n.get("renew-button-confirm", price=price),
                            RenewCb(action=RenewAction.RENEW, id=service_id, p=period))], nav_row(i18n))
