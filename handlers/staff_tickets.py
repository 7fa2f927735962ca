"""The staff group (STAFF_CHAT_ID): answers in a ticket's topic reach the customer; /close, /reopen, /note,
/assign in a topic; /news in the General topic. In a group without topics staff reply to a ticket's message.

Only members of the staff group who are not bots count; anything else, other chats, and unknown topics are
ignored. Slash-commands this module does not own pass through to the sections that own them (/refund, ...).
"""

from __future__ import annotations

import logging
from html import escape
from typing import Any

from aiogram import Bot, F, Router
from aiogram.exceptions import TelegramAPIError, TelegramForbiddenError
from aiogram.filters import Command, CommandObject
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram_i18n import I18nContext

from domain.errors import DomainError
from domain.models import Ticket
from domain.tickets import TicketClosed
from domain.unit import Domain
from handlers.common.ui import Callback, button, keyboard
from handlers.support_group import group_translate, is_staff, reader_locale, rename_topic
from handlers.tickets import TkCb

log = logging.getLogger(__name__)


OWN_COMMANDS = ("close", "reopen", "note", "assign", "news")


def in_staff_chat(event: Message | CallbackQuery, staff_chat_id: int | None = None) -> bool:
    message = event.message if isinstance(event, CallbackQuery) else event
    return staff_chat_id is not None and message is not None and message.chat.id == staff_chat_id


def not_command(message: Message) -> bool:
    return not (message.text or "").startswith("/")


class NewsCb(Callback, prefix="tnw"):
    """a: s (send) or x (drop); id: the /news message the draft came from."""

    a: str
    id: int


async def find_ticket(domain: Domain, message: Message) -> Ticket | None:
    """The ticket a group message belongs to: its topic, or (no topics) the ticket message it replies to."""
    if message.is_topic_message and message.message_thread_id:
        return await domain.tickets.by_topic(message.chat.id, message.message_thread_id)
    if message.reply_to_message is not None:
        return await domain.tickets.by_group_message(message.chat.id, message.reply_to_message.message_id)
    return None


def staff_name(message: Message) -> str:
    return message.from_user.first_name if message.from_user else ""


async def _staff_ticket(message: Message, bot: Bot, domain: Domain, i18n: I18nContext) -> Ticket | None:
    """The ticket of a staff command, or None after saying why (non-staff are ignored silently)."""
    if not await is_staff(bot, message.chat.id, message.from_user):
        return None
    ticket = await find_ticket(domain, message)
    if ticket is None:
        t, _ = group_translate(i18n.core)
        await message.reply(t("tickets-staff-no-ticket"))
    return ticket


# --- answers ------------------------------------------------------------------------------------------------

async def deliver(bot: Bot, domain: Domain, i18n: I18nContext, ticket: Ticket, message: Message) -> bool:
    """The staff message to the customer, as from Support, in the customer's language."""
    customer = await domain.tickets.customer(ticket)
    locale = reader_locale(i18n, customer.locale, customer.language_code)
    name = staff_name(message) if domain.tickets.settings.show_staff_names else ""
    args = {"ticket": ticket.id, "subject": escape(ticket.subject)}
    head = (i18n.core.get("tickets-answer-named", locale, name=escape(name), **args) if name
            else i18n.core.get("tickets-answer", locale, **args))
    markup = keyboard([button(i18n.core.get("tickets-button-reply", locale), TkCb(a="r", id=ticket.id)),
                       button(i18n.core.get("tickets-button-open", locale), TkCb(a="o", id=ticket.id))])
    body = escape(message.text or message.caption or "")
    text = f"{head}\n\n{body}" if body else head
    try:
        if message.photo:
            await bot.send_photo(customer.id, message.photo[-1].file_id, caption=text, reply_markup=markup)
        elif message.document:
            await bot.send_document(customer.id, message.document.file_id, caption=text, reply_markup=markup)
        else:
            await bot.send_message(customer.id, text, reply_markup=markup)
    except TelegramForbiddenError:
        return False
    except TelegramAPIError as exc:
        log.warning("ticket %s: answer not delivered: %s", ticket.id, exc)
        return False
    return True


async def staff_wrote(message: Message, bot: Bot, domain: Domain, i18n: I18nContext) -> None:
    """Whatever staff write in a ticket's topic goes to the customer."""
    if message.from_user is None or not await is_staff(bot, message.chat.id, message.from_user):
        return
    ticket = await find_ticket(domain, message)
    if ticket is None:
        return
    # A redelivered update is known by its message: relayed once.
    if not await domain.tickets.link_group_message(message.chat.id, message.message_id, ticket.id):
        return
    t, _ = group_translate(i18n.core)
    kind, file_id, file_name = "text", None, None
    if message.photo:
        kind, file_id = "photo", message.photo[-1].file_id
    elif message.document:
        kind, file_id, file_name = "document", message.document.file_id, message.document.file_name
    try:
        await domain.tickets.add_staff_message(ticket, message.from_user.id, staff_name(message), kind,
                                               text=message.text or message.caption, file_id=file_id,
                                               file_name=file_name)
    except TicketClosed:
        await message.reply(t("tickets-staff-closed"))
        return
    if not await deliver(bot, domain, i18n, ticket, message):
        await message.reply(t("tickets-staff-undelivered"))
    await rename_topic(bot, ticket)


UNSUPPORTED = (F.sticker | F.voice | F.video | F.video_note | F.audio | F.animation | F.location | F.venue
               | F.contact | F.poll | F.dice)


async def staff_wrote_unsupported(message: Message, bot: Bot, domain: Domain, i18n: I18nContext) -> None:
    """Staff sent what a ticket does not carry (a sticker, a voice message, a location…): say so, not drop it."""
    if message.from_user is None or not await is_staff(bot, message.chat.id, message.from_user):
        return
    if await find_ticket(domain, message) is None:
        return
    t, _ = group_translate(i18n.core)
    await message.reply(t("tickets-staff-unsupported"))


# --- commands in a topic ---------------------------------------------------------------------------------------

async def staff_close(message: Message, bot: Bot, domain: Domain, i18n: I18nContext, delivery: Any = None) -> None:
    """Close the ticket; the customer is told and asked to rate the answer."""
    ticket = await _staff_ticket(message, bot, domain, i18n)
    if ticket is None:
        return
    t, _ = group_translate(i18n.core)
    try:
        await domain.tickets.staff_close(ticket)
    except TicketClosed:
        await message.reply(t("tickets-staff-already-closed"))
        return
    if delivery is not None:
        domain.on_commit(delivery.wake)
    await message.reply(t("tickets-staff-closed-done", ticket=ticket.id, name=escape(staff_name(message))))
    await rename_topic(bot, ticket)


async def staff_reopen(message: Message, bot: Bot, domain: Domain, i18n: I18nContext) -> None:
    ticket = await _staff_ticket(message, bot, domain, i18n)
    if ticket is None:
        return
    t, _ = group_translate(i18n.core)
    was = ticket.status
    await domain.tickets.staff_reopen(ticket)
    await message.reply(t("tickets-staff-reopened" if was != ticket.status else "tickets-staff-already-open",
                          ticket=ticket.id))
    await rename_topic(bot, ticket)


async def staff_note(message: Message, command: CommandObject, bot: Bot, domain: Domain,
                     i18n: I18nContext) -> None:
    """An internal note: kept with the ticket, never sent to the customer."""
    ticket = await _staff_ticket(message, bot, domain, i18n)
    if ticket is None or message.from_user is None:
        return
    t, _ = group_translate(i18n.core)
    try:
        await domain.tickets.add_note(ticket, message.from_user.id, staff_name(message), command.args)
    except DomainError:
        await message.reply(t("tickets-staff-note-usage"))
        return
    await message.reply(t("tickets-staff-noted"))


async def staff_assign(message: Message, command: CommandObject, bot: Bot, domain: Domain,
                       i18n: I18nContext) -> None:
    ticket = await _staff_ticket(message, bot, domain, i18n)
    if ticket is None:
        return
    t, _ = group_translate(i18n.core)
    try:
        await domain.tickets.assign(ticket, command.args or "")
    except DomainError:
        await message.reply(t("tickets-staff-assign-usage"))
        return
    await message.reply(t("tickets-staff-assigned", ticket=ticket.id, username=escape(ticket.assignee or "")))


# --- news -----------------------------------------------------------------------------------------------------

async def staff_news(message: Message, command: CommandObject, bot: Bot, i18n: I18nContext,
                     state: FSMContext) -> None:
    """`/news <text>` in the General topic: a preview with Send / Cancel."""
    if not await is_staff(bot, message.chat.id, message.from_user):
        return
    t, _ = group_translate(i18n.core)
    if message.is_topic_message:
        await message.reply(t("tickets-news-general-only"))
        return
    text = (command.args or "").strip()
    if not text:
        await message.reply(t("tickets-news-usage"))
        return
    await state.update_data(news_draft={"id": message.message_id, "text": text})
    await message.reply(t("tickets-news-preview", text=escape(text)), reply_markup=keyboard(
        [button(t("tickets-news-button-send"), NewsCb(a="s", id=message.message_id)),
         button(t("tickets-news-button-drop"), NewsCb(a="x", id=message.message_id))]))


async def news_decided(callback: CallbackQuery, callback_data: NewsCb, bot: Bot, domain: Domain,
                       i18n: I18nContext, state: FSMContext, delivery: Any = None) -> None:
    """Send the previewed news to every customer through the outbox, or drop it."""
    if callback.message is None or not await is_staff(bot, callback.message.chat.id, callback.from_user):
        await callback.answer()
        return
    t, _ = group_translate(i18n.core)
    draft = (await state.get_data()).get("news_draft") or {}
    if draft.get("id") != callback_data.id:
        await callback.answer(t("tickets-news-expired"), show_alert=True)
        return
    await state.update_data(news_draft=None)
    if callback_data.a != "s":
        await callback.message.edit_text(t("tickets-news-dropped"))  # type: ignore[union-attr]
        await callback.answer()
        return
    count = await domain.tickets.publish_news(draft["text"], f"{callback.message.chat.id}:{callback_data.id}")
    if delivery is not None:
        domain.on_commit(delivery.wake)
    await callback.message.edit_text(  # type: ignore[union-attr]
        t("tickets-news-sent", count=count, text=escape(draft["text"])))
    await callback.answer()


def router() -> Router:
    """This section's handlers, in the order they are tried."""
    routes = Router(name=__name__)
    routes.message.filter(in_staff_chat)
    routes.callback_query.filter(in_staff_chat)
    routes.message.register(staff_wrote, not_command, F.text | F.photo | F.document)
    routes.message.register(staff_wrote_unsupported, UNSUPPORTED)
    routes.message.register(staff_close, Command("close"))
    routes.message.register(staff_reopen, Command("reopen"))
    routes.message.register(staff_note, Command("note"))
    routes.message.register(staff_assign, Command("assign"))
    routes.message.register(staff_news, Command("news"))
    routes.callback_query.register(news_decided, NewsCb.filter())
    return routes
