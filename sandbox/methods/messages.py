"""Sending, editing, deleting, copying and forwarding messages."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sandbox.errors import bad_request
from sandbox.keyboards import inline_keyboard
from sandbox.methods.common import (
    api,
    caption,
    editable_message,
    emit_edit,
    message_text,
    new_bot_message,
    reply_markup,
    target_chat,
)
from sandbox.methods.registry import method
from sandbox.models import Message
from sandbox.params import Params

if TYPE_CHECKING:
    from sandbox.core import Core

NOT_MODIFIED = ("message is not modified: specified new message content and reply markup are exactly the same as a "
                "current content and reply markup of the message")
_CHAT_ACTIONS = {"typing", "upload_photo", "record_video", "upload_video", "record_voice", "upload_voice",
                 "upload_document", "choose_sticker", "find_location", "record_video_note", "upload_video_note"}


@method("sendMessage")
def send_message(core: Core, p: Params) -> dict[str, Any]:
    chat = target_chat(core, p)
    formatted = message_text(core, p)
    message = new_bot_message(core, chat, p, text=formatted.text, entities=formatted.entities, html=formatted.html)
    return api(core, message)


def _edited_markup(p: Params) -> dict[str, Any] | None:
    return inline_keyboard(reply_markup(p))


@method("editMessageText")
def edit_message_text(core: Core, p: Params) -> dict[str, Any]:
    message = editable_message(core, p)
    formatted = message_text(core, p)
    if message.text is None:
        raise bad_request("there is no text in the message to edit")
    markup = _edited_markup(p)
    if formatted.text == message.text and formatted.entities == message.entities and markup == message.reply_markup:
        raise bad_request(NOT_MODIFIED)
    core.world.touch(message, message.snapshot())
    message.text, message.entities, message.html = formatted.text, formatted.entities, formatted.html
    message.reply_markup = markup
    emit_edit(core, message)
    return api(core, message)


@method("editMessageCaption")
def edit_message_caption(core: Core, p: Params) -> dict[str, Any]:
    message = editable_message(core, p)
    if message.text is not None or not message.file_ids:
        raise bad_request("there is no caption in the message to edit")
    formatted = caption(core, p)
    markup = _edited_markup(p)
    new_caption = formatted.text if formatted else None
    new_entities = formatted.entities if formatted else []
    if new_caption == message.caption and new_entities == message.caption_entities and markup == message.reply_markup:
        raise bad_request(NOT_MODIFIED)
    core.world.touch(message, message.snapshot())
    message.caption, message.caption_entities = new_caption, new_entities
    message.caption_html = formatted.html if formatted else None
    message.reply_markup = markup
    emit_edit(core, message)
    return api(core, message)


@method("editMessageReplyMarkup")
def edit_message_reply_markup(core: Core, p: Params) -> dict[str, Any]:
    message = editable_message(core, p)
    markup = _edited_markup(p)
    if markup == message.reply_markup:
        raise bad_request(NOT_MODIFIED)
    core.world.touch(message, message.snapshot())
    message.reply_markup = markup
    emit_edit(core, message)
    return api(core, message)


def _deletable(core: Core, chat_id: int, message_id: int) -> Message | None:
    chat = core.world.chat(chat_id)
    message = core.world.message(chat.id, message_id)
    if message is None:
        return None
    if message.from_bot or chat.is_private or core.bot_right(chat, "can_delete_messages"):
        return message
    raise bad_request("message can't be deleted")


@method("deleteMessage")
def delete_message(core: Core, p: Params) -> bool:
    message_id = p.int("message_id", required=True)
    assert message_id is not None
    message = _deletable(core, core.world.chat(p.chat_id()).id, message_id)
    if message is None:
        raise bad_request("message to delete not found")
    core.world.delete_message(message)
    return True


@method("deleteMessages")
def delete_messages(core: Core, p: Params) -> bool:
    chat = core.world.chat(p.chat_id())
    ids = p.json("message_ids")
    if not isinstance(ids, list) or not 1 <= len(ids) <= 100:
        raise bad_request("message_ids must be a non-empty list of at most 100 identifiers")
    found = [m for m in (_deletable(core, chat.id, int(i)) for i in ids) if m is not None]
    if not found:
        raise bad_request("message to delete not found")
    for message in found:
        core.world.delete_message(message)
    return True


def _source(core: Core, p: Params) -> Message:
    from_chat = core.world.chat(p.raw("from_chat_id"))
    message_id = p.int("message_id", required=True)
    assert message_id is not None
    message = core.world.message(from_chat.id, message_id)
    if message is None:
        raise bad_request("message to copy not found")
    return message


@method("copyMessage")
def copy_message(core: Core, p: Params) -> dict[str, Any]:
    source = _source(core, p)
    chat = target_chat(core, p)
    if "invoice" in source.content or "successful_payment" in source.content:
        raise bad_request("message can't be copied")
    new_caption = caption(core, p) if p.has("caption") else None
    fields: dict[str, Any] = {"text": source.text, "entities": list(source.entities), "html": source.html,
                              "content": dict(source.content), "file_ids": list(source.file_ids),
                              "caption": source.caption, "caption_entities": list(source.caption_entities),
                              "caption_html": source.caption_html}
    if new_caption is not None:
        fields.update(caption=new_caption.text, caption_entities=new_caption.entities, caption_html=new_caption.html)
    message = new_bot_message(core, chat, p, **fields)
    return {"message_id": message.message_id}


@method("forwardMessage")
def forward_message(core: Core, p: Params) -> dict[str, Any]:
    source = _source(core, p)
    chat = target_chat(core, p)
    sender = core.world.display_user(source.sender_id)
    origin = source.forward_origin or {"type": "user", "date": source.date, "sender_user": sender.to_api()}
    message = new_bot_message(core, chat, p, text=source.text, entities=list(source.entities), html=source.html,
                              content=dict(source.content), file_ids=list(source.file_ids), caption=source.caption,
                              caption_entities=list(source.caption_entities), caption_html=source.caption_html,
                              forward_origin=origin)
    return api(core, message)


@method("sendChatAction")
def send_chat_action(core: Core, p: Params) -> bool:
    chat = target_chat(core, p)
    action = p.str("action")
    if action not in _CHAT_ACTIONS:
        raise bad_request("wrong parameter action in request")
    core.world.emit({"type": "chat_action", "chat_id": chat.id, "action": action})
    return True


@method("sendLocation")
def send_location(core: Core, p: Params) -> dict[str, Any]:
    chat = target_chat(core, p)
    latitude, longitude = p.float("latitude", required=True), p.float("longitude", required=True)
    assert latitude is not None and longitude is not None
    if not -90 <= latitude <= 90 or not -180 <= longitude <= 180:
        raise bad_request("wrong latitude or longitude specified")
    message = new_bot_message(core, chat, p, content={"location": {"latitude": latitude, "longitude": longitude}})
    return api(core, message)


@method("setMessageReaction")
def set_message_reaction(core: Core, p: Params) -> bool:
    chat = core.world.chat(p.chat_id())
    message_id = p.int("message_id", required=True)
    message = core.world.message(chat.id, message_id or 0)
    if message is None:
        raise bad_request("message to react not found")
    reactions = p.json("reaction") or []
    if not isinstance(reactions, list) or any(not isinstance(r, dict) or "type" not in r for r in reactions):
        raise bad_request("REACTION_INVALID")
    message.reactions = reactions
    emit_edit(core, message)
    return True


@method("pinChatMessage")
def pin_chat_message(core: Core, p: Params) -> bool:
    chat = core.world.chat(p.chat_id())
    if not chat.is_private and not core.bot_right(chat, "can_pin_messages"):
        raise bad_request("not enough rights to manage pinned messages in the chat")
    message = core.world.message(chat.id, p.int("message_id", required=True) or 0)
    if message is None:
        raise bad_request("message to pin not found")
    if message.message_id in chat.pinned:
        chat.pinned.remove(message.message_id)
    chat.pinned.append(message.message_id)
    core.world.emit({"type": "chat", "chat_id": chat.id, "pinned_message_id": message.message_id})
    return True


@method("unpinChatMessage")
def unpin_chat_message(core: Core, p: Params) -> bool:
    chat = core.world.chat(p.chat_id())
    if not chat.is_private and not core.bot_right(chat, "can_pin_messages"):
        raise bad_request("not enough rights to manage pinned messages in the chat")
    message_id = p.int("message_id")
    if message_id is None:
        pinned = core.world.pinned_message(chat)
        message_id = pinned.message_id if pinned else None
    if message_id is None or message_id not in chat.pinned:
        raise bad_request("message to unpin not found")
    chat.pinned.remove(message_id)
    core.world.emit({"type": "chat", "chat_id": chat.id, "unpinned_message_id": message_id})
    return True


@method("unpinAllChatMessages")
def unpin_all_chat_messages(core: Core, p: Params) -> bool:
    chat = core.world.chat(p.chat_id())
    chat.pinned.clear()
    core.world.emit({"type": "chat", "chat_id": chat.id, "unpinned_message_id": None})
    return True
