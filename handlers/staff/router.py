"""The staff group (STAFF_CHAT_ID): answers in a ticket's topic reach the customer; /close, /reopen, /note,
/assign in a topic; /news in the General topic; /discount, /discounts, /revoke and /promo anywhere in the group;
/help lists them all. In a group without topics staff reply to a ticket's message.

Who may use what is the staff branch's gate (`StaffGate`): members of the group, administrators for what moves
money or prices. Unknown topics are ignored, and slash-commands this section does not own pass through to the
sections that own them."""

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
from domain.models import Ticket, User
from domain.tickets import TicketClosed
from domain.unit import Domain
from handlers.common.staff import ADMIN, group_translate
from handlers.common.ui import chat_id_of
from handlers.discounts import discount_text, fit
from handlers.staff.keyboards import NewsAction, NewsCb, news_markup
from handlers.staff.states import NewsData, NewsDraft
from handlers.staff.views import answer_text, discount_status, promo_text, reader_locale, refusal
from handlers.tickets import answer_markup, rename_topic

log = logging.getLogger(__name__)

LIST_LIMIT = 100  # discounts of one customer read for /discounts; what fits in a message is shown
TICKET_COMMANDS = ("close", "reopen", "note", "assign")
UNSUPPORTED = (F.sticker | F.voice | F.video | F.video_note | F.audio | F.animation | F.location | F.venue
               | F.contact | F.poll | F.dice)


def not_command(message: Message) -> bool:
    return not (message.text or "").startswith("/")


async def in_ticket(message: Message, domain: Domain) -> dict[str, Ticket] | bool:
    """A filter: the ticket a group message belongs to (its topic, or the ticket message it replies to), given
    to the handler as `ticket`."""
    ticket = None
    if message.is_topic_message and message.message_thread_id:
        ticket = await domain.tickets.by_topic(message.chat.id, message.message_thread_id)
    elif message.reply_to_message is not None:
        ticket = await domain.tickets.by_group_message(message.chat.id, message.reply_to_message.message_id)
    return {"ticket": ticket} if ticket is not None else False


def staff_name(message: Message) -> str:
    return message.from_user.first_name if message.from_user else ""


# --- answers ------------------------------------------------------------------------------------------------

async def deliver(bot: Bot, i18n: I18nContext, domain: Domain, ticket: Ticket, customer: User,
                  message: Message) -> bool:
    """The staff message to the customer, as from Support, in the customer's language."""
    locale = reader_locale(i18n, customer.locale, customer.language_code)
    name = staff_name(message) if domain.tickets.settings.show_staff_names else ""
    text = answer_text(i18n, locale, ticket.id, ticket.subject, name, message.text or message.caption or "")
    markup = answer_markup(i18n.core, locale, ticket.id)
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


async def staff_wrote(message: Message, bot: Bot, domain: Domain, i18n: I18nContext, ticket: Ticket) -> None:
    """Whatever staff write in a ticket's topic goes to the customer (once, however often Telegram delivers it)."""
    assert message.from_user is not None  # the gate let only a member through
    t, _ = group_translate(i18n.core)
    kind, file_id, file_name = "text", None, None
    if message.photo:
        kind, file_id = "photo", message.photo[-1].file_id
    elif message.document:
        kind, file_id, file_name = "document", message.document.file_id, message.document.file_name
    try:
        answer = await domain.relay.take_answer(ticket, message.chat.id, message.message_id, message.from_user.id,
                                                staff_name(message), kind, text=message.text or message.caption,
                                                file_id=file_id, file_name=file_name)
    except TicketClosed:
        await message.reply(t("tickets-staff-closed"))
        return
    if answer.duplicate:
        return
    assert answer.customer is not None
    if not await deliver(bot, i18n, domain, ticket, answer.customer, message):
        await message.reply(t("tickets-staff-undelivered"))
    await rename_topic(bot, ticket)


async def staff_wrote_unsupported(message: Message, i18n: I18nContext) -> None:
    """Staff sent what a ticket does not carry (a sticker, a voice message, a location…): say so, not drop it."""
    t, _ = group_translate(i18n.core)
    await message.reply(t("tickets-staff-unsupported"))


# --- commands in a topic ---------------------------------------------------------------------------------------

async def staff_close(message: Message, bot: Bot, domain: Domain, i18n: I18nContext, ticket: Ticket,
                      delivery: Any = None) -> None:
    """Close the ticket; the customer is told and asked to rate the answer."""
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


async def staff_reopen(message: Message, bot: Bot, domain: Domain, i18n: I18nContext, ticket: Ticket) -> None:
    t, _ = group_translate(i18n.core)
    was = ticket.status
    await domain.tickets.staff_reopen(ticket)
    await message.reply(t("tickets-staff-reopened" if was != ticket.status else "tickets-staff-already-open",
                          ticket=ticket.id))
    await rename_topic(bot, ticket)


async def staff_note(message: Message, command: CommandObject, domain: Domain, i18n: I18nContext,
                     ticket: Ticket) -> None:
    """An internal note: kept with the ticket, never sent to the customer."""
    assert message.from_user is not None
    t, _ = group_translate(i18n.core)
    try:
        await domain.tickets.add_note(ticket, message.from_user.id, staff_name(message), command.args)
    except DomainError:
        await message.reply(t("tickets-staff-note-usage"))
        return
    await message.reply(t("tickets-staff-noted"))


async def staff_assign(message: Message, command: CommandObject, domain: Domain, i18n: I18nContext,
                       ticket: Ticket) -> None:
    t, _ = group_translate(i18n.core)
    try:
        await domain.tickets.assign(ticket, command.args or "")
    except DomainError:
        await message.reply(t("tickets-staff-assign-usage"))
        return
    await message.reply(t("tickets-staff-assigned", ticket=ticket.id, username=escape(ticket.assignee or "")))


async def no_ticket(message: Message, i18n: I18nContext) -> None:
    """A ticket command outside any ticket's topic (or, without topics, not as a reply to a ticket's message)."""
    t, _ = group_translate(i18n.core)
    await message.reply(t("tickets-staff-no-ticket"))


async def staff_help(message: Message, i18n: I18nContext) -> None:
    """`/help` in the staff group: the staff commands, those only administrators may use marked."""
    t, _ = group_translate(i18n.core)
    await message.reply(t("staff-help"))


# --- news -----------------------------------------------------------------------------------------------------

async def staff_news(message: Message, command: CommandObject, i18n: I18nContext, state: FSMContext) -> None:
    """`/news <text>` in the General topic: a preview with Send / Cancel."""
    t, _ = group_translate(i18n.core)
    if message.is_topic_message:
        await message.reply(t("tickets-news-general-only"))
        return
    text = (command.args or "").strip()
    if not text:
        await message.reply(t("tickets-news-usage"))
        return
    await NewsData(news_draft=NewsDraft(id=message.message_id, text=text)).update(state)
    await message.reply(t("tickets-news-preview", text=escape(text)),
                        reply_markup=news_markup(t, message.message_id))


async def news_decided(callback: CallbackQuery, callback_data: NewsCb, domain: Domain, i18n: I18nContext,
                       state: FSMContext, delivery: Any = None) -> None:
    """Send the previewed news to every customer through the outbox, or drop it."""
    assert callback.message is not None  # the gate let only a press in the staff group through
    t, _ = group_translate(i18n.core)
    draft = (await NewsData.load(state)).news_draft
    if draft is None or draft.id != callback_data.id:
        await callback.answer(t("tickets-news-expired"), show_alert=True)
        return
    await NewsData(news_draft=None).update(state)
    if callback_data.action != NewsAction.SEND:
        if isinstance(callback.message, Message):
            await callback.message.edit_text(t("tickets-news-dropped"))
        await callback.answer()
        return
    count = await domain.tickets.publish_news(draft.text, f"{chat_id_of(callback)}:{callback_data.id}")
    if delivery is not None:
        domain.on_commit(delivery.wake)
    if isinstance(callback.message, Message):
        await callback.message.edit_text(t("tickets-news-sent", count=count, text=escape(draft.text)))
    await callback.answer()


# --- discounts and promo codes ---------------------------------------------------------------------------------

async def staff_grant(message: Message, command: CommandObject, domain: Domain, i18n: I18nContext) -> None:
    """`/discount <user_id> <10% | 5.00> [scope] [until:YYYY-MM-DD] <reason...>`: give a customer a discount."""
    try:
        discount = await domain.discounts.grant_command(command.args or "", domain.context.payments.precision,
                                                        granted_by=message.from_user.id if message.from_user else None)
    except DomainError as exc:
        await message.reply(refusal(i18n, exc, "discounts-staff-usage"))
        return
    names = await domain.discounts.names()
    await message.reply(i18n.get("discounts-staff-granted", id=str(discount.id), user=str(discount.user_id),
                                 discount=discount_text(i18n, discount, domain.ledger.currency, names)))


async def staff_list(message: Message, command: CommandObject, domain: Domain, i18n: I18nContext) -> None:
    """`/discounts <user_id>`: every discount of a customer with its status."""
    user_id = (command.args or "").strip()
    if not user_id.isdigit():
        await message.reply(i18n.get("discounts-staff-list-usage"))
        return
    discounts = await domain.discounts.history(int(user_id), LIST_LIMIT)
    if not discounts:
        await message.reply(i18n.get("discounts-staff-list-empty", user=user_id))
        return
    names = await domain.discounts.names()
    currency = domain.ledger.currency
    items = [i18n.get("discounts-staff-list-item", id=str(d.id),
                      status=discount_status(i18n, domain.discounts.status(d)),
                      discount=discount_text(i18n, d, currency, names)) for d in discounts]
    await message.reply(fit(i18n, [i18n.get("discounts-staff-list", user=user_id)], items, []))


async def staff_revoke(message: Message, command: CommandObject, domain: Domain, i18n: I18nContext) -> None:
    """`/revoke <discount_id>`: take a discount back (what was already paid stays as it was)."""
    discount_id = (command.args or "").strip()
    if not discount_id.isdigit():
        await message.reply(i18n.get("discounts-staff-revoke-usage"))
        return
    try:
        discount = await domain.discounts.revoke(int(discount_id))
    except DomainError as exc:
        await message.reply(refusal(i18n, exc, ""))
        return
    await message.reply(i18n.get("discounts-staff-revoked", id=discount_id, user=str(discount.user_id)))


def promo_action(command: CommandObject) -> tuple[str, str]:
    """`/promo <action> <rest>`: the action (lower case) and the rest."""
    action, _, rest = (command.args or "").strip().partition(" ")
    return action.lower(), rest.strip()


def promo_is(action: str) -> Any:
    """A filter: `/promo <action> ...`."""
    return lambda message, command: promo_action(command)[0] == action


async def staff_promo_new(message: Message, command: CommandObject, domain: Domain, i18n: I18nContext) -> None:
    """`/promo new <CODE> <10% | 5.00 | credit:5.00> [uses:N] [once] [first] [until:YYYY-MM-DD] [scope]`."""
    try:
        promo = await domain.promos.create_command(promo_action(command)[1], domain.context.payments.precision,
                                                   message.from_user.id if message.from_user else None)
    except DomainError as exc:
        await message.reply(refusal(i18n, exc, "promo-staff-usage"))
        return
    names = await domain.discounts.names()
    await message.reply(i18n.get("promo-staff-created", promo=promo_text(i18n, promo, domain.ledger.currency, names)))


async def staff_promo_off(message: Message, command: CommandObject, domain: Domain, i18n: I18nContext) -> None:
    """`/promo off <CODE>`: the code stops working (its redemptions stay)."""
    code = promo_action(command)[1]
    if not code or " " in code:
        await message.reply(i18n.get("promo-staff-usage"))
        return
    try:
        promo = await domain.promos.disable(code)
    except DomainError as exc:
        await message.reply(refusal(i18n, exc, ""))
        return
    await message.reply(i18n.get("promo-staff-disabled", code=promo.code))


async def staff_promo_list(message: Message, command: CommandObject, domain: Domain, i18n: I18nContext) -> None:
    """`/promo list`: every code with its terms and uses; anything else after /promo gets the usage."""
    action, rest = promo_action(command)
    if action != "list" or rest:
        await message.reply(i18n.get("promo-staff-usage"))
        return
    promos = await domain.promos.all()
    if not promos:
        await message.reply(i18n.get("promo-staff-list-empty"))
        return
    names = await domain.discounts.names()
    currency = domain.ledger.currency
    await message.reply(fit(i18n, [i18n.get("promo-staff-list")],
                            [promo_text(i18n, p, currency, names) for p in promos], []))


def router() -> Router:
    """This section's handlers, in the order they are tried: commands first, the topic's catch-all last."""
    routes = Router(name=__name__)
    routes.message.register(staff_help, Command("help"))
    routes.message.register(staff_grant, Command("discount"), flags=ADMIN)
    routes.message.register(staff_list, Command("discounts"))
    routes.message.register(staff_revoke, Command("revoke"), flags=ADMIN)
    routes.message.register(staff_promo_new, Command("promo"), promo_is("new"), flags=ADMIN)
    routes.message.register(staff_promo_off, Command("promo"), promo_is("off"), flags=ADMIN)
    routes.message.register(staff_promo_list, Command("promo"))
    routes.message.register(staff_wrote, not_command, F.text | F.photo | F.document, in_ticket)
    routes.message.register(staff_wrote_unsupported, UNSUPPORTED, in_ticket)
    routes.message.register(staff_close, Command("close"), in_ticket)
    routes.message.register(staff_reopen, Command("reopen"), in_ticket)
    routes.message.register(staff_note, Command("note"), in_ticket)
    routes.message.register(staff_assign, Command("assign"), in_ticket)
    routes.message.register(no_ticket, Command(*TICKET_COMMANDS))
    routes.message.register(staff_news, Command("news"))
    routes.callback_query.register(news_decided, NewsCb.filter())
    return routes
