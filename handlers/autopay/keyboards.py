"""Automatic payments: callback data and keyboards."""

from __future__ import annotations

from enum import StrEnum

from aiogram.types import InlineKeyboardMarkup
from aiogram_i18n import I18nContext

from domain.autopay import AutopayView
from domain.models import PaymentMethod
from handlers.common.format import method_label
from handlers.common.ui import Callback, MenuCb, button, keyboard, nav_row
from handlers.methods import ADD_CARD

BILLING = MenuCb(section="billing")


class AutopayAction(StrEnum):
    """What a button of Billing -> Automatic payments does; the values are what buttons already sent carry."""

    SHOW = "show"
    ON = "on"  # choose a card
    CARD = "card"  # the card chosen: ask the limit
    LIMIT = "limit"  # a new monthly limit
    OFF = "off"


class ApCb(Callback, prefix="ap"):
    """An automatic-payments screen or action; `id` is the card chosen."""

    action: AutopayAction
    id: int = 0


AUTOPAY = ApCb(action=AutopayAction.SHOW)


def autopay_markup(i18n: I18nContext, view: AutopayView, has_cards: bool,
                   cards_available: bool) -> InlineKeyboardMarkup:
    """On: change the limit or the card, or turn off. Off: turn on with a saved card, or add one first."""
    rows = []
    if view.enabled and view.method is not None:
        rows.append([button(i18n.get("methods-autopay-button-limit"), ApCb(action=AutopayAction.LIMIT)),
                     button(i18n.get("methods-autopay-button-card"), ApCb(action=AutopayAction.ON))])
        rows.append([button(i18n.get("methods-autopay-button-off"), ApCb(action=AutopayAction.OFF))])
    elif has_cards:
        rows.append([button(i18n.get("methods-autopay-button-on"), ApCb(action=AutopayAction.ON))])
    elif cards_available:
        rows.append([button(i18n.get("methods-autopay-button-add-card"), ADD_CARD)])
    return keyboard(*rows, nav_row(i18n, BILLING))


def cards_markup(i18n: I18nContext, cards: list[PaymentMethod]) -> InlineKeyboardMarkup:
    rows = [[button(method_label(i18n, card), ApCb(action=AutopayAction.CARD, id=card.id))] for card in cards]
    return keyboard(*rows, nav_row(i18n, AUTOPAY))


def limit_markup(i18n: I18nContext) -> InlineKeyboardMarkup:
    return keyboard([button(i18n.get("button-back"), AUTOPAY), button(i18n.get("button-cancel"), "cancel")])


def cancel_markup(i18n: I18nContext) -> InlineKeyboardMarkup:
    return keyboard([button(i18n.get("button-cancel"), "cancel")])
