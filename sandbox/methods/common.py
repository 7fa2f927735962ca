"""Helpers shared by the sending and editing methods."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sandbox.errors import bad_request
from sandbox.keyboards import parse_reply_markup
from sandbox.models import Chat, Message
from sandbox.params import Params
from sandbox.serialize import message_to_api, message_view_json
from sandbox.text import FormattedText, ParseError, format_text

if TYPE_CHECKING:
    from sandbox.core import Core


def parse_formatted(text: str, parse_mode: str | None, entities: Any) -> FormattedText:
    try:
        return format_text(text, parse_mode, entities)
    except ParseError as error:
        raise bad_request(f"can't parse entities: {error}") from None


def message_text(core: Core, p: Params, name: str = "text", entities_name: str = "entities") -> FormattedText:
    raw = p.str(name)
    if raw is None or not raw.strip():
        raise bad_request("message text is empty")
    formatted = parse_formatted(raw, p.str("parse_mode"), p.json(entities_name))
    if not formatted.text.strip():
        raise bad_request("message text is empty")
    if len(formatted.text) > core.config.max_text_length:
        raise bad_request("message is too long")
    return formatted


def caption(core: Core, p: Params, name: str = "caption") -> FormattedText | None:
    raw = p.str(name)
    if raw is None or raw == "":
        return None
    formatted = parse_formatted(raw, p.str("parse_mode"), p.json("caption_entities"))
    if len(formatted.text) > core.config.max_caption_length:
        raise bad_request("message caption is too long")
    return formatted


def target_chat(core: Core, p: Params) -> Chat:
    chat = core.world.chat(p.chat_id())
    core.check_can_send(chat)
    return chat


def thread_id(core: Core, chat: Chat, p: Params) -> int | None:
    value = p.int("message_thread_id")
    if value is None:
        return None
    if chat.is_forum:
        topic = core.world.topic(chat, value)
        if topic.closed and not core.bot_right(chat, "can_manage_topics"):
            raise bad_request("TOPIC_CLOSED")
        return value
    if core.world.message(chat.id, value) is None:
        raise bad_request("message thread not found")
    return value


def reply_to(core: Core, chat: Chat, p: Params) -> int | None:
    params = p.json("reply_parameters")
    message_id = p.int("reply_to_message_id")
    allow_missing = p.bool("allow_sending_without_reply")
    if isinstance(params, dict):
        message_id = params.get("message_id")
        allow_missing = bool(params.get("allow_sending_without_reply"))
        if params.get("chat_id") not in (None, chat.id):
            return None
    if message_id is None:
        return None
    if core.world.message(chat.id, int(message_id)) is None:
        if allow_missing:
            return None
        raise bad_request("message to be replied not found")
    return int(message_id)


def reply_markup(p: Params, chat: Chat | None = None) -> dict[str, Any] | None:
    return parse_reply_markup(p.raw("reply_markup"), private=chat is None or chat.is_private)


def new_bot_message(core: Core, chat: Chat, p: Params, *, flood: bool = True, **fields: Any) -> Message:
    """Validate the common send options, take a flood token (unless done by the caller), store the message."""
    thread = thread_id(core, chat, p)
    replied = reply_to(core, chat, p)
    markup = reply_markup(p, chat)
    if flood:
        core.check_flood(chat)
    message = core.world.new_message(chat, core.bot.id, message_thread_id=thread,
                                     is_topic_message=thread is not None and chat.is_forum,
                                     reply_to_message_id=replied, reply_markup=markup, **fields)
    publish(core, message)
    return message


def publish(core: Core, message: Message) -> None:
    chat = core.world.chats[message.chat_id]
    markup = message.reply_markup
    if message.from_bot and markup is not None and "inline_keyboard" not in markup:
        chat.reply_keyboard = markup if "keyboard" in markup else None
    core.world.emit({"type": "message", "chat_id": message.chat_id, "message_id": message.message_id,
                     "message_thread_id": message.message_thread_id,
                     "message": message_view_json(core.world, message)})


def emit_edit(core: Core, message: Message) -> None:
    core.world.emit({"type": "edit", "chat_id": message.chat_id, "message_id": message.message_id,
                     "message_thread_id": message.message_thread_id,
                     "message": message_view_json(core.world, message)})


def api(core: Core, message: Message) -> dict[str, Any]:
    return message_to_api(core.world, message)


def editable_message(core: Core, p: Params, missing: str = "message to edit not found") -> Message:
    if p.has("inline_message_id") and not p.has("chat_id"):
        raise bad_request("MESSAGE_ID_INVALID")
    chat = core.world.chat(p.chat_id())
    message_id = p.int("message_id")
    if message_id is None:
        raise bad_request("message identifier is not specified")
    message = core.world.message(chat.id, message_id)
    if message is None:
        raise bad_request(missing)
    if not message.from_bot:
        raise bad_request("message can't be edited")
    return message
