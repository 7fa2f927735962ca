"""Bot API JSON for stored objects (null fields omitted, as Telegram does)."""

from __future__ import annotations

from typing import Any

from sandbox.models import Chat, Message, drop_none
from sandbox.world import World


def chat_to_api(world: World, chat: Chat) -> dict[str, Any]:
    if chat.is_private and chat.user_id is not None:
        user = world.users[chat.user_id]
        return drop_none({"id": chat.id, "type": "private", "first_name": user.first_name,
                          "last_name": user.last_name, "username": user.username})
    return drop_none({"id": chat.id, "type": chat.type, "title": chat.title, "username": chat.username,
                      "is_forum": True if chat.is_forum else None})


def chat_full_info(world: World, chat: Chat) -> dict[str, Any]:
    info = chat_to_api(world, chat)
    info.update({"accent_color_id": 0, "max_reaction_count": 11,
                 "accepted_gift_types": {"unlimited_gifts": False, "limited_gifts": False, "unique_gifts": False,
                                         "premium_subscription": False, "gifts_from_channels": False}})
    pinned = world.pinned_message(chat)
    if pinned is not None:
        info["pinned_message"] = message_to_api(world, pinned, with_reply=False)
    if not chat.is_private:
        info["permissions"] = {"can_send_messages": True}
    return info


def message_to_api(world: World, message: Message, *, with_reply: bool = True) -> dict[str, Any]:
    chat = world.chats[message.chat_id]
    data: dict[str, Any] = {
        "message_id": message.message_id,
        "from": world.display_user(message.sender_id).to_api(),
        "date": message.date,
        "chat": chat_to_api(world, chat),
    }
    if message.message_thread_id is not None:
        data["message_thread_id"] = message.message_thread_id
        if message.is_topic_message:
            data["is_topic_message"] = True
    if message.forward_origin:
        data["forward_origin"] = message.forward_origin
    if with_reply and message.reply_to_message_id is not None:
        replied = world.messages.get((message.chat_id, message.reply_to_message_id))
        if replied is not None and not replied.deleted:
            data["reply_to_message"] = message_to_api(world, replied, with_reply=False)
    if message.edit_date is not None:
        data["edit_date"] = message.edit_date
    if message.media_group_id:
        data["media_group_id"] = message.media_group_id
    if message.text is not None:
        data["text"] = message.text
        if message.entities:
            data["entities"] = message.entities
    data.update(message.content)
    if message.caption is not None:
        data["caption"] = message.caption
        if message.caption_entities:
            data["caption_entities"] = message.caption_entities
    if message.reply_markup and "inline_keyboard" in message.reply_markup:
        data["reply_markup"] = message.reply_markup
    return data


def message_view_json(world: World, message: Message) -> dict[str, Any]:
    """The control API's (and playground's) picture of a message, as the user sees it."""
    sender = world.display_user(message.sender_id)
    view: dict[str, Any] = {
        "message_id": message.message_id,
        "chat_id": message.chat_id,
        "from_bot": message.from_bot,
        "from": sender.to_api(),
        "date": message.date,
        "edit_date": message.edit_date,
        "message_thread_id": message.message_thread_id,
        "reply_to_message_id": message.reply_to_message_id,
        "text": message.text,
        "html": message.html,
        "caption": message.caption,
        "caption_html": message.caption_html,
        "reply_markup": message.reply_markup if message.reply_markup and "inline_keyboard" in message.reply_markup
        else None,
        "forward_origin": message.forward_origin,
        "media_group_id": message.media_group_id,
        "edits": len(message.history),
    }
    content = dict(message.content)
    if "photo" in content:
        largest = content.pop("photo")[-1]
        view["photo"] = {**largest, "url": f"/sandbox/files/{largest['file_id']}"}
    if "document" in content:
        document = content.pop("document")
        view["document"] = {**document, "url": f"/sandbox/files/{document['file_id']}"}
    view.update(content)
    return drop_none(view)
