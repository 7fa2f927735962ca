"""Licences: callback data and keyboards."""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram_i18n import I18nContext

from domain.services import Details
from domain.unit import Domain
from handlers.common.format import money, text_of
from handlers.common.ui import Callback, TopupCb, button, keyboard, nav_row
from handlers.licences.views import plain_title
from handlers.tickets import question


class ListKind(StrEnum):
    """Which list: licences or modules (the service kinds the section shows)."""

    LICENCE = "licence"
    MODULE = "module"


class ListCb(Callback, prefix="sl"):
    """The list of licences or modules: `status` filters it, `page` pages it; `pick` 1 shows the filter."""

    kind: ListKind = ListKind.LICENCE
    status: Literal["all", "active", "suspended", "expired", "deleted"] = "all"
    page: int = 0
    pick: int = 0


class ServiceAction(StrEnum):
    """What a button on a licence or module does; the values are what buttons already sent carry."""

    DETAILS = "d"
    RENAME = "rn"
    IP = "ip"
    KEY = "key"
    KEY_CONFIRM = "key!"
    SHOW_KEY = "sk"
    TARIFFS = "tf"
    TARIFF = "tc"
    TARIFF_CONFIRM = "tx"
    AUTO_RENEW = "ar"
    DELETE = "del"
    DELETE_CONFIRM = "del!"
    HISTORY = "h"


class SvcCb(Callback, prefix="sv"):
    """A service's screen and actions. `v`: a tariff id, on/off or a page; `x`: the amount confirmed; `f`: the
    tariff a change was confirmed from."""

    action: ServiceAction
    id: int
    v: int = 0
    x: int = 0
    f: int = 0


def details_markup(i18n: I18nContext, details: Details, renew: InlineKeyboardButton | None = None
                   ) -> InlineKeyboardMarkup:
    """The card's buttons: only what the service's status allows (the domain's `Details.actions`); `renew` is
    Renew now with the price of the period."""
    service = details.row.service
    sid, can = service.id, details.actions
    back: Callback = ListCb(kind=ListKind(service.kind), status="deleted" if service.status == "deleted" else "all")

    def act(action: ServiceAction, text_key: str, **args: str) -> InlineKeyboardButton:
        return button(i18n.get(text_key, **args), SvcCb(action=action, id=sid))

    rows: list[list[InlineKeyboardButton]] = []
    first = []
    if "rename" in can:
        first.append(act(ServiceAction.RENAME, "licence-button-rename"))
    if service.kind == "licence" and "ip" in can:
        first.append(act(ServiceAction.IP, "licence-button-ip"))
    rows.append(first)
    keys = []
    if service.kind == "licence" and "show_key" in can:
        keys.append(act(ServiceAction.SHOW_KEY, "licence-button-show-key"))
    if service.kind == "licence" and "key" in can:
        keys.append(act(ServiceAction.KEY, "licence-button-key"))
    rows.append(keys)
    if renew is not None and "renew" in can:
        rows.append([renew])
    if "tariff" in can:
        rows.append([act(ServiceAction.TARIFFS, "licence-button-tariff")])
    if "auto_renew" in can:
        rows.append([button(i18n.get("licence-button-auto-renew", on="yes" if service.auto_renew else "no"),
                            SvcCb(action=ServiceAction.AUTO_RENEW, id=sid, v=0 if service.auto_renew else 1))])
    rows.append([act(ServiceAction.HISTORY, "licence-button-history")]
                + ([act(ServiceAction.DELETE, "licence-button-delete")] if "delete" in can else []))
    if "question" in can:
        rows.append([button(i18n.get("tickets-button-question"), question(sid))])
    rows += [[button(f"🧩 {plain_title(m.service)} · {text_of(m.tariff.names, i18n.locale)}",
                     SvcCb(action=ServiceAction.DETAILS, id=m.service.id))] for m in details.modules]
    if details.row.parent is not None:
        back = SvcCb(action=ServiceAction.DETAILS, id=details.row.parent.id)
    return keyboard(*rows, nav_row(i18n, back))


def refusal_markup(i18n: I18nContext, service_id: int) -> InlineKeyboardMarkup:
    """A refusal (new key, IP change too soon) offers a ticket about this service."""
    return keyboard([button(i18n.get("licence-button-support"), question(service_id))],
                    nav_row(i18n, SvcCb(action=ServiceAction.DETAILS, id=service_id)))


def form_markup(i18n: I18nContext, service_id: int) -> InlineKeyboardMarkup:
    return keyboard([button(i18n.get("button-back"), SvcCb(action=ServiceAction.DETAILS, id=service_id)),
                     button(i18n.get("button-cancel"), "cancel")])


def shortfall_button(i18n: I18nContext, domain: Domain, shortfall: int, resume: str = "") -> InlineKeyboardButton:
    """A top-up of the shortfall; `resume` names the flow shown again once it is paid."""
    # A top-up below the shop's minimum would be refused; top up at least that much.
    amount = max(shortfall, domain.payments.settings.topup_min)
    return button(i18n.get("checkout-topup-shortfall", amount=money(amount, domain.ledger.currency, i18n.locale)),
                  TopupCb(amount=amount, resume=resume))
