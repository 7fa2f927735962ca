"""Notifications as data (the customer's inbox) and the outbox of push messages still to deliver."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, Integer, SmallInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from domain.models.base import Base

# SQLite only auto-increments an INTEGER PRIMARY KEY; PostgreSQL gets a BIGINT identity.
BigId = BigInteger().with_variant(Integer(), "sqlite")


class NotificationCategory(StrEnum):
    """What a notice is about; the customer mutes pushes by category (except the mandatory ones)."""

    SERVICES = "services"
    FINANCE = "finance"
    SUPPORT = "support"
    NEWS = "news"
    SECURITY = "security"


class OutboxStatus(StrEnum):
    """pending -> sent | failed | dropped (the recipient blocked the bot); see domain/notifications.py."""

    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"
    DROPPED = "dropped"


class Notification(Base):
    """One notice to one recipient: a Fluent message id and its arguments, rendered only when shown, in the
    language and time zone the recipient has then. `dedupe_key` makes sending the same notice twice a no-op."""

    __tablename__ = "notifications"
    __table_args__ = (
        Index("ix_notifications_user_id_id", "user_id", "id"),
        Index("ix_notifications_user_id_read_at", "user_id", "read_at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"))
    category: Mapped[str] = mapped_column(String(16))  # NotificationCategory
    key: Mapped[str] = mapped_column(String(128))
    args: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # [{"text_key": ..., "callback" | "url" | "action": ..., "args": {...}}]
    buttons: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    dedupe_key: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime]
    read_at: Mapped[datetime | None]


class OutboxMessage(Base):
    """A push message to deliver: one per notification that is pushed. The worker claims due rows by moving
    `next_attempt_at` forward by a lease, so a row claimed by a crashed worker becomes due again by itself."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_status_next_attempt_at", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    notification_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("notifications.id", ondelete="CASCADE"), unique=True
    )
    chat_id: Mapped[int] = mapped_column(BigInteger, index=True)
    status: Mapped[str] = mapped_column(String(8), default=OutboxStatus.PENDING)
    attempts: Mapped[int] = mapped_column(SmallInteger, default=0)
    next_attempt_at: Mapped[datetime]
    last_error: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime | None]
    message_id: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime]


class NotificationMute(Base):
    """A category the customer muted: its notifications stay in the inbox but are not pushed. Finance and
    security notices cannot be muted (domain/notifications.py MANDATORY)."""

    __tablename__ = "notification_mutes"

    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    category: Mapped[str] = mapped_column(String(16), primary_key=True)  # NotificationCategory
