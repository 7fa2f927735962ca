"""The staff group's side of a ticket: its topic (or, in a group without topics, a header card that staff reply
to), the header card, customer messages relayed into it, and who counts as staff.

Everything here speaks the staff group's language (DEFAULT_LOCALE). Telegram failures are logged and never
break the customer's side: a ticket that could not be placed, or a message that could not be posted (the group
unreachable for a while, flood control), is posted by the ticket's next message or by the `ticket-relay` job,
whichever comes first, in the order the customer wrote.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import time
import weakref
from collections.abc import Callable
from html import escape, unescape
from typing import Any

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError, TelegramBadRequest
from aiogram.types import Message
from aiogram.types import User as TelegramUser
from aiogram_i18n import I18nContext
from aiogram_i18n.cores import BaseCore

from domain.models import Ticket
from domain.text import shorten
from domain.tickets import HeaderCard
from domain.unit import Domain
from handlers.common import format as fmt

log = logging.getLogger(__name__)

Translate = Callable[..., str]
STAFF_STATUSES = frozenset({"creator", "administrator", "member"})
ADMIN_STATUSES = frozenset({"creator", "administrator"})
MEMBERSHIP_TTL = 60.0
TOPIC_NAME_MAX = 128
CAPTION_MAX = 1024  # Telegram's limit for a caption, counted without the HTML tags
_TAG = re.compile(r"<[^>]+>")
# The topic's name carries the status: "#12 Subject" while new, then a mark in front.
STATUS_MARKS = {"open": "", "answered": "💬 ", "awaiting": "❗ ", "closed": "✅ ", "archived": "📦 "}

_membership: dict[tuple[str, int, int], tuple[str, float]] = {}
# Held only while in use: a customer nobody is placing a ticket for has no lock object.
_customer_locks: weakref.WeakValueDictionary[int, asyncio.Lock] = weakref.WeakValueDictionary()


def group_translate(core: BaseCore[Any]) -> tuple[Translate, str]:
    """Texts for the staff group: in the default locale, whoever triggered them."""
    locale = core.default_locale or "en"
    return (lambda key, **args: core.get(key, locale, **args)), locale


def reader_locale(i18n: I18nContext, locale: str | None, language_code: str | None) -> str:
    """The language a customer reads: their choice, else Telegram's, else the default."""
    for candidate in (locale, (language_code or "").replace("_", "-").split("-", 1)[0].lower()):
        if candidate and candidate in i18n.core.locales:
            return candidate
    return i18n.core.default_locale or "en"


async def member_status(bot: Bot, chat_id: int, user: TelegramUser | None) -> str | None:
    """The user's status in the group (creator, administrator, member, restricted, left, kicked), cached a
    minute; None for bots and when Telegram cannot say."""
    if user is None or user.is_bot:
        return None
    key = (bot.token, chat_id, user.id)
    cached = _membership.get(key)
    now = time.monotonic()
    if cached is not None and cached[1] > now:
        return cached[0]
    try:
        member = await bot.get_chat_member(chat_id, user.id)
    except TelegramAPIError as exc:
        log.warning("staff check of %s in %s failed: %s", user.id, chat_id, exc)
        return None
    _membership[key] = (member.status, now + MEMBERSHIP_TTL)
    return member.status


async def is_staff(bot: Bot, chat_id: int, user: TelegramUser | None) -> bool:
    """A member of the staff group (creator, administrator or member) who is not a bot."""
    return await member_status(bot, chat_id, user) in STAFF_STATUSES


async def staff_may(message: Message, bot: Bot, i18n: I18nContext, staff_chat_id: int | None, *,
                    admin: bool = False) -> bool:
    """Whether a staff command may run: in the staff group, by a member of it; with `admin` (commands that move
    money or prices: /paid, /refund, /discount, /revoke, /promo new|off) by one of its administrators, and other
    members are told so. Anyone else is ignored."""
    if staff_chat_id is None or message.chat.id != staff_chat_id:
        return False
    status = await member_status(bot, message.chat.id, message.from_user)
    if status in (ADMIN_STATUSES if admin else STAFF_STATUSES):
        return True
    if status in STAFF_STATUSES:
        t, _ = group_translate(i18n.core)
        await message.reply(t("staff-admins-only"))
    return False


def _lock(user_id: int) -> asyncio.Lock:
    lock = _customer_locks.get(user_id)
    if lock is None:
        lock = _customer_locks[user_id] = asyncio.Lock()
    return lock


def topic_title(ticket_id: int, subject: str, status: str) -> str:
    return f"{STATUS_MARKS.get(status, '')}#{ticket_id} {subject}"[:TOPIC_NAME_MAX]


def topic_name(ticket: Ticket) -> str:
    return topic_title(ticket.id, ticket.subject, ticket.status)


def full_name(first: str, last: str | None) -> str:
    return f"{first} {last}" if last else first


def header_text(t: Translate, locale: str, card: HeaderCard) -> str:
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


def service_line(t: Translate, locale: str, service: Any) -> str:
    return t("tickets-header-service", name=fmt.service_title(service), kind=service.kind, status=service.status,
             expires=fmt.day(service.expires_at, "UTC", locale),
             ip=service.ip_address or escape(service.domain or "") or "—")


async def place_ticket(bot: Bot, domain: Domain, core: BaseCore[Any], staff_chat_id: int | None,
                       ticket_id: int) -> Ticket | None:
    """Make sure the ticket has its place in the staff group: a topic with the header card (or, in a group
    without topics, the header card alone). One per ticket even when several messages of the customer arrive
    together: a per-customer lock here, and across processes the first `attach_to_group` wins."""
    ticket = await domain.tickets.by_id(ticket_id)
    if ticket is None or staff_chat_id is None:
        return None
    if ticket.staff_chat_id is not None:
        return ticket
    async with _lock(ticket.user_id):
        ticket = await domain.tickets.by_id(ticket_id)
        if ticket is None or ticket.staff_chat_id is not None:
            return ticket
        t, locale = group_translate(core)
        topic_id: int | None = None
        try:
            topic = await bot.create_forum_topic(staff_chat_id, topic_name(ticket))
            topic_id = topic.message_thread_id
        except TelegramBadRequest as exc:
            if "not a forum" not in exc.message:
                log.warning("ticket %s: no topic in the staff group: %s", ticket_id, exc.message)
                return ticket
        except TelegramAPIError as exc:
            log.warning("ticket %s: no topic in the staff group: %s", ticket_id, exc)
            return ticket
        if not await domain.tickets.attach_to_group(ticket.id, staff_chat_id, topic_id):
            if topic_id is not None:  # another process placed it meanwhile
                with contextlib.suppress(TelegramAPIError):
                    await bot.delete_forum_topic(staff_chat_id, topic_id)
            return await domain.tickets.by_id(ticket_id)
        card = await domain.tickets.header(ticket)
        try:
            header = await bot.send_message(staff_chat_id, header_text(t, locale, card), message_thread_id=topic_id)
            await domain.tickets.link_group_message(staff_chat_id, header.message_id, ticket.id)
        except TelegramAPIError as exc:
            log.warning("ticket %s: header card not posted: %s", ticket_id, exc)
        # Committed before the lock is let go: the next message of this customer must see the topic.
        await domain.commit()
        return await domain.tickets.by_id(ticket_id)


async def post(bot: Bot, domain: Domain, ticket: Ticket, text: str, *, kind: str = "text",
               file_id: str | None = None) -> Message | None:
    """Send into the ticket's place in the staff group and remember the message belongs to the ticket."""
    if ticket.staff_chat_id is None:
        return None
    chat, thread = ticket.staff_chat_id, ticket.topic_id
    try:
        if kind == "photo":
            sent = await bot.send_photo(chat, file_id or "", caption=text, message_thread_id=thread)
        elif kind == "document":
            sent = await bot.send_document(chat, file_id or "", caption=text, message_thread_id=thread)
        else:
            sent = await bot.send_message(chat, text, message_thread_id=thread)
    except TelegramAPIError as exc:
        log.warning("ticket %s: could not post in the staff group: %s", ticket.id, exc)
        if thread is not None and isinstance(exc, TelegramBadRequest) and "thread not found" in exc.message:
            await domain.tickets.lose_place(ticket.id)  # staff deleted the topic: a new one comes with the next relay
        return None
    await domain.tickets.link_group_message(chat, sent.message_id, ticket.id)
    return sent


async def relay_customer(bot: Bot, domain: Domain, core: BaseCore[Any], staff_chat_id: int | None,
                         ticket_id: int, name: str, *, again: bool = True) -> bool:
    """Every customer message of the ticket the staff group has not got yet (texts, photos, documents) into
    its topic, oldest first: the newest, and any an earlier attempt could not post. A topic staff deleted is made
    anew with the whole conversation. False when something is still not posted (it stays for the next message or
    the `ticket-relay` job)."""
    ticket = await place_ticket(bot, domain, core, staff_chat_id, ticket_id)
    if ticket is None or ticket.staff_chat_id is None:
        return False
    messages = await domain.tickets.claim_unrelayed(ticket.id)
    await domain.commit()  # the claims are seen by every other process before Telegram is asked
    t, _ = group_translate(core)
    for index, message in enumerate(messages):
        try:
            posted = await post(bot, domain, ticket, relay_text(t, name, ticket.id, message), kind=message.kind,
                                file_id=message.file_id)
        except BaseException:
            await release_now(domain, messages[index:], rollback=True)
            raise
        if posted is None:
            await release_now(domain, messages[index:])  # stop here: the topic keeps the customer's order
            placed = await domain.tickets.by_id(ticket.id)
            if again and placed is not None and placed.staff_chat_id is None:  # the topic was gone
                return await relay_customer(bot, domain, core, staff_chat_id, ticket_id, name, again=False)
            return False
        await domain.tickets.relayed(message)
        await domain.commit()
    if messages and ticket.status != "open":  # a new ticket's topic was named as open
        await rename_topic(bot, ticket)
    return True


def plain_length(html: str) -> int:
    """The length Telegram counts for an HTML text: without the tags, entities as the characters they are."""
    return len(unescape(_TAG.sub("", html)))


def relay_text(t: Translate, name: str, ticket_id: int, message: Any) -> str:
    """A customer message as staff see it: who wrote it and, as its own part, what they wrote. The customer's
    text goes in whole (up to the domain's limit, and a file's caption up to Telegram's)."""
    text = message.text or ""
    if message.kind != "text":
        head = t("tickets-group-customer-file", name=escape(name), ticket=ticket_id, text="")
        return head + escape(shorten(text, CAPTION_MAX - plain_length(head)))
    return t("tickets-group-customer", name=escape(name), ticket=ticket_id, text=escape(text))


async def release_now(domain: Domain, messages: list[Any], *, rollback: bool = False) -> None:
    """Give unposted claims back at once; after an error, in a transaction of their own."""
    ids = [message.id for message in messages]
    if rollback:
        await domain.rollback()
    await domain.tickets.release(ids)
    await domain.commit()


async def announce(bot: Bot, domain: Domain, i18n: I18nContext, ticket: Ticket, key: str, **args: Any) -> None:
    """A status line in the ticket's topic, and the topic renamed to show the status."""
    t, _ = group_translate(i18n.core)
    await post(bot, domain, ticket, t(key, ticket=ticket.id, **args))
    await rename_topic(bot, ticket)


async def rename_topic(bot: Bot, ticket: Ticket) -> None:
    if ticket.staff_chat_id is None or ticket.topic_id is None:
        return
    try:
        await bot.edit_forum_topic(ticket.staff_chat_id, ticket.topic_id, name=topic_name(ticket))
    except TelegramAPIError as exc:
        if "TOPIC_NOT_MODIFIED" not in str(exc):
            log.warning("ticket %s: topic not renamed: %s", ticket.id, exc)
