"""Support -> Tickets: the customer's tickets (active and recently closed, and the archive), a new ticket
(department, optional service, subject, message, attachments), the conversation, reply, close, reopen, rating.

Other sections open a ticket about one of the customer's services with a button to `question(service_id)`
(licences: "Question" and "Contact support" after a refused key; SSL certificates the same way).
"""

from __future__ import annotations

from html import escape
from typing import Any

from aiogram import Bot, F, Router
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram_i18n import I18nContext

from domain.accounts import Customer
from domain.errors import DomainError, InvalidInput
from domain.models import TicketMessage
from domain.tickets import ACTIVE, Attachment
from domain.unit import Domain
from handlers.common import format as fmt
from handlers.common.errors import alert_text, error_text
from handlers.common.fit import MESSAGE_LIMIT, plain_units
from handlers.common.ui import Callback, button, keyboard, nav_row, show
from handlers.notifications import register_action
from handlers.support import SUPPORT, SupportEntry, register_entry
from handlers.support_group import announce, full_name, relay_customer

PREVIEW = 300  # characters of each message shown on the ticket screen
SUBJECT_IN_LIST = 40


class TkCb(Callback, prefix="tk"):
    """a: l (list), la (archive), o (open), n (new; id = a service or 0), nd (department v), ns (service id),
    nx (send the new ticket), r (reply), c (close?), c! (close), ro (reopen), rt (rate v)."""

    a: str
    id: int = 0
    v: int = 0
    p: int = 0


class NewTicket(StatesGroup):
    department = State()
    service = State()
    subject = State()
    body = State()
    files = State()


class TicketReply(StatesGroup):
    message = State()


def question(service_id: int) -> TkCb:
    """The callback that opens a new ticket about a service (for any section's "Question" button)."""
    return TkCb(a="n", id=service_id)


register_action("ticket-open", lambda args: TkCb(a="o", id=int(args.get("ticket", 0))))


async def _tickets_button(i18n: I18nContext, domain: Domain, user: Customer) -> InlineKeyboardButton:
    active = await domain.tickets.active_count(user.id)
    return button(i18n.get("tickets-button-list", active=active), TkCb(a="l"))


async def _new_button(i18n: I18nContext, domain: Domain, user: Customer) -> InlineKeyboardButton:
    return button(i18n.get("tickets-button-new"), TkCb(a="n"))


async def _archive_button(i18n: I18nContext, domain: Domain, user: Customer) -> InlineKeyboardButton | None:
    if not await domain.tickets.has_archived(user.id):
        return None
    return button(i18n.get("tickets-button-archive"), TkCb(a="la"))


register_entry(SupportEntry(key="tickets", order=10, button=_tickets_button))
register_entry(SupportEntry(key="new-ticket", order=20, button=_new_button))
register_entry(SupportEntry(key="archived-tickets", order=30, button=_archive_button))


def cancel_row(i18n: I18nContext) -> list[InlineKeyboardButton]:
    return [button(i18n.get("button-cancel"), "cancel")]


def status_text(i18n: I18nContext, status: str) -> str:
    return i18n.get("tickets-status", status=status)


def _alert(i18n: I18nContext, exc: DomainError) -> str:
    return alert_text(error_text(i18n, exc, html=False))


# --- lists ----------------------------------------------------------------------------------------------------

async def show_list(event: Message | CallbackQuery, i18n: I18nContext, domain: Domain, user: Customer,
                    archived: bool, page: int = 0) -> None:
    result = await domain.tickets.page(user.id, archived=archived, page=page)
    action = "la" if archived else "l"
    if result.total == 0:
        text = i18n.get("tickets-archive-empty" if archived else "tickets-list-empty")
    else:
        text = i18n.get("tickets-archive-title" if archived else "tickets-list-title", total=result.total,
                        page=result.page + 1, pages=result.pages)
    rows = []
    for ticket in result.tickets:
        subject = ticket.subject if len(ticket.subject) <= SUBJECT_IN_LIST else \
            ticket.subject[: SUBJECT_IN_LIST - 1] + "…"
        label = i18n.get("tickets-list-item", ticket=ticket.id, subject=subject,
                         status=status_text(i18n, ticket.status),
                         date=fmt.day(ticket.updated_at, user.time_zone, i18n.locale))
        rows.append([button(label, TkCb(a="o", id=ticket.id, p=1 if archived else 0))])
    pager = []
    if result.page > 0:
        pager.append(button("«", TkCb(a=action, p=result.page - 1)))
    if result.page + 1 < result.pages:
        pager.append(button("»", TkCb(a=action, p=result.page + 1)))
    rows.append(pager)
    if not archived:
        rows.append([button(i18n.get("tickets-button-new"), TkCb(a="n"))])
    await show(event, text, keyboard(*rows, nav_row(i18n, SUPPORT)))


async def list_pressed(callback: CallbackQuery, callback_data: TkCb, i18n: I18nContext, domain: Domain,
                       user: Customer, state: FSMContext, raw_state: str | None) -> None:
    """Active and recently closed tickets, or the archived ones."""
    if (raw_state in NewTicket or raw_state in TicketReply):
        await state.clear()
    await show_list(callback, i18n, domain, user, callback_data.a == "la", callback_data.p)


# --- one ticket -----------------------------------------------------------------------------------------------

def _author(i18n: I18nContext, message: TicketMessage, show_names: bool) -> str:
    if message.author == "customer":
        return i18n.get("tickets-author-you")
    if show_names and message.author_name:
        return i18n.get("tickets-author-staff-named", name=escape(message.author_name))
    return i18n.get("tickets-author-staff")


def _message_line(i18n: I18nContext, message: TicketMessage, user: Customer, show_names: bool) -> str:
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


async def show_ticket(event: Message | CallbackQuery, i18n: I18nContext, domain: Domain, user: Customer,
                      ticket_id: int, notice: str | None = None, back_page: int = 0) -> None:
    conversation = await domain.tickets.conversation(user.id, ticket_id)
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
    show_names = domain.tickets.settings.show_staff_names
    said = ["\n" + _message_line(i18n, message, user, show_names) for message in conversation.messages]
    # The newest messages are the ones to read: older ones give way until the screen fits a message.
    while len(said) > 1 and plain_units("\n".join(lines + said)) > MESSAGE_LIMIT - 200:
        said.pop(0)
    lines += said
    rows: list[list[InlineKeyboardButton]] = []
    if ticket.status in ACTIVE:
        rows.append([button(i18n.get("tickets-button-reply"), TkCb(a="r", id=ticket.id)),
                     button(i18n.get("tickets-button-close"), TkCb(a="c", id=ticket.id))])
    elif ticket.status == "closed":
        rows.append([button(("• " if ticket.rating == value else "") + f"{value}⭐",
                            TkCb(a="rt", id=ticket.id, v=value)) for value in range(1, 6)])
        if domain.tickets.can_reopen(ticket):
            rows.append([button(i18n.get("tickets-button-reopen"), TkCb(a="ro", id=ticket.id))])
    else:
        lines.append("\n" + i18n.get("tickets-ticket-archived"))
    back = TkCb(a="la" if ticket.status == "archived" else "l")
    await show(event, "\n".join(lines), keyboard(*rows, nav_row(i18n, back)))


async def ticket_pressed(callback: CallbackQuery, callback_data: TkCb, i18n: I18nContext, domain: Domain,
                         user: Customer, state: FSMContext, raw_state: str | None) -> None:
    """The ticket and its conversation."""
    if (raw_state in NewTicket or raw_state in TicketReply):
        await state.clear()
    try:
        await show_ticket(callback, i18n, domain, user, callback_data.id)
    except DomainError as exc:
        await callback.answer(_alert(i18n, exc), show_alert=True)


# --- reply ----------------------------------------------------------------------------------------------------

def reply_markup(i18n: I18nContext, ticket_id: int) -> InlineKeyboardMarkup:
    return keyboard([button(i18n.get("tickets-button-done"), TkCb(a="o", id=ticket_id))])


async def reply_pressed(callback: CallbackQuery, callback_data: TkCb, i18n: I18nContext, domain: Domain,
                        user: Customer, state: FSMContext) -> None:
    """Write in the ticket: every text, photo or document until Done goes to support."""
    try:
        ticket = await domain.tickets.get(user.id, callback_data.id)
    except DomainError as exc:
        await callback.answer(_alert(i18n, exc), show_alert=True)
        return
    if ticket.status not in ACTIVE:
        await show_ticket(callback, i18n, domain, user, ticket.id, i18n.get("tickets-error-closed"))
        return
    await state.set_state(TicketReply.message)
    await state.set_data({"ticket": ticket.id})
    await show(callback, i18n.get("tickets-reply-ask", ticket=ticket.id, subject=escape(ticket.subject)),
               keyboard([button(i18n.get("button-cancel"), TkCb(a="o", id=ticket.id))]))


def attachment_of(message: Message) -> Attachment | None:
    if message.photo:
        return Attachment("photo", message.photo[-1].file_id)
    if message.document:
        return Attachment("document", message.document.file_id, message.document.file_name)
    return None


async def reply_sent(message: Message, bot: Bot, i18n: I18nContext, domain: Domain, user: Customer,
                     state: FSMContext, staff_chat_id: int | None) -> None:
    ticket_id = int((await state.get_data()).get("ticket", 0))
    attachment = attachment_of(message)
    try:
        if attachment is None:
            await domain.tickets.add_customer_message(user.id, ticket_id, "text", text=message.text)
        else:
            await domain.tickets.add_customer_message(
                user.id, ticket_id, attachment.kind, text=message.caption, file_id=attachment.file_id,
                file_name=attachment.file_name)
    except InvalidInput as exc:
        await message.answer(_alert(i18n, exc), reply_markup=reply_markup(i18n, ticket_id))
        return
    except DomainError as exc:
        await state.clear()
        await message.answer(_alert(i18n, exc), reply_markup=keyboard(nav_row(i18n, TkCb(a="l"))))
        return
    await relay_customer(bot, domain, i18n.core, staff_chat_id, ticket_id, full_name(user.first_name, user.last_name))
    await message.answer(i18n.get("tickets-reply-sent", ticket=ticket_id), reply_markup=reply_markup(i18n, ticket_id))


# --- close, reopen, rate --------------------------------------------------------------------------------------

async def close_pressed(callback: CallbackQuery, callback_data: TkCb, i18n: I18nContext, domain: Domain,
                        user: Customer) -> None:
    """Closing asks first."""
    try:
        ticket = await domain.tickets.get(user.id, callback_data.id)
    except DomainError as exc:
        await callback.answer(_alert(i18n, exc), show_alert=True)
        return
    await show(callback, i18n.get("tickets-close-confirm", ticket=ticket.id, subject=escape(ticket.subject)),
               keyboard([button(i18n.get("tickets-button-close-confirm"), TkCb(a="c!", id=ticket.id))],
                        [button(i18n.get("tickets-button-keep"), TkCb(a="o", id=ticket.id))]))


# What the customer's change of a ticket is called in the staff topic and in the confirmation they read.
_CHANGES = {"c!": ("tickets-group-closed-by-customer", "tickets-closed"),
            "ro": ("tickets-group-reopened-by-customer", "tickets-reopened"),
            "rt": ("tickets-group-rated", "tickets-rated")}


async def ticket_changed(callback: CallbackQuery, callback_data: TkCb, bot: Bot, i18n: I18nContext,
                         domain: Domain, user: Customer) -> None:
    """Close (confirmed), reopen, or rate 1..5 stars: the domain decides, staff see it in the topic."""
    action, ticket_id = callback_data.a, callback_data.id
    try:
        if action == "c!":
            ticket = await domain.tickets.close(user.id, ticket_id)
        elif action == "ro":
            ticket = await domain.tickets.reopen(user.id, ticket_id)
        else:
            ticket = await domain.tickets.rate(user.id, ticket_id, callback_data.v)
    except DomainError as exc:
        await callback.answer(_alert(i18n, exc), show_alert=True)
        return
    group_key, notice_key = _CHANGES[action]
    rating = ticket.rating or 0
    await announce(bot, domain, i18n, ticket, group_key, rating=rating)
    await show_ticket(callback, i18n, domain, user, ticket.id, i18n.get(notice_key, rating=rating))


# --- new ticket -----------------------------------------------------------------------------------------------

async def ask_department(event: Message | CallbackQuery, i18n: I18nContext, domain: Domain) -> None:
    rows = [[button(i18n.get("tickets-department", department=name), TkCb(a="nd", v=index))]
            for index, name in enumerate(domain.tickets.settings.departments)]
    await show(event, i18n.get("tickets-new-department"), keyboard(*rows, cancel_row(i18n)))


async def new_pressed(callback: CallbackQuery, callback_data: TkCb, i18n: I18nContext, domain: Domain,
                      user: Customer, state: FSMContext) -> None:
    """Start a new ticket, about a service when `id` names one of the customer's services."""
    service_id = None
    if callback_data.id:
        try:
            service_id = (await domain.tickets.service_of(user.id, callback_data.id)).id
        except DomainError as exc:
            await callback.answer(_alert(i18n, exc), show_alert=True)
            return
    await state.set_state(NewTicket.department)
    await state.set_data({"service": service_id, "files": []})
    await ask_department(callback, i18n, domain)


async def _draft(state: FSMContext, callback: CallbackQuery, i18n: I18nContext) -> dict[str, Any] | None:
    """The new ticket's data, or None (and a note) when the dialog is gone (an old screen's button)."""
    raw = await state.get_state()
    if raw is None or not raw.startswith("NewTicket"):
        await callback.answer(i18n.get("tickets-new-expired"), show_alert=True)
        return None
    return await state.get_data()


async def department_chosen(callback: CallbackQuery, callback_data: TkCb, i18n: I18nContext, domain: Domain,
                            user: Customer, state: FSMContext) -> None:
    data = await _draft(state, callback, i18n)
    if data is None:
        return
    departments = domain.tickets.settings.departments
    if not 0 <= callback_data.v < len(departments):
        await ask_department(callback, i18n, domain)
        return
    await state.update_data(department=departments[callback_data.v])
    services = [] if data.get("service") else await domain.tickets.linkable_services(user.id)
    if services:
        await state.set_state(NewTicket.service)
        rows = [[button(f"#{s.id} {s.name or s.domain or s.ip_address or ''}".strip()
                        + f" · {i18n.get('tickets-service-kind', kind=s.kind)}", TkCb(a="ns", id=s.id))]
                for s in services[:10]]
        rows.append([button(i18n.get("tickets-button-no-service"), TkCb(a="ns", id=0))])
        await show(callback, i18n.get("tickets-new-service"), keyboard(*rows, cancel_row(i18n)))
        return
    await ask_subject(callback, i18n, state)


async def ask_subject(event: Message | CallbackQuery, i18n: I18nContext, state: FSMContext) -> None:
    await state.set_state(NewTicket.subject)
    await show(event, i18n.get("tickets-new-subject"), keyboard(cancel_row(i18n)))


async def service_chosen(callback: CallbackQuery, callback_data: TkCb, i18n: I18nContext, domain: Domain,
                         user: Customer, state: FSMContext) -> None:
    if await _draft(state, callback, i18n) is None:
        return
    service_id = None
    if callback_data.id:
        try:
            service_id = (await domain.tickets.service_of(user.id, callback_data.id)).id
        except DomainError as exc:
            await callback.answer(_alert(i18n, exc), show_alert=True)
            return
    await state.update_data(service=service_id)
    await ask_subject(callback, i18n, state)


async def subject_entered(message: Message, i18n: I18nContext, domain: Domain, state: FSMContext) -> None:
    try:
        subject = domain.tickets.subject(message.text)
    except InvalidInput as exc:
        await message.answer(_alert(i18n, exc), reply_markup=keyboard(cancel_row(i18n)))
        return
    await state.update_data(subject=subject)
    await state.set_state(NewTicket.body)
    await message.answer(i18n.get("tickets-new-body"), reply_markup=keyboard(cancel_row(i18n)))


def files_markup(i18n: I18nContext) -> InlineKeyboardMarkup:
    return keyboard([button(i18n.get("tickets-button-send"), TkCb(a="nx"))], cancel_row(i18n))


async def body_entered(message: Message, i18n: I18nContext, domain: Domain, state: FSMContext) -> None:
    try:
        body = domain.tickets.body(message.text)
    except InvalidInput as exc:
        await message.answer(_alert(i18n, exc), reply_markup=keyboard(cancel_row(i18n)))
        return
    await state.update_data(body=body)
    await state.set_state(NewTicket.files)
    await message.answer(i18n.get("tickets-new-files", limit=domain.tickets.settings.max_attachments),
                         reply_markup=files_markup(i18n))


async def file_attached(message: Message, i18n: I18nContext, domain: Domain, state: FSMContext) -> None:
    """A photo or document for the new ticket, kept as Telegram's file id."""
    attachment = attachment_of(message)
    files = list((await state.get_data()).get("files") or [])
    limit = domain.tickets.settings.max_attachments
    if attachment is None or len(files) >= limit:
        await message.answer(i18n.get("tickets-error-too-many", limit=limit), reply_markup=files_markup(i18n))
        return
    files.append([attachment.kind, attachment.file_id, attachment.file_name])
    await state.update_data(files=files)
    await message.answer(i18n.get("tickets-new-attached", count=len(files), limit=limit),
                         reply_markup=files_markup(i18n))


async def files_text(message: Message, i18n: I18nContext, domain: Domain) -> None:
    """Text while attachments are asked: say what this step takes."""
    await message.answer(i18n.get("tickets-new-files", limit=domain.tickets.settings.max_attachments),
                         reply_markup=files_markup(i18n))


async def new_sent(callback: CallbackQuery, bot: Bot, i18n: I18nContext, domain: Domain, user: Customer,
                   state: FSMContext, staff_chat_id: int | None) -> None:
    """File the ticket and hand it to the staff group."""
    data = await _draft(state, callback, i18n)
    if data is None:
        return
    if not data.get("body"):
        await callback.answer(i18n.get("tickets-new-expired"), show_alert=True)
        return
    attachments = [Attachment(kind, file_id, name) for kind, file_id, name in data.get("files") or []]
    try:
        ticket = await domain.tickets.create(user.id, department=data.get("department", ""),
                                             subject=data.get("subject", ""), body=data["body"],
                                             service_id=data.get("service"), attachments=attachments)
    except DomainError as exc:
        await callback.answer(_alert(i18n, exc), show_alert=True)
        return
    await state.clear()
    await relay_customer(bot, domain, i18n.core, staff_chat_id, ticket.id, full_name(user.first_name, user.last_name))
    await show_ticket(callback, i18n, domain, user, ticket.id, i18n.get("tickets-created", ticket=ticket.id))


def router() -> Router:
    """This section's handlers, in the order they are tried."""
    routes = Router(name=__name__)
    routes.callback_query.register(list_pressed, TkCb.filter(F.a.in_({"l", "la"})))
    routes.callback_query.register(ticket_pressed, TkCb.filter(F.a == "o"))
    routes.callback_query.register(reply_pressed, TkCb.filter(F.a == "r"))
    routes.message.register(reply_sent, TicketReply.message, F.text | F.photo | F.document)
    routes.callback_query.register(close_pressed, TkCb.filter(F.a == "c"))
    routes.callback_query.register(ticket_changed, TkCb.filter(F.a.in_(_CHANGES)))
    routes.callback_query.register(new_pressed, TkCb.filter(F.a == "n"))
    routes.callback_query.register(department_chosen, TkCb.filter(F.a == "nd"))
    routes.callback_query.register(service_chosen, TkCb.filter(F.a == "ns"))
    routes.message.register(subject_entered, NewTicket.subject, F.text)
    routes.message.register(body_entered, NewTicket.body, F.text)
    routes.message.register(file_attached, NewTicket.files, F.photo | F.document)
    routes.message.register(files_text, NewTicket.files, F.text)
    routes.callback_query.register(new_sent, TkCb.filter(F.a == "nx"))
    return routes
