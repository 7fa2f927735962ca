"""The order wizard: callback data and keyboards."""

from __future__ import annotations

from enum import StrEnum

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram_i18n import I18nContext

from handlers.common.ui import Callback, MenuCb, button, keyboard, nav_row


class OrderAction(StrEnum):
    """What a button of the wizard does; the values are what buttons already sent carry."""

    PRODUCT = "product"
    TARIFF = "tariff"
    PERIOD = "period"
    LICENCE = "licence"  # the licence a module is for
    SKIP = "skip"  # no name for the licence
    BACK = "back"  # to the step in `value`
    CART = "cart"  # put the configured product into the cart


class OrderStep(StrEnum):
    """The wizard's screens; a Back button names the one it leads to."""

    PRODUCTS = "products"
    TARIFFS = "tariffs"
    PERIODS = "periods"
    NAME = "name"
    IP = "ip"
    DOMAIN = "domain"
    LICENCE = "licence"
    SUMMARY = "summary"


# The first parameter step of each kind of product, and the step before the summary.
FIRST_PARAM = {"licence": OrderStep.NAME, "module": OrderStep.LICENCE, "ssl": OrderStep.DOMAIN}
LAST_PARAM = {"licence": OrderStep.IP, "module": OrderStep.LICENCE, "ssl": OrderStep.DOMAIN}


class OrderCb(Callback, prefix="o"):
    """A wizard step: `value` is the choice (a product code, a tariff id, months, a licence id) or, for Back,
    the step to go back to."""

    action: OrderAction
    value: str = ""


def cancel_row(i18n: I18nContext, back_to: OrderStep | None) -> list[InlineKeyboardButton]:
    row = []
    if back_to:
        row.append(button(i18n.get("button-back"), OrderCb(action=OrderAction.BACK, value=back_to)))
    row.append(button(i18n.get("button-cancel"), "cancel"))
    return row


def choices_markup(i18n: I18nContext, action: OrderAction, choices: list[tuple[str, str]],
                   back_to: OrderStep | None) -> InlineKeyboardMarkup:
    """One button per (label, value); the products (the first step) end with the menu, the others with Back and
    Cancel."""
    rows = [[button(label, OrderCb(action=action, value=value))] for label, value in choices]
    return keyboard(*rows, cancel_row(i18n, back_to) if back_to else nav_row(i18n))


def name_markup(i18n: I18nContext) -> InlineKeyboardMarkup:
    return keyboard([button(i18n.get("order-skip-name"), OrderCb(action=OrderAction.SKIP))],
                    cancel_row(i18n, OrderStep.PERIODS))


def needs_licence_markup(i18n: I18nContext) -> InlineKeyboardMarkup:
    """A module without a licence to put it on: order the licence first."""
    return keyboard([button(i18n.get("order-licence-first"), OrderCb(action=OrderAction.PRODUCT, value="ispmanager"))],
                    cancel_row(i18n, OrderStep.PERIODS))


def licence_in_cart_markup(i18n: I18nContext) -> InlineKeyboardMarkup:
    """A module whose licence waits in the cart: pay the cart first."""
    return keyboard([button(i18n.get("menu-button-cart"), MenuCb(section="cart"))], cancel_row(i18n, OrderStep.PERIODS))


def summary_markup(i18n: I18nContext, back_to: OrderStep) -> InlineKeyboardMarkup:
    return keyboard([button(i18n.get("order-to-cart"), OrderCb(action=OrderAction.CART))], cancel_row(i18n, back_to))


def added_markup(i18n: I18nContext) -> InlineKeyboardMarkup:
    return keyboard([button(i18n.get("menu-button-cart"), MenuCb(section="cart")),
                     button(i18n.get("order-more"), MenuCb(section="order"))],
                    nav_row(i18n))
