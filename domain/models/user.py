from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, String, false, true
from sqlalchemy.orm import Mapped, mapped_column

from domain.models.base import Base


class User(Base):
    """A customer or staff member as Telegram knows them, plus their own preferences."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    first_name: Mapped[str] = mapped_column(String(256))
    last_name: Mapped[str | None] = mapped_column(String(256))
    username: Mapped[str | None] = mapped_column(String(64), index=True)
    # Telegram's language_code as last seen; `locale` is the customer's own choice and wins over it.
    language_code: Mapped[str | None] = mapped_column(String(16))
    locale: Mapped[str | None] = mapped_column(String(16))
    time_zone: Mapped[str] = mapped_column(String(64), default="UTC", server_default="UTC")
    # False once Telegram answered 403 (bot blocked); /start makes the user reachable again.
    reachable: Mapped[bool] = mapped_column(default=True, server_default=true())
    created_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]
    # Settings (domain/settings.py): phone in E.164, e-mail for invoices, the Telegram file id that shows the
    # stored avatar, and whether two-step authentication is in force (details in `two_factor`).
    phone: Mapped[str | None] = mapped_column(String(16))
    email: Mapped[str | None] = mapped_column(String(254))
    avatar_file_id: Mapped[str | None] = mapped_column(String(256))
    two_factor: Mapped[bool] = mapped_column(default=False, server_default=false())
