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


class ListCb(Callback, prefix="sl"):
    """The list of licences or modules: `status` filters it, `page` pages it; `pick` 1 shows the filter."""

    kind: Literal["licence", "module"] = "licence"
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
    TARIFFS = "tf"
    TARIFF = "tc"
    TARIFF_CONFIRM = "tx"
    AUTO_RENEW = "ar"
    DELETE = "del"
    DELETE_CONFIRM = "del!"
    HISTORY = "h"


class SvcCb(Callback, prefix="sv"):
    """A service's screen and actions. `v`: a tariff id, on/off or a page; `x`: the amount confirmed."""

    action: ServiceAction
    id: int
    v: int = 0
    x: int = 0


def details_markup(i18n: I18nContext, details: Details) -> InlineKeyboardMarkup:
    service = details.row.service
    sid = service.id
    back = ListCb(kind=service.kind, status="deleted" if service.status == "deleted" else "all")
    if service.status == "deleted":
        return keyboard([button(i18n.get("licence-button-history"), SvcCb(action=ServiceAction.HISTORY, id=sid))],
                        nav_row(i18n, back))
    rows = [[button(i18n.get("licence-button-rename"), SvcCb(action=ServiceAction.RENAME, id=sid))]]
    if service.kind == "licence":
        rows[0].append(button(i18n.get("licence-button-ip"), SvcCb(action=ServiceAction.IP, id=sid)))
        rows.append([button(i18n.get("licence-button-key"), SvcCb(action=ServiceAction.KEY, id=sid))])
    if service.status == "active":
        rows.append([button(i18n.get("licence-button-tariff"), SvcCb(action=ServiceAction.TARIFFS, id=sid))])
    rows.append([button(i18n.get("licence-button-auto-renew", on="yes" if service.auto_renew else "no"),
                        SvcCb(action=ServiceAction.AUTO_RENEW, id=sid, v=0 if service.auto_renew else 1))])
    rows.append([button(i18n.get("licence-button-history"), SvcCb(action=ServiceAction.HISTORY, id=sid)),
                 button(i18n.get("licence-button-delete"), SvcCb(action=ServiceAction.DELETE, id=sid))])
    rows.append([button(i18n.get("tickets-button-question"), question(sid))])
    rows += [[button(f"🧩 {plain_title(m.service)} · {text_of(m.tariff.names, i18n.locale)}",
                     SvcCb(action=ServiceAction.DETAILS, id=m.service.id))] for m in details.modules]
    if details.row.parent is not None:
        back = SvcCb(action=ServiceAction.DETAILS, id=details.row.parent.id)  # type: ignore[assignment]
    return keyboard(*rows, nav_row(i18n, back))


def back_to(service_id: int, i18n: I18nContext) -> InlineKeyboardMarkup:
    return keyboard(nav_row(i18n, SvcCb(action=ServiceAction.DETAILS, id=service_id)))


def refusal_markup(i18n: I18nContext, service_id: int) -> InlineKeyboardMarkup:
    """A refusal (new key, IP change too soon) offers a ticket about this service."""
    return keyboard([button(i18n.get("licence-button-support"), question(service_id))],
                    nav_row(i18n, SvcCb(action=ServiceAction.DETAILS, id=service_id)))


def form_markup(i18n: I18nContext, service_id: int) -> InlineKeyboardMarkup:
    return keyboard([button(i18n.get("button-back"), SvcCb(action=ServiceAction.DETAILS, id=service_id)),
                     button(i18n.get("button-cancel"), "cancel")])


def shortfall_button(i18n: I18nContext, domain: Domain, shortfall: int) -> InlineKeyboardButton:
    # A top-up below the shop's minimum would be refused; top up at least that much.
    amount = max(shortfall, domain.payments.settings.topup_min)
    return button(i18n.get("checkout-topup-shortfall", amount=money(amount, domain.ledger.currency, i18n.locale)),
                  TopupCb(amount=amount))
