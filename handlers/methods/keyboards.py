"""Payment methods: callback data and keyboards."""

from __future__ import annotations

from enum import StrEnum

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram_i18n import I18nContext

from domain.models import PaymentMethod
from handlers.billing import INVOICES
from handlers.common.format import method_label as label
from handlers.common.ui import Callback, button, keyboard, nav_row
from handlers.payers import PAYERS


class MethodAction(StrEnum):
    """What a button of the payment methods section does; the values are what buttons already sent carry."""

    LIST = "list"
    ADD = "add"
    CARD = "card"
    TELEGRAM = "tg"
    BANK = "bank"
    SHOW = "show"
    RENAME = "ren"
    DEFAULT = "def"
    REMOVE = "rm"
    REMOVE_CONFIRM = "rm!"


class PmCb(Callback, prefix="pm"):
    """A payment methods screen or action; `id`: the payment method."""

    action: MethodAction
    id: int = 0


METHODS = PmCb(action=MethodAction.LIST)
ADD = PmCb(action=MethodAction.ADD)
ADD_CARD = PmCb(action=MethodAction.CARD)


def list_markup(i18n: I18nContext, methods: list[PaymentMethod], back: CallbackData) -> InlineKeyboardMarkup:
    rows: list[list[InlineKeyboardButton]] = [[button(("★ " if m.is_default else "") + label(i18n, m),
                                                      PmCb(action=MethodAction.SHOW, id=m.id))] for m in methods]
    rows.append([button(i18n.get("methods-add"), ADD)])
    return keyboard(*rows, nav_row(i18n, back))


def add_markup(i18n: I18nContext, cards: bool) -> InlineKeyboardMarkup:
    """What the vendor offers: a card only when Stripe is configured."""
    rows = []
    if cards:
        rows.append([button(i18n.get("methods-add-card"), ADD_CARD)])
    rows.append([button(i18n.get("methods-add-telegram"), PmCb(action=MethodAction.TELEGRAM))])
    rows.append([button(i18n.get("methods-add-bank"), PmCb(action=MethodAction.BANK))])
    return keyboard(*rows, nav_row(i18n, METHODS))


def card_page_markup(i18n: I18nContext, url: str) -> InlineKeyboardMarkup:
    return keyboard([InlineKeyboardButton(text=i18n.get("methods-card-open-button"), url=url)], nav_row(i18n, METHODS))


def bank_markup(i18n: I18nContext, can_pay_by_transfer: bool) -> InlineKeyboardMarkup:
    """Bank transfer is paying an invoice; without a company or sole trader payer, adding one comes first."""
    if can_pay_by_transfer:
        return keyboard([button(i18n.get("methods-bank-invoices"), INVOICES)], nav_row(i18n, ADD))
    return keyboard([button(i18n.get("methods-bank-add-payer"), PAYERS)], nav_row(i18n, ADD))


def details_markup(i18n: I18nContext, method: PaymentMethod) -> InlineKeyboardMarkup:
    rows = [[button(i18n.get("methods-rename"), PmCb(action=MethodAction.RENAME, id=method.id))]]
    if not method.is_default:
        rows.append([button(i18n.get("methods-make-default"), PmCb(action=MethodAction.DEFAULT, id=method.id))])
    rows.append([button(i18n.get("methods-remove"), PmCb(action=MethodAction.REMOVE, id=method.id))])
    return keyboard(*rows, nav_row(i18n, METHODS))


def rename_markup(i18n: I18nContext, method: PaymentMethod) -> InlineKeyboardMarkup:
    return keyboard([button(i18n.get("button-back"), PmCb(action=MethodAction.SHOW, id=method.id)),
                     button(i18n.get("button-cancel"), "cancel")])


def remove_markup(i18n: I18nContext, method: PaymentMethod) -> InlineKeyboardMarkup:
    return keyboard([button(i18n.get("methods-remove-yes"), PmCb(action=MethodAction.REMOVE_CONFIRM, id=method.id)),
                     button(i18n.get("methods-remove-no"), PmCb(action=MethodAction.SHOW, id=method.id))])
