"""Support tickets: what a customer asks, what staff answer from the staff group, and the rules between.

Statuses::

    open --staff answers--> answered --customer writes--> awaiting --staff answers--> answered ...
    open | answered | awaiting --close (either side)--> closed --reopen (customer within TICKET_REOPEN_DAYS,
                                                                  staff any time)--> awaiting
    closed --TICKET_ARCHIVE_DAYS later, the archive sweep--> archived (read-only)

Customer-side methods take the acting customer and look the ticket up by owner (a foreign or missing id is
NotFound). Staff-side methods take a ticket found through the staff group (its topic, or a message stored in
`ticket_group_messages`): the link is data, never parsed from message text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.clock import Clock
from domain.db import rowcount, upsert
from domain.errors import DomainError, InvalidInput, NotFound
from domain.ledger import Ledger
from domain.models import (
    MessageAuthor,
    MessageKind,
    NotificationCategory,
    Payer,
    PaymentCharge,
    Service,
    ServiceEvent,
    ServiceStatus,
    Ticket,
    TicketGroupMessage,
    TicketMessage,
    TicketStatus,
    User,
)
from domain.notifications import Notifications, button

ACTIVE = (TicketStatus.OPEN, TicketStatus.ANSWERED, TicketStatus.AWAITING)
STATUSES = tuple(TicketStatus)
KINDS = tuple(MessageKind)
SUBJECT_MAX = 100
BODY_MAX = 3500
# How long a relay holds the customer messages it is posting; past it, they are the next relay's.
RELAY_CLAIM = timedelta(minutes=2)
NOTE_MAX = 3500
PER_PAGE = 5
HISTORY_EVENTS = 5
HEADER_SERVICES = 5
HEADER_CHARGES = 3  # the latest payments on the header card, with the charge id a refund needs


@dataclass(frozen=True)
class TicketSettings:
    departments: tuple[str, ...] = ("billing", "technical", "sales")
    max_attachments: int = 5
    reopen_days: int = 7
    archive_days: int = 30
    show_staff_names: bool = False


class TicketClosed(DomainError):
    """Writing in (or closing) a ticket that is closed or archived."""

    message_id = "tickets-error-closed"


class ReopenExpired(DomainError):
    """The customer may reopen a closed ticket only for a few days; archived ones never."""

    message_id = "tickets-error-reopen-expired"


@dataclass(frozen=True, slots=True)
class Attachment:
    kind: str  # MessageKind.PHOTO or MessageKind.DOCUMENT
    file_id: str
    file_name: str | None = None


@dataclass(frozen=True, slots=True)
class Archived:
    id: int
    subject: str
    staff_chat_id: int | None
    topic_id: int | None


@dataclass(frozen=True, slots=True)
class TicketPage:
    tickets: list[Ticket]
    page: int
    pages: int
    total: int


@dataclass(frozen=True, slots=True)
class Conversation:
    ticket: Ticket
    messages: list[TicketMessage]  # oldest first, staff notes left out
    total: int
    service: Service | None


@dataclass(frozen=True, slots=True)
class HeaderCard:
    """What the staff topic's first message shows about the customer."""

    ticket: Ticket
    customer: User
    balance: int
    currency: str
    services: list[Service]
    service_count: int
    service: Service | None
    history: list[ServiceEvent] = field(default_factory=list)
    payer: Payer | None = None  # the default active payer; None: a private person
    charges: list[PaymentCharge] = field(default_factory=list)  # the latest first


def clean_text(text: str | None, limit: int, message_id: str) -> str:
    value = (text or "").strip()
    if not value or len(value) > limit:
        raise InvalidInput(message_id, limit=limit)
    return value


class Tickets:
    def __init__(self, session: AsyncSession, clock: Clock, settings: TicketSettings, ledger: Ledger,
                 notifications: Notifications) -> None:
        self._session = session
        self._clock = clock
        self.settings = settings
        self._ledger = ledger
        self._notifications = notifications

    # --- the customer's side ---------------------------------------------------------------------------------

    def department(self, value: str) -> str:
        if value not in self.settings.departments:
            raise InvalidInput("tickets-error-department")
        return value

    @staticmethod
    def subject(text: str | None) -> str:
        """One line, 1..100 characters."""
        value = " ".join((text or "").split())
        if not value or len(value) > SUBJECT_MAX:
            raise InvalidInput("tickets-error-subject", limit=SUBJECT_MAX)
        return value

    @staticmethod
    def body(text: str | None) -> str:
        return clean_text(text, BODY_MAX, "tickets-error-body")

    async def linkable_services(self, user_id: int) -> list[Service]:
        """The customer's services a ticket can be about (not deleted), newest first."""
        return list(await self._session.scalars(
            select(Service).where(Service.user_id == user_id, Service.status != ServiceStatus.DELETED)
            .order_by(Service.id.desc()).limit(20)
        ))

    async def service_of(self, user_id: int, service_id: int) -> Service:
        service = await self._session.get(Service, service_id)
        if service is None or service.user_id != user_id:
            raise NotFound()
        return service

    async def create(self, user_id: int, *, department: str, subject: str, body: str,
                     service_id: int | None = None, attachments: Sequence[Attachment] = ()) -> Ticket:
        """A new open ticket with its first message and attachments (each a message of its own)."""
        department = self.department(department)
        subject = self.subject(subject)
        body = self.body(body)
        if len(attachments) > self.settings.max_attachments:
            raise InvalidInput("tickets-error-too-many", limit=self.settings.max_attachments)
        if service_id is not None:
            await self.service_of(user_id, service_id)
        now = self._clock.now()
        ticket = Ticket(user_id=user_id, department=department, subject=subject, service_id=service_id,
                        status=TicketStatus.OPEN, created_at=now, updated_at=now)
        self._session.add(ticket)
        await self._session.flush()
        self._session.add(TicketMessage(ticket_id=ticket.id, author=MessageAuthor.CUSTOMER, author_id=user_id,
                                        kind=MessageKind.TEXT, text=body, created_at=now))
        for item in attachments:
            self._session.add(TicketMessage(ticket_id=ticket.id, author=MessageAuthor.CUSTOMER, author_id=user_id,
                                            kind=item.kind, file_id=item.file_id, file_name=item.file_name,
                                            created_at=now))
        await self._session.flush()
        return ticket

    async def page(self, user_id: int, *, archived: bool = False, page: int = 0,
                   per_page: int = PER_PAGE) -> TicketPage:
        """Active and closed tickets (or the archived ones), most recent activity first."""
        where = [Ticket.user_id == user_id,
                 Ticket.status == TicketStatus.ARCHIVED if archived else Ticket.status != TicketStatus.ARCHIVED]
        total = await self._session.scalar(select(func.count()).select_from(Ticket).where(*where)) or 0
        pages = max(1, -(-total // per_page))
        page = min(max(page, 0), pages - 1)
        tickets = list(await self._session.scalars(
            select(Ticket).where(*where).order_by(Ticket.updated_at.desc(), Ticket.id.desc())
            .offset(page * per_page).limit(per_page)
        ))
        return TicketPage(tickets, page, pages, total)

    async def get(self, user_id: int, ticket_id: int) -> Ticket:
        ticket = await self._session.get(Ticket, ticket_id)
        if ticket is None or ticket.user_id != user_id:
            raise NotFound()
        return ticket

    async def conversation(self, user_id: int, ticket_id: int, last: int = 8) -> Conversation:
        """The ticket and its last `last` messages the customer may see (never staff notes)."""
        ticket = await self.get(user_id, ticket_id)
        where = [TicketMessage.ticket_id == ticket.id, TicketMessage.author != MessageAuthor.NOTE]
        total = await self._session.scalar(select(func.count()).select_from(TicketMessage).where(*where)) or 0
        messages = list(await self._session.scalars(
            select(TicketMessage).where(*where).order_by(TicketMessage.id.desc()).limit(last)
        ))
        service = await self._session.get(Service, ticket.service_id) if ticket.service_id else None
        return Conversation(ticket, messages[::-1], total, service)

    async def add_customer_message(self, user_id: int, ticket_id: int, kind: str, *, text: str | None = None,
                                   file_id: str | None = None, file_name: str | None = None) -> TicketMessage:
        """The customer writes in their ticket: it now awaits staff."""
        ticket = await self.get(user_id, ticket_id)
        if ticket.status not in ACTIVE:
            raise TicketClosed()
        if kind not in KINDS or (kind != MessageKind.TEXT and not file_id):
            raise InvalidInput("tickets-error-unsupported")
        if kind == MessageKind.TEXT:
            text = self.body(text)
        elif text is not None:
            text = text.strip()[:1000] or None
        now = self._clock.now()
        message = TicketMessage(ticket_id=ticket.id, author=MessageAuthor.CUSTOMER, author_id=user_id, kind=kind,
                                text=text, file_id=file_id, file_name=file_name, created_at=now)
        self._session.add(message)
        if ticket.status == TicketStatus.ANSWERED:
            ticket.status = TicketStatus.AWAITING
        ticket.updated_at = now
        await self._session.flush()
        return message

    async def close(self, user_id: int, ticket_id: int) -> Ticket:
        ticket = await self.get(user_id, ticket_id)
        return await self._close(ticket, push=False)

    async def reopen(self, user_id: int, ticket_id: int) -> Ticket:
        """Only within TICKET_REOPEN_DAYS of closing; an archived ticket is read-only."""
        ticket = await self.get(user_id, ticket_id)
        if ticket.status in ACTIVE:
            return ticket
        if ticket.status == TicketStatus.ARCHIVED or ticket.closed_at is None or \
                self._clock.now() > ticket.closed_at + timedelta(days=self.settings.reopen_days):
            raise ReopenExpired(days=self.settings.reopen_days)
        return await self._reopen(ticket)

    def can_reopen(self, ticket: Ticket) -> bool:
        return ticket.status == TicketStatus.CLOSED and ticket.closed_at is not None and \
            self._clock.now() <= ticket.closed_at + timedelta(days=self.settings.reopen_days)

    async def rate(self, user_id: int, ticket_id: int, value: int) -> Ticket:
        """A closed ticket's answer, 1..5; rating again replaces the earlier rating."""
        ticket = await self.get(user_id, ticket_id)
        if not 1 <= value <= 5:
            raise InvalidInput("tickets-error-rating")
        if ticket.status in ACTIVE:
            raise InvalidInput("tickets-error-rate-open")
        ticket.rating = value
        await self._session.flush()
        return ticket

    # --- the staff group -------------------------------------------------------------------------------------

    async def by_id(self, ticket_id: int) -> Ticket | None:
        """A ticket for staff (no owner check: staff reach every ticket), read fresh from the database."""
        return await self._session.scalar(
            select(Ticket).where(Ticket.id == ticket_id).execution_options(populate_existing=True)
        )

    async def claim_unrelayed(self, ticket_id: int) -> list[TicketMessage]:
        """The customer's messages not posted in the staff group yet, oldest first, each claimed for the caller
        for RELAY_CLAIM (a conditional UPDATE: two processes never post the same message at once). Mark each
        `relayed` once Telegram accepted it, or `release` the rest; a relay that died leaves its claims to expire,
        and the next relay posts them."""
        now = self._clock.now()
        free = or_(TicketMessage.relay_claimed_until.is_(None), TicketMessage.relay_claimed_until <= now)
        unrelayed = (TicketMessage.ticket_id == ticket_id, TicketMessage.author == MessageAuthor.CUSTOMER,
                     TicketMessage.relayed_at.is_(None))
        waiting = list(await self._session.scalars(
            select(TicketMessage).where(*unrelayed, free).order_by(TicketMessage.id)
            .execution_options(populate_existing=True)))
        claimed = []
        for message in waiting:
            changed = await rowcount(
                self._session,
                update(TicketMessage).where(TicketMessage.id == message.id, TicketMessage.relayed_at.is_(None), free)
                .values(relay_claimed_until=now + RELAY_CLAIM).execution_options(synchronize_session=False))
            if changed != 1:
                break  # another relay holds it: it posts from here on, in order
            claimed.append(message)
        return claimed

    async def relayed(self, message: TicketMessage) -> None:
        """Telegram accepted the claimed message in the staff group."""
        await self._session.execute(
            update(TicketMessage).where(TicketMessage.id == message.id)
            .values(relayed_at=self._clock.now(), relay_claimed_until=None)
            .execution_options(synchronize_session=False))

    async def release(self, message_ids: list[int]) -> None:
        """Claimed messages that could not be posted: the next relay of the ticket posts them, in order."""
        if message_ids:
            await self._session.execute(
                update(TicketMessage).where(TicketMessage.id.in_(message_ids),
                                            TicketMessage.relayed_at.is_(None))
                .values(relay_claimed_until=None).execution_options(synchronize_session=False))

    async def lose_place(self, ticket_id: int) -> None:
        """The ticket's topic is gone (deleted in the group): the next relay gives it a new one and posts every
        customer message again, so staff see the whole conversation there."""
        await self._session.execute(
            update(Ticket).where(Ticket.id == ticket_id).values(staff_chat_id=None, topic_id=None)
            .execution_options(synchronize_session=False))
        await self._session.execute(
            update(TicketMessage)
            .where(TicketMessage.ticket_id == ticket_id, TicketMessage.author == MessageAuthor.CUSTOMER)
            .values(relayed_at=None, relay_claimed_until=None).execution_options(synchronize_session=False))

    async def awaiting_relay(self, limit: int = 50) -> list[int]:
        """Tickets with customer messages the staff group has not got (it could not be reached, or Telegram
        refused a post), oldest first; archived ones are left alone."""
        return list(await self._session.scalars(
            select(TicketMessage.ticket_id).join(Ticket, Ticket.id == TicketMessage.ticket_id)
            .where(TicketMessage.author == MessageAuthor.CUSTOMER, TicketMessage.relayed_at.is_(None),
                   or_(TicketMessage.relay_claimed_until.is_(None),
                       TicketMessage.relay_claimed_until <= self._clock.now()),
                   Ticket.status != TicketStatus.ARCHIVED)
            .group_by(TicketMessage.ticket_id).order_by(TicketMessage.ticket_id).limit(limit)
        ))

    async def by_topic(self, chat_id: int, topic_id: int) -> Ticket | None:
        return await self._session.scalar(
            select(Ticket).where(Ticket.staff_chat_id == chat_id, Ticket.topic_id == topic_id)
        )

    async def by_group_message(self, chat_id: int, message_id: int) -> Ticket | None:
        return await self._session.scalar(
            select(Ticket).join(TicketGroupMessage, TicketGroupMessage.ticket_id == Ticket.id)
            .where(TicketGroupMessage.chat_id == chat_id, TicketGroupMessage.message_id == message_id)
        )

    async def attach_to_group(self, ticket_id: int, chat_id: int, topic_id: int | None) -> bool:
        """Record where the ticket lives in the staff group (a topic, or None in a group without topics).
        Only the first caller wins; False means another update already placed it."""
        changed = await rowcount(
            self._session,
            update(Ticket).where(Ticket.id == ticket_id, Ticket.staff_chat_id.is_(None))
            .values(staff_chat_id=chat_id, topic_id=topic_id)
            .execution_options(synchronize_session=False)
        )
        return bool(changed)

    async def link_group_message(self, chat_id: int, message_id: int, ticket_id: int) -> bool:
        """Remember that a staff-group message belongs to a ticket. False when it was already known (the same
        update delivered twice): the caller must not act on it again."""
        inserted = await self._session.scalar(
            upsert(self._session, TicketGroupMessage)
            .values(chat_id=chat_id, message_id=message_id, ticket_id=ticket_id)
            .on_conflict_do_nothing().returning(TicketGroupMessage.ticket_id)
        )
        return inserted is not None

    async def add_staff_message(self, ticket: Ticket, staff_id: int, staff_name: str, kind: str, *,
                                text: str | None = None, file_id: str | None = None,
                                file_name: str | None = None) -> TicketMessage:
        """A staff answer: the customer gets it; the ticket is answered (an inbox entry records it)."""
        if ticket.status not in ACTIVE:
            raise TicketClosed()
        now = self._clock.now()
        message = TicketMessage(ticket_id=ticket.id, author=MessageAuthor.STAFF, author_id=staff_id,
                                author_name=staff_name, kind=kind, text=text, file_id=file_id, file_name=file_name,
                                created_at=now)
        self._session.add(message)
        ticket.status = TicketStatus.ANSWERED
        ticket.updated_at = now
        await self._session.flush()
        await self._notifications.notify(
            ticket.user_id, category=NotificationCategory.SUPPORT, key="tickets-notify-reply",
            args={"ticket": ticket.id, "subject": ticket.subject},
            buttons=[button("tickets-button-open", action="ticket-open", ticket=ticket.id)],
            dedupe_key=f"ticket-reply:{message.id}", push=False)
        return message

    async def add_note(self, ticket: Ticket, staff_id: int, staff_name: str, text: str | None) -> TicketMessage:
        """An internal note: kept with the ticket, never shown to the customer."""
        note = TicketMessage(ticket_id=ticket.id, author=MessageAuthor.NOTE, author_id=staff_id,
                             author_name=staff_name, kind=MessageKind.TEXT,
                             text=clean_text(text, NOTE_MAX, "tickets-staff-note-usage"),
                             created_at=self._clock.now())
        self._session.add(note)
        await self._session.flush()
        return note

    async def staff_close(self, ticket: Ticket) -> Ticket:
        return await self._close(ticket, push=True)

    async def staff_reopen(self, ticket: Ticket) -> Ticket:
        """Staff may reopen any closed ticket, archived ones too."""
        if ticket.status in ACTIVE:
            return ticket
        return await self._reopen(ticket)

    async def assign(self, ticket: Ticket, username: str) -> Ticket:
        name = username.strip().lstrip("@")
        if not name or len(name) > 32 or not all(c.isalnum() or c == "_" for c in name):
            raise InvalidInput("tickets-staff-assign-usage")
        ticket.assignee = name
        await self._session.flush()
        return ticket

    async def customer(self, ticket: Ticket) -> User:
        customer = await self._session.get(User, ticket.user_id)
        if customer is None:
            raise NotFound()
        return customer

    async def header(self, ticket: Ticket) -> HeaderCard:
        customer = await self._session.get(User, ticket.user_id)
        if customer is None:
            raise NotFound()
        where = [Service.user_id == ticket.user_id, Service.status != ServiceStatus.DELETED]
        count = await self._session.scalar(select(func.count()).select_from(Service).where(*where)) or 0
        services = list(await self._session.scalars(
            select(Service).where(*where).order_by(Service.id.desc()).limit(HEADER_SERVICES)))
        service = await self._session.get(Service, ticket.service_id) if ticket.service_id else None
        history = []
        if service is not None:
            history = list(await self._session.scalars(
                select(ServiceEvent).where(ServiceEvent.service_id == service.id)
                .order_by(ServiceEvent.id.desc()).limit(HISTORY_EVENTS)))
        payer = await self._session.scalar(
            select(Payer).where(Payer.user_id == ticket.user_id, Payer.active.is_(True))
            .order_by(Payer.is_default.desc(), Payer.id).limit(1))
        charges = list(await self._session.scalars(
            select(PaymentCharge).where(PaymentCharge.user_id == ticket.user_id)
            .order_by(PaymentCharge.id.desc()).limit(HEADER_CHARGES)))
        return HeaderCard(ticket, customer, await self._ledger.balance(ticket.user_id), self._ledger.currency,
                          services, count, service, history, payer, charges)

    # --- the sweep and news ----------------------------------------------------------------------------------

    async def archive_closed(self) -> list[Archived]:
        """Closed tickets older than TICKET_ARCHIVE_DAYS become archived (read-only). Idempotent. Returns the
        tickets archived now, with where they live in the staff group (to show the status there)."""
        before = self._clock.now() - timedelta(days=self.settings.archive_days)
        rows = (await self._session.execute(
            update(Ticket).where(Ticket.status == TicketStatus.CLOSED, Ticket.closed_at <= before)
            .values(status=TicketStatus.ARCHIVED)
            .returning(Ticket.id, Ticket.subject, Ticket.staff_chat_id, Ticket.topic_id)
            .execution_options(synchronize_session=False)
        )).all()
        return [Archived(*row) for row in rows]

    async def publish_news(self, text: str, news_id: str) -> int:
        """A news post to every customer: into every inbox, pushed to those who have not muted news.
        Idempotent per `news_id` (a double confirmation sends nothing twice). Returns how many were new."""
        text = clean_text(text, BODY_MAX, "tickets-news-usage")
        user_ids = list(await self._session.scalars(select(User.id).order_by(User.id)))
        items = [{"user_id": user_id, "category": NotificationCategory.NEWS, "key": "tickets-news",
                  "args": {"text": text}, "dedupe_key": f"news:{news_id}:{user_id}"} for user_id in user_ids]
        return await self._notifications.notify_many(items)

    # --- shared rules ----------------------------------------------------------------------------------------

    async def _close(self, ticket: Ticket, *, push: bool) -> Ticket:
        if ticket.status not in ACTIVE:
            raise TicketClosed()
        now = self._clock.now()
        ticket.status = TicketStatus.CLOSED
        ticket.closed_at = ticket.updated_at = now
        await self._session.flush()
        await self._notifications.notify(
            ticket.user_id, category=NotificationCategory.SUPPORT, key="tickets-notify-closed",
            args={"ticket": ticket.id, "subject": ticket.subject},
            buttons=[button("tickets-button-rate", action="ticket-open", ticket=ticket.id)],
            dedupe_key=f"ticket-closed:{ticket.id}:{now.isoformat()}", push=push)
        return ticket

    async def _reopen(self, ticket: Ticket) -> Ticket:
        ticket.status = TicketStatus.AWAITING
        ticket.closed_at = None
        ticket.updated_at = self._clock.now()
        await self._session.flush()
        return ticket

    async def active_count(self, user_id: int) -> int:
        return await self._session.scalar(
            select(func.count()).select_from(Ticket).where(Ticket.user_id == user_id, Ticket.status.in_(ACTIVE))
        ) or 0

    async def has_archived(self, user_id: int) -> bool:
        return bool(await self._session.scalar(
            select(func.count()).select_from(Ticket)
            .where(Ticket.user_id == user_id, Ticket.status == TicketStatus.ARCHIVED)
        ))


__all__ = ["ACTIVE", "STATUSES", "Archived", "Attachment", "Conversation", "HeaderCard", "MessageAuthor",
           "MessageKind", "ReopenExpired", "TicketClosed", "TicketPage", "TicketSettings", "TicketStatus", "Tickets"]
