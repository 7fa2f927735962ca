from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from domain.models.base import Base


class Avatar(Base):
    """The customer's picture as downloaded from Telegram, checked and kept; `users.avatar_file_id` shows it."""

    __tablename__ = "avatars"

    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    content: Mapped[bytes] = mapped_column(LargeBinary)
    content_type: Mapped[str] = mapped_column(String(32))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    size: Mapped[int] = mapped_column(Integer)
    uploaded_at: Mapped[datetime]


class TwoFactor(Base):
    """A TOTP second factor: pending until the first valid code (confirmed_at), then in force.

    `secret` is Fernet ciphertext. `last_step` is the newest 30-second step a code was accepted for, so a
    step is never accepted twice. `failures` counts wrong codes since `failures_since` (within a window); five
    lock codes until `locked_until`. `unlocked_until` is the end of the five minutes a correct code opens for
    guarded actions."""

    __tablename__ = "two_factor"

    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    secret: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime]
    confirmed_at: Mapped[datetime | None]
    last_step: Mapped[int | None] = mapped_column(BigInteger)
    failures: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    failures_since: Mapped[datetime | None]  # the first of the wrong codes `failures` counts (a window)
    locked_until: Mapped[datetime | None]
    unlocked_until: Mapped[datetime | None]


class RecoveryCode(Base):
    """A one-time recovery code, kept only as a salted SHA-256 digest."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"), index=True)
    salt: Mapped[str] = mapped_column(String(32))
    digest: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
