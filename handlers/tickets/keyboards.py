"""Tickets: callback data and keyboards."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram_i18n import I18nContext
from aiogram_i18n.cores import BaseCore

from domain.models import Service, Ticket
from domain.tickets import ACTIVE, TicketPage
from handlers.common.ui import Callback, button, keyboard, nav_row
from handlers.support import SUPPORT
from handlers.tickets.views import list_label


class TicketAction(StrEnum):
    """What a button on a ticket screen does; the values are what buttons already sent carry."""

    LIST = "l"
    ARCHIVE = "la"
    OPEN = "o"
    NEW = "n"
    DEPARTMENT = "nd"
    SERVICE = "ns"
    SEND = "nx"
    REPLY = "r"
    CLOSE = "c"
    CLOSE_CONFIRM = "c!"
    REOPEN = "ro"
    RATE = "rt"


class TkCb(Callback, prefix="tk"):
    """A ticket screen or action. `id`: the ticket, or for NEW and SERVICE a service (0: none); `v`: a
    department's place in the list, or a rating; `p`: a list's page (on OPEN: 1 when opened from the archive)."""

    action: TicketAction
    id: int = 0
    v: int = 0
    p: int = 0


TICKETS = TkCb(action=TicketAction.LIST)


def question(service_id: int) -> TkCb:
    """The callback that opens a new ticket about a service (for any section's "Question" button)."""
    return TkCb(action=TicketAction.NEW, id=service_id)


def cancel_row(i18n: I18nContext) -> list[InlineKeyboardButton]:
    return [button(i18n.get("button-cancel"), "cancel")]


def list_markup(i18n: I18nContext, result: TicketPage, archived: bool, time_zone: str) -> InlineKeyboardMarkup:
    action = TicketAction.ARCHIVE if archived else TicketAction.LIST
    rows = [[button(list_label(i18n, ticket, time_zone),
                    TkCb(action=TicketAction.OPEN, id=ticket.id, p=1 if archived else 0))]
            for ticket in result.tickets]
    pager = []
    if result.page > 0:
        pager.append(button("«", TkCb(action=action, p=result.page - 1)))
    if result.page + 1 < result.pages:
        pager.append(button("»", TkCb(action=action, p=result.page + 1)))
    rows.append(pager)
    if not archived:
        rows.append([button(i18n.get("tickets-button-new"), TkCb(action=TicketAction.NEW))])
    return keyboard(*rows, nav_row(i18n, SUPPORT))


def ticket_markup(i18n: I18nContext, ticket: Ticket, can_reopen: bool) -> InlineKeyboardMarkup:
    """What the ticket's status allows: reply and close while active, rating (and reopening within the window)
    once closed, nothing but Back once archived."""
    rows: list[list[InlineKeyboardButton]] = []
    if ticket.status in ACTIVE:
        rows.append([button(i18n.get("tickets-button-reply"), TkCb(action=TicketAction.REPLY, id=ticket.id)),
                     button(i18n.get("tickets-button-close"), TkCb(action=TicketAction.CLOSE, id=ticket.id))])
    elif ticket.status == "closed":
        rows.append([button(("• " if ticket.rating == value else "") + f"{value}⭐",
                            TkCb(action=TicketAction.RATE, id=ticket.id, v=value)) for value in range(1, 6)])
        if can_reopen:
            rows.append([button(i18n.get("tickets-button-reopen"), TkCb(action=TicketAction.REOPEN, id=ticket.id))])
    back = TkCb(action=TicketAction.ARCHIVE if ticket.status == "archived" else TicketAction.LIST)
    return keyboard(*rows, nav_row(i18n, back))


def reply_markup(i18n: I18nContext, ticket_id: int) -> InlineKeyboardMarkup:
    return keyboard([button(i18n.get("tickets-button-done"), TkCb(action=TicketAction.OPEN, id=ticket_id))])


def reply_cancel_markup(i18n: I18nContext, ticket_id: int) -> InlineKeyboardMarkup:
    return keyboard([button(i18n.get("button-cancel"), TkCb(action=TicketAction.OPEN, id=ticket_id))])


def close_markup(i18n: I18nContext, ticket_id: int) -> InlineKeyboardMarkup:
    return keyboard(
        [button(i18n.get("tickets-button-close-confirm"), TkCb(action=TicketAction.CLOSE_CONFIRM, id=ticket_id))],
        [button(i18n.get("tickets-button-keep"), TkCb(action=TicketAction.OPEN, id=ticket_id))])


def departments_markup(i18n: I18nContext, departments: tuple[str, ...]) -> InlineKeyboardMarkup:
    rows = [[button(i18n.get("tickets-department", department=name), TkCb(action=TicketAction.DEPARTMENT, v=index))]
            for index, name in enumerate(departments)]
    return keyboard(*rows, cancel_row(i18n))


def services_markup(i18n: I18nContext, services: list[Service]) -> InlineKeyboardMarkup:
    rows = [[button(f"#{s.id} {s.name or s.domain or s.ip_address or ''}".strip()
                    + f" · {i18n.get('tickets-service-kind', kind=s.kind)}",
                    TkCb(action=TicketAction.SERVICE, id=s.id))] for s in services[:10]]
    rows.append([button(i18n.get("tickets-button-no-service"), TkCb(action=TicketAction.SERVICE, id=0))])
    return keyboard(*rows, cancel_row(i18n))


def files_markup(i18n: I18nContext) -> InlineKeyboardMarkup:
    return keyboard([button(i18n.get("tickets-button-send"), TkCb(action=TicketAction.SEND))], cancel_row(i18n))


def answer_markup(core: BaseCore[Any], locale: str, ticket_id: int) -> InlineKeyboardMarkup:
    """Under a staff answer in the customer's chat: Reply and Open, in the customer's language `locale`."""
    return keyboard([button(core.get("tickets-button-reply", locale), TkCb(action=TicketAction.REPLY, id=ticket_id)),
                     button(core.get("tickets-button-open", locale), TkCb(action=TicketAction.OPEN, id=ticket_id))])
