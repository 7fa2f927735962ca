"""Payers: callback data and keyboards."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import Literal

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram_i18n import I18nContext

from domain.models import Payer
from domain.models.payers import PayerKind
from domain.payers import FIELDS, KINDS, MAX_PAYERS, OPTIONAL
from handlers.client import CLIENT
from handlers.common.ui import Callback, button, keyboard, nav_row
from handlers.payers.states import PayerDraft
from handlers.payers.views import field_key, kind_name, payer_label


class PayerAction(StrEnum):
    """What a button of the payers section does; the values are what buttons already sent carry."""

    LIST = "list"
    ADD = "add"
    NEW = "new"  # a type chosen: the dialog starts
    SKIP = "skip"
    BACK = "back"
    SAVE = "save"
    VIEW = "view"
    FIELDS = "fields"
    EDIT = "edit"
    CLEAR = "clear"
    DEFAULT = "default"
    OFF = "off"
    ON = "on"
    DELETE = "del"
    DELETE_CONFIRM = "del-yes"


class PayerCb(Callback, prefix="py"):
    """A payers screen or action: `id` the payer, `kind` the type chosen (NEW), `field` the field (EDIT, CLEAR)."""

    action: PayerAction
    id: int = 0
    kind: PayerKind | Literal[""] = ""
    field: str = ""


PAYERS = PayerCb(action=PayerAction.LIST)


def list_markup(i18n: I18nContext, payers: list[Payer]) -> InlineKeyboardMarkup:
    rows = [[button(payer_label(i18n, p), PayerCb(action=PayerAction.VIEW, id=p.id))] for p in payers]
    if len(payers) < MAX_PAYERS:
        rows.append([button(i18n.get("payers-add"), PayerCb(action=PayerAction.ADD))])
    return keyboard(*rows, nav_row(i18n, CLIENT))


def payer_markup(i18n: I18nContext, payer: Payer) -> InlineKeyboardMarkup:
    rows = [[button(i18n.get("payers-edit"), PayerCb(action=PayerAction.FIELDS, id=payer.id))]]
    if payer.active and not payer.is_default:
        rows.append([button(i18n.get("payers-make-default"), PayerCb(action=PayerAction.DEFAULT, id=payer.id))])
    rows.append([button(i18n.get("payers-disable" if payer.active else "payers-enable"),
                        PayerCb(action=PayerAction.OFF if payer.active else PayerAction.ON, id=payer.id)),
                 button(i18n.get("payers-delete"), PayerCb(action=PayerAction.DELETE, id=payer.id))])
    return keyboard(*rows, nav_row(i18n, PAYERS))


def delete_markup(i18n: I18nContext, payer: Payer) -> InlineKeyboardMarkup:
    return keyboard([button(i18n.get("payers-delete-yes"), PayerCb(action=PayerAction.DELETE_CONFIRM, id=payer.id)),
                     button(i18n.get("payers-delete-no"), PayerCb(action=PayerAction.VIEW, id=payer.id))])


def kinds_markup(i18n: I18nContext) -> InlineKeyboardMarkup:
    rows = [[button(kind_name(i18n, kind), PayerCb(action=PayerAction.NEW, kind=kind))] for kind in KINDS]
    return keyboard(*rows, nav_row(i18n, PAYERS))


def _back_cancel(i18n: I18nContext) -> list[InlineKeyboardButton]:
    return [button(i18n.get("button-back"), PayerCb(action=PayerAction.BACK)),
            button(i18n.get("button-cancel"), "cancel")]


def step_markup(i18n: I18nContext, draft: PayerDraft) -> InlineKeyboardMarkup:
    rows = []
    if FIELDS[draft.kind][draft.step] in OPTIONAL[draft.kind]:
        rows.append([button(i18n.get("payers-skip"), PayerCb(action=PayerAction.SKIP))])
    rows.append(_back_cancel(i18n))
    return keyboard(*rows)


def summary_markup(i18n: I18nContext) -> InlineKeyboardMarkup:
    return keyboard([button(i18n.get("payers-save"), PayerCb(action=PayerAction.SAVE))], _back_cancel(i18n))


def fields_markup(i18n: I18nContext, payer: Payer) -> InlineKeyboardMarkup:
    rows = [[button(i18n.get(field_key("payers-field", field), kind=payer.kind),
                    PayerCb(action=PayerAction.EDIT, id=payer.id, field=field))] for field in FIELDS[payer.kind]]
    return keyboard(*rows, nav_row(i18n, PayerCb(action=PayerAction.VIEW, id=payer.id)))


def edit_markup(i18n: I18nContext, payer: Payer, field: str) -> InlineKeyboardMarkup:
    rows = []
    if field in OPTIONAL[payer.kind]:
        rows.append([button(i18n.get("payers-clear"), PayerCb(action=PayerAction.CLEAR, id=payer.id, field=field))])
    rows.append([button(i18n.get("button-back"), PayerCb(action=PayerAction.VIEW, id=payer.id)),
                 button(i18n.get("button-cancel"), "cancel")])
    return keyboard(*rows)


def pick_markup(i18n: I18nContext, payers: list[Payer], make: Callable[[int], CallbackData],
                back: CallbackData) -> InlineKeyboardMarkup:
    return keyboard(*([button(payer_label(i18n, payer), make(payer.id))] for payer in payers), nav_row(i18n, back))
