"""The World: every user, chat, message, file and pending update the sandbox knows."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

from sandbox.clock import Clock
from sandbox.errors import bad_request
from sandbox.ids import file_ids
from sandbox.models import (
    CallbackQuery,
    Chat,
    Message,
    Payment,
    PreCheckoutQuery,
    StoredFile,
    Subscription,
    Topic,
    User,
)

Listener = Callable[[dict[str, Any]], None]
log = logging.getLogger(__name__)


class UpdateQueue:
    """Updates waiting for the bot, numbered like Telegram's update_id."""

    HISTORY = 1000

    def __init__(self) -> None:
        self.pending: list[dict[str, Any]] = []
        self.history: dict[int, dict[str, Any]] = {}  # the last HISTORY updates, for redelivery
        self.next_update_id = 1
        self.allowed_updates: list[str] | None = None
        self.changed = asyncio.Event()

    def push(self, kind: str, payload: dict[str, Any]) -> int | None:
        """Queue an update; None when the bot's allowed_updates exclude its kind (Telegram drops it)."""
        if self.allowed_updates is not None and kind not in self.allowed_updates:
            return None
        update_id = self.next_update_id
        self.next_update_id += 1
        update = {"update_id": update_id, kind: payload}
        self.pending.append(update)
        self.history[update_id] = update
        if len(self.history) > self.HISTORY:
            del self.history[next(iter(self.history))]
        self.changed.set()
        return update_id

    def confirm(self, offset: int) -> None:
        """Forget updates before `offset` (negative: keep only the last -offset updates)."""
        if offset < 0:
            self.pending = self.pending[offset:]
        else:
            self.pending = [update for update in self.pending if update["update_id"] >= offset]

    def set_allowed(self, allowed: list[str] | None) -> None:
        self.allowed_updates = allowed or None
        if self.allowed_updates is not None:
            allowed_set = set(self.allowed_updates)
            self.pending = [u for u in self.pending if next(k for k in u if k != "update_id") in allowed_set]

    def clear(self) -> None:
        self.pending.clear()
        self.history.clear()


class World:
    def __init__(self, bot: User, clock: Clock | None = None) -> None:
        self.bot = bot
        self.clock = clock or Clock()
        self.users: dict[int, User] = {}
        self.chats: dict[int, Chat] = {}
        self.messages: dict[tuple[int, int], Message] = {}
        self.files: dict[str, StoredFile] = {}
        self.files_by_path: dict[str, StoredFile] = {}
        self.updates = UpdateQueue()
        self.callback_queries: dict[str, CallbackQuery] = {}
        self.callback_answers: dict[int, dict[str, Any]] = {}
        self.pre_checkout_queries: dict[str, PreCheckoutQuery] = {}
        self.payments: dict[str, Payment] = {}
        self.subscriptions: list[Subscription] = []
        self.star_transactions: list[dict[str, Any]] = []
        self.commands: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self.default_menu_button: dict[str, Any] = {"type": "commands"}
        self.invoice_links: dict[str, dict[str, Any]] = {}
        self._listeners: list[Listener] = []
        self._file_serial = 0

    def reset(self) -> None:
        """Forget everything but the bot, the clock, the listeners and the update numbering."""
        listeners, updates = self._listeners, self.updates
        self.__init__(self.bot, self.clock)  # type: ignore[misc]
        self._listeners = listeners
        updates.clear()
        self.updates = updates

    # listeners -----------------------------------------------------------------------------------------
    def add_listener(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def remove_listener(self, listener: Listener) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    def emit(self, event: dict[str, Any]) -> None:
        for listener in list(self._listeners):
            try:
                listener(event)
            except Exception:
                log.exception("sandbox listener failed on %s", event.get("type"))

    # users and chats -----------------------------------------------------------------------------------
    def add_user(self, user: User) -> Chat:
        self.users[user.id] = user
        chat = self.chats.get(user.id)
        if chat is None:
            chat = Chat(id=user.id, type="private", user_id=user.id, members=[user.id])
            self.chats[user.id] = chat
        self.emit({"type": "user", "chat_id": user.id, "user": user.to_api(), "blocked": user.blocked})
        return chat

    def add_group(self, chat: Chat) -> Chat:
        self.chats[chat.id] = chat
        self.emit({"type": "chat", "chat_id": chat.id, "title": chat.title, "is_forum": chat.is_forum})
        return chat

    def user(self, user_id: int) -> User:
        user = self.users.get(user_id)
        if user is None:
            raise bad_request("user not found")
        return user

    def chat(self, chat_id: int | str | None) -> Chat:
        if isinstance(chat_id, str):
            if chat_id.startswith("@"):
                wanted = chat_id[1:].lower()
                for chat in self.chats.values():
                    name = chat.username or (self.users[chat.user_id].username if chat.user_id else None)
                    if name and name.lower() == wanted:
                        return chat
                raise bad_request("chat not found")
            try:
                chat_id = int(chat_id)
            except ValueError:
                raise bad_request("chat not found") from None
        if chat_id is None:
            raise bad_request("chat_id is empty")
        chat = self.chats.get(chat_id)
        if chat is None:
            raise bad_request("chat not found")
        return chat

    def display_user(self, user_id: int) -> User:
        return self.bot if user_id == self.bot.id else self.users[user_id]

    # messages ------------------------------------------------------------------------------------------
    def add_message(self, message: Message) -> Message:
        chat = self.chats[message.chat_id]
        self.messages[(chat.id, message.message_id)] = message
        chat.message_ids.append(message.message_id)
        return message

    def new_message(self, chat: Chat, sender_id: int, **fields: Any) -> Message:
        message_id = chat.next_message_id
        chat.next_message_id += 1
        fields.setdefault("date", self.clock.now())
        message = Message(chat_id=chat.id, message_id=message_id, sender_id=sender_id,
                          from_bot=sender_id == self.bot.id, **fields)
        return self.add_message(message)

    def message(self, chat_id: int, message_id: int) -> Message | None:
        message = self.messages.get((chat_id, message_id))
        return None if message is None or message.deleted else message

    def chat_messages(self, chat_id: int, thread_id: int | None = None) -> list[Message]:
        chat = self.chats[chat_id]
        result = []
        for message_id in chat.message_ids:
            message = self.messages[(chat_id, message_id)]
            if message.deleted:
                continue
            if thread_id is not None and message.message_thread_id != thread_id:
                continue
            result.append(message)
        return result

    def delete_message(self, message: Message) -> None:
        message.deleted = True
        chat = self.chats[message.chat_id]
        if message.message_id in chat.pinned:
            chat.pinned.remove(message.message_id)
        self.emit({"type": "delete", "chat_id": message.chat_id, "message_id": message.message_id,
                   "message_ids": [message.message_id]})

    # files ---------------------------------------------------------------------------------------------
    def store_file(self, content: bytes, kind: str, *, mime_type: str | None = None, file_name: str | None = None,
                   width: int | None = None, height: int | None = None) -> StoredFile:
        self._file_serial += 1
        file_id, unique_id = file_ids(kind, self._file_serial)
        folder = {"photo": "photos", "document": "documents"}.get(kind, kind + "s")
        suffix = _suffix(file_name, mime_type, kind)
        stored = StoredFile(file_id=file_id, file_unique_id=unique_id, content=content,
                            file_path=f"{folder}/file_{self._file_serial}{suffix}", kind=kind,
                            mime_type=mime_type, file_name=file_name, width=width, height=height)
        self.files[file_id] = stored
        self.files_by_path[stored.file_path] = stored
        return stored

    def file(self, file_id: str) -> StoredFile:
        stored = self.files.get(file_id)
        if stored is None:
            raise bad_request("wrong file identifier/HTTP URL specified")
        return stored

    # topics --------------------------------------------------------------------------------------------
    def topic(self, chat: Chat, thread_id: int) -> Topic:
        topic = chat.topics.get(thread_id)
        if topic is None:
            raise bad_request("message thread not found")
        return topic

    # updates -------------------------------------------------------------------------------------------
    def push_update(self, kind: str, payload: dict[str, Any]) -> int | None:
        return self.updates.push(kind, payload)

    def pinned_message(self, chat: Chat) -> Message | None:
        for message_id in reversed(chat.pinned):
            message = self.message(chat.id, message_id)
            if message is not None:
                return message
        return None

    def touch(self, message: Message, snapshot: dict[str, Any]) -> None:
        """Record an edit: keep the previous version and stamp the edit date."""
        message.history.append(snapshot)
        message.edit_date = max(self.clock.now(), message.date)


def _suffix(file_name: str | None, mime_type: str | None, kind: str) -> str:
    if file_name and "." in file_name:
        return "." + file_name.rsplit(".", 1)[1]
    if mime_type:
        guessed = {"image/jpeg": ".jpg", "image/png": ".png", "image/gif": ".gif", "image/webp": ".webp",
                   "application/pdf": ".pdf", "text/plain": ".txt"}.get(mime_type)
        if guessed:
            return guessed
    return ""
