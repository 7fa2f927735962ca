"""Discounts: callback data and keyboards."""

from __future__ import annotations

from enum import StrEnum

from aiogram.types import InlineKeyboardMarkup
from aiogram_i18n import I18nContext

from handlers.client import CLIENT
from handlers.common.ui import Callback, MenuCb, button, keyboard, nav_row

DISCOUNTS = MenuCb(section="discounts")


class DiscountAction(StrEnum):
    """What a button of the discounts section does; the values are what buttons already sent carry."""

    CODE = "code"  # ask for a promo code
    REDEEM = "redeem"  # apply `code`, from a promo link's confirmation


class DiscountCb(Callback, prefix="dsc"):
    action: DiscountAction
    code: str = ""


def cancel_markup(i18n: I18nContext) -> InlineKeyboardMarkup:
    return keyboard([button(i18n.get("button-cancel"), "cancel")])


def discounts_markup(i18n: I18nContext, any_discounts: bool) -> InlineKeyboardMarkup:
    rows = [[button(i18n.get("discounts-button-enter-code"), DiscountCb(action=DiscountAction.CODE))]]
    if any_discounts:
        rows.append([button(i18n.get("menu-button-cart"), MenuCb(section="cart"))])
    return keyboard(*rows, nav_row(i18n, CLIENT))


def code_markup(i18n: I18nContext) -> InlineKeyboardMarkup:
    return keyboard([button(i18n.get("button-cancel"), "cancel")], nav_row(i18n, DISCOUNTS))


def promo_link_markup(i18n: I18nContext, code: str) -> InlineKeyboardMarkup:
    return keyboard([button(i18n.get("promo-button-apply"), DiscountCb(action=DiscountAction.REDEEM, code=code))],
                    [button(i18n.get("menu-button-discounts"), DISCOUNTS)],
                    nav_row(i18n))
