"""Tickets: texts, for the customer and for the staff group."""

from __future__ import annotations

import re
from collections.abc import Callable
from html import escape, unescape
from typing import Any

from aiogram_i18n import I18nContext

from domain.accounts import Customer
from domain.models import Ticket, TicketMessage
from domain.text import shorten
from domain.tickets import Conversation, HeaderCard
from handlers.common import format as fmt
from handlers.common.fit import MESSAGE_LIMIT, plain_units

PREVIEW = 300  # characters of each message shown on the ticket screen
SUBJECT_IN_LIST = 40
TOPIC_NAME_MAX = 128
CAPTION_MAX = 1024  # Telegram's limit for a caption, counted without the HTML tags
_TAG = re.compile(r"<[^>]+>")
# The topic's name carries the status: "#12 Subject" while new, then a mark in front.
STATUS_MARKS = {"open": "❗ ", "answered": "💬 ", "awaiting": "❗ ", "closed": "✅ ", "archived": "📦 "}

Translate = Callable[..., str]


# --- the customer's screens -------------------------------------------------------------------------------

def status_text(i18n: I18nContext, status: str) -> str:
    return i18n.get("tickets-status", status=status)


def list_text(i18n: I18nContext, total: int, page: int, pages: int, archived: bool) -> str:
    if total == 0:
        return i18n.get("tickets-archive-empty" if archived else "tickets-list-empty")
    return i18n.get("tickets-archive-title" if archived else "tickets-list-title", total=total, page=page + 1,
                    pages=pages)


def list_label(i18n: I18nContext, ticket: Ticket, time_zone: str) -> str:
    subject = ticket.subject if len(ticket.subject) <= SUBJECT_IN_LIST else \
        ticket.subject[: SUBJECT_IN_LIST - 1] + "…"
    return i18n.get("tickets-list-item", ticket=ticket.id, subject=subject, status=status_text(i18n, ticket.status),
                    date=fmt.day(ticket.updated_at, time_zone, i18n.locale))


def _author(i18n: I18nContext, message: TicketMessage, show_names: bool) -> str:
    if message.author == "customer":
        return i18n.get("tickets-author-you")
    if show_names and message.author_name:
        return i18n.get("tickets-author-staff-named", name=escape(message.author_name))
    return i18n.get("tickets-author-staff")


def message_line(i18n: I18nContext, message: TicketMessage, user: Customer, show_names: bool) -> str:
    text = message.text or ""
    if len(text) > PREVIEW:
        text = text[: PREVIEW - 1] + "…"
    if message.kind == "photo":
        text = i18n.get("tickets-attachment-photo") + (f" {text}" if text else "")
    elif message.kind == "document":
        file_name = message.file_name or "file"
        text = i18n.get("tickets-attachment-document", name=file_name) + (f" {text}" if text else "")
    return i18n.get("tickets-message", author=_author(i18n, message, show_names),
                    time=fmt.when(message.created_at, user.time_zone, i18n.locale), text=escape(text))


def ticket_text(i18n: I18nContext, conversation: Conversation, user: Customer, show_names: bool,
                notice: str | None = None) -> str:
    """The ticket's details and its newest messages, as many as fit in one message."""
    ticket = conversation.ticket
    tz, locale = user.time_zone, i18n.locale
    lines = [notice, ""] if notice else []
    lines.append(i18n.get("tickets-ticket-title", ticket=ticket.id, subject=escape(ticket.subject)))
    lines.append(i18n.get("tickets-ticket-info", department=i18n.get("tickets-department",
                                                                     department=ticket.department),
                          status=status_text(i18n, ticket.status)))
    if conversation.service is not None:
        lines.append(i18n.get("tickets-ticket-service", service=fmt.service_title(conversation.service)))
    lines.append(i18n.get("tickets-ticket-dates", opened=fmt.when(ticket.created_at, tz, locale),
                          activity=fmt.when(ticket.updated_at, tz, locale)))
    if ticket.rating:
        lines.append(i18n.get("tickets-ticket-rating", stars="★" * ticket.rating + "☆" * (5 - ticket.rating)))
    if conversation.total > len(conversation.messages):
        lines.append("\n" + i18n.get("tickets-ticket-earlier", count=conversation.total - len(conversation.messages)))
    said = ["\n" + message_line(i18n, message, user, show_names) for message in conversation.messages]
    # The newest messages are the ones to read: older ones give way until the screen fits a message.
    while len(said) > 1 and plain_units("\n".join(lines + said)) > MESSAGE_LIMIT - 200:
        said.pop(0)
    lines += said
    if ticket.status == "archived":
        lines.append("\n" + i18n.get("tickets-ticket-archived"))
    return "\n".join(lines)


# --- the staff group --------------------------------------------------------------------------------------

def topic_title(ticket_id: int, subject: str, status: str) -> str:
    return f"{STATUS_MARKS.get(status, '')}#{ticket_id} {subject}"[:TOPIC_NAME_MAX]


def topic_name(ticket: Ticket) -> str:
    return topic_title(ticket.id, ticket.subject, ticket.status)


def full_name(first: str, last: str | None) -> str:
    return f"{first} {last}" if last else first


def service_line(t: Translate, locale: str, service: Any) -> str:
    return t("tickets-header-service", name=fmt.service_title(service), kind=service.kind, status=service.status,
             expires=fmt.day(service.expires_at, "UTC", locale),
             ip=service.ip_address or escape(service.domain or "") or "—")


def header_text(t: Translate, locale: str, card: HeaderCard) -> str:
    """The first message of a ticket's topic: who the customer is, their balance and services."""
    ticket, customer = card.ticket, card.customer
    lines = [
        t("tickets-header-title", ticket=ticket.id, subject=escape(ticket.subject),
          department=t("tickets-department", department=ticket.department)),
        t("tickets-header-customer", name=escape(full_name(customer.first_name, customer.last_name)),
          username=f"@{customer.username}" if customer.username else "—", id=str(customer.id)),
        t("tickets-header-language", language=customer.locale or customer.language_code or "—"),
        t("tickets-header-contacts", phone=customer.phone or "—", email=escape(customer.email or "—")),
    ]
    if card.payer is not None:
        payer = card.payer
        lines.append(t("tickets-header-payer", payer=escape(payer.name), kind=t(f"payers-kind-{payer.kind}"),
                       country=payer.country, tax=escape(payer.tax_number or "—")))
    lines.append(t("tickets-header-balance", balance=fmt.money(card.balance, card.currency, locale)))
    for charge in card.charges:
        lines.append(t("tickets-header-charge", time=fmt.when(charge.received_at, "UTC", locale),
                       amount=fmt.money(charge.credited, card.currency, locale), stars=charge.total_amount,
                       currency=charge.currency, charge=escape(charge.telegram_charge_id),
                       refunded=1 if charge.refunded_at else 0))
    lines.append(t("tickets-header-services", count=card.service_count))
    for service in card.services:
        lines.append(service_line(t, locale, service))
    if card.service is not None:
        lines.append("")
        lines.append(t("tickets-header-linked"))
        lines.append(service_line(t, locale, card.service))
        if card.history:
            lines.append(t("tickets-header-history"))
            for event in card.history:
                lines.append(t("tickets-header-event", time=fmt.when(event.created_at, "UTC", locale),
                               actor=event.actor, action=event.action))
    return "\n".join(lines)


def plain_length(html: str) -> int:
    """The length Telegram counts for an HTML text: without the tags, entities as the characters they are."""
    return len(unescape(_TAG.sub("", html)))


def relay_text(t: Translate, name: str, ticket_id: int, message: TicketMessage) -> str:
    """A customer message as staff see it: who wrote it and, as its own part, what they wrote. The customer's
    text goes in whole (up to the domain's limit, and a file's caption up to Telegram's)."""
    text = message.text or ""
    if message.kind != "text":
        head = t("tickets-group-customer-file", name=escape(name), ticket=ticket_id, text="")
        return head + escape(shorten(text, CAPTION_MAX - plain_length(head)))
    return t("tickets-group-customer", name=escape(name), ticket=ticket_id, text=escape(text))
