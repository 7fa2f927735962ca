"""Forum topics in supergroups."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sandbox.errors import bad_request
from sandbox.methods.common import publish
from sandbox.methods.registry import method
from sandbox.models import Chat, Topic
from sandbox.params import Params

if TYPE_CHECKING:
    from sandbox.core import Core

ICON_COLORS = (0x6FB9F0, 0xFFD67E, 0xCB86DB, 0x8EEE98, 0xFF93B2, 0xFB6F5F)


def _forum(core: Core, p: Params) -> Chat:
    chat = core.world.chat(p.chat_id())
    if not chat.is_forum:
        raise bad_request("the chat is not a forum")
    return chat


def _name(p: Params, required: bool) -> str | None:
    name = p.str("name")
    if name is None and not required:
        return None
    if not name or not name.strip():
        raise bad_request("TOPIC_TITLE_EMPTY")
    if len(name) > 128:
        raise bad_request("TOPIC_TITLE_TOO_LONG")
    return name


def _emit(core: Core, chat: Chat, topic: Topic, deleted: bool = False) -> None:
    core.world.emit({"type": "topic", "chat_id": chat.id, "message_thread_id": topic.message_thread_id,
                     "topic": {**topic.to_api(), "closed": topic.closed}, "deleted": deleted})


def _service(core: Core, chat: Chat, thread_id: int | None, content: dict[str, Any]) -> int:
    message = core.world.new_message(chat, core.bot.id, content=content, message_thread_id=thread_id,
                                     is_topic_message=thread_id is not None)
    publish(core, message)
    return message.message_id


def _managed_topic(core: Core, p: Params, action: str) -> tuple[Chat, Topic]:
    chat = _forum(core, p)
    thread_id = p.int("message_thread_id", required=True)
    assert thread_id is not None
    topic = core.world.topic(chat, thread_id)
    if not core.bot_right(chat, "can_manage_topics") and not topic.created_by_bot:
        raise bad_request(f"not enough rights to {action} the topic")
    return chat, topic


@method("createForumTopic")
def create_forum_topic(core: Core, p: Params) -> dict[str, Any]:
    chat = _forum(core, p)
    if not core.bot_right(chat, "can_manage_topics"):
        raise bad_request("not enough rights to create a topic")
    name = _name(p, required=True)
    assert name is not None
    color = p.int("icon_color") or ICON_COLORS[0]
    if color not in ICON_COLORS:
        raise bad_request("TOPIC_ICON_COLOR_INVALID")
    emoji = p.str("icon_custom_emoji_id") or None
    created: dict[str, Any] = {"name": name, "icon_color": color}
    if emoji:
        created["icon_custom_emoji_id"] = emoji
    thread_id = chat.next_message_id
    topic = Topic(message_thread_id=thread_id, name=name, icon_color=color, icon_custom_emoji_id=emoji)
    chat.topics[thread_id] = topic
    _service(core, chat, thread_id, {"forum_topic_created": created})
    _emit(core, chat, topic)
    return topic.to_api()


@method("editForumTopic")
def edit_forum_topic(core: Core, p: Params) -> bool:
    chat, topic = _managed_topic(core, p, "edit")
    name = _name(p, required=False)
    emoji = p.str("icon_custom_emoji_id")
    edited: dict[str, Any] = {}
    if name is not None and name != topic.name:
        topic.name = edited["name"] = name
    if emoji is not None and (emoji or None) != topic.icon_custom_emoji_id:
        topic.icon_custom_emoji_id = emoji or None
        edited["icon_custom_emoji_id"] = emoji
    if not edited:
        raise bad_request("TOPIC_NOT_MODIFIED")
    _service(core, chat, topic.message_thread_id, {"forum_topic_edited": edited})
    _emit(core, chat, topic)
    return True


def _set_closed(core: Core, p: Params, closed: bool) -> bool:
    chat, topic = _managed_topic(core, p, "close" if closed else "reopen")
    if topic.closed == closed:
        raise bad_request("TOPIC_NOT_MODIFIED")
    topic.closed = closed
    kind = "forum_topic_closed" if closed else "forum_topic_reopened"
    _service(core, chat, topic.message_thread_id, {kind: {}})
    _emit(core, chat, topic)
    return True


@method("closeForumTopic")
def close_forum_topic(core: Core, p: Params) -> bool:
    return _set_closed(core, p, True)


@method("reopenForumTopic")
def reopen_forum_topic(core: Core, p: Params) -> bool:
    return _set_closed(core, p, False)


@method("deleteForumTopic")
def delete_forum_topic(core: Core, p: Params) -> bool:
    chat = _forum(core, p)
    thread_id = p.int("message_thread_id", required=True)
    assert thread_id is not None
    topic = core.world.topic(chat, thread_id)
    if not core.bot_right(chat, "can_delete_messages"):
        raise bad_request("not enough rights to delete the topic")
    for message in core.world.chat_messages(chat.id, thread_id):
        core.world.delete_message(message)
    del chat.topics[thread_id]
    _emit(core, chat, topic, deleted=True)
    return True
