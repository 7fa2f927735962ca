"""The cart: callback data and keyboards."""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

from aiogram.types import InlineKeyboardMarkup
from aiogram_i18n import I18nContext

from domain.models import Service
from domain.orders import CartView
from handlers.common.format import money
from handlers.common.ui import Callback, MenuCb, TopupCb, button, keyboard, nav_row, next_steps

CART = MenuCb(section="cart")


class CartAction(StrEnum):
    """What a button of the cart does; the values are what buttons already sent carry."""

    REMOVE = "rm"
    PERIODS = "per"  # choose a line's period
    PERIOD = "setper"  # the period chosen
    CLEAR = "clear"
    CLEAR_CONFIRM = "clear-yes"
    PAY = "pay"


class CartCb(Callback, prefix="c"):
    """A cart action: `item` a cart line, `months` its new period, `rev` the cart revision shown (Pay is bound to
    it), `payer` the one picked when the customer has several."""

    action: CartAction
    item: int = 0
    months: int = 0
    rev: str = ""
    payer: int = 0


def cart_markup(i18n: I18nContext, view: CartView, currency: str) -> InlineKeyboardMarkup:
    rows = []
    for number, line in enumerate(view.lines, 1):
        row = [button(i18n.get("cart-remove", number=number), CartCb(action=CartAction.REMOVE, item=line.item.id))]
        if line.available and len(line.product.periods) > 1:
            row.insert(0, button(i18n.get("cart-change-period", number=number),
                                 CartCb(action=CartAction.PERIODS, item=line.item.id)))
        rows.append(row)
    if view.lines:
        rows.append([button(i18n.get("cart-clear"), CartCb(action=CartAction.CLEAR))])
    if view.payable:
        rows.append([button(i18n.get("cart-pay", total=money(view.total, currency, i18n.locale)),
                            CartCb(action=CartAction.PAY, rev=view.revision))])
    if not view.lines:
        rows.append([button(i18n.get("menu-button-order"), MenuCb(section="order"))])
    return keyboard(*rows, nav_row(i18n))


def periods_markup(i18n: I18nContext, item_id: int, options: list[tuple[int, str, bool]]) -> InlineKeyboardMarkup:
    """`options`: (months, label, whether it is the line's period now)."""
    rows = [[button(("• " if current else "") + label, CartCb(action=CartAction.PERIOD, item=item_id, months=months))]
            for months, label, current in options]
    return keyboard(*rows, nav_row(i18n, CART))


def clear_markup(i18n: I18nContext) -> InlineKeyboardMarkup:
    return keyboard([button(i18n.get("cart-clear-yes"), CartCb(action=CartAction.CLEAR_CONFIRM)),
                     button(i18n.get("cart-clear-no"), CART)])


def paid_markup(i18n: I18nContext, services: Sequence[Service] = ()) -> InlineKeyboardMarkup:
    """What comes next after a paid order: each bought service's next step its section registered (a new SSL
    certificate's setup: its key or CSR), then billing."""
    return keyboard(*next_steps(i18n, services),
                    [button(i18n.get("menu-button-billing"), MenuCb(section="billing"))], nav_row(i18n))


def shortfall_markup(i18n: I18nContext, shortfall: int, currency: str, revision: str,
                     payer: int = 0) -> InlineKeyboardMarkup:
    """A top-up of what the cart of `revision` lacks (the domain computes the amount again), which then buys it."""
    return keyboard(
        [button(i18n.get("checkout-topup-shortfall", amount=money(shortfall, currency, i18n.locale)),
                TopupCb(then=True, rev=revision, payer=payer))],
        nav_row(i18n, CART),
    )


def back_to_cart(i18n: I18nContext) -> InlineKeyboardMarkup:
    return keyboard(nav_row(i18n, CART))

