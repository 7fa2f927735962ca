"""Support -> Tickets: the customer's tickets (active and recently closed, and the archive), a new ticket
(department, optional service, subject, message, attachments), the conversation, reply, close, reopen, rating.
What the customer writes or changes reaches the staff group through the domain's relay (`domain.relay`)."""

from __future__ import annotations

from html import escape

from aiogram import Bot, F, Router
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardButton, Message
from aiogram_i18n import I18nContext

from domain.accounts import Customer
from domain.errors import DomainError, InvalidInput
from domain.relay import TicketChange
from domain.tickets import ACTIVE, Attachment
from domain.unit import Domain
from handlers.common.errors import refuse
from handlers.common.ui import button, keyboard, show
from handlers.menu import on_cancel
from handlers.notifications import register_action
from handlers.support import SupportEntry, register_entry
from handlers.tickets.group import staff_group
from handlers.tickets.keyboards import (
    TICKETS,
    TicketAction,
    TkCb,
    cancel_row,
    close_markup,
    departments_markup,
    files_markup,
    list_markup,
    reply_cancel_markup,
    reply_markup,
    services_markup,
    ticket_markup,
)
from handlers.tickets.states import NewTicket, NewTicketData, TicketReply, TicketReplyData
from handlers.tickets.views import list_text, ticket_text

register_action("ticket-open", lambda args: TkCb(action=TicketAction.OPEN, id=int(args.get("ticket", 0))))


async def _tickets_button(i18n: I18nContext, domain: Domain, user: Customer) -> InlineKeyboardButton:
    active = await domain.tickets.active_count(user.id)
    return button(i18n.get("tickets-button-list", active=active), TICKETS)


async def _new_button(i18n: I18nContext, domain: Domain, user: Customer) -> InlineKeyboardButton:
    return button(i18n.get("tickets-button-new"), TkCb(action=TicketAction.NEW))


async def _archive_button(i18n: I18nContext, domain: Domain, user: Customer) -> InlineKeyboardButton | None:
    if not await domain.tickets.has_archived(user.id):
        return None
    return button(i18n.get("tickets-button-archive"), TkCb(action=TicketAction.ARCHIVE))


register_entry(SupportEntry(key="tickets", order=10, button=_tickets_button))
register_entry(SupportEntry(key="new-ticket", order=20, button=_new_button))
register_entry(SupportEntry(key="archived-tickets", order=30, button=_archive_button))


# --- lists ----------------------------------------------------------------------------------------------------

async def show_list(event: Message | CallbackQuery, i18n: I18nContext, domain: Domain, user: Customer,
                    archived: bool, page: int = 0) -> None:
    result = await domain.tickets.page(user.id, archived=archived, page=page)
    await show(event, list_text(i18n, result.total, result.page, result.pages, archived),
               list_markup(i18n, result, archived, user.time_zone))


async def list_pressed(callback: CallbackQuery, callback_data: TkCb, i18n: I18nContext, domain: Domain,
                       user: Customer, state: FSMContext, raw_state: str | None) -> None:
    """Active and recently closed tickets, or the archived ones."""
    if raw_state in NewTicket or raw_state in TicketReply:
        await state.clear()
    await show_list(callback, i18n, domain, user, callback_data.action == TicketAction.ARCHIVE, callback_data.p)


@on_cancel(NewTicket)
async def new_cancelled(event: Message | CallbackQuery, i18n: I18nContext, domain: Domain, user: Customer,
                        state: FSMContext, note: str) -> None:
    """Cancel while filing a ticket: back to the tickets."""
    await state.clear()
    result = await domain.tickets.page(user.id, archived=False, page=0)
    await show(event, f"{note}\n\n{list_text(i18n, result.total, result.page, result.pages, False)}",
               list_markup(i18n, result, False, user.time_zone))


@on_cancel(TicketReply)
async def reply_cancelled(event: Message | CallbackQuery, i18n: I18nContext, domain: Domain, user: Customer,
                          state: FSMContext, note: str) -> None:
    """/cancel while writing in a ticket: back to the ticket."""
    ticket_id = (await TicketReplyData.load(state)).ticket
    await state.clear()
    await show_ticket(event, i18n, domain, user, ticket_id, note)


# --- one ticket -----------------------------------------------------------------------------------------------

async def show_ticket(event: Message | CallbackQuery, i18n: I18nContext, domain: Domain, user: Customer,
                      ticket_id: int, notice: str | None = None) -> None:
    conversation = await domain.tickets.conversation(user.id, ticket_id)
    text = ticket_text(i18n, conversation, user, domain.tickets.settings.show_staff_names, notice)
    await show(event, text, ticket_markup(i18n, conversation.ticket, domain.tickets.can_reopen(conversation.ticket)))


async def ticket_pressed(callback: CallbackQuery, callback_data: TkCb, i18n: I18nContext, domain: Domain,
                         user: Customer, state: FSMContext, raw_state: str | None) -> None:
    """The ticket and its conversation."""
    if raw_state in NewTicket or raw_state in TicketReply:
        await state.clear()
    try:
        await show_ticket(callback, i18n, domain, user, callback_data.id)
    except DomainError as exc:
        await refuse(callback, i18n, exc, user.time_zone)


# --- reply ----------------------------------------------------------------------------------------------------

async def reply_pressed(callback: CallbackQuery, callback_data: TkCb, i18n: I18nContext, domain: Domain,
                        user: Customer, state: FSMContext) -> None:
    """Write in the ticket: every text, photo or document until Done goes to support."""
    try:
        ticket = await domain.tickets.get(user.id, callback_data.id)
    except DomainError as exc:
        await refuse(callback, i18n, exc, user.time_zone)
        return
    if ticket.status not in ACTIVE:
        await closed_card(callback, i18n, domain, user, ticket.id)
        return
    await state.set_state(TicketReply.message)
    await TicketReplyData(ticket=ticket.id).save(state)
    # Under a staff answer (a message the customer keeps) the prompt comes below it: `show` edits only the
    # current screen, never a kept message.
    await show(callback, i18n.get("tickets-reply-ask", ticket=ticket.id, subject=escape(ticket.subject)),
               reply_cancel_markup(i18n, ticket.id))


async def closed_card(callback: CallbackQuery, i18n: I18nContext, domain: Domain, user: Customer,
                      ticket_id: int) -> None:
    """A button of an old card (Reply, Close) of a ticket closed meanwhile: say so, change nothing, and show the
    card as it is now (the old one loses its keyboard)."""
    await callback.answer(i18n.get("tickets-error-closed"), show_alert=True)
    await show_ticket(callback, i18n, domain, user, ticket_id, i18n.get("tickets-error-closed"))


def attachment_of(message: Message) -> Attachment | None:
    if message.photo:
        return Attachment("photo", message.photo[-1].file_id)
    if message.document:
        return Attachment("document", message.document.file_id, message.document.file_name)
    return None


async def reply_sent(message: Message, bot: Bot, i18n: I18nContext, domain: Domain, user: Customer,
                     state: FSMContext, staff_chat_id: int | None) -> None:
    """One message of the reply, into the ticket and on to the staff group."""
    ticket_id = (await TicketReplyData.load(state)).ticket
    attachment = attachment_of(message)
    group = staff_group(bot, i18n.core, staff_chat_id)
    try:
        if attachment is None:
            await domain.relay.write(user.id, ticket_id, group, "text", text=message.text)
        else:
            await domain.relay.write(user.id, ticket_id, group, attachment.kind, text=message.caption,
                                     file_id=attachment.file_id, file_name=attachment.file_name)
    except InvalidInput as exc:
        await refuse(message, i18n, exc, user.time_zone, reply_markup(i18n, ticket_id))
        return
    await message.answer(i18n.get("tickets-reply-sent", ticket=ticket_id), reply_markup=reply_markup(i18n, ticket_id))


# --- close, reopen, rate --------------------------------------------------------------------------------------

async def close_pressed(callback: CallbackQuery, callback_data: TkCb, i18n: I18nContext, domain: Domain,
                        user: Customer) -> None:
    """Closing asks first."""
    try:
        ticket = await domain.tickets.get(user.id, callback_data.id)
    except DomainError as exc:
        await refuse(callback, i18n, exc, user.time_zone)
        return
    if ticket.status not in ACTIVE:
        await closed_card(callback, i18n, domain, user, ticket.id)
        return
    await show(callback, i18n.get("tickets-close-confirm", ticket=ticket.id, subject=escape(ticket.subject)),
               close_markup(i18n, ticket.id))


# What a button changes, and the confirmation the customer reads.
_CHANGES = {TicketAction.CLOSE_CONFIRM: (TicketChange.CLOSE, "tickets-closed"),
            TicketAction.REOPEN: (TicketChange.REOPEN, "tickets-reopened"),
            TicketAction.RATE: (TicketChange.RATE, "tickets-rated")}


async def ticket_changed(callback: CallbackQuery, callback_data: TkCb, bot: Bot, i18n: I18nContext,
                         domain: Domain, user: Customer, staff_chat_id: int | None) -> None:
    """Close (confirmed), reopen, or rate 1..5 stars: the domain decides, staff see it in the topic."""
    change, notice_key = _CHANGES[callback_data.action]
    if change == TicketChange.CLOSE:
        try:
            current = await domain.tickets.get(user.id, callback_data.id)
        except DomainError as exc:
            await refuse(callback, i18n, exc, user.time_zone)
            return
        if current.status not in ACTIVE:
            await closed_card(callback, i18n, domain, user, current.id)
            return
    try:
        ticket = await domain.relay.change(user.id, callback_data.id, change,
                                           staff_group(bot, i18n.core, staff_chat_id), rating=callback_data.v)
    except DomainError as exc:
        await refuse(callback, i18n, exc, user.time_zone)
        return
    await show_ticket(callback, i18n, domain, user, ticket.id, i18n.get(notice_key, rating=ticket.rating or 0))


# --- new ticket -----------------------------------------------------------------------------------------------

async def ask_department(event: Message | CallbackQuery, i18n: I18nContext, domain: Domain) -> None:
    await show(event, i18n.get("tickets-new-department"), departments_markup(i18n, domain.tickets.settings.departments))


async def new_pressed(callback: CallbackQuery, callback_data: TkCb, i18n: I18nContext, domain: Domain,
                      user: Customer, state: FSMContext) -> None:
    """Start a new ticket, about a service when `id` names one of the customer's services."""
    service_id = None
    if callback_data.id:
        try:
            service_id = (await domain.tickets.service_of(user.id, callback_data.id)).id
        except DomainError as exc:
            await refuse(callback, i18n, exc, user.time_zone)
            return
    await state.set_state(NewTicket.department)
    await NewTicketData(service=service_id).save(state)
    await ask_department(callback, i18n, domain)


async def _draft(callback: CallbackQuery, i18n: I18nContext, state: FSMContext,
                 raw_state: str | None) -> NewTicketData | None:
    """The new ticket's data, or None (and a note) when the dialog is gone (an old screen's button)."""
    if raw_state not in NewTicket:
        await callback.answer(i18n.get("tickets-new-expired"), show_alert=True)
        return None
    return await NewTicketData.load(state)


async def department_chosen(callback: CallbackQuery, callback_data: TkCb, i18n: I18nContext, domain: Domain,
                            user: Customer, state: FSMContext, raw_state: str | None) -> None:
    draft = await _draft(callback, i18n, state, raw_state)
    if draft is None:
        return
    departments = domain.tickets.settings.departments
    if not 0 <= callback_data.v < len(departments):
        await ask_department(callback, i18n, domain)
        return
    draft.department = departments[callback_data.v]
    await draft.save(state)
    services = [] if draft.service else await domain.tickets.linkable_services(user.id)
    if services:
        await state.set_state(NewTicket.service)
        await show(callback, i18n.get("tickets-new-service"), services_markup(i18n, services))
        return
    await ask_subject(callback, i18n, state)


async def ask_subject(event: Message | CallbackQuery, i18n: I18nContext, state: FSMContext) -> None:
    await state.set_state(NewTicket.subject)
    await show(event, i18n.get("tickets-new-subject"), keyboard(cancel_row(i18n)))


async def service_chosen(callback: CallbackQuery, callback_data: TkCb, i18n: I18nContext, domain: Domain,
                         user: Customer, state: FSMContext, raw_state: str | None) -> None:
    draft = await _draft(callback, i18n, state, raw_state)
    if draft is None:
        return
    service_id = None
    if callback_data.id:
        try:
            service_id = (await domain.tickets.service_of(user.id, callback_data.id)).id
        except DomainError as exc:
            await refuse(callback, i18n, exc, user.time_zone)
            return
    draft.service = service_id
    await draft.save(state)
    await ask_subject(callback, i18n, state)


async def subject_entered(message: Message, i18n: I18nContext, domain: Domain, user: Customer,
                          state: FSMContext) -> None:
    try:
        subject = domain.tickets.subject(message.text)
    except InvalidInput as exc:
        await refuse(message, i18n, exc, user.time_zone, keyboard(cancel_row(i18n)))
        return
    draft = await NewTicketData.load(state)
    draft.subject = subject
    await draft.save(state)
    await state.set_state(NewTicket.body)
    await message.answer(i18n.get("tickets-new-body"), reply_markup=keyboard(cancel_row(i18n)))


async def body_entered(message: Message, i18n: I18nContext, domain: Domain, user: Customer,
                       state: FSMContext) -> None:
    try:
        body = domain.tickets.body(message.text)
    except InvalidInput as exc:
        await refuse(message, i18n, exc, user.time_zone, keyboard(cancel_row(i18n)))
        return
    draft = await NewTicketData.load(state)
    draft.body = body
    await draft.save(state)
    await state.set_state(NewTicket.files)
    await message.answer(i18n.get("tickets-new-files", limit=domain.tickets.settings.max_attachments),
                         reply_markup=files_markup(i18n))


async def file_attached(message: Message, i18n: I18nContext, domain: Domain, state: FSMContext) -> None:
    """A photo or document for the new ticket, kept as Telegram's file id."""
    attachment = attachment_of(message)
    draft = await NewTicketData.load(state)
    limit = domain.tickets.settings.max_attachments
    if attachment is None or len(draft.files) >= limit:
        await message.answer(i18n.get("tickets-error-too-many", limit=limit), reply_markup=files_markup(i18n))
        return
    draft.files.append((attachment.kind, attachment.file_id, attachment.file_name))
    await draft.save(state)
    await message.answer(i18n.get("tickets-new-attached", count=len(draft.files), limit=limit),
                         reply_markup=files_markup(i18n))


async def files_text(message: Message, i18n: I18nContext, domain: Domain) -> None:
    """Text while attachments are asked: say what this step takes."""
    await message.answer(i18n.get("tickets-new-files", limit=domain.tickets.settings.max_attachments),
                         reply_markup=files_markup(i18n))


async def new_sent(callback: CallbackQuery, bot: Bot, i18n: I18nContext, domain: Domain, user: Customer,
                   state: FSMContext, raw_state: str | None, staff_chat_id: int | None) -> None:
    """File the ticket and hand it to the staff group."""
    draft = await _draft(callback, i18n, state, raw_state)
    if draft is None:
        return
    if not draft.body:
        await callback.answer(i18n.get("tickets-new-expired"), show_alert=True)
        return
    try:
        filed = await domain.relay.file(
            user.id, staff_group(bot, i18n.core, staff_chat_id), department=draft.department,
            subject=draft.subject, body=draft.body, service_id=draft.service,
            attachments=[Attachment(kind, file_id, name) for kind, file_id, name in draft.files])
    except DomainError as exc:
        await refuse(callback, i18n, exc, user.time_zone)
        return
    await state.clear()
    ticket_id = filed.ticket.id
    await show_ticket(callback, i18n, domain, user, ticket_id, i18n.get("tickets-created", ticket=ticket_id))


def router() -> Router:
    """This section's handlers, in the order they are tried."""
    routes = Router(name=__name__)
    routes.callback_query.register(list_pressed, TkCb.filter(F.action.in_({TicketAction.LIST, TicketAction.ARCHIVE})))
    routes.callback_query.register(ticket_pressed, TkCb.filter(F.action == TicketAction.OPEN))
    routes.callback_query.register(reply_pressed, TkCb.filter(F.action == TicketAction.REPLY))
    routes.message.register(reply_sent, TicketReply.message, F.text | F.photo | F.document)
    routes.callback_query.register(close_pressed, TkCb.filter(F.action == TicketAction.CLOSE))
    routes.callback_query.register(ticket_changed, TkCb.filter(F.action.in_(_CHANGES)))
    routes.callback_query.register(new_pressed, TkCb.filter(F.action == TicketAction.NEW))
    routes.callback_query.register(department_chosen, TkCb.filter(F.action == TicketAction.DEPARTMENT))
    routes.callback_query.register(service_chosen, TkCb.filter(F.action == TicketAction.SERVICE))
    routes.message.register(subject_entered, NewTicket.subject, F.text)
    routes.message.register(body_entered, NewTicket.body, F.text)
    routes.message.register(file_attached, NewTicket.files, F.photo | F.document)
    routes.message.register(files_text, NewTicket.files, F.text)
    routes.callback_query.register(new_sent, TkCb.filter(F.action == TicketAction.SEND))
    return routes
