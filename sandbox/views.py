"""Read-only views of the sandbox state for tests: messages, buttons, topics, payments."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sandbox.models import Message, Topic
from sandbox.serialize import message_to_api, message_view_json
from sandbox.world import World


@dataclass(frozen=True)
class Button:
    text: str
    callback_data: str | None = None
    url: str | None = None
    request_contact: bool = False
    request_location: bool = False
    request_users: dict[str, Any] | None = field(default=None, compare=False)
    request_chat: dict[str, Any] | None = field(default=None, compare=False)
    raw: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def from_api(cls, raw: dict[str, Any]) -> Button:
        return cls(text=raw["text"], callback_data=raw.get("callback_data"), url=raw.get("url"),
                   request_contact=bool(raw.get("request_contact")),
                   request_location=bool(raw.get("request_location")), request_users=raw.get("request_users"),
                   request_chat=raw.get("request_chat"), raw=raw)


class MessageView:
    """A live view of a stored message: attributes always show its current (edited) state."""

    def __init__(self, world: World, message: Message, update_id: int | None = None) -> None:
        self._world = world
        self.message = message
        self.update_id = update_id

    def __repr__(self) -> str:
        body = self.text if self.text is not None else self.caption or self.message.kind
        return f"<MessageView {self.chat_id}/{self.message_id} from_bot={self.from_bot} {body!r}>"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, MessageView) and other.message is self.message

    def __hash__(self) -> int:
        return hash((self.chat_id, self.message_id))

    @property
    def message_id(self) -> int:
        return self.message.message_id

    @property
    def chat_id(self) -> int:
        return self.message.chat_id

    @property
    def from_bot(self) -> bool:
        return self.message.from_bot

    @property
    def text(self) -> str | None:
        return self.message.text

    @property
    def html(self) -> str | None:
        return self.message.html if self.message.text is not None else self.message.caption_html

    @property
    def caption(self) -> str | None:
        return self.message.caption

    @property
    def entities(self) -> list[dict[str, Any]]:
        return self.message.entities

    @property
    def date(self) -> int:
        return self.message.date

    @property
    def edit_date(self) -> int | None:
        return self.message.edit_date

    @property
    def message_thread_id(self) -> int | None:
        return self.message.message_thread_id

    @property
    def reply_to_message_id(self) -> int | None:
        return self.message.reply_to_message_id

    @property
    def deleted(self) -> bool:
        return self.message.deleted

    @property
    def content(self) -> dict[str, Any]:
        return self.message.content

    @property
    def history(self) -> list[dict[str, Any]]:
        """Earlier versions of an edited message, oldest first."""
        return list(self.message.history)

    @property
    def reply_markup(self) -> dict[str, Any] | None:
        return self.message.reply_markup

    @property
    def buttons(self) -> list[list[Button]]:
        rows = (self.message.reply_markup or {}).get("inline_keyboard", [])
        return [[Button.from_api(button) for button in row] for row in rows]

    @property
    def button_texts(self) -> list[str]:
        return [button.text for row in self.buttons for button in row]

    @property
    def photo(self) -> dict[str, Any] | None:
        sizes = self.message.content.get("photo")
        return sizes[-1] if sizes else None

    @property
    def document(self) -> dict[str, Any] | None:
        return self.message.content.get("document")

    @property
    def invoice(self) -> dict[str, Any] | None:
        return self.message.content.get("invoice")

    @property
    def photo_sizes(self) -> list[dict[str, Any]]:
        """Every PhotoSize of the message's photo, smallest first (the largest is `photo`)."""
        return list(self.message.content.get("photo") or [])

    def file_bytes(self) -> bytes:
        """The content of the message's photo (its largest size, a JPEG like Telegram serves) or document."""
        if not self.message.file_ids:
            raise ValueError(f"{self!r} has no file")
        return self._world.files[self.message.file_ids[0]].content

    def uploaded_bytes(self) -> bytes:
        """The file as its sender uploaded it, before Telegram re-encoded a photo (only the sender has this)."""
        if not self.message.file_ids:
            raise ValueError(f"{self!r} has no file")
        stored = self._world.files[self.message.file_ids[0]]
        return stored.original if stored.original is not None else stored.content

    def to_api(self) -> dict[str, Any]:
        return message_to_api(self._world, self.message)

    def to_json(self) -> dict[str, Any]:
        return message_view_json(self._world, self.message)


@dataclass(frozen=True)
class TopicView:
    chat_id: int
    message_thread_id: int
    name: str
    icon_color: int
    icon_custom_emoji_id: str | None
    closed: bool

    @classmethod
    def of(cls, chat_id: int, topic: Topic) -> TopicView:
        return cls(chat_id, topic.message_thread_id, topic.name, topic.icon_color, topic.icon_custom_emoji_id,
                   topic.closed)


@dataclass(frozen=True)
class CallbackAnswer:
    text: str | None
    show_alert: bool
    url: str | None
    message_id: int
    data: str | None

    @classmethod
    def from_answer(cls, answer: dict[str, Any]) -> CallbackAnswer:
        return cls(answer.get("text"), bool(answer.get("show_alert")), answer.get("url"), answer["message_id"],
                   answer.get("data"))


@dataclass(frozen=True)
class PaymentResult:
    status: str
    telegram_payment_charge_id: str | None = None
    provider_payment_charge_id: str | None = None
    error_message: str | None = None
    update_id: int | None = None
    message: MessageView | None = None
