"""The sandbox's stored objects: users, chats, messages, files, topics, payments."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any


def drop_none(data: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in data.items() if value is not None}


@dataclass
class User:
    id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = None
    is_bot: bool = False
    is_premium: bool | None = None
    blocked: bool = False
    started: bool = True
    fail_next_charge: bool = False
    """The next subscription renewal charged to this user fails (too few Stars), once."""
    phone_number: str | None = None
    """The user's own number, shared by request_contact buttons (a made-up one when None)."""

    def phone(self) -> str:
        return self.phone_number or f"+1555{self.id % 10_000_000:07d}"

    def to_api(self) -> dict[str, Any]:
        return drop_none(
            {
                "id": self.id,
                "is_bot": self.is_bot,
                "first_name": self.first_name,
                "last_name": self.last_name,
                "username": self.username,
                "language_code": None if self.is_bot else self.language_code,
                "is_premium": self.is_premium,
            }
        )


@dataclass
class Topic:
    message_thread_id: int
    name: str
    icon_color: int
    icon_custom_emoji_id: str | None = None
    closed: bool = False
    created_by_bot: bool = True

    def to_api(self) -> dict[str, Any]:
        return drop_none(
            {
                "message_thread_id": self.message_thread_id,
                "name": self.name,
                "icon_color": self.icon_color,
                "icon_custom_emoji_id": self.icon_custom_emoji_id,
            }
        )


@dataclass
class Chat:
    id: int
    type: str
    title: str | None = None
    username: str | None = None
    is_forum: bool = False
    user_id: int | None = None
    owner_id: int | None = None
    members: list[int] = field(default_factory=list)
    admins: list[int] = field(default_factory=list)
    # Members Telegram reports as "restricted" (is_member, may send messages, no other rights).
    restricted: list[int] = field(default_factory=list)
    bot_rights: dict[str, bool] | None = None
    topics: dict[int, Topic] = field(default_factory=dict)
    message_ids: list[int] = field(default_factory=list)
    pinned: list[int] = field(default_factory=list)
    next_message_id: int = 1
    menu_button: dict[str, Any] | None = None
    reply_keyboard: dict[str, Any] | None = None

    @property
    def is_private(self) -> bool:
        return self.type == "private"


@dataclass
class StoredFile:
    file_id: str
    file_unique_id: str
    content: bytes
    file_path: str
    kind: str
    mime_type: str | None = None
    file_name: str | None = None
    width: int | None = None
    height: int | None = None
    sizes: list[StoredFile] = field(default_factory=list, repr=False, compare=False)
    """All sizes of the same photo, smallest first (this one among them); empty for other files."""
    original: bytes | None = field(default=None, repr=False, compare=False)
    """For a re-encoded photo: the bytes as the sender uploaded them."""

    @property
    def file_size(self) -> int:
        return len(self.content)

    def to_file_api(self) -> dict[str, Any]:
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": self.file_size,
            "file_path": self.file_path,
        }

    def photo(self) -> list[dict[str, Any]]:
        """The Bot API `photo` field: every PhotoSize of the photo, smallest first."""
        return [size.photo_size() for size in (self.sizes or [self])]

    def photo_size(self) -> dict[str, Any]:
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "width": self.width or 0,
            "height": self.height or 0,
            "file_size": self.file_size,
        }

    def document(self) -> dict[str, Any]:
        return drop_none(
            {
                "file_id": self.file_id,
                "file_unique_id": self.file_unique_id,
                "file_name": self.file_name,
                "mime_type": self.mime_type,
                "file_size": self.file_size,
            }
        )


@dataclass
class Message:
    chat_id: int
    message_id: int
    sender_id: int
    from_bot: bool
    date: int = 0
    text: str | None = None
    entities: list[dict[str, Any]] = field(default_factory=list)
    html: str | None = None
    caption: str | None = None
    caption_entities: list[dict[str, Any]] = field(default_factory=list)
    caption_html: str | None = None
    content: dict[str, Any] = field(default_factory=dict)
    reply_markup: dict[str, Any] | None = None
    message_thread_id: int | None = None
    is_topic_message: bool = False
    reply_to_message_id: int | None = None
    edit_date: int | None = None
    history: list[dict[str, Any]] = field(default_factory=list)
    forward_origin: dict[str, Any] | None = None
    media_group_id: str | None = None
    file_ids: list[str] = field(default_factory=list)
    invoice_payload: str | None = None
    invoice_prices: list[dict[str, Any]] = field(default_factory=list)
    reactions: list[dict[str, Any]] = field(default_factory=list)
    deleted: bool = False

    @property
    def kind(self) -> str:
        if self.text is not None:
            return "text"
        return next(iter(self.content), "empty")

    def snapshot(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "html": self.html,
            "caption": self.caption,
            "caption_html": self.caption_html,
            "reply_markup": self.reply_markup,
            "edit_date": self.edit_date,
        }


@dataclass
class Payment:
    telegram_payment_charge_id: str
    provider_payment_charge_id: str
    user_id: int
    chat_id: int
    currency: str
    total_amount: int
    invoice_payload: str
    refunded: bool = False
    date: int = 0
    subscription: Subscription | None = field(default=None, repr=False)


@dataclass
class Subscription:
    """A Telegram Stars subscription: charged `amount` every `period` seconds until it is cancelled or a charge
    fails. Known by the charge id of any of its payments (the first one is `charge_ids[0]`)."""

    user_id: int
    chat_id: int
    invoice_payload: str
    amount: int
    period: int
    expires_at: int
    charge_ids: list[str] = field(default_factory=list)
    canceled_by_bot: bool = False
    canceled_by_user: bool = False
    lapsed: bool = False

    @property
    def renews(self) -> bool:
        return not (self.canceled_by_bot or self.canceled_by_user or self.lapsed)

    def to_json(self) -> dict[str, Any]:
        return {"telegram_payment_charge_id": self.charge_ids[0], "charge_ids": list(self.charge_ids),
                "user_id": self.user_id, "invoice_payload": self.invoice_payload, "amount": self.amount,
                "period": self.period, "expires_at": self.expires_at, "canceled_by_bot": self.canceled_by_bot,
                "canceled_by_user": self.canceled_by_user, "lapsed": self.lapsed}


@dataclass
class CallbackQuery:
    id: str
    user_id: int
    chat_id: int
    message_id: int
    data: str | None
    created: float
    answer: dict[str, Any] | None = None


@dataclass
class PreCheckoutQuery:
    id: str
    user_id: int
    chat_id: int
    message_id: int
    currency: str
    total_amount: int
    invoice_payload: str
    created: float
    answer: dict[str, Any] | None = None
    expired: bool = False
    subscription_period: int | None = None
    answered: asyncio.Event = field(default_factory=asyncio.Event, repr=False)
