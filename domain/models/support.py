"""Support tickets, their conversation, and which staff-group message belongs to which ticket."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, SmallInteger, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from domain.models.base import Base

BigId = BigInteger().with_variant(Integer(), "sqlite")


class TicketStatus(StrEnum):
    """See domain/tickets.py for the moves between them; open, answered and awaiting are the active ones."""

    OPEN = "open"
    ANSWERED = "answered"  # staff replied
    AWAITING = "awaiting"  # the customer replied (or reopened it): staff's turn
    CLOSED = "closed"
    ARCHIVED = "archived"  # read-only


class MessageAuthor(StrEnum):
    CUSTOMER = "customer"
    STAFF = "staff"  # an answer, sent to the customer
    NOTE = "note"  # a staff note, never sent


class MessageKind(StrEnum):
    TEXT = "text"
    PHOTO = "photo"
    DOCUMENT = "document"


class Ticket(Base):
    """A customer's request to support. Status: open, answered (staff replied), awaiting (customer replied),
    closed, archived. `topic_id` is the staff forum topic (message_thread_id) once it exists."""

    __tablename__ = "tickets"
    __table_args__ = (
        Index("ix_tickets_user_id_status", "user_id", "status"),
        Index("ix_tickets_status_closed_at", "status", "closed_at"),
        UniqueConstraint("staff_chat_id", "topic_id", name="uq_tickets_staff_chat_id_topic_id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"))
    department: Mapped[str] = mapped_column(String(32))
    subject: Mapped[str] = mapped_column(String(128))
    service_id: Mapped[int | None] = mapped_column(ForeignKey("services.id"))
    status: Mapped[str] = mapped_column(String(16))  # TicketStatus
    assignee: Mapped[str | None] = mapped_column(String(64))
    rating: Mapped[int | None] = mapped_column(SmallInteger)
    staff_chat_id: Mapped[int | None] = mapped_column(BigInteger)
    topic_id: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    closed_at: Mapped[datetime | None]


class TicketMessage(Base):
    """One message of the conversation: by the customer, by staff (sent to the customer), or a staff note
    (never sent). `kind` is text, photo or document; files are kept as Telegram file ids, never downloaded.
    A customer message's `relayed_at` is set once the staff group accepted it; while a relay posts it, it is
    claimed until `relay_claimed_until`, so a relay that died leaves it to the next one."""

    __tablename__ = "ticket_messages"
    __table_args__ = (Index("ix_ticket_messages_ticket_id_id", "ticket_id", "id"),
                      Index("ix_ticket_messages_relayed_at", "relayed_at"))

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    ticket_id: Mapped[int] = mapped_column(BigId, ForeignKey("tickets.id", ondelete="CASCADE"))
    author: Mapped[str] = mapped_column(String(16))  # MessageAuthor
    author_id: Mapped[int | None] = mapped_column(BigInteger)
    author_name: Mapped[str | None] = mapped_column(String(256))
    kind: Mapped[str] = mapped_column(String(16))  # MessageKind
    text: Mapped[str | None] = mapped_column(Text)
    file_id: Mapped[str | None] = mapped_column(String(256))
    file_name: Mapped[str | None] = mapped_column(String(256))
    created_at: Mapped[datetime]
    relayed_at: Mapped[datetime | None]
    relay_claimed_until: Mapped[datetime | None]  # a relay is posting it; another may take it after this


class TicketGroupMessage(Base):
    """A message in the staff group that belongs to a ticket (the header card, relayed customer messages,
    staff answers). Replies in a group without topics find their ticket here; a staff message seen twice
    (a redelivered update) is relayed once because its row already exists."""

    __tablename__ = "ticket_group_messages"

    chat_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    message_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    ticket_id: Mapped[int] = mapped_column(BigId, ForeignKey("tickets.id", ondelete="CASCADE"), index=True)
